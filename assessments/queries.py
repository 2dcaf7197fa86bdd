"""Read side: one function per screen, owning select_related/prefetch_related."""

from __future__ import annotations

from django.db import connection
from django.db.models import Prefetch, QuerySet
from django.db.models.expressions import RawSQL
from django.shortcuts import get_object_or_404
from django.utils import timezone

from . import permissions
from .models import (
    Action,
    ActionPlanAcceptance,
    Answer,
    AnswerGroup,
    AssessmentSection,
    CapitalProject,
    ConsultationWindow,
    Council,
    Determinant,
    LifecycleStage,
    PopulationGroup,
    QuestionBank,
    RatingOverride,
    RuleSet,
    StageAssessment,
    StatusChange,
)


def projects_for(user) -> QuerySet[CapitalProject]:
    projects = CapitalProject.objects.select_related("council", "current_stage", "project_manager")
    if permissions.sees_all_councils(user):
        return projects
    return projects.filter(council_id__in=permissions.council_ids_with(user, permissions.READER_ROLES))


def project_detail(pk: int) -> CapitalProject:
    return get_object_or_404(
        CapitalProject.objects.select_related(
            "council", "current_stage", "project_manager", "senior_responsible_officer"
        ),
        pk=pk,
    )


def project_assessments(project: CapitalProject) -> list[StageAssessment]:
    return list(
        project.assessments.select_related("stage", "question_bank", "rule_set").order_by(
            "stage__order", "-created_at"
        )
    )


def assessment_header(pk: int) -> StageAssessment:
    return get_object_or_404(
        StageAssessment.objects.select_related(
            "project__council", "project__current_stage", "stage", "question_bank", "rule_set"
        ),
        pk=pk,
    )


def _page_stamp_sql() -> str:
    """SQL for one text value that changes whenever anything the assessment page shows changes,
    other than the assessment and project rows themselves (their updated_at travel with the row).

    Each related table contributes its row count (so deletions count) and its newest change:
    updated_at where the table has one, else the newest id (those rows are only ever added).
    Consultation windows also contribute how many are open at the moment given as the one
    parameter, so a window passing its closing time changes the value without any write.
    Reference rows contribute their own updated_at, so a council renamed in the admin shows at
    once. Plain SQL that SQLite and PostgreSQL both accept, so it costs one round trip and no
    ORM compilation on every request."""
    a = StageAssessment._meta.db_table
    p = CapitalProject._meta.db_table

    def rows(model, newest):
        table = model._meta.db_table
        return (f"(SELECT COUNT(*) || '.' || COALESCE(CAST(MAX({newest}) AS TEXT), '') "
                f"FROM {table} WHERE assessment_id = {a}.id)")

    def stamp_of(model, id_column):
        return f"COALESCE((SELECT CAST(updated_at AS TEXT) FROM {model._meta.db_table} WHERE id = {id_column}), '')"

    windows = ConsultationWindow._meta.db_table
    parts = [
        rows(Answer, "updated_at"),
        rows(AssessmentSection, "updated_at"),
        rows(StatusChange, "id"),
        rows(Action, "updated_at"),
        rows(RatingOverride, "id"),
        rows(ActionPlanAcceptance, "id"),
        rows(ConsultationWindow, "id"),
        f"(SELECT COUNT(*) FROM {windows} WHERE assessment_id = {a}.id AND closed_at IS NULL "
        "AND (closes_at IS NULL OR closes_at > %s))",
        stamp_of(Council, f"{p}.council_id"),
        stamp_of(LifecycleStage, f"{p}.current_stage_id"),
        stamp_of(QuestionBank, f"{a}.question_bank_id"),
        stamp_of(RuleSet, f"{a}.rule_set_id"),
    ]
    return "(" + " || '|' || ".join(parts) + ")"


def assessment_page(pk: int) -> StageAssessment:
    """The assessment page's one query on a cache hit: the assessment with its project and
    stage (for the title and permission checks), without the large score snapshot, and with
    `page_stamp` (see _page_stamp_sql). Everything else is read only when the cached page is
    missing or out of date."""
    moment = connection.ops.adapt_datetimefield_value(timezone.now())
    return get_object_or_404(
        StageAssessment.objects.select_related("project", "stage").defer("score_snapshot")
        .annotate(page_stamp=RawSQL(_page_stamp_sql(), [moment])),
        pk=pk,
    )


def answers_with_groups(assessment: StageAssessment, *, determinant: Determinant | None = None) -> list[Answer]:
    answers = assessment.answers.select_related("question__determinant").prefetch_related(
        Prefetch("groups", queryset=AnswerGroup.objects.select_related("group"))
    )
    if determinant is not None:
        answers = answers.filter(question__determinant=determinant)
    return list(answers.order_by("question__determinant__order", "question__order"))


def sections(assessment: StageAssessment) -> list[AssessmentSection]:
    return list(assessment.sections.select_related("determinant", "updated_by").order_by("determinant__order"))


def population_groups() -> list[PopulationGroup]:
    return list(PopulationGroup.objects.order_by("order", "code"))
