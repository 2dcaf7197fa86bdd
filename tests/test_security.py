"""Security hardening the project's own tests prove: production settings, strict CSP, no inline
script or style in any template, and sign-in throttling per username and address."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from assessments.enums import Role
from tests.factories import make_user

BASE_DIR = Path(settings.BASE_DIR)
PRODUCTION_ENV = {
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": "test-" + "k3y-for-deploy-checks-only-" * 3,
    "DJANGO_ALLOWED_HOSTS": "chiia.example.gov.uk",
    "DJANGO_SECURE_HSTS_PRELOAD": "true",
}


def manage(*args, env_overrides: dict, remove=()) -> subprocess.CompletedProcess:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "CHIIA_")) and k not in remove
    }
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_deploy_checks_are_clean_under_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env_overrides=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    "missing, message",
    [
        ("DJANGO_SECRET_KEY", "DJANGO_SECRET_KEY must be set"),
        ("DJANGO_ALLOWED_HOSTS", "DJANGO_ALLOWED_HOSTS must be set"),
    ],
)
def test_production_settings_refuse_to_start_without_a_secret_key_or_hosts(missing, message):
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != missing}
    result = manage("check", env_overrides=env)
    assert result.returncode != 0
    assert message in result.stderr


def test_a_short_secret_key_is_refused():
    result = manage("check", env_overrides={**PRODUCTION_ENV, "DJANGO_SECRET_KEY": "too-short"})
    assert result.returncode != 0
    assert "at least 50" in result.stderr


def test_production_security_settings():
    code = (
        "from django.conf import settings as s;"
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS,"
        " s.SESSION_COOKIE_HTTPONLY, len(s.AUTH_PASSWORD_VALIDATORS))"
    )
    result = manage("shell", "-c", code, env_overrides=PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    secure_session, secure_csrf, redirect, hsts, httponly, validators = (
        result.stdout.strip().splitlines()[-1].split()
    )
    assert (secure_session, secure_csrf, redirect, httponly) == ("True", "True", "True", "True")
    assert int(hsts) >= 31536000
    assert int(validators) >= 4


def test_every_response_carries_a_strict_content_security_policy(client, db):
    response = client.get(reverse("login"))
    policy = dict(
        part.strip().split(" ", 1)
        for part in response["Content-Security-Policy"].split(";")
        if part.strip()
    )
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'"
    assert policy["style-src"] == "'self'"
    assert policy["object-src"] == "'none'"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["base-uri"] == "'none'"
    assert "unsafe" not in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def template_files():
    roots = [
        BASE_DIR / "templates",
        *(p for p in (BASE_DIR / "assessments").glob("templates") if p.is_dir()),
    ]
    return sorted(path for root in roots for path in root.rglob("*.html"))


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)
STYLE_ATTRIBUTE = re.compile(r"\sstyle\s*=", re.I)
STYLE_ELEMENT = re.compile(r"<style[\s>]", re.I)
EVENT_HANDLER = re.compile(r"\son[a-z]+\s*=\s*[\"']", re.I)
JS_URL = re.compile(r"href\s*=\s*[\"']\s*javascript:", re.I)


@pytest.mark.parametrize("path", template_files(), ids=lambda p: str(p.relative_to(BASE_DIR)))
def test_no_template_has_inline_script_or_style(path):
    text = path.read_text(encoding="utf-8")
    if path.parts[-2] == "pdf" or "print" in path.parts:
        # Print templates for WeasyPrint never reach a browser; their <style> is allowed.
        text = STYLE_ELEMENT.sub("", text)
    problems = [
        f"{name}: {match.group(0)!r}"
        for name, pattern in [
            ("inline <script>", INLINE_SCRIPT),
            ("style= attribute", STYLE_ATTRIBUTE),
            ("<style> element", STYLE_ELEMENT),
            ("inline event handler", EVENT_HANDLER),
            ("javascript: URL", JS_URL),
        ]
        for match in pattern.finditer(text)
    ]
    assert not problems, problems


def test_templates_are_found():
    names = {p.name for p in template_files()}
    assert {"base.html", "login.html", "section_form.html"} <= names


# --- Sign-in throttling (django-axes): a username is locked from one address at a time.


@pytest.fixture
def victim(glasgow):
    return make_user(council=glasgow, role=Role.PROJECT_MANAGER, username="lockme")


def sign_in(client, username, password, ip="10.1.1.1"):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip
    )


def test_sign_in_locks_after_the_failure_limit_with_a_clear_message(client, victim, settings):
    limit = settings.AXES_FAILURE_LIMIT
    for _ in range(limit - 1):
        response = sign_in(client, "lockme", "wrong password")
        assert response.status_code == 200
        assert "We could not sign you in" in response.content.decode()
    response = sign_in(client, "lockme", "wrong password")
    assert response.status_code == 429
    text = response.content.decode()
    assert "Too many failed sign-in attempts" in text
    assert f"after {limit} wrong passwords" in text
    assert "Please wait 15 minutes" in text
    # Even the right password is refused while locked.
    response = sign_in(client, "lockme", "a-long-test-password-1")
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_lockout_does_not_block_other_addresses_or_other_usernames(
    client, victim, glasgow, settings
):
    colleague = make_user(council=glasgow, role=Role.REVIEWER, username="colleague")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "lockme", "wrong password", ip="10.1.1.1")
    assert sign_in(client, "lockme", "wrong password", ip="10.1.1.1").status_code == 429

    # The same person from another network can still sign in.
    response = sign_in(client, "lockme", "a-long-test-password-1", ip="10.9.9.9")
    assert response.status_code == 302
    client.logout()
    # A colleague behind the same address is not locked out.
    response = sign_in(client, colleague.username, "a-long-test-password-1", ip="10.1.1.1")
    assert response.status_code == 302


def test_a_successful_sign_in_resets_the_failure_count(client, victim, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, "lockme", "wrong password")
    assert sign_in(client, "lockme", "a-long-test-password-1").status_code == 302
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(client, "lockme", "wrong password").status_code == 200


# The proxy settings as chiia/settings.py derives them from CHIIA_PROXY_COUNT.
PROXY_SETTINGS = (
    "AXES_IPWARE_META_PRECEDENCE_ORDER",
    "AXES_IPWARE_PROXY_COUNT",
    "AXES_IPWARE_PROXY_ORDER",
    "IPWARE_STRICT",
)


def behind_proxies(settings, monkeypatch, count: int) -> None:
    import runpy

    monkeypatch.setenv("CHIIA_PROXY_COUNT", str(count))
    derived = runpy.run_path(str(BASE_DIR / "chiia" / "settings.py"))
    for name in PROXY_SETTINGS:
        if name in derived:
            setattr(settings, name, derived[name])


@pytest.mark.parametrize("proxies, nearer_hops", [(1, ""), (2, ", 10.0.0.2")])
def test_behind_proxies_the_lock_is_per_client_address_from_x_forwarded_for(
    client, victim, glasgow, settings, monkeypatch, proxies, nearer_hops
):
    behind_proxies(settings, monkeypatch, proxies)
    colleague = make_user(council=glasgow, role=Role.REVIEWER, username="colleague")

    def via_proxy(username, password, forwarded_for):
        # The proxy nearest the app connects from 127.0.0.1; every proxy appends the address it
        # received the request from, so the client's own address is followed by `nearer_hops`.
        return client.post(
            reverse("login"),
            {"username": username, "password": password},
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR=forwarded_for + nearer_hops,
        )

    for _ in range(settings.AXES_FAILURE_LIMIT):
        via_proxy("lockme", "wrong password", "203.0.113.5")
    assert via_proxy("lockme", "a-long-test-password-1", "203.0.113.5").status_code == 429
    # Claiming another address in front of the real one changes nothing.
    assert (
        via_proxy("lockme", "a-long-test-password-1", "198.51.100.7, 203.0.113.5").status_code
        == 429
    )

    # The same person from another address signs in...
    assert via_proxy("lockme", "a-long-test-password-1", "198.51.100.7").status_code == 302
    client.logout()
    # ...and so does a colleague from the locked address.
    assert via_proxy(colleague.username, "a-long-test-password-1", "203.0.113.5").status_code == 302


def test_attempts_during_a_lock_do_not_extend_it(client, victim, settings):
    import time
    from datetime import timedelta

    settings.AXES_COOLOFF_TIME = timedelta(seconds=3)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "lockme", "wrong password")
    time.sleep(1.5)
    # A guess while locked is refused...
    assert sign_in(client, "lockme", "wrong password").status_code == 429
    time.sleep(2.0)
    # ...and the lock still ends three seconds after the failure that caused it.
    assert sign_in(client, "lockme", "a-long-test-password-1").status_code == 302


# --- CSRF: the secret lives in the signed-in session, so a token is worth nothing elsewhere.

CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def form_token(client, url) -> str:
    return CSRF_FIELD.search(client.get(url, follow=True).content.decode()).group(1)


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_a_csrf_token_from_before_sign_in_is_refused_after_it(victim):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    before = form_token(browser, reverse("login"))
    # Whatever CSRF cookie the sign-in page set, an attacker who planted it (from a sibling
    # subdomain, say) can plant it again after sign-in.
    planted = {
        name: morsel.value for name, morsel in browser.cookies.items() if name == "csrftoken"
    }
    response = browser.post(
        reverse("login"),
        {"username": "lockme", "password": "a-long-test-password-1", "csrfmiddlewaretoken": before},
    )
    assert response.status_code == 302 and signed_in(browser)
    for name, value in planted.items():
        browser.cookies[name] = value

    refused = browser.post(reverse("logout"), {"csrfmiddlewaretoken": before})
    assert refused.status_code == 403
    assert "This form has expired" in refused.content.decode()
    assert signed_in(browser)
    # The token of a page shown after sign-in works.
    after = form_token(browser, reverse("assessments:home"))
    assert browser.post(reverse("logout"), {"csrfmiddlewaretoken": after}).status_code == 302
    assert not signed_in(browser)


def test_a_csrf_token_from_one_session_is_refused_in_another(victim, glasgow):
    from django.test import Client

    colleague = make_user(council=glasgow, role=Role.REVIEWER, username="colleague")
    mine, theirs = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    mine.force_login(victim)
    theirs.force_login(colleague)
    token = form_token(mine, reverse("assessments:home"))
    form_token(theirs, reverse("assessments:home"))
    # Even with my CSRF cookie copied across, my token does not work in their session.
    for name, morsel in mine.cookies.items():
        if name != "sessionid":
            theirs.cookies[name] = morsel.value
    assert theirs.post(reverse("logout"), {"csrfmiddlewaretoken": token}).status_code == 403
    assert signed_in(theirs)
    assert mine.post(reverse("logout"), {"csrfmiddlewaretoken": token}).status_code == 302
