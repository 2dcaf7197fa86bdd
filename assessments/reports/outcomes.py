"""Outcome indicators in the stage report and the community summary: a table of each active
indicator (baseline, target, measurements, status) and, for residents, one plain sentence on
what was promised and what has been measured so far.

A signed-off stage's report shows the figures as they stood when it was signed off, so the
archived PDF and a fresh rendering agree; an open stage's shows them as of today."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch
from django.utils import timezone

from assessments.models import Indicator, Measurement, StageAssessment
from assessments.monitoring import charts as drawing
from assessments.monitoring.queries import (
    MonitoringRulesMissing,
    facts_of,
    monitoring_rules,
    points_of,
)
from assessments.reports.charts import FONT, svg_data_uri
from assessments.reports.data import Chart
from assessments.scoring import monitoring as rules

# How a value is written for each unit, so "30" reads "30%" or "£30".
_PREFIX = {"pounds": "£"}
_SUFFIX = {"percent": "%", "rate_per_1000": " per 1,000 people", "minutes": " minutes"}


def value_text(unit: str, value: Decimal) -> str:
    return f"{_PREFIX.get(unit, '')}{rules.number_text(value)}{_SUFFIX.get(unit, '')}"


def _month(day: datetime.date) -> str:
    return f"{day:%B %Y}"


@dataclass(frozen=True)
class OutcomeLine:
    name: str
    determinant: str
    baseline: str
    target: str
    measurements: list[tuple[str, str]]  # (date, value), oldest first
    status: str
    reason: str
    promise: str  # for residents: what was promised
    measured: str  # for residents: what has been measured so far
    chart: Chart | None = None  # baseline, planned line, target and measurements, drawn


def _sentences(indicator: Indicator, status: rules.StatusResult) -> tuple[str, str]:
    unit = indicator.unit
    verb = "rise" if indicator.target_value > indicator.baseline_value else "fall"
    promise = (
        f"We promised that {indicator.name[:1].lower()}{indicator.name[1:]} would {verb} "
        f"from {value_text(unit, indicator.baseline_value)} to "
        f"{value_text(unit, indicator.target_value)} by {_month(indicator.target_date)}."
    )
    if status.latest is None:
        measured = "Nothing has been measured since then yet."
    else:
        measured = (
            f"By {_month(status.latest.measured_on)}, it was "
            f"{value_text(unit, status.latest.value)}: {status.label.lower()}."
        )
    if status.status == rules.Status.NO_DATA_DUE:
        measured += " A newer measurement is overdue."
    return promise, measured


def outcome_lines(assessment: StageAssessment, finalised: datetime.datetime | None) -> list:
    """The project's active indicators as of sign-off (if final) or today. Three queries."""
    as_of = timezone.localdate(finalised) if finalised else timezone.localdate()
    return project_outcome_lines(assessment.project_id, as_of)


def project_outcome_lines(project_id: int, as_of: datetime.date) -> list[OutcomeLine]:
    """The project's active indicators with what had been measured by `as_of`."""
    try:
        monitoring = monitoring_rules()
    except MonitoringRulesMissing:
        return []
    measured = Measurement.objects.filter(measured_on__lte=as_of).order_by("measured_on")
    indicators = (
        Indicator.objects.filter(project_id=project_id, active=True)
        .select_related("determinant")
        .prefetch_related(Prefetch("measurements", queryset=measured))
        .order_by("determinant__order", "name", "pk")
    )
    lines = []
    for indicator in indicators:
        points = points_of(indicator.measurements.all())
        status = rules.indicator_status(facts_of(indicator), points, monitoring, as_of)
        promise, so_far = _sentences(indicator, status)
        lines.append(
            OutcomeLine(
                name=indicator.name,
                determinant=indicator.determinant.plain_name or indicator.determinant.name,
                baseline=f"{value_text(indicator.unit, indicator.baseline_value)} "
                f"({rules.long_date(indicator.baseline_date)})",
                target=f"{value_text(indicator.unit, indicator.target_value)} "
                f"({rules.long_date(indicator.target_date)})",
                measurements=[
                    (rules.long_date(p.measured_on), value_text(indicator.unit, p.value))
                    for p in points
                ],
                status=status.label,
                reason=status.reason,
                promise=promise,
                measured=so_far,
                chart=_chart(indicator, points, status),
            )
        )
    return lines


def _chart(indicator: Indicator, points: list[rules.Point], status) -> Chart:
    """The indicator page's own chart, made printable: an <img> needs the SVG's size to lay it
    out, and the PDF's and Word's renderers know the report font, not the browser's system-ui."""
    drawn = drawing.indicator_chart(
        facts_of(indicator),
        points,
        name=indicator.name,
        unit_label=indicator.get_unit_display(),
        status=status,
        element_id=f"outcome-chart-{indicator.pk}",
    )
    sized = f'<svg width="{drawing.WIDTH}" height="{drawing.HEIGHT}" '
    svg = (
        str(drawn.svg)
        .replace("<svg ", sized, 1)
        .replace(f'font-family="{drawing.FONT}"', f'font-family="{FONT}"', 1)
    )
    count = len(points)
    alt = (
        f"Line chart of {indicator.name}: the baseline, a dashed planned line to the target and "
        f"{count} measurement{'s' if count != 1 else ''} joined by a solid line."
    )
    return Chart(svg_data_uri(svg), alt, drawn.title[:1].upper() + drawn.title[1:], drawn.summary)
