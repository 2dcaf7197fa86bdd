"""Claims for the test provider's accounts. A few accounts are set up to misbehave on purpose,
as a real provider could, so CHIIA's refusals are tested against real signed tokens:
  unverified.*  email_verified is false
  noemail.*     no email claim at all
  elsewhere.*   the identity token is for another application (aud)
  replayed.*    the identity token carries a nonce from another sign-in
"""

from oauth2_provider.oauth2_validators import OAuth2Validator


class TestAccountsValidator(OAuth2Validator):
    oidc_claim_scope = None  # every claim, whatever the scopes

    def get_additional_claims(self, request):
        user = request.user
        claims = {
            "email": user.email,
            "email_verified": not user.username.startswith("unverified."),
            "given_name": user.first_name,
            "family_name": user.last_name,
            "groups": [group.name for group in user.groups.all()],
        }
        if user.username.startswith("noemail."):
            del claims["email"]
        return claims

    def finalize_id_token(self, id_token, token, token_handler, request):
        username = request.user.username
        if username.startswith("elsewhere."):
            id_token["aud"] = "another-application"
        if username.startswith("replayed."):
            request.nonce = "a-nonce-from-another-sign-in"
            id_token["nonce"] = request.nonce
        return super().finalize_id_token(id_token, token, token_handler, request)
