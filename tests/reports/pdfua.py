"""PDF/UA-1 checks with pikepdf, mirroring the veraPDF rules they stand for (veraPDF itself
needs Java and cannot be installed here). `problems(data)` lists every failure in words;
`assert_pdf_ua(data)` fails a test with that list. Usable for any CHIIA report PDF (stage,
project, community summary, portfolio).

Rules (ISO 14289-1 clause, veraPDF rule id):
- 7.1-3/7.1-4: every marked-content sequence is an artifact or belongs to an element in the
  structure tree (no tagged content under an element the tree does not reach).
- 7.1-8/7.1-9: the catalogue has /Lang-free MarkInfo Marked true and a dc:title; ViewerPreferences
  DisplayDocTitle true.
- 7.2-? (Table): every TH has /Scope in its attributes (the Matterhorn table checkpoints 15-003).
- 7.4.2-1 / 7.4.4-1: headings nest without skipping a level; 7.4.4-3: exactly one H1 (our
  house rule, stricter than strongly structured headings).
- 7.3-1: every Figure has /Alt or /ActualText.
- 7.18.5-1/-2: every Link annotation is the OBJR of a Link element, and says where it goes
  (/Contents).
- 7.18.1-2 ... the annotation's /StructParent leads back to that element.
- Our reports: every Table element starts with a Caption (a table split over a page break
  into two Table elements would leave the second without one).
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator

import pikepdf

MARKED = re.compile(rb"/(\w+)\s*<<\s*/MCID\s+(\d+)\s*>>\s*BDC")


def _kids(element) -> list:
    kids = element.get("/K")
    if kids is None:
        return []
    return list(kids) if isinstance(kids, pikepdf.Array) else [kids]


def elements(pdf: pikepdf.Pdf) -> Iterator[pikepdf.Dictionary]:
    """Structure elements in reading order (depth first)."""
    stack = list(reversed(_kids(pdf.Root.StructTreeRoot)))
    while stack:
        node = stack.pop()
        if isinstance(node, pikepdf.Dictionary) and "/S" in node:
            yield node
            stack.extend(reversed([k for k in _kids(node) if isinstance(k, pikepdf.Dictionary)]))


def element_types(data: bytes) -> list[str]:
    with pikepdf.open(io.BytesIO(data)) as pdf:
        return [str(e.S) for e in elements(pdf)]


def _problems(pdf: pikepdf.Pdf, *, captions: bool) -> Iterator[str]:
    root = pdf.Root
    if not bool(root.get("/MarkInfo", {}).get("/Marked", False)):
        yield "MarkInfo /Marked is not true"
    if not str(root.get("/Lang", "")):
        yield "no document language"
    if not bool(root.get("/ViewerPreferences", {}).get("/DisplayDocTitle", False)):
        yield "DisplayDocTitle is not true"
    all_elements = list(elements(pdf))
    reachable = {e.objgen for e in all_elements}
    # Headings
    levels = [int(str(e.S)[2]) for e in all_elements if re.fullmatch(r"/H[1-6]", str(e.S))]
    if levels.count(1) != 1:
        yield f"{levels.count(1)} H1 elements (want exactly one)"
    previous = 0
    for level in levels:
        if level > previous + 1:
            yield f"heading level skipped: H{previous} then H{level}"
        previous = level
    for element in all_elements:
        kind = str(element.S)
        if kind == "/TH" and "/Scope" not in element.get("/A", {}):
            yield "TH without /Scope"
        if kind == "/Figure" and not (str(element.get("/Alt", "")) or "/ActualText" in element):
            yield "Figure without /Alt"
        if kind == "/Table" and captions:
            first = [k for k in _kids(element) if isinstance(k, pikepdf.Dictionary)][:1]
            if not first or str(first[0].get("/S")) != "/Caption":
                yield "Table that does not start with its Caption (split over a page break?)"
    # Marked content: every MCID belongs to a reachable element.
    parent_tree = pikepdf.NumberTree(root.StructTreeRoot.ParentTree)
    for number, page in enumerate(pdf.pages, start=1):
        mcids = {int(m.group(2)) for m in MARKED.finditer(_content(page))}
        owners = parent_tree.get(int(page.obj.get("/StructParents", -1)))
        for mcid in sorted(mcids):
            owner = owners[mcid] if owners is not None and mcid < len(owners) else None
            if not isinstance(owner, pikepdf.Dictionary) or owner.objgen not in reachable:
                yield f"page {number}: tagged content MCID {mcid} outside the structure tree"
        for annot in page.obj.get("/Annots", []):
            if annot.get("/Subtype") != "/Link":
                continue
            owner = parent_tree.get(int(annot.get("/StructParent", -1)))
            objrs = [
                k
                for k in (_kids(owner) if isinstance(owner, pikepdf.Dictionary) else [])
                if isinstance(k, pikepdf.Dictionary) and k.get("/Type") == "/OBJR"
            ]
            if (
                owner is None
                or str(owner.get("/S")) != "/Link"
                or owner.objgen not in reachable
                or not any(k.Obj.objgen == annot.objgen for k in objrs)
            ):
                yield f"page {number}: link annotation not tagged as a Link with its OBJR"
            if not str(annot.get("/Contents", "")):
                yield f"page {number}: link annotation without /Contents"


def _content(page: pikepdf.Page) -> bytes:
    contents = page.obj.Contents
    streams = list(contents) if isinstance(contents, pikepdf.Array) else [contents]
    return b"\n".join(s.read_bytes() for s in streams)


def problems(data: bytes, *, captions: bool = True) -> list[str]:
    with pikepdf.open(io.BytesIO(data)) as pdf:
        return list(_problems(pdf, captions=captions))


def assert_pdf_ua(data: bytes, *, captions: bool = True) -> None:
    found = problems(data, captions=captions)
    assert not found, f"{len(found)} PDF/UA problems, the first:\n" + "\n".join(found[:30])
