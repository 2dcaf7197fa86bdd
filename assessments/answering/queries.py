"""Read side: one function per screen, owning select_related/prefetch_related."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from assessments import permissions
from assessments.models import (
    Answer,
    AnswerGroup,
    AssessmentSection,
    CapitalProject,
    Determinant,
    PopulationGroup,
    StageAssessment,
)


def projects_for(user) -> QuerySet[CapitalProject]:
    projects = CapitalProject.objects.select_related("council", "current_stage", "project_manager")
    if permissions.sees_all_councils(user):
        return projects
    return projects.filter(
        council_id__in=permissions.council_ids_with(user, permissions.READER_ROLES)
    )


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


def answers_with_groups(
    assessment: StageAssessment, *, determinant: Determinant | None = None
) -> list[Answer]:
    answers = assessment.answers.select_related("question__determinant").prefetch_related(
        Prefetch("groups", queryset=AnswerGroup.objects.select_related("group"))
    )
    if determinant is not None:
        answers = answers.filter(question__determinant=determinant)
    return list(answers.order_by("question__determinant__order", "question__order"))


def sections(assessment: StageAssessment) -> list[AssessmentSection]:
    return list(
        assessment.sections.select_related("determinant", "updated_by").order_by(
            "determinant__order"
        )
    )


def population_groups() -> list[PopulationGroup]:
    return list(PopulationGroup.objects.order_by("order", "code"))
