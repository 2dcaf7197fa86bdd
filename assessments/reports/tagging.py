"""Finishing WeasyPrint's tag tree so a report passes PDF/UA-1 (the rules veraPDF checks).

WeasyPrint (70) tags each page on its own, which leaves three defects a validator rejects. They
are fixed here, after rendering, on the PDF itself with pikepdf, so WeasyPrint is used as it is:

- An element continued over a page break (a section, a list, a table) becomes one structure
  element per page; a split table's second part has no caption and repeats the header row as
  if it were new content. `merge_continued` joins the parts into one element, using which HTML
  elements the layout split at each page break (`split_chains`, read from the rendered pages),
  and turns the repeated header row into a pagination artifact.
- Running headers and footers (margin boxes) are marked as tagged content whose elements hang
  from no structure tree. `artifact_untethered` re-marks that content as /Artifact.
- TH cells carry no /Scope. Our tables put column headers in <thead> and row headers as the
  first cell of a body row, so a TH under a THead is a column header and any other is a row
  header (`scope_headers`).
"""

from __future__ import annotations

import io
import re
import zlib
from collections.abc import Iterator
from typing import Any

import pikepdf

# The HTML elements whose boxes become structure elements of the same kind when split.
_PDF_TAG = {
    "section": "/Sect",
    "article": "/Art",
    "div": "/Div",
    "p": "/P",
    "table": "/Table",
    "ul": "/L",
    "ol": "/L",
    "dl": "/L",
    "li": "/LI",
    "blockquote": "/BlockQuote",
    "nav": "/NonStruct",
    "figure": "/NonStruct",
}
_MARKED = re.compile(rb"/(\w+)\s*<<\s*/MCID\s+(\d+)\s*>>\s*BDC")


def _spine(box, *, last: bool) -> Iterator:
    """The boxes from the page down its first (or last) in-flow descendants."""
    from weasyprint.formatting_structure import boxes

    while isinstance(box, boxes.ParentBox) and not isinstance(box, boxes.LineBox):
        children = [c for c in box.children if not isinstance(c, boxes.MarginBox)]
        if not children:
            return
        box = children[-1] if last else children[0]
        yield box


def split_chains(document) -> list[list[str]]:
    """For each page break (between page i and i + 1), the PDF structure types of the HTML
    elements the layout continued over it, outermost first."""
    chains = []
    for before, after in zip(document.pages, document.pages[1:], strict=False):
        ending = {
            id(b.element) for b in _spine(before._page_box, last=True) if b.element is not None
        }
        chain: list[str] = []
        seen = None
        for box in _spine(after._page_box, last=False):
            element = box.element
            if element is None or id(element) not in ending:
                break
            if element is seen:
                continue  # a table's wrapper box and the table box share one element
            seen = element
            tag = _PDF_TAG.get(str(element.tag).lower())
            if tag is None:
                if element.tag in ("html", "body"):
                    continue
                break
            chain.append(tag)
        chains.append(chain)
    return chains


class _Tree:
    """The tag tree's parent tree as Python lists, so elements can be re-pointed cheaply."""

    def __init__(self, pdf: pikepdf.Pdf):
        self.pdf = pdf
        self.root = pdf.Root.StructTreeRoot
        self.document = self.root.K[0] if isinstance(self.root.K, pikepdf.Array) else self.root.K
        nums = self.root.ParentTree.Nums
        self.entries: dict[int, Any] = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
        self.page_index = {page.objgen: i for i, page in enumerate(pdf.pages)}
        self.artifacts: dict[int, set[int]] = {}  # page index -> MCIDs to re-mark
        self.replaced: dict[tuple[int, int], pikepdf.Object] = {}

    def page_of(self, element) -> int:
        return self.page_index.get(element.Pg.objgen, -1) if "/Pg" in element else -1

    def save_parent_tree(self) -> None:
        nums = pikepdf.Array()
        for key in sorted(self.entries):
            value = self.entries[key]
            if isinstance(value, pikepdf.Array):
                value = pikepdf.Array(
                    [self.replaced.get(v.objgen, v) if _is_dict(v) else v for v in value]
                )
            elif _is_dict(value):
                value = self.replaced.get(value.objgen, value)
            nums.append(key)
            nums.append(value)
        self.root.ParentTree = self.pdf.make_indirect(pikepdf.Dictionary(Nums=nums))


def _is_dict(value) -> bool:
    return isinstance(value, pikepdf.Dictionary)


def _elements(kids) -> list:
    if isinstance(kids, pikepdf.Array):
        return list(kids)
    return [kids]


def _merge_into(tree: _Tree, first, second) -> None:
    """Move `second`'s children to the end of `first` (the same element continued)."""
    kids = _elements(first.K)
    for kid in _elements(second.K):
        if isinstance(kid, int):  # an MCID on second's page: name its page explicitly
            kid = tree.pdf.make_indirect(
                pikepdf.Dictionary(Type=pikepdf.Name.MCR, Pg=second.Pg, MCID=kid)
            )
        elif _is_dict(kid) and "/S" in kid:
            kid.P = first
        kids.append(kid)
    first.K = pikepdf.Array(kids)
    tree.replaced[second.objgen] = first


def _drop(parent, element) -> None:
    parent.K = pikepdf.Array([k for k in _elements(parent.K) if k.objgen != element.objgen])


