"""Sessions use Django's cached_db engine and the cache is Django's own, chosen by CHIIA_CACHE_URL:
Redis when it names one, memory inside the process otherwise."""

import runpy
import socket
import time

import pytest
from django.conf import settings
from django.contrib.sessions.backends.cached_db import KEY_PREFIX as SESSION_KEY_PREFIX
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings
from django.urls import reverse

from tests.factories import ready_to_submit

REDIS = ("127.0.0.1", 6379)
# A database number and key prefix of the tests' own, so a flush here touches nothing else.
REDIS_TEST_URL = "redis://127.0.0.1:6379/13"
REDIS_TEST_PREFIX = "chiia-tests"
PASSWORD = "a-long-test-password-for-sessions"


def settings_with(monkeypatch, cache_url: str) -> dict:
    """The settings module as it reads the given CHIIA_CACHE_URL."""
    monkeypatch.setenv("CHIIA_CACHE_URL", cache_url)
    return runpy.run_path(str(settings.BASE_DIR / "chiia" / "settings.py"))


def redis_reachable() -> bool:
    try:
        socket.create_connection(REDIS, timeout=0.5).close()
    except OSError:
        return False
    return True


def sign_in(client, user) -> None:
    """Through the sign-in form, as a person does."""
    user.set_password(PASSWORD)
    user.save()
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302


def test_sessions_use_the_standard_cached_db_engine():
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.cached_db"
    assert settings.AUTHENTICATION_BACKENDS[-1] == "django.contrib.auth.backends.ModelBackend"


def test_a_signed_in_session_survives_a_cache_flush(client, team):
    a = ready_to_submit(team)
    sign_in(client, team.pm)
    assert client.get(a.get_absolute_url()).status_code == 200
    cache.clear()
    assert client.get(a.get_absolute_url()).status_code == 200


def test_signing_out_ends_the_session_even_when_it_was_cached(client, team):
    a = ready_to_submit(team)
    sign_in(client, team.pm)
    stolen = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert client.get(a.get_absolute_url()).status_code == 200
    client.post(reverse("logout"))
    client.cookies[settings.SESSION_COOKIE_NAME] = stolen
    response = client.get(a.get_absolute_url())
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_an_expired_session_is_sent_to_sign_in(client, team):
    a = ready_to_submit(team)
    sign_in(client, team.pm)
    session = client.session
    session.set_expiry(1)
    session.save()
    time.sleep(1.2)
    response = client.get(a.get_absolute_url())
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_a_deactivated_user_is_signed_out_on_their_next_request(client, team):
    a = ready_to_submit(team)
    sign_in(client, team.pm)
    team.pm.is_active = False
    team.pm.save()
    response = client.get(a.get_absolute_url())
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_a_changed_password_ends_other_sessions(client, team):
    a = ready_to_submit(team)
    sign_in(client, team.pm)
    team.pm.set_password("a-new-long-passphrase-2026")
    team.pm.save()
    assert client.get(a.get_absolute_url()).status_code == 302


def test_without_a_cache_url_the_cache_is_local_memory(monkeypatch):
    caches = settings_with(monkeypatch, "")["CACHES"]
    assert caches["default"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"


def test_a_cache_url_that_is_not_redis_is_refused_with_a_clear_message(monkeypatch):
    with pytest.raises(ImproperlyConfigured, match="CHIIA_CACHE_URL must be a redis://"):
        settings_with(monkeypatch, "memcached://127.0.0.1:11211")


@pytest.fixture
def redis_cache(monkeypatch):
    if not redis_reachable():
        pytest.skip("Redis is not answering on 127.0.0.1:6379 (start redis-server to run this)")
    configured = settings_with(monkeypatch, REDIS_TEST_URL)["CACHES"]
    assert configured["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert configured["default"]["LOCATION"] == REDIS_TEST_URL
    caches = {"default": {**configured["default"], "KEY_PREFIX": REDIS_TEST_PREFIX}}
    with override_settings(CACHES=caches):
        from django.core.cache import cache as redis

        redis.clear()
        yield redis
        redis.clear()


def test_redis_cache_round_trip(redis_cache):
    redis_cache.set("greeting", {"text": "hello", "n": 3}, 30)
    assert redis_cache.get("greeting") == {"text": "hello", "n": 3}
    redis_cache.set("counter", 1, 30)
    assert redis_cache.incr("counter") == 2
    redis_cache.delete("greeting")
    assert redis_cache.get("greeting") is None


def test_with_redis_a_session_is_cached_there_and_survives_a_flush(client, team, redis_cache):
    a = ready_to_submit(team)
    sign_in(client, team.pm)
    assert client.get(a.get_absolute_url()).status_code == 200
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert redis_cache.get(SESSION_KEY_PREFIX + key) is not None
    redis_cache.clear()
    assert client.get(a.get_absolute_url()).status_code == 200
