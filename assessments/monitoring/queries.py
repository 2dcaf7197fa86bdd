"""Read side of outcomes monitoring: indicators with their latest measurement and status.

`indicator_rows` costs two queries whatever the number of projects and indicators: the rule
set in force (one) and the indicators with their project, determinant and owner joined and the
latest measurement after the baseline read by subqueries (one). The status itself is computed
in Python by scoring.monitoring, never stored.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from assessments.models import (
    CapitalProject,
    Indicator,
    IndicatorSuggestion,
    Measurement,
    RuleSet,
)
from assessments.scoring import monitoring as rules
from assessments.scoring.schema import MonitoringRules
from assessments.scoring.schema import RuleSet as RuleSetParams


class MonitoringRulesMissing(LookupError):
    """No loaded rule set has a monitoring section (run load_reference_data)."""


def monitoring_rules() -> MonitoringRules:
    """The monitoring section of the newest rule set that has one. One query.

    Rule sets published before monitoring existed have no such section; monitoring judges
    today's figures rather than a stored score, so it always uses the newest section."""
    for rule_set in RuleSet.objects.order_by("-published", "-id").only("version", "parameters"):
        if "monitoring" in rule_set.parameters:
            params = RuleSetParams.from_mapping(
                {**rule_set.parameters, "version": rule_set.version}
            )
            assert params.monitoring is not None
            return params.monitoring
    raise MonitoringRulesMissing("No rule set with a monitoring section is loaded.")


def facts_of(indicator: Indicator) -> rules.IndicatorFacts:
    return rules.IndicatorFacts(
        good_direction=indicator.good_direction,
        baseline_value=indicator.baseline_value,
        baseline_date=indicator.baseline_date,
        target_value=indicator.target_value,
        target_date=indicator.target_date,
        frequency=indicator.frequency,
        active=indicator.active,
    )


def points_of(measurements: Iterable[Measurement]) -> list[rules.Point]:
    return [rules.Point(m.measured_on, m.value) for m in measurements]


@dataclass(frozen=True)
class IndicatorRow:
    """One indicator (project, determinant and owner loaded) with its computed status.
    `status.latest` is the latest measurement after the baseline date, or None."""

    indicator: Indicator
    status: rules.StatusResult

    @property
    def project(self) -> CapitalProject:
        return self.indicator.project


def _with_latest(indicators: QuerySet[Indicator]) -> QuerySet[Indicator]:
    latest = Measurement.objects.filter(
        indicator=OuterRef("pk"), measured_on__gt=OuterRef("baseline_date")
    ).order_by("-measured_on", "-id")
    return indicators.annotate(
        latest_on=Subquery(latest.values("measured_on")[:1]),
        latest_value=Subquery(latest.values("value")[:1]),
    )


def indicator_rows(
    projects: QuerySet[CapitalProject] | Iterable[CapitalProject | int],
    *,
    today: datetime.date | None = None,
    active_only: bool = False,
    monitoring: MonitoringRules | None = None,
    where: Q | None = None,
) -> list[IndicatorRow]:
    """Every indicator of these projects (narrowed by `where`, a filter on Indicator), in
    project then determinant order, with its status as of `today` (default: the local date).
    Two queries (one if `monitoring` is passed)."""
    today = today or timezone.localdate()
    monitoring = monitoring or monitoring_rules()
    indicators = Indicator.objects.filter(project__in=projects).select_related(
        "project", "project__council", "determinant", "owner"
    )
    if active_only:
        indicators = indicators.filter(active=True)
    if where is not None:
        indicators = indicators.filter(where)
    rows = []
    ordered = _with_latest(indicators).order_by(
        "project__title", "project_id", "determinant__order", "name", "id"
    )
    # latest_on and latest_value are the annotations of _with_latest, not model fields.
    for indicator in ordered:
        latest_on = getattr(indicator, "latest_on")  # noqa: B009 (an annotation)
        latest_value = getattr(indicator, "latest_value")  # noqa: B009
        latest = [] if latest_on is None else [rules.Point(latest_on, latest_value)]
        status = rules.indicator_status(facts_of(indicator), latest, monitoring, today)
        rows.append(IndicatorRow(indicator, status))
    return rows


def indicator_row(indicator: Indicator, *, today: datetime.date | None = None) -> IndicatorRow:
    """One indicator's row (latest measurement and status). Two queries."""
    [row] = indicator_rows([indicator.project_id], today=today, where=Q(pk=indicator.pk))
    return row


def rows_by_project(rows: Iterable[IndicatorRow]) -> dict[int, list[IndicatorRow]]:
    grouped: dict[int, list[IndicatorRow]] = {}
    for row in rows:
        grouped.setdefault(row.indicator.project_id, []).append(row)
    return grouped


def points_by_indicator(indicator_ids: Iterable[int]) -> dict[int, list[rules.Point]]:
    """Every measurement of these indicators as chart points, in date order. One query."""
    points: dict[int, list[rules.Point]] = {pk: [] for pk in indicator_ids}
    for indicator_id, measured_on, value in (
        Measurement.objects.filter(indicator_id__in=list(points))
        .order_by("measured_on", "id")
        .values_list("indicator_id", "measured_on", "value")
    ):
        points[indicator_id].append(rules.Point(measured_on, value))
    return points


def indicator_detail(pk: int) -> Indicator:
    """One indicator with its project (and council), determinant and owner. One query."""
    return Indicator.objects.select_related(
        "project", "project__council", "project__current_stage", "determinant", "owner"
    ).get(pk=pk)


def measurements_of(indicator: Indicator) -> list[Measurement]:
    """Newest first, with who entered them and the stage they belong to. One query."""
    return list(
        indicator.measurements.select_related(
            "entered_by", "assessment", "assessment__stage"
        ).order_by("-measured_on", "-id")
    )


def suggestions_by_determinant() -> dict[str, list[IndicatorSuggestion]]:
    """Suggested indicators grouped by determinant, for the 'start from a suggestion' list."""
    grouped: dict[str, list[IndicatorSuggestion]] = {}
    for suggestion in IndicatorSuggestion.objects.select_related("determinant"):
        grouped.setdefault(str(suggestion.determinant), []).append(suggestion)
    return grouped


def overdue_for(user, *, today: datetime.date | None = None) -> list[IndicatorRow]:
    """Active indicators whose measurement is overdue and that this person answers for: those
    they own, and those with no owner on projects they manage. Two queries."""
    mine = Q(owner=user) | Q(owner__isnull=True, project__project_manager=user)
    rows = indicator_rows(CapitalProject.objects.all(), today=today, active_only=True, where=mine)
    return [row for row in rows if row.status.overdue]
