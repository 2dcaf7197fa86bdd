"""The question bank pages through the real routes: who may open them, what they show, and
that bad input is refused by the field with nothing changed."""

import pytest
from django.urls import reverse

from assessments.enums import AssessmentStatus, Role
from assessments.models import Answer, BankStatus, QuestionBank, StageAssessment
from assessments.questionbank import drafting
from tests.factories import (
    force_status,
    make_bank_version,
    make_methodology_owner,
    make_team_project,
    make_user,
    start,
)

pytestmark = pytest.mark.django_db

NEW_WORDING = (
    "Could the scheme push up what households nearby pay to live there, such as rents, fares, "
    "parking, service charges or energy bills?"
)


@pytest.fixture
def owner(reference):
    return make_methodology_owner()


@pytest.fixture
def draft(owner):
    return make_bank_version(owner, reword={"D01-E-2": NEW_WORDING}, publish=False)


def owner_pages(draft):
    question = draft.questions.get(code="D01-E-2")
    return [
        reverse("assessments:questionbank-list"),
        reverse("assessments:questionbank-detail", args=[draft.pk]),
        reverse("assessments:questionbank-compare", args=[draft.pk]),
        reverse("assessments:questionbank-preview", args=[draft.pk, "SBC", "D01"]),
        reverse("assessments:questionbank-publish", args=[draft.pk]),
        reverse("assessments:questionbank-question-add", args=[draft.pk]),
        reverse("assessments:questionbank-question-edit", args=[draft.pk, question.pk]),
        reverse("assessments:questionbank-reorder", args=[draft.pk, "D01", "E"]),
    ]


def test_a_methodology_owner_opens_every_drafting_page(client, owner, draft):
    client.force_login(owner)
    for url in owner_pages(draft):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("role", [r for r in Role if r != Role.METHODOLOGY_OWNER] + ["superuser"])
def test_nobody_else_drafts_previews_compares_or_publishes(client, draft, glasgow, role):
    if role == "superuser":
        user = make_user("root.x", is_staff=True, is_superuser=True)
    else:
        user = make_user(council=None if role == Role.PMO_VIEWER else glasgow, role=role)
    client.force_login(user)
    for url in owner_pages(draft):
        assert client.get(url).status_code == 403, url
    publish = reverse("assessments:questionbank-publish", args=[draft.pk])
    assert client.post(publish, {"notes": "x", "confirm": "on"}).status_code == 403
    assert client.post(reverse("assessments:questionbank-draft-start")).status_code == 403
    draft.refresh_from_db()
    assert draft.is_draft


def test_the_comparison_shows_the_rewording_side_by_side(client, owner, draft):
    client.force_login(owner)
    page = client.get(reverse("assessments:questionbank-compare", args=[draft.pk])).content.decode()
    assert "D01-E-2</span>: Reworded" in page
    assert f"<ins>{NEW_WORDING}</ins>" in page
    assert "Could household costs for people already living nearby go up" in page


def test_the_preview_shows_the_real_question_cards_and_saves_nothing(client, owner, draft):
    client.force_login(owner)
    before = (StageAssessment.objects.count(), Answer.objects.count())
    url = reverse("assessments:questionbank-preview", args=[draft.pk, "SBC", "D01"])
    page = client.get(url).content.decode()
    assert '<fieldset disabled class="qbank-preview"' in page
    assert NEW_WORDING in page
    assert "Impact on health" in page  # the answering form's own fields
    assert "Population groups affected" in page
    assert (StageAssessment.objects.count(), Answer.objects.count()) == before


def test_a_bad_edit_is_refused_by_the_field_and_nothing_changes(client, owner, draft):
    client.force_login(owner)
    question = draft.questions.get(code="D01-E-2")
    url = reverse("assessments:questionbank-question-edit", args=[draft.pk, question.pk])
    response = client.post(url, {"text": "", "guidance": "Some guidance"})
    assert response.status_code == 400
    assert 'href="#id_text">Question: Enter the question.' in response.content.decode()
    question.refresh_from_db()
    assert question.text == NEW_WORDING


