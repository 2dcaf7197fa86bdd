"""Everyone can change their password and reset a forgotten one with Django's own views; the
reset email goes through the task queue after the request."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_a_forgotten_password_is_reset_through_an_emailed_link(
    team, client, django_capture_on_commit_callbacks
):
    login_page = client.get(reverse("login")).content.decode()
    assert reverse("password_reset") in login_page

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(reverse("password_reset"), {"email": team.pm.email}, follow=True)
    assert "Check your email" in response.content.decode()
    assert mail.outbox == [] and len(callbacks) == 1  # queued after commit, not sent inline
    callbacks[0]()
    (message,) = mail.outbox
    link = re.search(r"https?://[^/\s]+(/accounts/reset/\S+/)", message.body).group(1)

    form = client.get(link, follow=True)
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "clyde-at-dusk-2026", "new_password2": "clyde-at-dusk-2026"},
        follow=True,
    )
    assert "Password saved" in done.content.decode()
    team.pm.refresh_from_db()
    assert team.pm.check_password("clyde-at-dusk-2026")


def test_an_unknown_address_gets_the_same_page_and_no_email(
    client, reference, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("password_reset"), {"email": "nobody@example.org"}, follow=True
        )
    assert "Check your email" in response.content.decode()
    assert mail.outbox == []


def test_a_signed_in_person_changes_their_password(team, client_for):
    client = client_for(team.reviewer)
    page = client.get(reverse("assessments:project-list")).content.decode()
    assert reverse("password_change") in page

    response = client.post(
        reverse("password_change"),
        {
            "old_password": "a-long-test-password-1",
            "new_password1": "kelvingrove-maple-7",
            "new_password2": "kelvingrove-maple-7",
        },
        follow=True,
    )
    assert "Password changed" in response.content.decode()
    team.reviewer.refresh_from_db()
    assert team.reviewer.check_password("kelvingrove-maple-7")


def test_a_wrong_old_password_is_explained_by_the_field(team, client_for):
    response = client_for(team.reviewer).post(
        reverse("password_change"),
        {
            "old_password": "wrong",
            "new_password1": "x-y-z-1-2-3-4",
            "new_password2": "x-y-z-1-2-3-4",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200 and 'id="error-summary"' in page
    assert "Your old password was entered incorrectly" in page
