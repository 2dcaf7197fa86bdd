"""Benefits realisation on the dashboard: how the filtered projects' outcome indicators stand,
by council and by determinant, and which projects in use have monitoring overdue.

The statuses are worked out in Python by scoring.monitoring (they depend on today's date, so
they are never stored); the read costs the fixed queries of monitoring.queries.indicator_rows
(two) whatever the number of projects and indicators.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db.models import QuerySet

from assessments.models import CapitalProject, LifecycleStage
from assessments.monitoring.queries import IndicatorRow, indicator_rows, monitoring_rules
from assessments.scoring.monitoring import STATUS_LABELS, Status

# The order the status columns appear in, best news first.
STATUS_ORDER = (Status.ON_TRACK, Status.OFF_TRACK, Status.NO_DATA_DUE, Status.NOT_YET_DUE)


@dataclass
class CountRow:
    label: str
    counts: list[int]
    total: int


@dataclass
class OverdueProject:
    project: CapitalProject
    overdue: int  # indicators whose measurement is overdue
    since: datetime.date  # the earliest day one of them became overdue


@dataclass
class Benefits:
    columns: list[str]
    totals: CountRow
    by_council: list[CountRow]
    by_determinant: list[CountRow]
    overdue_projects: list[OverdueProject] = field(default_factory=list)
    overdue_stages: list[str] = field(default_factory=list)

    @property
    def summary(self) -> list[tuple[int, str]]:
        """(count, status label) for every status, for the sentence above the tables."""
        return list(zip(self.totals.counts, self.columns, strict=True))


def _count_rows(rows: Iterable[IndicatorRow], key, label) -> list[CountRow]:
    """One CountRow per group (in the groups' own order), counting indicators by status."""
    grouped: dict = {}
    for row in rows:
        grouped.setdefault(key(row), Counter())[row.status.status] += 1
    return [
        CountRow(label(group), [counts[s] for s in STATUS_ORDER], sum(counts.values()))
        for group, counts in sorted(grouped.items(), key=lambda item: item[0])
    ]


def _overdue_projects(
    rows: Sequence[IndicatorRow], stages: Sequence[str], minimum: int
) -> list[OverdueProject]:
    """Projects at the monitoring stages (rule set) with at least `minimum` overdue indicators,
    longest overdue first."""
    overdue: dict[int, list[IndicatorRow]] = {}
    for row in rows:
        stage = row.project.current_stage
        if row.status.status == Status.NO_DATA_DUE and stage and stage.code in stages:
            overdue.setdefault(row.project.pk, []).append(row)
    found = [
        OverdueProject(
            late[0].project,
            len(late),
            min(r.status.overdue_from for r in late if r.status.overdue_from),
        )
        for late in overdue.values()
        if len(late) >= minimum
    ]
    return sorted(found, key=lambda item: (item.since, item.project.title))


def benefits(projects: QuerySet[CapitalProject], *, today: datetime.date | None = None) -> Benefits:
    """The benefits-realisation figures for these projects' active indicators. Three queries:
    the rule set, the indicators with their latest measurement, the stages."""
    rules = monitoring_rules()
    ids = projects.order_by().values_list("pk", flat=True)
    rows = indicator_rows(ids, today=today, active_only=True, monitoring=rules)
    stages = {stage.pk: stage for stage in LifecycleStage.objects.order_by("order")}
    for row in rows:  # indicator_rows does not join the current stage
        row.project.current_stage = stages[row.project.current_stage_id]
    every = Counter(row.status.status for row in rows)
    determinants = {
        (r.indicator.determinant.order, r.indicator.determinant.code): (
            r.indicator.determinant.plain_name or r.indicator.determinant.name
        )
        for r in rows
    }
    return Benefits(
        columns=[STATUS_LABELS[s] for s in STATUS_ORDER],
        totals=CountRow("All councils", [every[s] for s in STATUS_ORDER], len(rows)),
        by_council=_count_rows(rows, key=lambda r: r.project.council.name, label=lambda name: name),
        by_determinant=_count_rows(
            rows,
            key=lambda r: (r.indicator.determinant.order, r.indicator.determinant.code),
            label=determinants.__getitem__,
        ),
        overdue_projects=_overdue_projects(rows, rules.flag_stages, rules.flag_min_overdue),
        overdue_stages=_stage_names(stages.values(), rules.flag_stages),
    )


def _stage_names(stages: Iterable[LifecycleStage], codes: Sequence[str]) -> list[str]:
    return [stage.name for stage in stages if stage.code in codes]
