"""Portfolio read side for the regional dashboard: every figure is aggregated in the database."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import (
    Case,
    Count,
    DecimalField,
    Exists,
    F,
    FilteredRelation,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)

from assessments import permissions
from assessments.enums import FROZEN_STATUSES, RATING_LABELS, AssessmentStatus
from assessments.models import (
    AssessmentFlag,
    CapitalProject,
    Council,
    DeterminantRating,
    StageAssessment,
)
from assessments.scoring import flags

# ------------------------------------------------------------------ dashboard queries

RATINGS = ("red", "amber", "green", "grey")
# F8: an action from an earlier stage is past its due stage (assessments.scoring.rules).
OVERDUE_FLAG = "F8"


def status_label(status: str | None) -> str:
    return AssessmentStatus(status).label if status in AssessmentStatus.values else ""


def dashboard_councils(user) -> QuerySet[Council]:
    return permissions.dashboard_councils(user, Council.objects.all())


def with_latest(projects: QuerySet[CapitalProject]) -> QuerySet[CapitalProject]:
    """Join each project to its latest live assessment (StageAssessment.is_latest, kept by
    assessments.projects.latest): one LEFT JOIN, so no per-project subquery."""
    return projects.annotate(
        latest=FilteredRelation("assessments", condition=Q(assessments__is_latest=True))
    )


def portfolio_projects(user) -> QuerySet[CapitalProject]:
    """Projects the user may see on the dashboard, each annotated with its latest live
    assessment's id, stage, status, rating and equity index (one query)."""
    projects = CapitalProject.objects.filter(council__in=dashboard_councils(user))
    return (
        with_latest(projects.select_related("council", "current_stage"))
        .annotate(
            latest_id=F("latest__pk"),
            latest_stage=F("latest__stage__name"),
            latest_status=F("latest__status"),
            latest_rating=F("latest__overall_rating"),
            latest_equity=F("latest__equity_index"),
            latest_completeness=F("latest__completeness"),
        )
        .annotate(
            rating_rank=Case(
                *(When(latest_rating=r, then=Value(i)) for i, r in enumerate(RATINGS)),
                default=Value(len(RATINGS)),
                output_field=IntegerField(),
            )
        )
    )


def latest_assessments() -> QuerySet[StageAssessment]:
    """Each project's latest live assessment (at most one per project: a database constraint)."""
    return StageAssessment.objects.filter(is_latest=True)


def _ids(projects: QuerySet) -> QuerySet:
    """The filtered projects as a plain id subquery: the display annotations are left out, so
    aggregates never evaluate them row by row."""
    return projects.order_by().values("pk")


def filter_latest(projects: QuerySet, **lookups) -> QuerySet:
    """Projects whose latest live assessment matches the lookups (a semi-join)."""
    return projects.filter(pk__in=latest_assessments().filter(**lookups).values("project_id"))


def with_open_flag(projects: QuerySet, code: str) -> QuerySet:
    return filter_latest(projects, flags__code=code)


@dataclass
class Headline:
    projects: int
    budget: object
    by_rating: list[dict]
    stages_signed_off: int
    stages_pending: int
    overdue_projects: int


@dataclass
class Figures:
    headline: Headline
    equity: list[dict]
    # Each council's projects by latest overall rating (same keys as headline.by_rating).
    by_council: list[dict] = field(default_factory=list)


_MONEY = DecimalField(max_digits=16, decimal_places=2)


def _projects_per_council(ids) -> dict[int, Mapping[str, Any]]:
    """council id -> {n, total}: how many projects and their budget."""
    return {
        row["council_id"]: row
        for row in CapitalProject.objects.filter(pk__in=ids)
        .order_by()
        .values("council_id")
        .annotate(n=Count("id"), total=Sum("budget", output_field=_MONEY))
    }