def test_a_published_version_cannot_be_edited_through_its_pages(client, owner):
    client.force_login(owner)
    v1 = QuestionBank.objects.get(version="1")
    question = v1.questions.get(code="D01-E-2")
    url = reverse("assessments:questionbank-question-edit", args=[v1.pk, question.pk])
    assert client.post(url, {"text": "Changed", "guidance": "G"}).status_code == 403
    retire = reverse("assessments:questionbank-question-retire", args=[v1.pk, question.pk])
    assert client.post(retire).status_code == 403
    assert v1.questions.filter(code="D01-E-2", text=question.text).exists()


def test_publishing_needs_notes_and_a_confirmation(client, owner, draft):
    client.force_login(owner)
    url = reverse("assessments:questionbank-publish", args=[draft.pk])
    refused = client.post(url, {"notes": ""})
    assert refused.status_code == 400
    assert "Say what changed in this version." in refused.content.decode()
    assert "Tick the box to confirm" in refused.content.decode()
    draft.refresh_from_db()
    assert draft.is_draft
    client.post(url, {"notes": "D01-E-2 reworded", "confirm": "on"})
    draft.refresh_from_db()
    assert (draft.status, draft.published_by) == (BankStatus.PUBLISHED, owner)


@pytest.fixture
def moved_setup(team, owner):
    assessment = start(make_team_project(team), by=team.pm)
    v2 = make_bank_version(owner, reword={"D01-E-2": NEW_WORDING})
    return assessment, v2


def test_the_project_manager_sees_what_the_move_does_then_moves(client, team, moved_setup):
    assessment, v2 = moved_setup
    client.force_login(team.pm)
    detail = client.get(assessment.get_absolute_url()).content.decode()
    assert "Question bank version 2 has been published" in detail
    url = reverse("assessments:questionbank-move", args=[assessment.pk])
    page = client.get(url).content.decode()
    assert "Reworded: your answers stay, for you to confirm" in page and NEW_WORDING in page
    data = {"from_bank": assessment.question_bank_id, "to_bank": v2.pk}
    moved = client.post(url, data, follow=True).content.decode()
    assert "Moved onto the new question bank version." in moved
    assert "Reworded questions: check your answers" in moved
    # The same form sent again (a double click, a back button) changes nothing more.
    again = client.post(url, data, follow=True).content.decode()
    assert "had already moved; nothing more was changed" in again
    assessment.refresh_from_db()
    assert assessment.question_bank == v2
    assert assessment.status_changes.filter(event="move_question_bank").count() == 1
    detail = client.get(assessment.get_absolute_url()).content.decode()
    assert "1 answer to reworded questions to check" in detail
    assert "has been published" not in detail  # now on the newest version
    section = client.get(reverse("assessments:section-edit", args=[assessment.pk, "D01"]))
    flagged = section.content.decode()
    assert "This question was reworded after you answered it." in flagged
    assert flagged.count('class="alert alert-warning small reworded-flag"') == 1


@pytest.mark.parametrize("who, status", [("other_pm", 404), ("reviewer", 403), ("sro", 403)])
def test_only_the_project_team_moves_an_assessment(client, team, moved_setup, who, status):
    assessment, v2 = moved_setup
    client.force_login(getattr(team, who))
    url = reverse("assessments:questionbank-move", args=[assessment.pk])
    assert client.get(url).status_code == status
    data = {"from_bank": assessment.question_bank_id, "to_bank": v2.pk}
    assert client.post(url, data).status_code == status
    assessment.refresh_from_db()
    assert assessment.question_bank.version == "1"


def test_a_signed_off_stage_offers_no_move(client, team, moved_setup):
    assessment, v2 = moved_setup
    force_status(assessment, AssessmentStatus.SIGNED_OFF)
    client.force_login(team.pm)
    url = reverse("assessments:questionbank-move", args=[assessment.pk])
    assert client.get(url).status_code == 403
    assert "has been published" not in client.get(assessment.get_absolute_url()).content.decode()


def test_drafts_are_never_offered_to_project_managers(client, team, owner):
    assessment = start(make_team_project(team), by=team.pm)
    drafting.start_draft(owner)
    client.force_login(team.pm)
    page = client.get(reverse("assessments:questionbank-move", args=[assessment.pk]))
    assert "This is the newest published version" in page.content.decode()
