"""The single sign-on routes without a provider: switched off by default, and a callback that
belongs to no sign-in of this browser gets a plain page (the Chromium tests in
tests/browser/test_sso.py run the whole flow against a real provider)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from assessments.accounts.sso import RoleGrant, parse_role_map


@pytest.fixture
def sso_on(settings):
    settings.CHIIA_OIDC_ENABLED = True
    for name in ("AUTHORIZATION", "TOKEN", "USER", "JWKS"):
        setattr(settings, f"OIDC_OP_{name}_ENDPOINT", f"http://127.0.0.1:9/{name.lower()}")
    settings.OIDC_RP_CLIENT_ID, settings.OIDC_RP_CLIENT_SECRET = "chiia", "secret"


def test_off_by_default_the_routes_are_not_there_and_the_page_has_no_button(client, db):
    assert client.get("/accounts/sso/start/").status_code == 404
    assert client.get("/accounts/sso/callback/?code=a&state=b").status_code == 404
    assert "council account" not in client.get("/accounts/login/").content.decode()


def test_a_callback_from_no_sign_in_of_this_browser_is_a_plain_page(client, db, sso_on):
    page = client.get("/accounts/sso/callback/?code=a&state=b")
    assert page.status_code == 400 and "did not match this sign-in" in page.content.decode()
    declined = client.get("/accounts/sso/callback/?error=access_denied&state=b")
    assert "cancelled or declined" in declined.content.decode()
    start = client.get("/accounts/sso/start/")
    assert start.status_code == 302 and start["Location"].startswith("http://127.0.0.1:9/")
    assert "Sign in with your council account" in client.get("/accounts/login/").content.decode()


def test_only_local_passwords_off_hides_the_password_form(client, db, sso_on, settings):
    settings.CHIIA_LOCAL_PASSWORDS = False
    page = client.get("/accounts/login/").content.decode()
    assert 'name="password"' not in page and "Use your council account" in page


def test_the_role_map_is_read_strictly():
    assert parse_role_map("g1=S12000049:reviewer, g2=*:pmo_viewer") == [
        RoleGrant("g1", "S12000049", "reviewer"),
        RoleGrant("g2", None, "pmo_viewer"),
    ]
    for bad in ("g1=S12000049", "g1=S12000049:boss", "g1=*:reviewer", "g1=S12000049:pmo_viewer"):
        with pytest.raises(ImproperlyConfigured):
            parse_role_map(bad)
