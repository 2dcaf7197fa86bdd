"""Council administrators run their own council's people through CHIIA: invite by email (a
one-time set-password link), give and remove roles, deactivate accounts; every change is on the
audit trail, and another council's people are out of reach."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from assessments.enums import Role
from assessments.models import AccountEvent, Membership
from tests import factories as f

pytestmark = pytest.mark.django_db


def people_url(council) -> str:
    return reverse("assessments:council-people", args=[council.pk])


def link_in(message) -> str:
    return re.search(r"https?://\S+/accounts/reset/\S+/", message.body).group(0)


def test_an_invited_person_sets_a_password_once_and_signs_in(
    team, client_for, client, django_capture_on_commit_callbacks
):
    admin = client_for(team.admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(
            reverse("assessments:people-invite", args=[team.council.pk]),
            {
                "email": "Morag.Kerr@example.org",
                "first_name": "Morag",
                "last_name": "Kerr",
                "role": Role.REVIEWER,
            },
            follow=True,
        )
    assert "Invitation sent to Morag.Kerr@example.org" in response.content.decode()
    person = get_user_model().objects.get(email="Morag.Kerr@example.org")
    assert not person.has_usable_password()
    assert list(person.memberships.values_list("council", "role")) == [
        (team.council.pk, Role.REVIEWER)
    ]
    assert AccountEvent.objects.get(person=person).by == team.admin

    (message,) = mail.outbox
    assert message.to == ["Morag.Kerr@example.org"] and "public health reviewer" in message.body
    link = link_in(message).split("://", 1)[1].split("/", 1)[1]
    admin.logout()
    form_page = client.get("/" + link, follow=True)
    assert "Choose a password" in form_page.content.decode()
    set_url = form_page.redirect_chain[-1][0]
    done = client.post(
        set_url,
        {"new_password1": "heather-and-thistle-42", "new_password2": "heather-and-thistle-42"},
        follow=True,
    )
    assert "Password saved" in done.content.decode()
    signed_in = client.post(
        reverse("login"),
        {"username": "morag.kerr@example.org", "password": "heather-and-thistle-42"},
    )
    assert signed_in.status_code == 302
    # The link worked once.
    client.logout()
    again = client.get("/" + link, follow=True).content.decode()
    assert "already been used or has expired" in again


def test_an_address_with_an_account_is_refused_by_the_field(team, client_for):
    response = client_for(team.admin).post(
        reverse("assessments:people-invite", args=[team.council.pk]),
        {"email": team.pm.email.upper(), "first_name": "A", "last_name": "B", "role": "reviewer"},
    )

    assert response.status_code == 400
    assert "already has an account" in response.content.decode()
    assert not AccountEvent.objects.exists()


def test_administrator_gives_and_removes_roles_and_it_is_recorded(team, client_for):
    admin = client_for(team.admin)
    grant = reverse("assessments:people-grant", args=[team.council.pk, team.contributor.pk])
    remove = reverse("assessments:people-remove", args=[team.council.pk, team.contributor.pk])

    admin.post(grant, {"role": Role.PROJECT_MANAGER})
    assert Membership.objects.filter(user=team.contributor, role=Role.PROJECT_MANAGER).exists()
    admin.post(remove, {"role": Role.CONTRIBUTOR})
    assert not Membership.objects.filter(user=team.contributor, role=Role.CONTRIBUTOR).exists()

    kinds = list(AccountEvent.objects.filter(person=team.contributor).values_list("kind", "role"))
    assert kinds == [("role_removed", Role.CONTRIBUTOR), ("role_granted", Role.PROJECT_MANAGER)]
    page = admin.get(people_url(team.council)).content.decode()
    assert "role removed (project contributor)" in page


def test_administrator_deactivates_an_account_which_can_then_not_sign_in(team, client_for):
    team.panel.set_password("pw-123456789")
    team.panel.save()
    client_for(team.admin).post(
        reverse("assessments:people-deactivate", args=[team.council.pk, team.panel.pk])
    )
    team.panel.refresh_from_db()
    assert not team.panel.is_active
    assert AccountEvent.objects.filter(person=team.panel, kind="deactivated").exists()


@pytest.mark.parametrize("who", ["pm", "reviewer", "panel", "pmo", "other_admin"])
def test_only_this_councils_administrators_reach_its_people(team, client_for, who):
    client = client_for(getattr(team, who))
    url = people_url(team.council)
    grant = reverse("assessments:people-grant", args=[team.council.pk, team.pm.pk])

    assert client.get(url).status_code in {403, 404}
    assert client.post(grant, {"role": Role.COUNCIL_ADMIN}).status_code in {403, 404}
    assert not Membership.objects.filter(user=team.pm, role=Role.COUNCIL_ADMIN).exists()


def test_another_councils_person_cannot_be_changed_through_this_council(team, client_for):
    admin = client_for(team.admin)
    url = reverse("assessments:people-deactivate", args=[team.council.pk, team.other_pm.pk])

    assert admin.post(url).status_code == 404
    team.other_pm.refresh_from_db()
    assert team.other_pm.is_active


def test_administrators_cannot_lock_themselves_or_a_shared_account_out(team, client_for):
    admin = client_for(team.admin)
    remove_own = reverse("assessments:people-remove", args=[team.council.pk, team.admin.pk])
    assert admin.post(remove_own, {"role": Role.COUNCIL_ADMIN}).status_code == 403
    # Someone who also works for another council keeps their account; only roles here go.
    shared = f.make_user("shared.x", council=team.other_council, role=Role.REVIEWER)
    Membership.objects.create(user=shared, council=team.council, role=Role.REVIEWER)
    deactivate = reverse("assessments:people-deactivate", args=[team.council.pk, shared.pk])
    assert admin.post(deactivate).status_code == 403
    shared.refresh_from_db()
    assert shared.is_active
