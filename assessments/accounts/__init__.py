"""People and their accounts: signing in, passwords, and council administrators managing who may
do what in their own council."""