def _latest_per_council_and_rating(ids) -> list[Mapping[str, Any]]:
    """The latest assessments grouped by council and rating: count, budget, equity sum and
    count, and how many have an overdue action."""
    overdue = Exists(AssessmentFlag.objects.filter(assessment=OuterRef("pk"), code=OVERDUE_FLAG))
    return list(
        latest_assessments()
        .filter(project__in=ids)
        .order_by()
        .values("project__council_id", "overall_rating")
        .annotate(
            n=Count("id"),
            total=Sum("project__budget", output_field=_MONEY),
            equity_sum=Sum("equity_index"),
            equity_n=Count("equity_index"),
            overdue=Count("id", filter=Q(overdue)),
        )
    )


def _by_rating(latest_rows: list[Mapping[str, Any]], n_projects: int, budget) -> list[dict]:
    """Projects and budget per latest rating, then the rest as not scored (no live assessment
    yet, or one never scored)."""
    by_rating = []
    for r in RATINGS:
        rows = [row for row in latest_rows if row["overall_rating"] == r]
        by_rating.append(
            {
                "rating": r,
                "label": RATING_LABELS[r],
                "projects": sum(row["n"] for row in rows),
                "budget": sum((row["total"] or 0 for row in rows), start=0),
            }
        )
    by_rating.append(
        {
            "rating": "",
            "label": RATING_LABELS[""],
            "projects": n_projects - sum(row["projects"] for row in by_rating),
            "budget": budget - sum((row["budget"] for row in by_rating), start=0),
        }
    )
    return by_rating


def _equity_by_council(
    councils: list[Council],
    per_council: Mapping[int, Mapping[str, Any]],
    latest_rows: list[Mapping[str, Any]],
) -> list[dict]:
    """Each council's project count and mean equity index over its scored latest assessments."""
    equity = []
    for council in councils:
        rows = [row for row in latest_rows if row["project__council_id"] == council.id]
        scored = sum(row["equity_n"] for row in rows)
        total = sum((row["equity_sum"] or 0 for row in rows), start=0)
        equity.append(
            {
                "council": council,
                "projects": per_council.get(council.id, {}).get("n", 0),
                "scored": scored,
                "mean": (Decimal(str(total)) / scored) if scored else None,
            }
        )
    return equity


def figures(projects: QuerySet, councils: list[Council]) -> Figures:
    """Headline figures and equity by council in three grouped queries: projects and budget per
    council; latest assessments per council and rating (count, budget, equity sum, overdue);
    stage assessments signed off and pending. The small grouped results are combined here."""
    ids = _ids(projects)
    per_council = _projects_per_council(ids)
    latest_rows = _latest_per_council_and_rating(ids)
    stages = StageAssessment.objects.filter(project__in=ids).aggregate(
        signed=Count("id", filter=Q(status=AssessmentStatus.SIGNED_OFF)),
        pending=Count("id", filter=~Q(status__in=FROZEN_STATUSES)),
    )
    n_projects = sum(row["n"] for row in per_council.values())
    budget = sum((row["total"] or 0 for row in per_council.values()), start=0)
    return Figures(
        headline=Headline(
            projects=n_projects,
            budget=budget,
            by_rating=_by_rating(latest_rows, n_projects, budget),
            stages_signed_off=stages["signed"],
            stages_pending=stages["pending"],
            overdue_projects=sum(row["overdue"] for row in latest_rows),
        ),
        equity=_equity_by_council(councils, per_council, latest_rows),
        by_council=_ratings_by_council(councils, per_council, latest_rows),
    )


def _ratings_by_council(
    councils: list[Council],
    per_council: Mapping[int, Mapping[str, Any]],
    latest_rows: list[Mapping[str, Any]],
) -> list[dict]:
    """Per council: how many projects' latest assessments carry each rating, and the rest."""
    table = []
    for council in councils:
        rows = [row for row in latest_rows if row["project__council_id"] == council.id]
        counts = {r: sum(row["n"] for row in rows if row["overall_rating"] == r) for r in RATINGS}
        total = per_council.get(council.id, {}).get("n", 0)
        table.append(
            {
                "council": council,
                "counts": [counts[r] for r in RATINGS] + [total - sum(counts.values())],
                "projects": total,
            }
        )
    return table


