"""Report charts drawn as SVG by our own code (no plotting library, no screenshots).

Each chart is returned as a `data.Chart`: a data: URI for an <img> (so the PDF tags it as a
figure with alternative text), the alt text, and a longer text equivalent printed under it.
Colour is never the only signal: heat-map cells carry a letter and bars carry their value.
"""

from __future__ import annotations

import base64
from decimal import Decimal
from xml.sax.saxutils import escape

from assessments.reports.data import Chart

# Harm bands, worst first, with fill colour, text colour and the letter printed in the cell.
CELL_STYLES = {
    "high": ("#b3261e", "#ffffff", "H"),
    "medium": ("#e8a33d", "#1b1b1b", "M"),
    "low": ("#f6e27a", "#1b1b1b", "L"),
    "negligible": ("#d9d9d9", "#1b1b1b", "N"),
    "benefit": ("#5aa469", "#ffffff", "+"),
    "noted": ("#eef1f4", "#44505c", "·"),
}
HARM_ORDER = ("high", "medium", "low", "negligible")
CELL_WORDS = {
    "high": "high harm",
    "medium": "medium harm",
    "low": "low harm",
    "negligible": "negligible harm",
    "benefit": "benefit only",
    "noted": "named, no scored effect",
}
FONT = "DejaVu Sans, sans-serif"


def svg_data_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def _svg(width: int, height: int, title: str, desc: str, body: list[str]) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="{FONT}">'
        f"<title>{escape(title)}</title><desc>{escape(desc)}</desc>{''.join(body)}</svg>"
    )


def _cell_values(answers, links_by_answer, scores, ids_by_code=None) -> dict[tuple[str, int], str]:
    """(determinant code, group id) -> worst harm band, else 'benefit' or 'noted'. A group the
    rules count automatically for an answer (ids_by_code maps its code) counts as named."""
    cells: dict[tuple[str, int], str] = {}
    rank = {name: i for i, name in enumerate(HARM_ORDER)}
    for answer in answers:
        score = scores.get(answer.question.code)
        det = answer.question.determinant.code
        group_ids = [link.group_id for link in links_by_answer.get(answer.pk, [])]
        group_ids += [
            ids_by_code[g.code]
            for g in (score.automatic_groups if score else ())
            if g.code in (ids_by_code or {})
        ]
        for group_id in dict.fromkeys(group_ids):
            key = (det, group_id)
            current = cells.get(key, "noted")
            if score and score.scored and score.band and answer.direction == "negative":
                band = str(score.band)
                if current not in rank or rank[band] < rank[current]:
                    cells[key] = band
            elif score and score.scored and answer.direction == "positive" and current == "noted":
                cells[key] = "benefit"
            else:
                cells.setdefault(key, "noted")
    return cells


