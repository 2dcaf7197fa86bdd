"""Run the test provider: migrate its own database, register CHIIA as a client and the test
accounts, then serve on the given port until killed.

    python -m tests.oidc_provider.serve PORT CHIIA_BASE_URL   (env: TEST_IDP_DATABASE, TEST_IDP_RSA_KEY)
"""

import os
import sys

CLIENT_ID = "chiia-test-client"
CLIENT_SECRET = "chiia-test-secret-0123456789"
PASSWORD = "provider-password-1"
# username -> (email, groups)
ACCOUNTS = {
    "known.person": ("pm.sso@example.org", []),
    "new.person": ("New.Starter@Example.org", ["chiia-glasgow-reviewers"]),
    "unverified.person": ("unverified@example.org", []),
    "noemail.person": ("", []),
    "elsewhere.person": ("elsewhere@example.org", []),
    "replayed.person": ("replayed@example.org", []),
}


def main(port: str, chiia_url: str) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.oidc_provider.settings"
    import django

    django.setup()
    from django.contrib.auth.models import Group, User
    from django.core.management import call_command
    from oauth2_provider.models import Application

    call_command("migrate", verbosity=0)
    for username, (email, groups) in ACCOUNTS.items():
        user = User.objects.create_user(
            username, email=email, password=PASSWORD, first_name="Sso", last_name="Tester"
        )
        for name in groups:
            user.groups.add(Group.objects.get_or_create(name=name)[0])
    Application.objects.create(
        name="CHIIA",
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        algorithm=Application.RS256_ALGORITHM,
        redirect_uris=f"{chiia_url}/accounts/sso/callback/",
        post_logout_redirect_uris=f"{chiia_url}/accounts/login/",
        skip_authorization=True,
    )
    call_command("runserver", f"127.0.0.1:{port}", use_reloader=False, use_threading=True)


if __name__ == "__main__":
    main(*sys.argv[1:3])
