"""A council administrator downloads everything CHIIA holds about one person, as JSON and PDF:
all of that person's records and none of anyone else's; each file is recorded."""

import io
import json

import pytest
from django.urls import reverse
from pypdf import PdfReader

from assessments.enums import Role
from assessments.models import (
    CommentReply,
    DownloadRecord,
    Membership,
    PrivacyEvent,
    ReviewVerdict,
    StatusChange,
)
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def consultation(team):
    resident = f.make_user(
        "morag.t",
        first_name="Morag",
        last_name="Threepwood",
        email="morag@example.net",
        council=team.council,
        role=Role.PANEL_MEMBER,
    )
    neighbour = f.make_user(
        "angus.f",
        first_name="Angus",
        last_name="Fairbairn",
        email="angus@example.net",
        council=team.council,
        role=Role.PANEL_MEMBER,
    )
    assessment = f.start(f.make_team_project(team), by=team.pm)
    mine = f.make_panel_comment(assessment, resident, "The bus stop moves too far away")
    f.make_panel_comment(assessment, neighbour, "Angus thinks the park is too small")
    CommentReply.objects.create(comment=mine, text="We will keep the stop", by=team.pm)
    f.make_sign_ins("morag.t", address="198.51.100.23")
    f.make_sign_ins("angus.f", address="198.51.100.99")
    f.make_email_task("morag@example.net", "[CHIIA] Consultation open", "Dear panel member")
    f.make_email_task("angus@example.net", "[CHIIA] Angus only", "Dear panel member")
    return resident, neighbour, assessment


def _json(client, person):
    response = client.get(reverse("assessments:privacy-access", args=[person.pk, "json"]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    return response.content.decode()


def test_a_panel_members_file_holds_everything_about_them_and_nobody_else(
    team, client_for, consultation
):
    resident, neighbour, _ = consultation
    text = _json(client_for(team.admin), resident)
    data = json.loads(text)
    titles = [section["title"] for section in data["sections"]]
    assert titles[:2] == ["Account", "Roles"]
    for expected in (
        "morag.t",
        "Morag",
        "Threepwood",
        "morag@example.net",
        "Community panel member",
        "The bus stop moves too far away",
        "198.51.100.23",
        "[CHIIA] Consultation open",
    ):
        assert expected in text, expected
    for other in (
        "Angus",
        "Fairbairn",
        "angus",
        "198.51.100.99",
        "park is too small",
        "We will keep the stop",
        "Pm Tester",
        "pm.a",
    ):
        assert other not in text, other


def test_an_officers_file_holds_their_decisions_and_history_and_nobody_elses(team, client_for):
    assessment = f.start(f.make_team_project(team), by=team.pm)
    answer = assessment.answers.first()
    ReviewVerdict.objects.create(
        assessment=assessment,
        answer=answer,
        verdict="improvable",
        comment="Evidence is thin here",
        reviewer=team.reviewer,
    )
    ReviewVerdict.objects.create(
        assessment=assessment,
        answer=answer,
        verdict="acceptable",
        comment="Second opinion from someone else",
        reviewer=team.reviewer2,
    )
    StatusChange.objects.create(
        assessment=assessment,
        event="start_review",
        from_status="submitted",
        to_status="in_review",
        by=team.reviewer,
        note="Starting now",
    )
    answer.notes = "Reviewer's own note"
    answer.updated_by = team.reviewer
    answer._history_user = team.reviewer
    answer.save()

    text = _json(client_for(team.admin), team.reviewer)
    for expected in (
        "reviewer.a",
        "Public health reviewer",
        "Evidence is thin here",
        "Starting now",
        "Reviewer's own note",
        "History entries of your changes",
    ):
        assert expected in text, expected
    data = json.loads(text)
    history = next(s for s in data["sections"] if s["title"].startswith("History"))
    assert history["rows"], "the reviewer's change to the answer is in the history"
    for other in ("Second opinion", "reviewer2", "Pm Tester", "pm.a@"):
        assert other not in text, other


def test_the_pdf_is_readable_and_both_files_are_recorded(team, client_for, consultation):
    resident, _, _ = consultation
    client = client_for(team.admin)
    response = client.get(reverse("assessments:privacy-access", args=[resident.pk, "pdf"]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "The bus stop moves too far away" in text and "Fairbairn" not in text
    _json(client, resident)
    assert PrivacyEvent.objects.filter(kind="subject_access", subject_id=resident.pk).count() == 2
    kinds = set(DownloadRecord.objects.values_list("kind", "user", "council"))
    assert kinds == {
        ("Subject access file (pdf)", team.admin.pk, team.council.pk),
        ("Subject access file (json)", team.admin.pk, team.council.pk),
    }


@pytest.mark.parametrize("who", ["other_admin", "pm", "reviewer", "panel", "pmo"])
def test_nobody_else_gets_the_file(team, client_for, consultation, who):
    resident, _, _ = consultation
    url = reverse("assessments:privacy-access", args=[resident.pk, "json"])
    assert client_for(getattr(team, who)).get(url).status_code == 404
    assert not PrivacyEvent.objects.exists() and not DownloadRecord.objects.exists()


def test_a_system_administrator_handles_people_in_no_council(team, client_for):
    assert (
        client_for(team.admin)
        .get(reverse("assessments:privacy-access", args=[team.pmo.pk, "json"]))
        .status_code
        == 404
    )
    text = _json(client_for(team.sysadmin), team.pmo)
    assert "Regional programme office viewer" in text


def test_the_requests_page_lists_the_councils_people_only(team, client_for, consultation):
    Membership.objects.create(user=team.other_pm, council=team.other_council, role=Role.REVIEWER)
    page = client_for(team.admin).get(reverse("assessments:privacy-requests"), {"q": "morag"})
    assert page.status_code == 200
    assert "Morag Threepwood" in page.text and "Angus" not in page.text
    page = client_for(team.admin).get(reverse("assessments:privacy-requests"))
    assert "otherpm.b" not in page.text
