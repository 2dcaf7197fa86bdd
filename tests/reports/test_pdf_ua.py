"""PDF/UA checks on every report, and stitched project reports against reports rendered whole.

Rendering is the slow part: one module-scoped project (a signed-off stage and a live one) is
rendered once in each form and every test reads those documents."""

import io
import re

import pikepdf
import pytest
from django.db import transaction
from pypdf import PdfReader

from assessments.dataops.reference_data import load_reference_data
from assessments.enums import Role
from assessments.models import ArchivedReport, Council, ReportChapter, ReportKind
from assessments.reports import furniture, pdf, project_report, stitch, tagging, tasks
from tests import factories as f
from tests.reports import pdfua

pytestmark = pytest.mark.django_db


class Rollback(Exception):
    pass


@pytest.fixture(scope="module")
def documents(django_db_setup, django_db_blocker):
    """Rendered once for the module, in a transaction rolled back afterwards."""
    found = {}
    with django_db_blocker.unblock():
        try:
            with transaction.atomic():
                # A transactional test run earlier in this process may have flushed it.
                if not Council.objects.exists():
                    load_reference_data()
                glasgow = Council.objects.get(code="S12000049")
                pm = f.make_user("pm.pdfua", council=glasgow, role=Role.PROJECT_MANAGER)
                project = f.make_report_project(
                    pm=pm, council=glasgow, reference="GCC-UA-1", stage="SBC"
                )
                signed = f.sign_off(f.fill_answers(f.start(project, "STRATEGIC", by=pm), by=pm))
                f.fill_answers(f.start(project, "SBC", by=pm), by=pm)
                # What sign-off queues: the published copies and the project report chapter.
                tasks.archive_signed_off_stage.call(signed.pk)
                found["chapter stored at sign-off"] = ReportChapter.objects.filter(
                    assessment=signed
                ).exists()
                for kind in (ReportKind.STAGE, ReportKind.COMMUNITY):
                    found[kind] = bytes(
                        ArchivedReport.objects.get(assessment=signed, kind=kind).pdf
                    )
                report = project_report.build_project_report(project)
                found["whole"] = pdf.render_pdf(
                    "reports/project.html", project_report.project_template_context(report)
                )
                found["stitched"] = stitch.render_stitched(report).pdf
                found["report"] = report
                signed_chapter = stitch.chapter_part(report, report.stages[0], signed.pk)
                found["signed chapter"] = signed_chapter
                found["live chapter stored"] = ReportChapter.objects.filter(
                    assessment_id=report.assessment_ids[1]
                ).exists()
                _, key = stitch.chapter_source(report, report.stages[0])
                report.project.title = "A renamed scheme"
                _, renamed_key = stitch.chapter_source(report, report.stages[0])
                found["keys"] = (key, renamed_key, ReportChapter.objects.get(assessment=signed))
                raise Rollback
        except Rollback:
            pass
    return found


@pytest.mark.parametrize(
    "name", [ReportKind.STAGE, ReportKind.COMMUNITY, "whole", "stitched"], ids=str
)
def test_every_report_passes_the_pdf_ua_checks(documents, name):
    pdfua.assert_pdf_ua(documents[name])


def test_the_checks_find_what_weasyprint_leaves_and_finishing_fixes_it():
    # A table longer than a page, a running footer, and column and row headers: as WeasyPrint
    # writes it, the table is two Table elements (the second with no caption), the footer is
    # tagged content outside the tree, and no TH has a scope.
    from weasyprint import CSS, HTML

    rows = "".join(f"<tr><th scope='row'>Row {i}</th><td>{i}</td></tr>" for i in range(90))
    html = (
        "<html lang='en'><head><title>T</title></head><body><h1>Title</h1><table>"
        "<caption>Long</caption><thead><tr><th scope='col'>Name</th><th scope='col'>N</th></tr>"
        f"</thead><tbody>{rows}</tbody></table></body></html>"
    )
    css = CSS(string="@page { @bottom-right { content: 'Page ' counter(page); } }")
    document = HTML(string=html).render(stylesheets=[css], pdf_variant="pdf/ua-1", pdf_tags=True)
    raw = document.write_pdf(pdf_variant="pdf/ua-1", pdf_tags=True)
    found = " ".join(pdfua.problems(raw))
    assert "TH without /Scope" in found
    assert "outside the structure tree" in found
    assert "does not start with its Caption" in found
    assert len(document.pages) >= 2

    finished = tagging.finish(raw, tagging.split_chains(document))

    assert pdfua.problems(finished) == []
    types = pdfua.element_types(finished)
    assert types.count("/Table") == 1 and types.count("/THead") == 1 and types.count("/TBody") == 1
    assert types.count("/TR") == 91  # the header row once, not once per page
    with pikepdf.open(io.BytesIO(finished)) as doc:
        scopes = [str(e.A.Scope) for e in pdfua.elements(doc) if e.S == "/TH"]
    assert scopes == ["/Column", "/Column"] + ["/Row"] * 90


