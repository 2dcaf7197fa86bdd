"""Erasure on request: the administrator sees what will change first; then the person is
anonymised everywhere lawful, irreversibly, and it is recorded. A resident's name is left in no
text column of any table; an officer keeps their name on their official decisions only."""

import pytest
from django.apps import apps
from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.test import Client
from django.urls import reverse

from assessments.enums import Role
from assessments.models import CommunityComment, Membership, PrivacyEvent, StatusChange
from tests import factories as f

pytestmark = pytest.mark.django_db
NAME_PARTS = ("Threepwood", "Morag Threepwood", "morag.t", "morag@example.net")


@pytest.fixture
def resident(team):
    person = f.make_user(
        "morag.t",
        first_name="Morag",
        last_name="Threepwood",
        email="morag@example.net",
        council=team.council,
        role=Role.PANEL_MEMBER,
    )
    assessment = f.start(f.make_team_project(team), by=team.pm)
    f.make_panel_comment(assessment, person, "I am Morag Threepwood and the path floods")
    answer = assessment.answers.first()
    answer.notes = "Met Morag Threepwood on site"
    answer.updated_by = team.pm
    answer.save()  # a history row holding the name too
    f.make_sign_ins("morag.t")
    f.make_email_task(team.pm.email, "[CHIIA] New comment", "I am Morag Threepwood and ...")
    f.make_email_task("morag@example.net", "[CHIIA] Consultation open", "Dear panel member")
    LogEntry.objects.log_actions(
        user_id=team.admin.pk, queryset=[person], action_flag=ADDITION, change_message="Added"
    )
    signed_in = Client()
    signed_in.force_login(person)
    return person


def _text_hits(word: str) -> list[str]:
    """Every table (history, sign-in, session, task and admin tables included), every text or
    JSON column, searched for the word."""
    hits = []
    for model in apps.get_models():
        if not model._meta.managed or model._meta.proxy:
            continue
        for column in model._meta.concrete_fields:
            if isinstance(column, models.CharField | models.TextField):
                rows = model._default_manager.filter(**{f"{column.name}__icontains": word})
                hits += [f"{model._meta.label}.{column.name}" for _ in rows]
            elif isinstance(column, models.JSONField):
                values = model._default_manager.values_list(column.name, flat=True)
                hits += [
                    f"{model._meta.label}.{column.name}"
                    for v in values
                    if word.lower() in str(v).lower()
                ]
    return hits


def test_the_administrator_sees_what_will_change_before_anything_does(team, client_for, resident):
    page = client_for(team.admin).get(reverse("assessments:privacy-erase", args=[resident.pk]))
    assert page.status_code == 200
    assert "This cannot be undone" in page.text
    assert "comments that will show “a panel member” instead of the account: 1" in page.text
    assert "sign-in records deleted: 4" in page.text  # three made above, one by force_login
    assert "copies of emails deleted: 2" in page.text
    assert _text_hits("Threepwood"), "nothing changes on looking"
    refused = client_for(team.admin).post(reverse("assessments:privacy-erase", args=[resident.pk]))
    assert refused.status_code == 200 and "Tick the box" in refused.text
    assert get_user_model().objects.get(pk=resident.pk).last_name == "Threepwood"


def test_erasing_a_resident_leaves_their_name_in_no_text_column(team, client_for, resident):
    response = client_for(team.admin).post(
        reverse("assessments:privacy-erase", args=[resident.pk]), {"confirm": "on"}
    )
    assert response.status_code == 302
    for word in NAME_PARTS:
        assert _text_hits(word) == [], word
    comment = CommunityComment.objects.get()
    assert comment.author is None and comment.text == "I am [removed] and the path floods"
    person = get_user_model().objects.get(pk=resident.pk)
    assert not person.is_active and not person.has_usable_password()
    assert not Membership.objects.filter(user=person).exists()
    event = PrivacyEvent.objects.get(kind="erasure")
    assert event.subject_id == resident.pk and event.by == team.admin
    # Irreversible: the person is gone from the list and the page no longer exists for them.
    again = client_for(team.admin).get(reverse("assessments:privacy-erase", args=[resident.pk]))
    assert again.status_code == 404


def test_an_officer_keeps_their_name_on_official_decisions_only(team, client_for):
    assessment = f.start(f.make_team_project(team), by=team.pm)
    StatusChange.objects.create(
        assessment=assessment,
        event="sign_off",
        from_status="approved",
        to_status="signed_off",
        by=team.reviewer,
    )
    f.make_sign_ins("reviewer.a")
    page = client_for(team.admin).get(reverse("assessments:privacy-erase", args=[team.reviewer.pk]))
    assert "their name stays" in page.text and "1 workflow decisions" in page.text
    client_for(team.admin).post(
        reverse("assessments:privacy-erase", args=[team.reviewer.pk]), {"confirm": "on"}
    )
    officer = get_user_model().objects.get(pk=team.reviewer.pk)
    assert officer.get_full_name() == "Reviewer Tester"
    assert officer.email == "" and officer.username == f"erased-{officer.pk}"
    assert StatusChange.objects.get(event="sign_off").by == officer
    assert _text_hits("reviewer.a") == []


@pytest.mark.parametrize("who", ["other_admin", "pm", "reviewer", "panel", "pmo"])
def test_only_the_persons_council_administrators_may_erase(team, client_for, resident, who):
    url = reverse("assessments:privacy-erase", args=[resident.pk])
    client = client_for(getattr(team, who))
    assert client.get(url).status_code == 404
    assert client.post(url, {"confirm": "on"}).status_code == 404
    assert get_user_model().objects.get(pk=resident.pk).last_name == "Threepwood"


def test_an_administrator_of_only_one_of_the_persons_councils_may_not_erase(
    team, client_for, resident
):
    Membership.objects.create(user=resident, council=team.other_council, role=Role.PANEL_MEMBER)
    url = reverse("assessments:privacy-erase", args=[resident.pk])
    assert client_for(team.admin).get(url).status_code == 404
    assert client_for(team.sysadmin).get(url).status_code == 200


def test_nobody_erases_themselves(team, client_for):
    url = reverse("assessments:privacy-erase", args=[team.admin.pk])
    assert client_for(team.admin).get(url).status_code == 404
    assert ContentType.objects.exists()
