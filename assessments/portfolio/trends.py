"""Trends over time for the regional dashboard: what each quarter's signed-off stage assessments
found, from the stored status history (the sign-off's StatusChange) and the score snapshot frozen
with it (overall rating, and the queryable open flags).

A signed-off assessment never changes, so a quarter's figures stay as they were once the quarter
is over. Two grouped queries whatever the size of the portfolio."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.db.models.functions import TruncQuarter
from django.utils import timezone

from assessments.enums import RATING_LABELS, AssessmentStatus
from assessments.models import AssessmentFlag, StageAssessment, StatusChange
from assessments.portfolio.figures import RATINGS
from assessments.scoring import flags

QUARTERS = 8  # two years: enough to see a direction, short enough for a board table


def quarter_start(day: date) -> date:
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def quarter_label(start: date) -> str:
    return f"{start.year} Q{(start.month - 1) // 3 + 1}"


def last_quarters(today: date, count: int = QUARTERS) -> list[date]:
    """The first days of the last `count` quarters, oldest first, ending with today's."""
    year, month = today.year, quarter_start(today).month
    starts = []
    for _ in range(count):
        starts.append(date(year, month, 1))
        month -= 3
        if month < 1:
            month += 12
            year -= 1
    return starts[::-1]


@dataclass
class QuarterRow:
    label: str
    ratings: list[int]  # per RATINGS, then not scored
    flags: list[int]  # per flags.FLAG_TITLES

    @property
    def signed_off(self) -> int:
        return sum(self.ratings)


@dataclass
class Trends:
    rating_labels: list[tuple[str, str]]  # (rating, label) per column
    flag_legend: list[tuple[str, str]]  # (code, title) per column
    rows: list[QuarterRow]

    @property
    def any(self) -> bool:
        return any(row.signed_off for row in self.rows)


def _signed_at(assessment_ref: str) -> Subquery:
    """When the assessment was signed off: its last status change into signed off."""
    changes = StatusChange.objects.filter(
        assessment=OuterRef(assessment_ref), to_status=AssessmentStatus.SIGNED_OFF
    ).exclude(from_status=AssessmentStatus.SIGNED_OFF)
    return Subquery(changes.order_by("-at").values("at")[:1])


def _signed_off_since(projects: QuerySet, since: date) -> QuerySet:
    """The projects' stage assessments signed off since `since`, each with its quarter."""
    return (
        StageAssessment.objects.filter(
            project__in=projects.order_by().values("pk"), status=AssessmentStatus.SIGNED_OFF
        )
        .annotate(quarter=TruncQuarter(_signed_at("pk")))
        .filter(quarter__gte=timezone.make_aware(datetime.combine(since, time())))
    )


def _day(value) -> date:
    return value.date() if hasattr(value, "date") else value


def quarterly_trends(projects: QuerySet, today: date | None = None) -> Trends:
    starts = last_quarters(today or timezone.localdate())
    signed = _signed_off_since(projects, starts[0])
    by_rating = (
        signed.order_by()
        .values("quarter", "overall_rating")
        .annotate(n=Count("id"))
        .values_list("quarter", "overall_rating", "n")
    )
    by_flag = (
        AssessmentFlag.objects.filter(assessment__in=signed.values("pk"))
        .annotate(quarter=TruncQuarter(_signed_at("assessment_id")))
        .order_by()
        .values("quarter", "code")
        .annotate(n=Count("id"))
        .values_list("quarter", "code", "n")
    )
    ratings: dict[tuple[date, str], int] = {}
    for quarter, rating, n in by_rating:
        key = rating if rating in RATINGS else ""
        ratings[(_day(quarter), key)] = ratings.get((_day(quarter), key), 0) + n
    flag_counts = {(_day(quarter), code): n for quarter, code, n in by_flag}
    columns = [*RATINGS, ""]
    return Trends(
        rating_labels=[(r, RATING_LABELS[r]) for r in columns],
        flag_legend=list(flags.FLAG_TITLES.items()),
        rows=[
            QuarterRow(
                label=quarter_label(start),
                ratings=[ratings.get((start, r), 0) for r in columns],
                flags=[flag_counts.get((start, code), 0) for code in flags.FLAG_TITLES],
            )
            for start in starts
        ],
    )
