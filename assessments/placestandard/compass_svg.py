"""The Place Standard compass as a self-contained SVG, drawn on the server from compass.py's
geometry. Pure Python too: every text is escaped with the standard library.

Up to two series (two points in time) on one compass. They differ in line style and marker
shape as well as colour: the earlier dashed with squares, the later solid and shaded with
circles, so colour is never the only sign.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from assessments.placestandard.compass import (
    MAX_SCORE,
    Frame,
    Point,
    at,
    label_anchor,
    outline,
    ring,
    wrap,
)

SIZE = 560
FRAME = Frame(cx=SIZE / 2, cy=232, radius=175)
LEGEND_TOP = 476
LABEL_GAP = 22
STYLES = {
    "earlier": {"stroke": "#595959", "dash": "6 4", "fill": "none", "marker": "square"},
    "later": {"stroke": "#0b4f8a", "dash": "", "fill": "#0b4f8a33", "marker": "circle"},
}


@dataclass
class Series:
    label: str  # e.g. "Strategic Business Case, March 2024"
    scores: list[int | None]  # one per theme, in compass order
    style: str = "later"  # "earlier" or "later"


def _points(points: list[Point]) -> str:
    return " ".join(f"{x},{y}" for x, y in points)


def _marker(point: Point, kind: str, colour: str, title: str) -> str:
    x, y = point
    shape = (
        f'<rect x="{x - 4.5}" y="{y - 4.5}" width="9" height="9" fill="{colour}">'
        if kind == "square"
        else f'<circle cx="{x}" cy="{y}" r="5" fill="{colour}">'
    )
    end = "</rect>" if kind == "square" else "</circle>"
    return f"{shape}<title>{escape(title)}</title>{end}"


def _grid(count: int, themes: list[str]) -> list[str]:
    parts = ['<g fill="none" stroke="#adb5bd" stroke-width="1">']
    for score in range(1, MAX_SCORE + 1):
        width = "1.5" if score == MAX_SCORE else "0.8"
        parts.append(
            f'<polygon points="{_points(ring(FRAME, count, score))}" stroke-width="{width}"/>'
        )
    for i in range(count):
        x, y = at(FRAME, i, count, FRAME.radius)
        parts.append(f'<line x1="{FRAME.cx}" y1="{FRAME.cy}" x2="{x}" y2="{y}"/>')
    parts.append("</g>")
    parts.append('<g font-family="sans-serif" font-size="10" fill="#495057">')
    for score in (1, 4, 7):
        x, y = at(FRAME, 0, count, FRAME.radius * score / MAX_SCORE)
        parts.append(f'<text x="{x + 4}" y="{y - 3}">{score}</text>')
    parts.append('</g><g font-family="sans-serif" font-size="13" fill="#1b1b1b">')
    for i, name in enumerate(themes):
        x, y = at(FRAME, i, count, FRAME.radius + LABEL_GAP)
        lines = wrap(name)
        top = y - (len(lines) - 1) * 7.5 + 4
        tspans = "".join(
            f'<tspan x="{x}" y="{top + n * 15:.1f}">{escape(line)}</tspan>'
            for n, line in enumerate(lines)
        )
        parts.append(f'<text text-anchor="{label_anchor(i, count)}">{tspans}</text>')
    parts.append("</g>")
    return parts


def _series(series: Series, themes: list[str]) -> list[str]:
    style = STYLES[series.style]
    closed, runs = outline(FRAME, series.scores)
    dash = f' stroke-dasharray="{style["dash"]}"' if style["dash"] else ""
    parts = [f'<g stroke="{style["stroke"]}" stroke-width="2.5"{dash}>']
    if closed:
        parts.append(f'<polygon points="{_points(closed)}" fill="{style["fill"]}"/>')
    for run in runs:
        parts.append(f'<polyline points="{_points(run)}" fill="none"/>')
    parts.append("</g>")
    for i, score in enumerate(series.scores):
        if score is not None:
            point = at(FRAME, i, len(themes), FRAME.radius * score / MAX_SCORE)
            title = f"{series.label}: {themes[i]} rated {score} out of {MAX_SCORE}"
            parts.append(_marker(point, style["marker"], style["stroke"], title))
    return parts


def _legend(series: list[Series]) -> list[str]:
    parts = ['<g font-family="sans-serif" font-size="12" fill="#1b1b1b">']
    for n, item in enumerate(series):
        style = STYLES[item.style]
        y = LEGEND_TOP + n * 20
        dash = f' stroke-dasharray="{style["dash"]}"' if style["dash"] else ""
        parts.append(
            f'<line x1="12" y1="{y}" x2="44" y2="{y}" stroke="{style["stroke"]}" '
            f'stroke-width="2.5"{dash}/>'
            + _marker((28, y), style["marker"], style["stroke"], item.label)
            + f'<text x="52" y="{y + 4}">{escape(item.label)}</text>'
        )
    parts.append("</g>")
    return parts


def compass_svg(
    themes: list[str], series: list[Series], *, title: str, description: str, ident: str
) -> str:
    """The compass for `themes` (names in order) with each series drawn on it. `ident` keeps
    the title/description ids unique when a page shows more than one compass."""
    height = LEGEND_TOP + 20 * len(series)
    drawn = [part for item in series for part in _series(item, themes)]
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {SIZE} {height}" '
        f'width="{SIZE}" height="{height}" role="img" class="ps-compass" '
        f'aria-labelledby="{ident}-title {ident}-desc">'
        f'<title id="{ident}-title">{escape(title)}</title>'
        f'<desc id="{ident}-desc">{escape(description)}</desc>'
        + "".join(_grid(len(themes), themes))
        + "".join(drawn)
        + "".join(_legend(series))
        + "</svg>"
    )