def heatmap(determinants, groups, answers, links_by_answer, scores):
    cells = _cell_values(answers, links_by_answer, scores, {g.code: g.pk for g in groups})
    shown = [g for g in groups if any((d.code, g.pk) in cells for d in determinants)]
    title = "Heat map of determinants of health and population groups"
    if not shown:
        return Chart(
            "",
            "",
            title,
            "No population group has been linked to an answer yet, so there is no heat map.",
        )
    label_w, cell, top, legend_h = 300, 30, 34, 44
    width = label_w + cell * len(determinants) + 4
    height = top + cell * len(shown) + legend_h
    body = []
    for i, det in enumerate(determinants):
        x = label_w + i * cell + cell / 2
        body.append(
            f'<text x="{x}" y="{top - 10}" font-size="10" text-anchor="middle" '
            f'fill="#1b1b1b">{det.code}</text>'
        )
    lines = []
    for row, group in enumerate(shown):
        y = top + row * cell
        name = group.name if len(group.name) <= 50 else group.name[:48] + "…"
        body.append(
            f'<text x="{label_w - 8}" y="{y + cell / 2 + 4}" font-size="10" text-anchor="end" '
            f'fill="#1b1b1b">{escape(name)}</text>'
        )
        described = []
        for col, det in enumerate(determinants):
            x = label_w + col * cell
            value = cells.get((det.code, group.pk))
            if value is None:
                body.append(
                    f'<rect x="{x + 1}" y="{y + 1}" width="{cell - 2}" height="{cell - 2}" fill="#ffffff" '
                    f'stroke="#d0d5da" stroke-width="0.5"/>'
                )
                continue
            fill, ink, letter = CELL_STYLES[value]
            body.append(
                f'<rect x="{x + 1}" y="{y + 1}" width="{cell - 2}" height="{cell - 2}" fill="{fill}"/>'
                f'<text x="{x + cell / 2}" y="{y + cell / 2 + 4}" font-size="11" font-weight="bold" '
                f'text-anchor="middle" fill="{ink}">{letter}</text>'
            )
            if value in HARM_ORDER or value == "benefit":
                described.append(f"{det.code} {CELL_WORDS[value]}")
        lines.append(
            f"{group.name}: {', '.join(described) if described else 'named, no scored effect'}."
        )
    ly = top + cell * len(shown) + 16
    x = 0
    for key in ("high", "medium", "low", "negligible", "benefit", "noted"):
        fill, ink, letter = CELL_STYLES[key]
        body.append(
            f'<rect x="{x}" y="{ly}" width="16" height="16" fill="{fill}" stroke="#8a949e" stroke-width="0.5"/>'
            f'<text x="{x + 8}" y="{ly + 12}" font-size="10" text-anchor="middle" fill="{ink}">{letter}</text>'
            f'<text x="{x + 21}" y="{ly + 12}" font-size="10" fill="#1b1b1b">{CELL_WORDS[key]}</text>'
        )
        x += 21 + 6 * len(CELL_WORDS[key]) + 16
    alt = (
        f"Heat map of {len(shown)} population groups against the 12 determinants of health. Each cell shows "
        "the worst harm band of the answers naming that group, or counting it "
        "automatically, for that determinant (H high, M medium, L low, "
        "N negligible), + where the group only benefits, and a dot where it is named without a scored effect."
    )
    return Chart(svg_data_uri(_svg(width, height, title, alt, body)), alt, title, " ".join(lines))


def benefit_harm(determinants, scores):
    """Diverging bars: total harm weight (left) and total benefit weight (right) per determinant."""
    harm = {d.code: Decimal(0) for d in determinants}
    benefit = {d.code: Decimal(0) for d in determinants}
    for score in scores.values():
        if not score.scored or score.determinant not in harm:
            continue
        if score.weighted < 0:
            harm[score.determinant] += -score.weighted
        else:
            benefit[score.determinant] += score.weighted
    title = "Benefit and harm by determinant of health"
    biggest = max([*harm.values(), *benefit.values(), Decimal(1)])
    label_w, half, row_h, top = 48, 280, 22, 30
    width = label_w + 2 * half + 20
    height = top + row_h * len(determinants) + 10
    mid = label_w + half
    body = [
        f'<text x="{mid - 6}" y="14" font-size="10" text-anchor="end" fill="#8c1d18">◀ harm (weighted score)</text>',
        f'<text x="{mid + 6}" y="14" font-size="10" fill="#2e6b3a">benefit (weighted score) ▶</text>',
        f'<line x1="{mid}" y1="{top - 6}" x2="{mid}" y2="{height - 6}" stroke="#44505c" stroke-width="1"/>',
    ]
    lines = []
    for i, det in enumerate(determinants):
        y = top + i * row_h
        h, b = harm[det.code], benefit[det.code]
        body.append(f'<text x="0" y="{y + 14}" font-size="10" fill="#1b1b1b">{det.code}</text>')
        if h:
            w = float(h / biggest) * (half - 40)
            body.append(
                f'<rect x="{mid - w:.1f}" y="{y + 3}" width="{w:.1f}" height="{row_h - 8}" fill="#b3261e"/>'
                f'<text x="{mid - w - 4:.1f}" y="{y + 14}" font-size="9" text-anchor="end" '
                f'fill="#1b1b1b">−{h}</text>'
            )
        if b:
            w = float(b / biggest) * (half - 40)
            body.append(
                f'<rect x="{mid}" y="{y + 3}" width="{w:.1f}" height="{row_h - 8}" fill="#2e7d32"/>'
                f'<text x="{mid + w + 4:.1f}" y="{y + 14}" font-size="9" fill="#1b1b1b">+{b}</text>'
            )
        if h or b:
            lines.append(f"{det.code} {det.name}: harm {h}, benefit {b}.")
    alt = (
        "Bar chart of the total weighted harm (left, red) and benefit (right, green) for each of the 12 "
        "determinants of health. Harms and benefits are shown separately and never netted off."
    )
    text = " ".join(lines) or "No benefit or harm has been scored yet."
    return Chart(svg_data_uri(_svg(width, height, title, alt, body)), alt, title, text)