def _pages(data: bytes) -> list[list[str]]:
    return [
        sorted((p.extract_text() or "").splitlines()) for p in PdfReader(io.BytesIO(data)).pages
    ]


def _outline(data: bytes) -> list[tuple[int, str, int]]:
    """(depth, title, page index) of every bookmark, in order."""
    found = []
    with pikepdf.open(io.BytesIO(data)) as doc:
        index = {page.objgen: i for i, page in enumerate(doc.pages)}

        def walk(items, depth):
            for item in items:
                found.append((depth, item.title, index[item.destination[0].objgen]))
                walk(item.children, depth + 1)

        with doc.open_outline() as outline:
            walk(outline.root, 0)
    return found


def _links(data: bytes) -> list[list[tuple[str, int]]]:
    """Per page, each internal link's target name and the page that name leads to."""
    pages = []
    with pikepdf.open(io.BytesIO(data)) as doc:
        index = {page.objgen: i for i, page in enumerate(doc.pages)}
        dests = dict(pikepdf.NameTree(doc.Root.Names.Dests).items())
        for page in doc.pages:
            pages.append(
                [
                    (str(a.Dest), index[dests[str(a.Dest)][0].objgen])
                    for a in page.obj.get("/Annots", [])
                    if "/Dest" in a
                ]
            )
    return pages


def test_stitched_report_says_what_the_whole_report_says(documents):
    whole, stitched = documents["whole"], documents["stitched"]
    # Text: the same lines on every page. Only their order within a page differs: the running
    # heads are drawn first in a stitched page (laid under it) and last in a whole one.
    assert _pages(stitched) == _pages(whole)
    assert pdfua.element_types(stitched) == pdfua.element_types(whole)
    assert _outline(stitched) == _outline(whole)
    assert _links(stitched) == _links(whole)
    pages = _pages(stitched)
    assert all(f"Page {n} of {len(pages)}" in " ".join(p) for n, p in enumerate(pages, 1))
    with pikepdf.open(io.BytesIO(stitched)) as doc, pikepdf.open(io.BytesIO(whole)) as ref:
        assert str(doc.Root.Lang) == str(ref.Root.Lang) == "en-GB"
        assert str(doc.docinfo["/Title"]) == str(ref.docinfo["/Title"])
        assert "pdfuaid" in doc.Root.Metadata.read_bytes().decode()
        parent_tree = pikepdf.NumberTree(doc.Root.StructTreeRoot.ParentTree)
        for page in doc.pages:  # every element points at the page that shows it
            for element in parent_tree[int(page.obj.StructParents)]:
                if isinstance(element, pikepdf.Dictionary):
                    assert element.Pg.objgen == page.obj.objgen


def test_contents_page_numbers_lead_to_their_chapters(documents):
    stitched = documents["stitched"]
    contents = " ".join(_pages(stitched)[0])
    for name, page in _links(stitched)[0]:
        if name.endswith("-summary"):
            assert re.search(rf"Summary · page {page + 1}\b", contents)


def test_signed_off_chapter_is_stored_at_sign_off_and_reused_until_what_it_shows_changes(
    documents,
):
    assert documents["chapter stored at sign-off"]
    # The project report takes the signed-off stage's chapter from the store; a live stage's
    # chapter changes with every answer, so it is laid out each time and never kept.
    assert documents["signed chapter"].stored
    assert not documents["live chapter stored"]
    key, renamed_key, stored = documents["keys"]
    assert stored.source_sha256 == key
    # A renamed project is printed in the chapter, so the stored one no longer matches.
    assert renamed_key != key


def test_running_heads_laid_out_page_by_page_when_the_samples_do_not_fit(documents):
    # The fallback for a renderer whose sample pages the fast path does not recognise.
    with pikepdf.open(io.BytesIO(documents["signed chapter"].pdf)) as out:
        furniture.lay_rendered(out, documents["report"], [False] * len(out.pages))
        buffer = io.BytesIO()
        out.save(buffer)
    pages = [" ".join(lines) for lines in _pages(buffer.getvalue())]
    assert all(f"Page {n} of {len(pages)}" in page for n, page in enumerate(pages, 1))
    assert "CHIIA – Glasgow City Region health inequalities impact assessment" in pages[-1]
    # A chapter alone has no H1; what matters here is that the heads stay artifacts.
    assert not [p for p in pdfua.problems(buffer.getvalue()) if "structure tree" in p]
