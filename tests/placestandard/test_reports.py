"""Place before and after in the printed reports: the stage report and the project report carry
the SIMD comparison and the compass (and still pass the PDF/UA checks); the community summary
says it in everyday words."""

import io
import re

import pytest
from pypdf import PdfReader

from assessments.models import ReportKind
from assessments.reports import archive, pdf, project_report
from tests import factories as f
from tests.reports import pdfua

pytestmark = pytest.mark.django_db


def text_of(data: bytes) -> str:
    return " ".join(
        re.sub(r"\s+", " ", page.extract_text() or "") for page in PdfReader(io.BytesIO(data)).pages
    )


@pytest.fixture
def project(glasgow):
    pm = f.make_user("pm.placereport", council=glasgow, role=f.Role.PROJECT_MANAGER)
    project = f.make_report_project(pm=pm, council=glasgow, reference="GCC-PS-1", stage="SBC")
    first = f.start(project, "STRATEGIC", by=pm)
    f.make_place_standard(first, community=2, officers=3, held_on="2023-04-01")
    f.sign_off(first)
    later = f.start(project, "SBC", by=pm)
    f.make_place_standard(later, community=[5] * 13 + [None], officers=4, held_on="2025-04-01")
    return project


def test_the_stage_report_compares_two_points_and_passes_pdf_ua(project):
    later = project.assessments.get(stage__code="SBC")
    data = archive.stage_pdf(later)[0]
    pdfua.assert_pdf_ua(data)
    text = text_of(data)
    assert "Place before and after" in text
    assert "SIMD ranks are relative." in text
    assert "Place Standard compass: community ratings" in text
    assert (
        "Strategic definition, April 2023" in text and "Strategic Business Case, April 2025" in text
    )


def test_an_earlier_stage_report_never_shows_a_later_stages_ratings(project):
    first = project.assessments.get(stage__code="STRATEGIC")
    text = text_of(archive.render(first, ReportKind.STAGE))
    assert "Strategic definition, April 2023" in text
    assert "April 2025" not in text
    assert "no earlier stage has ratings to compare with" in text


def test_the_community_summary_says_what_changed_in_everyday_words(project):
    later = project.assessments.get(stage__code="SBC")
    text = text_of(archive.render(later, ReportKind.COMMUNITY))
    assert "How the place has changed" in text
    assert "They rated these better the second time: moving around" in text


def test_the_project_report_carries_the_compass_and_passes_pdf_ua(project):
    report = project_report.build_project_report(project)
    data = pdf.render_pdf("reports/project.html", project_report.project_template_context(report))
    pdfua.assert_pdf_ua(data)
    assert text_of(data).count("Place Standard compass: officers ratings") == 2


def test_the_word_stage_report_and_summary_carry_place_before_and_after(project):
    from docx import Document

    from assessments.reports import docx

    later = project.assessments.get(stage__code="SBC")

    def words(kind):
        document = Document(io.BytesIO(docx.stage_document(later, kind)[0]))
        paragraphs = [p.text for p in document.paragraphs]
        cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
        return " ".join(paragraphs + cells)

    stage = words(ReportKind.STAGE)
    assert "Place before and after" in stage and "Influence and sense of control" in stage
    summary = words(ReportKind.COMMUNITY)
    assert "They rated these better the second time: moving around" in summary
