"""Outcome indicators with their charts in the project report, the stage report and the Word
versions: each indicator's baseline, target and latest measurement in a table, its chart as a
figure with a text alternative, and the PDFs still PDF/UA."""

import datetime
import io
import re

import pikepdf
import pytest
from django.urls import reverse
from docx import Document
from pypdf import PdfReader

from assessments.enums import AssessmentStatus, Role
from assessments.reports import project_report, stitch
from tests import factories as f
from tests.reports import pdfua

pytestmark = pytest.mark.django_db

NAME = "Construction jobs filled by residents of SIMD quintile 1 zones"


def _text(data: bytes) -> str:
    pages = PdfReader(io.BytesIO(data)).pages
    return re.sub(r"\s+", " ", " ".join(page.extract_text() or "" for page in pages))


def _figure_alts(data: bytes) -> list[str]:
    with pikepdf.open(io.BytesIO(data)) as pdf:
        return [str(e.get("/Alt", "")) for e in pdfua.elements(pdf) if str(e.S) == "/Figure"]


@pytest.fixture
def pm(glasgow):
    return f.make_user("pm.indicators", council=glasgow, role=Role.PROJECT_MANAGER)


@pytest.fixture
def measured(pm):
    project = f.make_report_project(pm=pm, council=pm.memberships.get().council, reference="GCC-I")
    assessment = f.fill_answers(f.start(project, "STRATEGIC", by=pm), by=pm, limit=8)
    indicator = f.make_indicator(project)
    f.make_measurement(indicator, datetime.date(2025, 3, 31), 18)
    f.make_measurement(indicator, datetime.date(2026, 3, 31), 22)
    f.make_indicator(project, name="Retired measure", active=False)
    return assessment


def test_the_project_report_has_each_indicator_with_its_table_and_chart(measured):
    report = project_report.build_project_report(measured.project)
    data = stitch.render_stitched(report).pdf
    text = _text(data)
    assert "Outcome indicators" in text
    assert NAME in text
    assert "10% (1 January 2024)" in text and "30% (1 January 2028)" in text
    assert "Measured 31 March 2026 22%" in text
    assert "Retired measure" not in text
    assert any(alt.startswith(f"Line chart of {NAME}") for alt in _figure_alts(data))
    pdfua.assert_pdf_ua(data)


def test_the_project_reports_contents_lead_to_the_indicators(measured):
    report = project_report.build_project_report(measured.project)
    entries = {e.anchor: e for e in project_report.contents(report)}
    assert [c.title for c in entries["outcomes"].children] == [NAME]


def test_a_project_without_indicators_says_so(pm):
    project = f.make_report_project(pm=pm, council=pm.memberships.get().council, reference="GCC-N")
    f.start(project, "STRATEGIC", by=pm)
    data = stitch.render_stitched(project_report.build_project_report(project)).pdf
    assert "No outcome indicators have been set for this project yet." in _text(data)


def test_the_stage_report_shows_each_indicators_chart_beside_its_table(measured, client_for, pm):
    data = client_for(pm).get(reverse("assessments:stage-report-pdf", args=[measured.pk])).content
    text = _text(data)
    assert "Outcome indicators and their measurements" in text
    assert f"{NAME}: baseline, planned line to target and measurements." in text
    assert "latest 22" in text  # the chart's words, printed as its caption
    assert any(alt.startswith(f"Line chart of {NAME}") for alt in _figure_alts(data))
    pdfua.assert_pdf_ua(data)


def _docx(client, name, pk) -> Document:
    response = client.get(reverse(f"assessments:{name}", args=[pk]))
    assert response.status_code == 200
    return Document(io.BytesIO(response.content))


def _alts(doc) -> list[str]:
    return [shape._inline.docPr.get("descr") for shape in doc.inline_shapes]


def test_the_stage_report_in_word_has_the_indicator_table_and_chart(measured, client_for, pm):
    doc = _docx(client_for(pm), "stage-report-docx", measured.pk)
    captions = [p.text for p in doc.paragraphs if p.style.name == "Caption"]
    assert "Outcome indicators and their measurements" in captions
    table = next(
        t for t in doc.tables if t.rows[0].cells[0].text == "Indicator" and len(t.columns) == 5
    )
    row = [c.text for c in table.rows[1].cells]
    assert row[0].startswith(NAME)
    assert row[1] == "10% (1 January 2024)" and row[2] == "30% (1 January 2028)"
    assert row[3] == "31 March 2025: 18%; 31 March 2026: 22%"
    assert any(alt.startswith(f"Line chart of {NAME}") for alt in _alts(doc))


def test_the_community_summary_in_word_says_what_was_promised_with_the_chart(
    measured, client_for, pm
):
    doc = _docx(client_for(pm), "community-summary-docx", measured.pk)
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "What was promised, and what has happened so far" in text
    assert "By March 2026, it was 22%" in text
    assert any(alt.startswith(f"Line chart of {NAME}") for alt in _alts(doc))


def test_a_signed_off_stage_in_word_shows_the_figures_as_they_stood_at_sign_off(pm, client_for):
    project = f.make_report_project(pm=pm, council=pm.memberships.get().council, reference="GCC-S")
    assessment = f.fill_answers(f.start(project, "STRATEGIC", by=pm), by=pm, limit=8)
    indicator = f.make_indicator(project)
    f.make_measurement(indicator, datetime.date(2025, 3, 31), 18)
    f.sign_off(assessment)
    signed = datetime.datetime(2025, 6, 2, 12, tzinfo=datetime.UTC)
    assessment.history.filter(status=AssessmentStatus.SIGNED_OFF).update(history_date=signed)
    f.make_measurement(indicator, datetime.date(2025, 12, 31), 29)  # after sign-off

    doc = _docx(client_for(pm), "stage-report-docx", assessment.pk)
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    assert "31 March 2025: 18%" in cells
    assert not any("29%" in c for c in cells)
    assert any("1 measurement, from 31 March 2025" in p.text for p in doc.paragraphs)
