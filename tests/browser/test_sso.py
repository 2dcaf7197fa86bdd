"""Single sign-on end to end in Chromium against a real OpenID Connect provider: a separate
Django project with django-oauth-toolkit (tests/oidc_provider/), started on a free port with
its own database and a fresh RSA key. CHIIA talks to it exactly as it would to Entra ID."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model

from assessments.enums import Role
from assessments.models import Council, Membership
from tests.browser.helpers import axe_violations, describe_violations
from tests.factories import make_user
from tests.oidc_provider import serve

ROOT = Path(django_settings.BASE_DIR)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def provider(live_server, tmp_path_factory):
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    port = free_port()
    env = {
        **os.environ,
        "TEST_IDP_DATABASE": str(tmp_path_factory.mktemp("idp") / "idp.sqlite3"),
        "TEST_IDP_RSA_KEY": pem,
    }
    env.pop("DATABASE_URL", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.oidc_provider.serve", str(port), live_server.url],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(f"{base}/o/.well-known/openid-configuration", timeout=2)
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail("the test identity provider did not start")
            time.sleep(0.3)
    yield base
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def sso(settings, provider, reference):
    """CHIIA configured for the provider as docs/deploy.md says, from its discovery document."""
    settings.CHIIA_OIDC_ENABLED = True
    settings.AUTHENTICATION_BACKENDS = [
        *settings.AUTHENTICATION_BACKENDS,
        "assessments.accounts.sso.CouncilAccountBackend",
    ]
    settings.OIDC_RP_CLIENT_ID = serve.CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = serve.CLIENT_SECRET
    settings.CHIIA_OIDC_ISSUER = f"{provider}/o"
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = f"{provider}/o/authorize/"
    settings.OIDC_OP_TOKEN_ENDPOINT = f"{provider}/o/token/"
    settings.OIDC_OP_USER_ENDPOINT = f"{provider}/o/userinfo/"
    settings.OIDC_OP_JWKS_ENDPOINT = f"{provider}/o/.well-known/jwks.json"
    settings.CHIIA_OIDC_END_SESSION_ENDPOINT = f"{provider}/o/logout/"
    settings.CHIIA_OIDC_ROLE_MAP = "chiia-glasgow-reviewers=S12000049:reviewer"
    settings.SECURE_CSP = {
        **settings.SECURE_CSP,
        "form-action": [*settings.SECURE_CSP["form-action"], provider],
    }
    return settings


def sign_in_at_provider(page, username: str, chiia_url: str) -> None:
    """Start at CHIIA's sign-in page, sign in at the provider, wait to be back at CHIIA."""
    page.goto("/accounts/login/")
    page.get_by_role("link", name="Sign in with your council account").click()
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(serve.PASSWORD)
    page.get_by_role("button", name="Sign in to the provider").click()
    page.wait_for_url(f"{chiia_url}/**")


def test_a_council_account_signs_in_and_out_through_the_provider(sso, page, provider, live_server):
    glasgow = Council.objects.get(code="S12000049")
    known = make_user("pm.sso", council=glasgow, role=Role.PROJECT_MANAGER)
    page.goto("/accounts/login/")
    assert not axe_violations(page), describe_violations("sign-in", axe_violations(page))

    sign_in_at_provider(page, "known.person", live_server.url)
    assert page.url == f"{live_server.url}/my-work/"
    assert page.get_by_text("Signed in as Pm Tester").is_visible()
    assert get_user_model().objects.filter(email__iexact=known.email).count() == 1

    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/accounts/login/")
    # The provider's session ended too: starting again asks for the provider password.
    page.get_by_role("link", name="Sign in with your council account").click()
    assert page.url.startswith(provider) and page.get_by_label("Password").is_visible()

    # A first sign-in makes an account with the roles the groups claim maps to, and no other.
    page.get_by_label("Username").fill("new.person")
    page.get_by_label("Password").fill(serve.PASSWORD)
    page.get_by_role("button", name="Sign in to the provider").click()
    page.wait_for_url(f"{live_server.url}/**")
    page.get_by_text("Signed in as Sso Tester").wait_for()
    created = get_user_model().objects.get(email__iexact="new.starter@example.org")
    assert not created.has_usable_password()
    assert list(Membership.objects.filter(user=created).values_list("council__code", "role")) == [
        ("S12000049", Role.REVIEWER)
    ]


REFUSALS = {
    "unverified.person": "not marked as verified",
    "noemail.person": "did not give CHIIA an email address",
    "elsewhere.person": "did not match this sign-in",
    "replayed.person": "did not match this sign-in",
}


def test_each_refusal_is_a_plain_page_and_creates_nothing(sso, browser, live_server):
    users_before = get_user_model().objects.count()
    for username, words in REFUSALS.items():
        context = browser.new_context(base_url=live_server.url)
        page = context.new_page()
        sign_in_at_provider(page, username, live_server.url)
        assert words in page.locator(".sso-failure").inner_text(), username
        assert page.get_by_role("link", name="Back to sign in").is_visible()
        context.close()

    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    # A forged state (not the one this browser was given) is refused before the provider is asked.
    page.goto("/accounts/sso/start/")
    response = page.goto("/accounts/sso/callback/?code=stolen&state=forged")
    assert response.status == 400 and "did not match" in page.content()
    assert not axe_violations(page), describe_violations("failure", axe_violations(page))
    context.close()
    assert get_user_model().objects.count() == users_before


def test_an_unknown_email_or_a_provider_that_is_down_is_a_plain_page(sso, browser, live_server):
    sso.CHIIA_OIDC_CREATE_USERS = False
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    sign_in_at_provider(page, "new.person", live_server.url)
    assert "no CHIIA account for your email" in page.locator(".sso-failure").inner_text()
    context.close()
    assert not get_user_model().objects.filter(email__iexact="new.starter@example.org").exists()

    sso.OIDC_OP_TOKEN_ENDPOINT = f"http://127.0.0.1:{free_port()}/o/token/"
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    sign_in_at_provider(page, "known.person", live_server.url)
    assert "could not be reached" in page.locator(".sso-failure").inner_text()
    context.close()
