"""Project reports assembled from stored chapters: only what changed is laid out again.

WeasyPrint lays out a page in several times Chromium's time, so a hundred-page project report
cannot be fast if every page is laid out on every request. But a signed-off stage never
changes: its chapter is rendered once (at sign-off, by tasks.archive_signed_off_stage) and kept
in ReportChapter. A project report is then built from

- the front matter (cover, contents, stages at a glance), rendered fresh: its contents page is
  given each entry's page number, worked out from the parts' own page counts and anchors;
- each stage's chapter: the stored one when its source still matches, else rendered now;
- the closing part (the outcome indicators as measured today, and the data sources), rendered
  fresh;

stitched with pikepdf into one document: one structure tree (each part's elements under the one
/Document element, parent-tree keys renumbered), one set of named destinations (so contents and
overview links land in the chapters), one bookmark tree, the front matter's title, language and
PDF/UA identification. The parts are rendered without running heads; the heads, "Page X of Y"
footers and the draft mark for the whole are rendered as one page of furniture per page
(furniture.py) and laid under each page as an artifact.

What a stored chapter shows, and so when it is stale: the chapter's HTML covers everything it
prints (the stage's record, and the project's title, reference, description, budget, people
and place, which can change after sign-off). The store is keyed by the SHA-256 of that HTML, the
print stylesheet and the renderer's version, so any change to what it shows or how it is laid
out renders it again; nothing else needs to invalidate it.
"""

from __future__ import annotations

import hashlib
import io
import time
import warnings
from dataclasses import dataclass
from typing import Any

import pikepdf
from django.db import IntegrityError, transaction

from assessments.models import ReportChapter
from assessments.reports import furniture
from assessments.reports import pdf as renderer
from assessments.reports.data import ProjectReport, StageReport
from assessments.reports.project_report import project_template_context

PART_TEMPLATE = "reports/project_part.html"


@dataclass
class Part:
    pdf: bytes
    final: bool  # pages that show no draft mark
    stored: bool = False


# Part of every stored chapter's key: raise it when how a part's PDF is made changes in a way its
# HTML does not show (tagging.py's finishing, the part template's handling), so stored chapters
# are rendered again rather than stitched in an older form.
PART_FORMAT = b"chiia-part-1"


def _layout_version() -> bytes:
    import weasyprint

    stylesheet = renderer.static_path(renderer.PRINT_CSS).read_bytes()
    return stylesheet + weasyprint.__version__.encode() + PART_FORMAT


def _chapter_context(report: ProjectReport, stage: StageReport) -> dict:
    # Only what the chapter shows: not the report's time or the other stages' state.
    return {
        "project": report.project,
        "is_final": stage.is_final,
        "part": "chapter",
        "stage": stage,
    }


def chapter_source(report: ProjectReport, stage: StageReport) -> tuple[str, str]:
    """The chapter's HTML and the key a stored rendering of it must match."""
    html = renderer.render_html(PART_TEMPLATE, _chapter_context(report, stage))
    key = hashlib.sha256(html.encode() + _layout_version()).hexdigest()
    return html, key


def chapter_part(report: ProjectReport, stage: StageReport, assessment_id: int) -> Part:
    html, key = chapter_source(report, stage)
    stored = ReportChapter.objects.filter(assessment_id=assessment_id, source_sha256=key).first()
    if stored is not None:
        return Part(bytes(stored.pdf), stage.is_final, stored=True)
    result = renderer.render_pdf_result(PART_TEMPLATE, {}, html=html)
    if stage.is_final:  # a live stage changes with every answer: keeping it would only churn
        store_chapter(assessment_id, key, result)
    return Part(result.pdf, stage.is_final)


def store_chapter(assessment_id: int, key: str, result: renderer.RenderResult) -> None:
    try:
        with transaction.atomic():
            ReportChapter.objects.update_or_create(
                assessment_id=assessment_id,
                defaults={"source_sha256": key, "pdf": result.pdf, "pages": result.pages},
            )
    except IntegrityError:  # another request stored the same chapter first; theirs will do
        pass


