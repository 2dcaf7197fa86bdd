"""chiia/fast_reads.py: the session and the signed-in user read in plain SQL must behave exactly
as Django's own reads do, and the assessment page's prepared head query must survive a new
database connection."""

from datetime import timedelta

import pytest

from django.contrib.sessions.models import Session
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from tests.factories import ready_to_submit


def test_a_signed_in_session_opens_the_page(client, team):
    a = ready_to_submit(team)
    client.force_login(team.pm)
    assert client.get(a.get_absolute_url()).status_code == 200


def test_an_expired_session_is_sent_to_sign_in(client, team):
    a = ready_to_submit(team)
    client.force_login(team.pm)
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get(a.get_absolute_url())
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_deactivated_user_is_signed_out_on_their_next_request(client, team):
    a = ready_to_submit(team)
    client.force_login(team.pm)
    team.pm.is_active = False
    team.pm.save()
    response = client.get(a.get_absolute_url())
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_a_changed_password_ends_other_sessions(client, team):
    a = ready_to_submit(team)
    client.force_login(team.pm)
    team.pm.set_password("a-new-long-passphrase-2026")
    team.pm.save()
    assert client.get(a.get_absolute_url()).status_code == 302


@pytest.mark.django_db(transaction=True)
def test_the_page_still_opens_after_the_database_connection_is_replaced(client, team):
    a = ready_to_submit(team)
    client.force_login(team.pm)
    assert client.get(a.get_absolute_url()).status_code == 200
    # A new connection has none of the old one's prepared statements (PostgreSQL).
    connection.close()
    assert client.get(a.get_absolute_url()).status_code == 200
    assert client.get(a.get_absolute_url()).status_code == 200


def test_someone_without_a_role_in_the_council_gets_not_found(client, team):
    a = ready_to_submit(team)
    client.force_login(team.other_pm)
    assert client.get(a.get_absolute_url()).status_code == 404
    client.force_login(team.pmo)
    assert client.get(a.get_absolute_url()).status_code == 200
