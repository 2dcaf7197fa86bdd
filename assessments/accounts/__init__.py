"""Signing in: single sign-on with a council's identity provider (OpenID Connect)."""
