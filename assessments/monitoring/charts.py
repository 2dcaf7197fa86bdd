"""An indicator's small chart, drawn as SVG on the server: the baseline, the planned line to the
target, the target itself and every measurement, with a text alternative and the data table the
page prints under it. Shapes and words carry the meaning as well as colour: the plan is dashed,
measurements are dots joined by a solid line, the target is a labelled diamond.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from xml.sax.saxutils import escape

from django.utils.safestring import SafeString, mark_safe

from assessments.scoring import monitoring as rules

# Drawn small so the labels stay readable when the chart shrinks to a phone's width.
WIDTH, HEIGHT = 520, 250
LEFT, RIGHT, TOP, BOTTOM = 64, 22, 18, 46
TEXT = 'font-size="14" fill="#343a40"'
FONT = "system-ui, sans-serif"


@dataclass(frozen=True)
class TableRow:
    measured_on: datetime.date
    value: Decimal
    expected: Decimal
    what: str  # "Baseline", "Measurement", "Target"


@dataclass(frozen=True)
class IndicatorChart:
    svg: SafeString
    title: str
    summary: str  # the text alternative, also printed beside the chart
    rows: list[TableRow]


def _step(span: Decimal) -> Decimal:
    """A round tick step (1, 2 or 5 times a power of ten) giving about four intervals."""
    rough = span / 4
    power = Decimal(10) ** (rough.adjusted())
    return next(power * m for m in (1, 2, 5, 10) if power * m >= rough)


def _axis_range(values: Sequence[Decimal]) -> tuple[Decimal, Decimal, Decimal]:
    """(low, high, step) on round numbers, never below zero for values that are not."""
    low, high = min(values), max(values)
    if high == low:
        low, high = low - (abs(low) or 1), high + (abs(high) or 1)
    step = _step(high - low)
    bottom = (low / step).to_integral_value(rounding="ROUND_FLOOR") * step
    top = (high / step).to_integral_value(rounding="ROUND_CEILING") * step
    if min(values) >= 0:
        bottom = max(bottom, Decimal(0))
    return bottom, top, step


class _Scale:
    def __init__(self, start, end, low, high):
        self.start, self.days = start, max((end - start).days, 1)
        self.low, self.span = low, (high - low) or Decimal(1)

    def x(self, day: datetime.date) -> float:
        return LEFT + (WIDTH - LEFT - RIGHT) * (day - self.start).days / self.days

    def y(self, value: Decimal) -> float:
        share = float((value - self.low) / self.span)
        return TOP + (HEIGHT - TOP - BOTTOM) * (1 - share)


def _axes(scale: _Scale, step: Decimal, start, end, unit: str) -> list[str]:
    parts = [
        f'<line x1="{LEFT}" y1="{HEIGHT - BOTTOM}" x2="{WIDTH - RIGHT}" y2="{HEIGHT - BOTTOM}" '
        'stroke="#6c757d"/>'
    ]
    tick = scale.low
    while tick <= scale.low + scale.span:
        y = scale.y(tick)
        label = escape(rules.number_text(tick))
        parts.append(
            f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" stroke="#dee2e6"/>'
            f'<text x="{LEFT - 6}" y="{y + 5:.1f}" text-anchor="end" {TEXT}>{label}</text>'
        )
        tick += step
    first_year = start.year if (start.month, start.day) == (1, 1) else start.year + 1
    for year in range(first_year, end.year + 1):
        x = scale.x(datetime.date(year, 1, 1))
        parts.append(
            f'<line x1="{x:.1f}" y1="{HEIGHT - BOTTOM}" x2="{x:.1f}" y2="{HEIGHT - BOTTOM + 5}" '
            f'stroke="#6c757d"/><text x="{x:.1f}" y="{HEIGHT - BOTTOM + 21}" '
            f'text-anchor="middle" {TEXT}>{year}</text>'
        )
    parts.append(f'<text x="{LEFT}" y="{HEIGHT - 4}" {TEXT}>{escape(unit)}</text>')
    return parts


def indicator_chart(
    facts: rules.IndicatorFacts,
    points: Sequence[rules.Point],
    *,
    name: str,
    unit_label: str,
    status: rules.StatusResult,
    element_id: str,
) -> IndicatorChart:
    points = sorted(points, key=lambda p: p.measured_on)
    start = min([facts.baseline_date, *(p.measured_on for p in points)])
    end = max([facts.target_date, *(p.measured_on for p in points)])
    low, high, step = _axis_range(
        [facts.baseline_value, facts.target_value, *(p.value for p in points)]
    )
    scale = _Scale(start, end, low, high)
    body = _axes(scale, step, start, end, unit_label)
    bx, by = scale.x(facts.baseline_date), scale.y(facts.baseline_value)
    tx, ty = scale.x(facts.target_date), scale.y(facts.target_value)
    body.append(
        f'<line x1="{bx:.1f}" y1="{by:.1f}" x2="{tx:.1f}" y2="{ty:.1f}" stroke="#495057" '
        'stroke-width="2" stroke-dasharray="6 4"/>'
        f'<path d="M{tx:.1f} {ty - 7:.1f} L{tx + 7:.1f} {ty:.1f} L{tx:.1f} {ty + 7:.1f} '
        f'L{tx - 7:.1f} {ty:.1f} Z" fill="#ffffff" stroke="#495057" stroke-width="2"/>'
        f'<text x="{tx - 10:.1f}" y="{ty - 10 if ty > TOP + 20 else ty + 22:.1f}" '
        f'text-anchor="end" {TEXT}>Target</text>'
        f'<rect x="{bx - 5:.1f}" y="{by - 5:.1f}" width="10" height="10" fill="#495057"/>'
    )
    if points:
        path = " ".join(
            f"{'M' if i == 0 else 'L'}{scale.x(p.measured_on):.1f} {scale.y(p.value):.1f}"
            for i, p in enumerate(points)
        )
        body.append(f'<path d="{path}" fill="none" stroke="#0b5cad" stroke-width="2.5"/>')
        body.extend(
            f'<circle cx="{scale.x(p.measured_on):.1f}" cy="{scale.y(p.value):.1f}" r="4" '
            'fill="#0b5cad"/>'
            for p in points
        )
    title = f"{name}: baseline, planned line to target and measurements"
    summary = _summary(facts, points, status, unit_label)
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="indicator-chart" role="img" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" font-family="{FONT}" aria-labelledby="{element_id}-t {element_id}-d">'
        f'<title id="{element_id}-t">{escape(title)}</title>'
        f'<desc id="{element_id}-d">{escape(summary)}</desc>'
        f"{''.join(body)}</svg>"
    )
    return IndicatorChart(mark_safe(svg), title, summary, _table(facts, points))  # noqa: S308


def _summary(facts, points, status, unit_label) -> str:
    n = len(points)
    lines = [
        f"Baseline {rules.number_text(facts.baseline_value)} on {rules.long_date(facts.baseline_date)}; "
        f"target {rules.number_text(facts.target_value)} by {rules.long_date(facts.target_date)} "
        f"({unit_label.lower()}, {'higher' if facts.good_direction == 'higher' else 'lower'} "
        "is better).",
        f"{n} measurement{'s' if n != 1 else ''}"
        + (
            f", from {rules.long_date(points[0].measured_on)} to "
            f"{rules.long_date(points[-1].measured_on)}, latest "
            f"{rules.number_text(points[-1].value)}."
            if points
            else "."
        ),
        f"Status: {status.label}. {status.reason}",
    ]
    return " ".join(lines)


def _table(facts, points) -> list[TableRow]:
    rows = [TableRow(facts.baseline_date, facts.baseline_value, facts.baseline_value, "Baseline")]
    rows += [
        TableRow(
            p.measured_on,
            p.value,
            rules.expected_value(facts, p.measured_on).quantize(Decimal("0.01")),
            "Measurement",
        )
        for p in points
    ]
    rows.append(TableRow(facts.target_date, facts.target_value, facts.target_value, "Target"))
    return sorted(rows, key=lambda r: (r.measured_on, r.what != "Baseline"))
