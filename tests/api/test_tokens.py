"""Personal API tokens: created and revoked on /account/tokens/, shown once, stored hashed,
expiring, and refused once revoked, expired or when the account is switched off."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from assessments.api import tokens
from assessments.models import ApiToken
from tests.factories import make_api_token, make_team_project

PROJECTS = "/api/v1/projects/"


def bearer(token: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


@pytest.fixture
def pm_client(team, client):
    client.force_login(team.pm)
    return client


def test_a_token_made_on_the_page_is_shown_once_stored_hashed_and_opens_the_api(team, pm_client):
    make_team_project(team)
    response = pm_client.post(
        reverse("api-tokens"), {"name": "Power BI portfolio", "lifetime_days": "30"}
    )
    assert response.status_code == 200
    plaintext = response.context["issued"].plaintext
    assert plaintext.startswith("chiia_") and plaintext in response.content.decode()
    assert response["Cache-Control"].startswith("max-age=0")

    stored = ApiToken.objects.get(user=team.pm)
    secret = plaintext.split("_", 2)[2]
    assert stored.digest == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in str(list(ApiToken.objects.values()))
    assert timedelta(days=29) < stored.expires_at - timezone.now() <= timedelta(days=30)

    again = pm_client.get(reverse("api-tokens"))
    assert (
        plaintext not in again.content.decode() and "Power BI portfolio" in again.content.decode()
    )

    api = Client().get(PROJECTS, **bearer(plaintext))
    assert api.status_code == 200
    assert [row["reference"] for row in api.json()["results"]] == ["T-001"]
    stored.refresh_from_db()
    assert stored.last_used_at is not None


def test_a_revoked_token_stops_working_and_only_its_owner_can_revoke_it(team, pm_client):
    plaintext = make_api_token(team.pm)
    token = ApiToken.objects.get(user=team.pm)
    intruder = Client()
    intruder.force_login(team.other_pm)
    assert intruder.post(reverse("api-token-revoke", args=[token.pk])).status_code == 404
    assert Client().get(PROJECTS, **bearer(plaintext)).status_code == 200

    response = pm_client.post(reverse("api-token-revoke", args=[token.pk]))
    assert response.status_code == 302
    refused = Client().get(PROJECTS, **bearer(plaintext))
    assert refused.status_code == 401
    assert "revoked" in refused.json()["detail"]
    assert "Revoked" in pm_client.get(reverse("api-tokens")).content.decode()


@pytest.mark.parametrize(
    "spoil",
    [
        lambda text: text[:-1] + ("A" if text[-1] != "A" else "B"),  # wrong secret
        lambda text: "chiia_000000000000_" + text.split("_", 2)[2],  # unknown prefix
        lambda text: text.replace("chiia_", "", 1),  # not a CHIIA token
        lambda text: "",  # Bearer and nothing
    ],
)
def test_a_wrong_token_is_refused(team, spoil):
    plaintext = make_api_token(team.pm)
    assert Client().get(PROJECTS, **bearer(spoil(plaintext))).status_code == 401


def test_an_expired_token_or_a_switched_off_account_is_refused(team):
    plaintext = make_api_token(team.pm)
    ApiToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert Client().get(PROJECTS, **bearer(plaintext)).status_code == 401

    other = make_api_token(team.reviewer)
    team.reviewer.is_active = False
    team.reviewer.save()
    assert Client().get(PROJECTS, **bearer(other)).status_code == 401


def test_no_token_is_a_401_with_a_bearer_challenge(db):
    response = Client().get(PROJECTS)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_nameless_token_or_one_too_many_is_refused_by_the_field(team, pm_client):
    response = pm_client.post(reverse("api-tokens"), {"name": "  ", "lifetime_days": "30"})
    assert response.status_code == 200 and "This field is required" in response.content.decode()
    response = pm_client.post(reverse("api-tokens"), {"name": "x", "lifetime_days": "7"})
    assert "Select a valid choice" in response.content.decode()
    for n in range(tokens.MAX_LIVE_TOKENS):
        make_api_token(team.pm, name=f"t{n}")
    response = pm_client.post(reverse("api-tokens"), {"name": "one more", "lifetime_days": "30"})
    assert response.status_code == 200 and "revoke one" in response.content.decode()
    assert ApiToken.objects.filter(user=team.pm).count() == tokens.MAX_LIVE_TOKENS


def test_the_api_is_rate_limited_per_account(team, settings):
    cache.clear()
    settings.CHIIA_API_REQUESTS_PER_MINUTE = 3
    plaintext = make_api_token(team.pm)
    statuses = [Client().get(PROJECTS, **bearer(plaintext)).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    # Another account has its own allowance.
    assert Client().get(PROJECTS, **bearer(make_api_token(team.reviewer))).status_code == 200
