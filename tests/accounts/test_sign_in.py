"""The sign-in page as a keyboard or screen-reader user meets it."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_sign_in_page_does_not_jump_focus_past_the_skip_link(client):
    page = client.get(reverse("login")).content.decode()

    assert "autofocus" not in page
    assert page.index("Skip to main content") < page.index('name="username"')


def test_a_failed_sign_in_is_explained_once(client, team):
    response = client.post(
        reverse("login"), {"username": team.pm.username, "password": "not the password"}
    )
    page = response.content.decode()

    assert response.status_code == 200
    assert page.count("We could not sign you in") == 1
    # Django's own wording would repeat the same failure in a second box under the summary.
    assert "Please enter a correct username and password" not in page
