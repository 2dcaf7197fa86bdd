"""The community summary, in PDF and in Word, carries the project team's public summary once a
public health reviewer has approved it, and nothing of it before."""

import io

import pytest
from django.urls import reverse
from django.utils import timezone
from docx import Document
from pypdf import PdfReader

from assessments.enums import Role
from assessments.models import PublicSummary
from tests import factories as f
from tests.reports import pdfua

APPROVED = (
    "We are building 200 homes by the river.\n\n"
    "Building work will be noisy for two years. We will stop work at 6pm\nand on Sundays."
)


@pytest.fixture
def people(glasgow):
    pm = f.make_user("pm.summary", council=glasgow, role=Role.PROJECT_MANAGER)
    reviewer = f.make_user("reviewer.summary", council=glasgow, role=Role.REVIEWER)
    return pm, reviewer


@pytest.fixture
def stage(people):
    pm, _ = people
    project = f.make_report_project(pm=pm, council=pm.memberships.get().council, reference="PS-1")
    return f.fill_answers(f.start(project, "STRATEGIC", by=pm), by=pm)


def _summary(stage, pm, reviewer, *, approved: bool) -> None:
    now = timezone.now()
    PublicSummary.objects.create(
        assessment=stage,
        text=APPROVED,
        written_by=pm,
        written_at=now,
        approved_by=reviewer if approved else None,
        approved_at=now if approved else None,
    )


def _pdf_text(client, stage) -> tuple[bytes, str]:
    response = client.get(reverse("assessments:community-summary-pdf", args=[stage.pk]))
    assert response.status_code == 200
    data = b"".join(response.streaming_content) if response.streaming else response.content
    text = "\n".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(data)).pages)
    return data, " ".join(text.split())


def _word_text(client, stage) -> str:
    response = client.get(reverse("assessments:community-summary-docx", args=[stage.pk]))
    assert response.status_code == 200
    doc = Document(io.BytesIO(response.content))
    return " ".join(" ".join(p.text for p in doc.paragraphs).split())


def test_the_approved_public_summary_is_in_the_pdf_and_the_word_twin(stage, people, client_for):
    pm, reviewer = people
    _summary(stage, pm, reviewer, approved=True)
    client = client_for(pm)
    data, text = _pdf_text(client, stage)
    assert "In short" in text
    assert "We are building 200 homes by the river." in text
    assert "We will stop work at 6pm and on Sundays." in text
    pdfua.assert_pdf_ua(data)
    word = _word_text(client, stage)
    assert "In short" in word and "We will stop work at 6pm and on Sundays." in word


def test_a_summary_not_yet_approved_is_left_out(stage, people, client_for):
    pm, reviewer = people
    _summary(stage, pm, reviewer, approved=False)
    client = client_for(pm)
    _, text = _pdf_text(client, stage)
    assert "In short" not in text and "200 homes by the river" not in text
    word = _word_text(client, stage)
    assert "In short" not in word and "200 homes by the river" not in word
