"""People and their accounts: signing in (with a password or single sign-on through a council's
OpenID Connect provider), passwords, and council administrators managing who may do what in
their own council."""
