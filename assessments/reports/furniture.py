"""Running heads and footers for a stitched project report, laid under its pages as artifacts.

The heads, the footer line and the draft mark are the same on every page of a kind (the first
page, a draft page, a signed-off chapter's page); only "Page X of Y" changes. WeasyPrint spends
tens of milliseconds on every page it makes, even an empty one, so instead of laying out one
furniture page per report page, `lay` renders one sample page per kind plus a page showing
"Page 0123456789 of" in the footer's font, and writes each page's footer by replacing the sample
footer's glyphs with those of its own number, right-aligned where the sample's ended. If the
samples are not as expected (another renderer version, another footer), it renders every page
instead (`lay_rendered`), which is slower and looks the same.
"""

from __future__ import annotations

import io
import re
from typing import Any

import pikepdf

from assessments.reports import pdf as renderer

TEMPLATE = "reports/page_furniture.html"
GLYPHS = "Page 0123456789 of"
FOLIO = re.compile(r"Page \d+ of \d+")


class NoFastPath(Exception):
    """The sample pages are not laid out as the fast path expects."""


def _context(report, finals: list[bool], glyphs: bool) -> dict:
    project = report.project
    return {
        "project": project,
        "is_final": report.is_final,
        "finals": finals,
        "glyphs": GLYPHS if glyphs else "",
        "reference_line": f"{project.reference} · {project.council} · all stages so far",
    }


def _underlay(out: pikepdf.Pdf, page: pikepdf.Page, form: pikepdf.Object) -> None:
    name = page.add_resource(form, pikepdf.Name.XObject, prefix="Furniture")
    # An artifact: the heads and footers are pagination, not content, for assistive tech.
    page.contents_add(
        out.make_stream(b"/Artifact BMC q " + bytes(name) + b" Do Q EMC\n"), prepend=True
    )


def lay_rendered(out: pikepdf.Pdf, report, finals: list[bool]) -> None:
    """One rendered furniture page per page: the plain, slower way."""
    rendered = renderer.render_pdf_result(TEMPLATE, _context(report, finals, False), tagged=False)
    source = pikepdf.open(io.BytesIO(rendered.pdf))
    for page, under in zip(out.pages, source.pages, strict=True):
        _underlay(out, page, out.copy_foreign(under.as_form_xobject()))


def _codes(operand) -> list[bytes]:
    """The two-byte glyph codes of a TJ operand (strings and kerning numbers)."""
    found: list[bytes] = []
    for item in operand:
        if isinstance(item, pikepdf.String):
            raw = bytes(item)
            found.extend(raw[i : i + 2] for i in range(0, len(raw), 2))
    return found


def _kerning(operand) -> float:
    return sum(float(item) for item in operand if not isinstance(item, pikepdf.String))


def _widths(font) -> dict[bytes, float]:
    descendant = font.DescendantFonts[0]
    widths: dict[bytes, float] = {}
    entries = list(descendant.get("/W", []))
    i = 0
    while i < len(entries):
        first = int(entries[i])
        if isinstance(entries[i + 1], pikepdf.Array):
            for offset, width in enumerate(entries[i + 1]):
                widths[(first + offset).to_bytes(2, "big")] = float(width)
            i += 2
        else:
            for code in range(first, int(entries[i + 1]) + 1):
                widths[code.to_bytes(2, "big")] = float(entries[i + 2])
            i += 3
    return widths


def _text_ops(page: pikepdf.Page):
    """(index, TJ operand, Tm operands, font name, size) of every TJ on the page."""
    ops = pikepdf.parse_content_stream(page)
    matrix, font, size = None, None, 0.0
    for index, instruction in enumerate(ops):
        operands, name = instruction.operands, str(instruction.operator)
        if name == "Tm":
            matrix = list(operands)
        elif name == "Tf":
            font, size = operands[0], float(operands[1])
        elif name == "TJ":
            yield index, operands[0], matrix, font, size


def _glyph_map(page: pikepdf.Page) -> tuple[dict[str, bytes], Any]:
    for _, operand, _, font, _ in _text_ops(page):
        codes = _codes(operand)
        if len(codes) != len(GLYPHS):
            continue
        mapping: dict[str, bytes] = {}
        pairs = zip(GLYPHS, codes, strict=True)
        consistent = all(mapping.setdefault(char, code) == code for char, code in pairs)
        if consistent and len(set(mapping.values())) == len(mapping):
            return mapping, font
    raise NoFastPath("no glyph sample found")


class _Sample:
    """One kind of page: its content with the footer's TJ and its Tm to be replaced."""

    def __init__(self, out, page, characters: dict[bytes, str], widths: dict[bytes, float], font):
        self.ops = list(pikepdf.parse_content_stream(page))
        self.resources = out.copy_foreign(page.obj.Resources)
        self.box = page.obj.MediaBox
        self.widths = widths
        for index, operand, matrix, used, size in _text_ops(page):
            text = "".join(characters.get(code, "\0") for code in _codes(operand))
            if FOLIO.fullmatch(text) and matrix is not None and used == font:
                self.index, self.size, self.matrix = index, size, matrix
                self.tm = max(i for i in range(index) if str(self.ops[i].operator) == "Tm")
                self.right = float(matrix[4]) + self._width(_codes(operand), _kerning(operand))
                return
        raise NoFastPath("no page-number footer on a sample page")

    def _width(self, codes: list[bytes], kerning: float = 0.0) -> float:
        return (sum(self.widths.get(c, 1000.0) for c in codes) - kerning) * self.size / 1000

    def form(self, out: pikepdf.Pdf, codes: list[bytes]) -> pikepdf.Object:
        ops = list(self.ops)
        matrix = list(self.matrix)
        matrix[4] = self.right - self._width(codes)
        ops[self.tm] = pikepdf.ContentStreamInstruction(matrix, pikepdf.Operator("Tm"))
        ops[self.index] = pikepdf.ContentStreamInstruction(
            [pikepdf.Array([pikepdf.String(b"".join(codes))])], pikepdf.Operator("TJ")
        )
        return out.make_stream(
            pikepdf.unparse_content_stream(ops),
            Type=pikepdf.Name.XObject,
            Subtype=pikepdf.Name.Form,
            BBox=self.box,
            Resources=self.resources,
        )


def lay_sampled(out: pikepdf.Pdf, report, finals: list[bool]) -> None:
    kinds = [(True, finals[0])] + [(False, f) for f in sorted(set(finals[1:]))]
    sample_finals = [final for _, final in kinds]
    rendered = renderer.render_pdf_result(
        TEMPLATE, _context(report, sample_finals, True), tagged=False
    )
    source = pikepdf.open(io.BytesIO(rendered.pdf))
    if len(source.pages) != len(kinds) + 1:
        raise NoFastPath("unexpected number of sample pages")
    mapping, font_name = _glyph_map(source.pages[-1])
    font = source.pages[-1].obj.Resources.Font[font_name]
    widths = _widths(font)
    characters = {code: char for char, code in mapping.items()}
    samples = {
        kind: _Sample(out, page, characters, widths, font_name)
        for kind, page in zip(kinds, source.pages, strict=False)
    }
    total = len(out.pages)
    for number, (page, final) in enumerate(zip(out.pages, finals, strict=True), start=1):
        codes = [mapping[char] for char in f"Page {number} of {total}"]
        _underlay(out, page, samples[(number == 1, final)].form(out, codes))


def lay(out: pikepdf.Pdf, report, finals: list[bool]) -> None:
    try:
        lay_sampled(out, report, finals)
    except NoFastPath:
        lay_rendered(out, report, finals)
