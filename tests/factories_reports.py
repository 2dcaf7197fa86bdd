"""Plain factory functions for report tests and the report benchmark."""

from __future__ import annotations

import itertools
from decimal import Decimal

from django.contrib.auth import get_user_model

from assessments import editing, scoring
from assessments.enums import AssessmentStatus, Role
from assessments.models import (
    AnswerGroup,
    CapitalProject,
    Council,
    LifecycleStage,
    Membership,
    PopulationGroup,
    StageAssessment,
)
from assessments.reference_data import load_reference_data

PROJECT_TITLE = "Govan riverside housing and active travel scheme"


def load_reference() -> None:
    load_reference_data()


def make_user(username: str, *, council: Council | None = None, role: str = Role.PROJECT_MANAGER, **extra):
    user = get_user_model().objects.create_user(
        username=username, password="a-long-test-password-1", first_name=username.split(".")[0].title(),
        last_name="Tester", **extra,
    )
    if council is not None or role == Role.PMO_VIEWER:
        Membership.objects.create(user=user, council=council, role=role)
    return user


def make_project(*, council: Council | None = None, reference: str = "GCC-TEST-001", title: str = PROJECT_TITLE,
                 stage: str = "STRATEGIC", pm=None, **overrides) -> CapitalProject:
    council = council or Council.objects.get(code="S12000049")
    return CapitalProject.objects.create(
        council=council, reference=reference, title=title,
        description=overrides.pop("description", "New homes, a riverside path and a cycle bridge in Govan."),
        project_type=overrides.pop("project_type", "regeneration"), budget=overrides.pop("budget", Decimal("42000000")),
        city_deal=overrides.pop("city_deal", True), postcodes=["G51 3XX"], data_zones=["S01010212"],
        current_stage=LifecycleStage.objects.get(code=stage), project_manager=pm, senior_responsible_officer=pm,
        created_by=pm, **overrides,
    )


def start(project: CapitalProject, stage: str, *, by=None) -> StageAssessment:
    return editing.start_assessment(project, LifecycleStage.objects.get(code=stage), by=by)


# Cycled through the answers so a complete assessment has a realistic mix of everything.
_PATTERNS = [
    dict(direction="negative", likelihood=3, severity=2, duration="long", reach="locality", reversible=True,
         evidence_strength="moderate", pathway="Construction traffic and dust along the school route for two years.",
         mitigation="Construction logistics plan with school-hours delivery ban", mitigation_owner="Contracts manager",
         residual_likelihood=2, residual_severity=1, evidence_notes="Air quality monitoring at two nearby sites."),
    dict(direction="positive", likelihood=4, severity=2, duration="long", reach="locality", distribution="priority",
         evidence_strength="strong", pathway="Warm, affordable homes let to households on the housing list.",
         delivery_mechanism="Nomination agreement with the housing association",
         monitoring_indicator="Households in fuel poverty", indicator_baseline="34% (2024 survey)"),
    dict(direction="no_impact", pathway=""),
    dict(direction="negative", likelihood=2, severity=1, duration="short", reach="neighbourhood",
         evidence_strength="weak", pathway="Temporary loss of a footpath used by older residents.",
         mitigation="Step-free signed diversion", mitigation_owner="Site manager"),
    dict(direction="uncertain", pathway="Not yet known whether local firms will win the work."),
    dict(direction="positive", likelihood=3, severity=1, duration="medium", reach="region", distribution="even",
         evidence_strength="moderate", pathway="Better cycle links to the hospital and the college."),
    dict(direction="not_applicable"),
    dict(direction="negative", likelihood=4, severity=3, duration="long", reach="locality", reversible=False,
         evidence_strength="strong", pathway="Loss of the community garden that many families use.",
         mitigation="Replacement garden on the riverside before demolition", mitigation_owner="Regeneration lead",
         residual_likelihood=2, residual_severity=1, monitoring_indicator="Garden users per week",
         indicator_baseline="120"),
]
_GROUP_SETS = [
    [("SE_AREA_DEP", True), ("PC_AGE_CHILD", True)],
    [("SE_LOW_INCOME", True), ("PC_DISABILITY", False)],
    [],
    [("PC_AGE_OLDER", True)],
    [("RB_BUSINESSES", False)],
    [("RB_OCCUPANTS_USERS", False), ("OG_CARERS", False)],
    [],
    [("PC_AGE_CHILD", True), ("OG_LONE_PARENT", True), ("SE_AREA_DEP", False)],
]


def fill_answers(assessment: StageAssessment, *, by=None, overrides: dict | None = None,
                 limit: int | None = None) -> StageAssessment:
    """Answer every question of the assessment (or the first `limit`), then re-score it."""
    groups = {g.code: g for g in PopulationGroup.objects.all()}
    answers = list(assessment.answers.select_related("question").order_by("question__code"))[:limit]
    for answer, pattern, group_set in zip(answers, itertools.cycle(_PATTERNS), itertools.cycle(_GROUP_SETS)):
        for name, value in {**pattern, **(overrides or {})}.items():
            setattr(answer, name, value)
        answer.updated_by = by
        answer.save()
        if answer.direction in ("positive", "negative", "uncertain"):
            AnswerGroup.objects.bulk_create(
                AnswerGroup(answer=answer, group=groups[code], disproportionate=disp) for code, disp in group_set
            )
    scoring.refresh_snapshot(assessment)
    return assessment


STATUS_EVENTS = {AssessmentStatus.APPROVED: "approve", AssessmentStatus.SIGNED_OFF: "sign_off"}


def set_status(assessment: StageAssessment, status: str, *, by=None) -> StageAssessment:
    """Move a report fixture straight to a status, with the status-change record the workflow
    would write (reports only read that record; the workflow's own rules are tested elsewhere)."""
    from assessments.models import StatusChange

    StatusChange.objects.create(
        assessment=assessment, event=STATUS_EVENTS.get(status, status), from_status=assessment.status,
        to_status=status, by=by,
    )
    assessment.status = status
    assessment.save()
    return assessment


def sign_off(assessment: StageAssessment) -> StageAssessment:
    set_status(assessment, AssessmentStatus.APPROVED)
    return set_status(assessment, AssessmentStatus.SIGNED_OFF)


def seven_stage_project(*, by=None, sign_off_before_last: bool = True) -> CapitalProject:
    """A project with all seven stages assessed and fully answered (for the benchmark)."""
    project = make_project(reference="GCC-BENCH-7", stage="EVALUATION", pm=by)
    stages = list(LifecycleStage.objects.order_by("order"))
    for index, stage in enumerate(stages):
        assessment = start(project, stage.code, by=by)
        fill_answers(assessment, by=by)
        if sign_off_before_last and index < len(stages) - 1:
            sign_off(assessment)
    return project