def _mcids(tree: _Tree, element) -> Iterator[tuple[int, int]]:
    """(page index, MCID) of all marked content under `element`."""
    page = tree.page_of(element)
    for kid in _elements(element.get("/K", pikepdf.Array())):
        if isinstance(kid, int):
            yield page, int(kid)
        elif _is_dict(kid) and kid.get("/Type") == "/MCR":
            yield tree.page_index[kid.Pg.objgen], int(kid.MCID)
        elif _is_dict(kid) and "/S" in kid:
            yield from _mcids(tree, kid)


def _struct_kids(element) -> list:
    return [k for k in _elements(element.get("/K", pikepdf.Array())) if _is_dict(k) and "/S" in k]


def _merge_tables(tree: _Tree, first, second) -> None:
    """A table continued on the next page: its repeated header row becomes an artifact and its
    body rows join the first part's body, with header references pointing at the first part's
    header cells."""
    ids: dict[str, pikepdf.Object] = {}
    first_heads = [k for k in _struct_kids(first) if k.S == "/THead"]
    for repeat in [k for k in _struct_kids(second) if k.S == "/THead"]:
        for page, mcid in _mcids(tree, repeat):
            tree.artifacts.setdefault(page, set()).add(mcid)
        if first_heads:
            old = [th.get("/ID") for th in _cells(repeat)]
            new = [th.get("/ID") for th in _cells(first_heads[0])]
            ids.update({str(o): n for o, n in zip(old, new, strict=False) if o is not None})
        _drop(second, repeat)
    for cell in _cells(second):
        headers = cell.get("/A", {}).get("/Headers") if "/A" in cell else None
        if headers is not None:
            cell.A.Headers = pikepdf.Array([ids.get(str(h), h) for h in headers])
    bodies = [k for k in _struct_kids(first) if k.S == "/TBody"]
    more = [k for k in _struct_kids(second) if k.S == "/TBody"]
    if bodies and more:
        _merge_into(tree, bodies[-1], more[0])
        _drop(second, more[0])
    _merge_into(tree, first, second)


def _cells(element) -> Iterator:
    for kid in _struct_kids(element):
        if kid.S in ("/TH", "/TD"):
            yield kid
        else:
            yield from _cells(kid)


def merge_continued(tree: _Tree, chains: list[list[str]]) -> None:
    """Join the per-page parts of every element the layout continued over a page break."""
    for index, chain in enumerate(chains):
        if not chain:
            continue
        tops = _struct_kids(tree.document)
        before = [e for e in tops if tree.page_of(e) <= index]
        after = [e for e in tops if tree.page_of(e) == index + 1]
        if not before or not after:
            continue
        parent, first, second = tree.document, before[-1], after[0]
        for tag in chain:
            if not (first.S == second.S == tag):
                break
            first_kids = _struct_kids(first)
            second_kids = _struct_kids(second)
            if tag == "/Table":
                _merge_tables(tree, first, second)
                _drop(parent, second)
                break
            _merge_into(tree, first, second)
            _drop(parent, second)
            if not first_kids or not second_kids:
                break
            parent, first, second = first, first_kids[-1], second_kids[0]


def scope_headers(tree: _Tree) -> None:
    stack = [(tree.document, False)]
    while stack:
        element, in_head = stack.pop()
        for kid in _struct_kids(element):
            if kid.S == "/TH":
                attributes = kid.get("/A", pikepdf.Dictionary(O=pikepdf.Name.Table))
                attributes.Scope = pikepdf.Name.Column if in_head else pikepdf.Name.Row
                kid.A = attributes
            stack.append((kid, in_head or kid.S == "/THead"))


def artifact_untethered(tree: _Tree) -> None:
    """Content marked for an element outside the tree (margin boxes) becomes an artifact."""
    reachable: set[tuple[int, int]] = set()
    stack = [tree.document]
    while stack:
        element = stack.pop()
        reachable.add(element.objgen)
        stack.extend(_struct_kids(element))
    for index, page in enumerate(tree.pdf.pages):
        key = int(page.obj.get("/StructParents", -1))
        entry = tree.entries.get(key)
        if not isinstance(entry, pikepdf.Array):
            continue
        for mcid, element in enumerate(entry):
            if _is_dict(element):
                target = tree.replaced.get(element.objgen, element)
                if target.objgen not in reachable:
                    tree.artifacts.setdefault(index, set()).add(mcid)


def _remark(tree: _Tree) -> None:
    """Rewrite the marked-content operators of artifact MCIDs, and drop them from the parent
    tree (an MCID no element owns is a validator error; an artifact has no MCID)."""
    for index, mcids in tree.artifacts.items():
        page = tree.pdf.pages[index]
        streams = _elements(page.obj.Contents)
        for stream in streams:
            data = stream.read_bytes()

            def remark(match, mcids=mcids):
                if int(match.group(2)) in mcids:
                    return b"/Artifact BMC"
                return match.group(0)

            stream.write(zlib.compress(_MARKED.sub(remark, data)), filter=pikepdf.Name.FlateDecode)
        key = int(page.obj.StructParents)
        entry = tree.entries[key]
        tree.entries[key] = pikepdf.Array(
            [pikepdf.Object.parse(b"null") if i in mcids else v for i, v in enumerate(entry)]
        )


def finish(data: bytes, chains: list[list[str]]) -> bytes:
    """The PDF with the fixes above applied."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        tree = _Tree(pdf)
        merge_continued(tree, chains)
        scope_headers(tree)
        artifact_untethered(tree)
        _remark(tree)
        tree.save_parent_tree()
        out = io.BytesIO()
        pdf.save(out, compress_streams=True, object_stream_mode=pikepdf.ObjectStreamMode.generate)
        return out.getvalue()