def render_chapter_for(assessment) -> None:
    """Render and store a signed-off stage's chapter (called at sign-off by the archive task)."""
    from assessments.reports import project_report

    report = project_report.build_project_report(assessment.project)
    for stage, assessment_id in zip(report.stages, report.assessment_ids, strict=True):
        if assessment_id == assessment.pk:
            chapter_part(report, stage, assessment_id)


def _dests(pdf: pikepdf.Pdf) -> list[tuple[str, Any]]:
    catalog_names = pdf.Root.get("/Names")
    if catalog_names is None or "/Dests" not in catalog_names:
        return []
    return [(str(name), dest) for name, dest in pikepdf.NameTree(catalog_names.Dests).items()]


def anchor_pages(data: bytes) -> dict[str, int]:
    """Each named destination's page index (0-based) within a part."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        index: dict[tuple[int, int], int] = {p.obj.objgen: i for i, p in enumerate(pdf.pages)}
        return {name: index[dest[0].objgen] for name, dest in _dests(pdf)}


def _page_numbers(layouts: list[tuple[dict[str, int], int]], front_pages: int) -> dict[str, int]:
    """Page number (1-based, in the whole) of every anchor in the parts after the front."""
    numbers: dict[str, int] = {}
    start = front_pages + 1
    for anchors, pages in layouts:
        for name, index in anchors.items():
            numbers.setdefault(name, start + index)
        start += pages
    return numbers


def _front(report: ProjectReport, numbers: dict[str, int]):
    """The front matter, its contents numbered by `numbers`; entries for its own pages (the
    overview) keep the layout's own target-counter. Its links lead to anchors in the other
    parts: placeholder anchors make WeasyPrint keep those links (it drops links to missing
    anchors), and stitching drops the placeholders so the links reach the real destinations."""
    context = {**project_template_context(report, numbers), "part": "front"}
    placeholders: set[str] = set()

    def add_placeholders(document):
        present = {name for page in document.pages for name in page.anchors}
        missing = set(numbers) - present
        document.pages[-1].anchors.update(dict.fromkeys(missing, (0, 0, 0, 0)))
        placeholders.update(missing)

    result = renderer.render_pdf_result(PART_TEMPLATE, context, prepare=add_placeholders)
    return result, placeholders


def front_part(report: ProjectReport, parts: list[Part]) -> tuple[Part, set[str]]:
    """Render the front matter, again if its length differs from the one its page numbers
    assumed."""
    layouts = []
    for part in parts:
        with pikepdf.open(io.BytesIO(part.pdf)) as pdf:
            layouts.append((anchor_pages(part.pdf), len(pdf.pages)))
    guess = _front_pages_seen.get(len(report.stages), 2)
    for _ in range(3):
        result, placeholders = _front(report, _page_numbers(layouts, guess))
        if result.pages == guess:
            break
        guess = result.pages
    _front_pages_seen[len(report.stages)] = result.pages
    return Part(result.pdf, report.is_final), placeholders


# The front matter's length depends on how many stages its contents list, barely on anything
# else: remembering it per process spares the worker most second renders of the front matter.
_front_pages_seen: dict[int, int] = {}


def _foreign(out: pikepdf.Pdf, value):
    """`value` from another PDF, copied into `out` (pikepdf copies only indirect objects, so
    direct arrays and dictionaries are rebuilt around their copied members)."""
    if isinstance(value, pikepdf.Object) and value.is_indirect:
        return out.copy_foreign(value)
    if isinstance(value, pikepdf.Array):
        return pikepdf.Array([_foreign(out, item) for item in value])
    if isinstance(value, pikepdf.Dictionary):
        return pikepdf.Dictionary({key: _foreign(out, item) for key, item in value.items()})
    return value


def _copy_outline(out: pikepdf.Pdf, source: pikepdf.Pdf, into: list) -> None:
    with source.open_outline() as outline:
        for item in outline.root:
            into.append(_foreign_item(out, item))


def _foreign_item(out: pikepdf.Pdf, item) -> pikepdf.OutlineItem:
    destination = item.destination
    if isinstance(destination, pikepdf.Array):
        destination = _foreign(out, destination)
    copy = pikepdf.OutlineItem(item.title, destination)
    copy.is_closed = item.is_closed
    copy.children.extend(_foreign_item(out, child) for child in item.children)
    return copy


def stitch(front: Part, others: list[Part], placeholders: set[str]) -> pikepdf.Pdf:
    """One tagged PDF from the parts; see the module docstring."""
    out = pikepdf.open(io.BytesIO(front.pdf))
    root = out.Root.StructTreeRoot
    document = root.K[0] if isinstance(root.K, pikepdf.Array) else root.K
    kids = list(document.K) if isinstance(document.K, pikepdf.Array) else [document.K]
    nums: list[Any] = list(root.ParentTree.Nums)
    dests = {name: dest for name, dest in _dests(out) if name not in placeholders}
    outline_tail: list = []
    for part in others:
        source = pikepdf.open(io.BytesIO(part.pdf))
        offset = max((int(nums[i]) for i in range(0, len(nums), 2)), default=-1) + 1
        first_new = len(out.pages)
        with warnings.catch_warnings():
            # pikepdf warns that named destinations are not carried over: stitch() does that.
            warnings.simplefilter("ignore", pikepdf.PageCopyWarning)
            out.pages.extend(source.pages)
        for page in out.pages[first_new:]:
            if "/StructParents" in page.obj:
                page.obj.StructParents = int(page.obj.StructParents) + offset
            for annot in page.obj.get("/Annots", []):
                if "/StructParent" in annot:
                    annot.StructParent = int(annot.StructParent) + offset
        source_root = source.Root.StructTreeRoot
        source_nums = source_root.ParentTree.Nums
        for i in range(0, len(source_nums), 2):
            nums.append(int(source_nums[i]) + offset)
            nums.append(_foreign(out, source_nums[i + 1]))
        source_document = (
            source_root.K[0] if isinstance(source_root.K, pikepdf.Array) else source_root.K
        )
        for element in source_document.K:
            copied = _foreign(out, element)
            copied.P = document
            kids.append(copied)
        for name, dest in _dests(source):
            dests.setdefault(name, _foreign(out, dest))
        _copy_outline(out, source, outline_tail)
    document.K = pikepdf.Array(kids)
    root.ParentTree = out.make_indirect(pikepdf.Dictionary(Nums=pikepdf.Array(nums)))
    root.ParentTreeNextKey = max(int(nums[i]) for i in range(0, len(nums), 2)) + 1
    names = pikepdf.Array()
    for name in sorted(dests):
        names.append(pikepdf.String(name))
        names.append(dests[name])
    out.Root.Names.Dests = out.make_indirect(pikepdf.Dictionary(Names=names))
    with out.open_outline() as outline:
        # The front matter's one top entry is the document title (its H1); every chapter's
        # entries sit under it, as in a report rendered whole.
        target = outline.root[0].children if outline.root else outline.root
        target.extend(outline_tail)
    return out


def render_stitched(report: ProjectReport) -> renderer.RenderResult:
    """The project report, stitched; `steps` says how long each step took (for the bench)."""
    started = clock = time.perf_counter()
    steps: dict[str, float] = {}

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        steps[name] = steps.get(name, 0.0) + now - clock
        clock = now

    parts = []
    for stage, assessment_id in zip(report.stages, report.assessment_ids, strict=True):
        part = chapter_part(report, stage, assessment_id)
        parts.append(part)
        lap("stored chapters (HTML rendered and hashed)" if part.stored else "live chapters")
    back = renderer.render_pdf_result(
        PART_TEMPLATE, {**project_template_context(report), "part": "back"}
    )
    parts.append(Part(back.pdf, report.is_final))
    lap("closing page")
    front, placeholders = front_part(report, parts)
    lap("front matter")
    out = stitch(front, parts, placeholders)
    lap("stitching")
    finals = []
    for part in [front, *parts]:
        with pikepdf.open(io.BytesIO(part.pdf)) as pdf:
            finals.extend([part.final] * len(pdf.pages))
    furniture.lay(out, report, finals)
    lap("running heads")
    buffer = io.BytesIO()
    out.save(buffer, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    lap("saving")
    return renderer.RenderResult(
        pdf=buffer.getvalue(),
        pages=len(out.pages),
        seconds=time.perf_counter() - started,
        steps=steps,
    )
