"""My work: the page each person lands on after signing in, listing what is waiting for them."""
