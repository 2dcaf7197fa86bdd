"""Read side of the API: each list's rows, limited by assessments.permissions exactly as the
HTML pages are, with the joins each serializer needs (a page costs the same few queries
however many rows it holds)."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet

from assessments import permissions
from assessments.models import (
    Action,
    Answer,
    AnswerGroup,
    CapitalProject,
    ConsultationWindow,
    DeterminantRating,
    Indicator,
    Measurement,
    StageAssessment,
)
from assessments.portfolio import figures as portfolio


def projects(user) -> QuerySet[CapitalProject]:
    rows = CapitalProject.objects.select_related("council", "current_stage")
    return permissions.readable_projects(user, rows).order_by("pk")


def assessments(user) -> QuerySet[StageAssessment]:
    rows = StageAssessment.objects.select_related(
        "project__council", "stage", "rule_set"
    ).prefetch_related(
        "flags",
        Prefetch(
            "determinant_ratings",
            queryset=DeterminantRating.objects.select_related("determinant").order_by(
                "determinant__order"
            ),
        ),
    )
    return permissions.readable_assessments(user, rows).order_by("pk")


def _visible_assessment_ids(user):
    return permissions.readable_assessments(user, StageAssessment.objects.all()).values("pk")


def answers(user) -> QuerySet[Answer]:
    return (
        Answer.objects.filter(assessment__in=_visible_assessment_ids(user))
        .select_related("question__determinant")
        .prefetch_related(Prefetch("groups", queryset=AnswerGroup.objects.select_related("group")))
        .order_by("pk")
    )


def actions(user) -> QuerySet[Action]:
    return (
        Action.objects.filter(assessment__in=_visible_assessment_ids(user))
        .select_related("assessment", "due_stage")
        .order_by("pk")
    )


def consultations(user) -> QuerySet[ConsultationWindow]:
    """Consultation windows of stages whose summary the user may read: council staff's own
    stages, and a panel member's as the consultation list shows them. Counts leave hidden
    comments out, as the panel's page does."""
    staff = permissions.readable_assessments(user, StageAssessment.objects.all()).values("pk")
    panel = permissions.panel_readable_assessments(user, StageAssessment.objects.all()).values("pk")
    shown = Q(comments__hidden=False)
    return (
        ConsultationWindow.objects.filter(Q(assessment__in=staff) | Q(assessment__in=panel))
        .select_related("assessment")
        .annotate(
            comments_count=Count("comments", filter=shown),
            concerns_count=Count("comments", filter=shown & Q(comments__is_concern=True)),
            hia_count=Count("comments", filter=shown & Q(comments__requests_full_hia=True)),
        )
        .order_by("pk")
    )


def dashboard_projects(user) -> QuerySet[CapitalProject]:
    return portfolio.portfolio_projects(user)


def dashboard_councils(user):
    return portfolio.dashboard_councils(user)


def _readable_project_ids(user):
    return permissions.readable_projects(user, CapitalProject.objects.all()).values("pk")


def indicators(user) -> QuerySet[Indicator]:
    """Outcome indicators of the projects the user may read."""
    return (
        Indicator.objects.filter(project__in=_readable_project_ids(user))
        .select_related("determinant")
        .order_by("pk")
    )


def measurements(user) -> QuerySet[Measurement]:
    """Measurements of those indicators."""
    return (
        Measurement.objects.filter(indicator__project__in=_readable_project_ids(user))
        .select_related("indicator")
        .order_by("pk")
    )