# The flag legend: what raises each flag, in the words of its criteria (assessments.scoring.flags).
FLAG_MEANINGS = {
    "F1": "Serious or uncertain harms, or a request from the community panel: a full health "
    "impact assessment is recommended while the decision is still open.",
    "F2": "A significant harm, or one on a priority group, has no mitigation action yet.",
    "F3": "A benefit is skewed to advantaged groups, or a medium-or-higher benefit has no "
    "delivery mechanism.",
    "F4": "A significant answer rests on weak, no or unrecorded evidence, or an answer is "
    "uncertain.",
    "F5": "An answer relies on another assessment that is not linked or not complete.",
    "F6": "A medium-or-higher impact has no monitoring indicator and baseline.",
    "F7": "A material change to the project is recorded: assess it again.",
    "F8": "An action from an earlier stage is past the stage it was due by.",
    "F9": "An outcome indicator's measurement is overdue at operation or evaluation.",
}


def flag_counts(projects: QuerySet) -> list[dict]:
    """Every flag with its title and how many projects' latest assessments raise it (one
    grouped query); flags raised nowhere are listed with 0, so the legend is complete."""
    counts = dict(
        AssessmentFlag.objects.filter(
            assessment__in=latest_assessments().filter(project__in=_ids(projects))
        )
        .order_by()
        .values("code")
        .annotate(n=Count("id"))
        .values_list("code", "n")
    )
    return [
        {
            "code": code,
            "title": title,
            "meaning": FLAG_MEANINGS.get(code, ""),
            "projects": counts.get(code, 0),
        }
        for code, title in flags.FLAG_TITLES.items()
    ]


ATTENTION_LIMIT = 20


def needing_attention(projects: QuerySet, limit: int = ATTENTION_LIMIT) -> list[CapitalProject]:
    """Projects whose latest assessment is rated red or has an overdue action, largest budget
    first: at most `limit`, so a board pack stays short however big the portfolio."""
    overdue = filter_latest(projects, flags__code=OVERDUE_FLAG).values("pk")
    red = filter_latest(projects, overall_rating="red").values("pk")
    has_overdue = Exists(
        latest_assessments().filter(project=OuterRef("pk"), flags__code=OVERDUE_FLAG)
    )
    chosen = (
        projects.filter(Q(pk__in=red) | Q(pk__in=overdue))
        .annotate(has_overdue=has_overdue)
        .order_by("-budget", "pk")
    )
    listed = list(chosen[:limit])
    for project in listed:
        reasons = []
        if project.latest_rating == "red":
            reasons.append("red overall rating")
        if project.has_overdue:
            reasons.append("overdue actions (F8)")
        project.attention_reasons = ", ".join(reasons)
    return listed


@dataclass
class HeatCell:
    red: int
    amber: int
    level: int  # 0-4, for the cell's shading class

    @property
    def harmed(self) -> int:
        return self.red + self.amber


@dataclass
class HeatMap:
    councils: list
    rows: list  # (determinant, [HeatCell per council])


def heat_map(projects: QuerySet, councils: list[Council], determinants: list) -> HeatMap:
    """Determinants × councils: how many projects' latest assessments rate the harm on that
    determinant red or amber. One grouped query over the queryable ratings."""
    counts = (
        DeterminantRating.objects.filter(harm_rag__in=["red", "amber"])
        .filter(assessment__in=latest_assessments().filter(project__in=_ids(projects)))
        .values("determinant_id", "assessment__project__council_id")
        .annotate(
            red=Count("id", filter=Q(harm_rag="red")), amber=Count("id", filter=Q(harm_rag="amber"))
        )
        .order_by()
    )
    cells = {(c["determinant_id"], c["assessment__project__council_id"]): c for c in counts}
    rows = []
    for determinant in determinants:
        row = []
        for council in councils:
            c = cells.get((determinant.id, council.id), {"red": 0, "amber": 0})
            weight = 2 * c["red"] + c["amber"]
            level = 0 if not weight else min(4, 1 + weight // 2)
            row.append(HeatCell(c["red"], c["amber"], level))
        rows.append((determinant, row))
    return HeatMap(councils=councils, rows=rows)
