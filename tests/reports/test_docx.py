"""Word versions of the stage report and the community summary, opened with python-docx and
checked as a reader (or a screen reader, or an officer pasting into a committee paper) meets
them: heading styles, tables with repeated header rows, charts with alternative text, document
title and language, the PDF's own content, and hostile text kept as literal text."""

from __future__ import annotations

import html
import io
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from docx import Document
from docx.oxml.ns import qn

from assessments.enums import Role
from assessments.models import ArchivedReport, CapitalProject, ReportKind
from assessments.reports import docx as word
from tests import factories as f
from tests.test_hostile_input import MARKUP, UNICODE


@pytest.fixture
def pm(glasgow):
    return f.make_user("pm.word", council=glasgow, role=Role.PROJECT_MANAGER)


@pytest.fixture
def stage(pm):
    project = f.make_report_project(pm=pm, council=pm.memberships.get().council, reference="GCC-W")
    return f.fill_answers(f.start(project, "STRATEGIC", by=pm), by=pm)


def open_docx(response):
    assert response.status_code == 200
    assert response["Content-Type"] == word.MIME_TYPE
    return Document(io.BytesIO(response.content))


def headings(doc) -> list[tuple[int, str]]:
    return [
        (int(p.style.name.split()[-1]), p.text)
        for p in doc.paragraphs
        if re.fullmatch(r"Heading \d", p.style.name)
    ]


def all_text(doc) -> str:
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_the_stage_report_in_word_has_the_pdfs_structure_and_content(stage, pm, client_for):
    client = client_for(pm)
    response = client.get(reverse("assessments:stage-report-docx", args=[stage.pk]))
    doc = open_docx(response)
    assert response["Content-Disposition"].startswith(
        'attachment; filename="GCC-W-STRATEGIC-stage-report-'
    )
    assert response["Content-Disposition"].endswith('.docx"')

    props = doc.core_properties
    assert props.title.endswith(stage.project.title) and props.language == "en-GB"
    default_lang = doc.styles.element.find(qn("w:docDefaults")).find(".//" + qn("w:lang"))
    assert default_lang.get(qn("w:val")) == "en-GB"

    found = headings(doc)
    assert found[0] == (1, stage.project.title)
    level_two = [text for level, text in found if level == 2]
    assert level_two == [
        "Summary",
        "The project and its place",
        "Place before and after",
        "Who took part",
        "Population groups considered and affected",
        "Heat map and benefit and harm chart",
        "Findings by determinant",
        "Flags and decisions",
        "Action plan and monitoring",
        "Community panel comments",
        "Sign-offs and versions",
        "Data sources and attributions",
    ]
    assert sum(1 for level, text in found if level == 3 and re.match(r"D\d\d ", text)) == 12

    # Every table: a bold header row that Word repeats on each page, and a caption.
    assert len(doc.tables) >= 5
    for table in doc.tables:
        header = table.rows[0]
        assert header._tr.trPr.find(qn("w:tblHeader")) is not None
        assert all(run.bold for cell in header.cells for run in cell.paragraphs[0].runs)
        assert table._tbl.tblPr.find(qn("w:tblCaption")).get(qn("w:val"))
    findings = next(t for t in doc.tables if t.rows[0].cells[0].text == "Determinant")
    assert len(findings.rows) == 13

    # The charts are pictures with their alternative text and title.
    pictures = [shape._inline.docPr for shape in doc.inline_shapes]
    assert len(pictures) >= 2
    assert any(p.get("title").startswith("Heat map") for p in pictures)
    assert all(len(p.get("descr")) > 40 for p in pictures)

    # The same words as the PDF: every heading appears in the PDF's own template, rendered as
    # its web preview (the PDF itself takes seconds to lay out; test_reports checks that one).
    preview = client.get(reverse("assessments:stage-report-preview", args=[stage.pk]))
    pdf_text = squash(html.unescape(re.sub(r"<[^>]+>", "", preview.content.decode())))
    for _, text in found:
        assert squash(text) in pdf_text, text
    text = all_text(doc)
    for answer in stage.answers.exclude(pathway="")[:5]:
        assert answer.pathway in text


def test_the_community_summary_in_word_follows_the_pdfs_rule(stage, pm, client_for, glasgow):
    doc = open_docx(
        client_for(pm).get(reverse("assessments:community-summary-docx", args=[stage.pk]))
    )
    assert [text for level, text in headings(doc) if level == 2] == [
        "What is being planned",
        "What we found",
        "Who could be affected most",
        "What the community panel said",
        "What happens next",
        "Data sources and attributions",
    ]
    assert doc.core_properties.title.startswith("What we found:")
    # A draft is never shown to the panel, in Word as in PDF.
    panel = f.make_user("panel.word", council=glasgow, role=Role.PANEL_MEMBER)
    url = reverse("assessments:community-summary-docx", args=[stage.pk])
    assert client_for(panel).get(url).status_code == 404


def test_a_signed_off_stage_in_word_is_the_published_record(stage, pm, client_for):
    f.sign_off(stage)
    client = client_for(pm)
    # The published PDF as archive.py stores it (its bytes do not matter here, its record does).
    published = ArchivedReport.objects.create(
        assessment=stage,
        kind=ReportKind.STAGE,
        pdf=b"%PDF-1.7 test",
        sha256="0" * 64,
        size=13,
        generated_at=timezone.now() - timedelta(days=3),
        filename="GCC-W-STRATEGIC-stage-report-2026-01-05.pdf",
    )
    title = stage.project.title
    CapitalProject.objects.filter(pk=stage.project_id).update(title="Renamed after sign-off")

    response = client.get(reverse("assessments:stage-report-docx", args=[stage.pk]))
    doc = open_docx(response)
    assert published.filename.removesuffix(".pdf") + ".docx" in response["Content-Disposition"]
    text = all_text(doc)
    assert "Renamed after sign-off" not in text and headings(doc)[0] == (1, title)
    assert "signed-off record" in text and "Draft." not in text
    assert word.when(published.generated_at, "j F Y, H:i") in text
    assert ArchivedReport.objects.count() == 1


def test_hostile_text_comes_out_as_literal_text(pm, client_for):
    project = f.make_report_project(
        pm=pm,
        council=pm.memberships.get().council,
        reference="GCC-HOSTILE",
        title=MARKUP[:200],
        description=f"{MARKUP}\n{UNICODE}\nvertical\x0btab",
    )
    assessment = f.fill_answers(
        f.start(project, "STRATEGIC", by=pm), by=pm, overrides={"pathway": MARKUP}, limit=3
    )
    client = client_for(pm)
    for name in ("stage-report-docx", "community-summary-docx"):
        doc = open_docx(client.get(reverse(f"assessments:{name}", args=[assessment.pk])))
        text = all_text(doc)
        assert headings(doc)[0] == (1, MARKUP[:200])
        assert MARKUP in text and UNICODE in text and "verticaltab" in text
        assert doc.core_properties.title.count("<script>") == 1
