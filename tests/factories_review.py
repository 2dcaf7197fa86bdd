"""Plain-function factories and fixtures for the review, workflow and community tests."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model

from assessments import editing, scoring
from assessments.enums import Role
from assessments.models import (
    CapitalProject,
    Council,
    LifecycleStage,
    Membership,
    StageAssessment,
)

PASSWORD = "a-long-test-password-42"


@pytest.fixture
def ref(reference):
    """Reference data (loaded once per session by conftest; reloaded after a flush)."""


def make_user(username: str, *, council=None, role=None, **extra):
    user = get_user_model().objects.create_user(
        username=username, password=None, email=f"{username}@example.org",
        first_name=username.split(".")[0].capitalize(), last_name="Tester", **extra,
    )
    if role is not None:
        Membership.objects.create(user=user, council=council, role=role)
    return user


class Team:
    """One council's people (and a second council's, for cross-council checks)."""

    def __init__(self):
        self.council = Council.objects.get(code="S12000049")
        self.other_council = Council.objects.get(code="S12000029")
        for key, role in [("pm", Role.PROJECT_MANAGER), ("contributor", Role.CONTRIBUTOR),
                          ("reviewer", Role.REVIEWER), ("reviewer2", Role.REVIEWER), ("sro", Role.SRO),
                          ("panel", Role.PANEL_MEMBER), ("admin", Role.COUNCIL_ADMIN)]:
            setattr(self, key, make_user(f"{key}.a", council=self.council, role=role))
        for key, role in [("other_pm", Role.PROJECT_MANAGER), ("other_reviewer", Role.REVIEWER),
                          ("other_sro", Role.SRO), ("other_panel", Role.PANEL_MEMBER),
                          ("other_admin", Role.COUNCIL_ADMIN), ("other_contributor", Role.CONTRIBUTOR)]:
            setattr(self, key, make_user(f"{key.replace('_', '')}.b", council=self.other_council, role=role))
        self.pmo = make_user("pmo.x", role=Role.PMO_VIEWER)
        self.sysadmin = make_user("sysadmin.x", is_staff=True, is_superuser=True)


@pytest.fixture
def team(ref):
    return Team()


def make_project(team: Team, *, stage="SBC", budget="1000000", reference="T-001", **extra) -> CapitalProject:
    return CapitalProject.objects.create(
        council=team.council, title="Test riverside housing", reference=reference,
        description="Two hundred homes by the river.", project_type="housing", budget=Decimal(budget),
        postcodes=["G40 1AT"], current_stage=LifecycleStage.objects.get(code=stage),
        project_manager=team.pm, senior_responsible_officer=team.sro, created_by=team.pm, **extra,
    )


def start(project, by) -> StageAssessment:
    return editing.start_assessment(project, project.current_stage, by=by)


def answer_everything(assessment, *, direction="no_impact") -> None:
    """Answer every question plainly (test set-up only; real saves go through editing.save_section)."""
    assessment.answers.update(direction=direction)
    scoring.refresh_snapshot(assessment)


def add_harm(assessment, code_prefix="D05", *, likelihood=4, severity=2, mitigation="", owner=""):
    """Turn the first question of a determinant into a scored harm on a priority group."""
    from assessments.models import AnswerGroup, PopulationGroup

    answer = assessment.answers.filter(question__determinant__code=code_prefix).order_by("question__order").first()
    answer.direction, answer.likelihood, answer.severity = "negative", likelihood, severity
    answer.duration, answer.reach, answer.evidence_strength = "long", "locality", "moderate"
    answer.pathway, answer.mitigation, answer.mitigation_owner = "Dust and noise next to homes.", mitigation, owner
    answer.save()
    AnswerGroup.objects.create(answer=answer, group=PopulationGroup.objects.get(code="SE_AREA_DEP"), disproportionate=True)
    scoring.refresh_snapshot(assessment)
    return answer


def ready_to_submit(team, **kwargs) -> StageAssessment:
    assessment = start(make_project(team, **kwargs), team.pm)
    answer_everything(assessment)
    return assessment


def force_status(assessment, status) -> StageAssessment:
    """Test set-up only: put an assessment straight into a status (the product uses workflow.py)."""
    StageAssessment.objects.filter(pk=assessment.pk).update(status=status)
    assessment.refresh_from_db()
    return assessment
