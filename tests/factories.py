"""Plain factory functions with obvious defaults; override anything by keyword."""

from __future__ import annotations

import itertools
from decimal import Decimal

from django.contrib.auth import get_user_model

from assessments import editing, scoring
from assessments.enums import Role
from assessments.models import (
    Answer,
    AnswerGroup,
    CapitalProject,
    Council,
    LifecycleStage,
    Membership,
    PopulationGroup,
)

_counter = itertools.count(1)


def make_user(*, council: Council | None = None, role: Role | None = None, **fields):
    n = next(_counter)
    defaults = {"username": f"user{n}", "first_name": "Test", "last_name": f"User {n}", "email": f"user{n}@example.org"}
    user = get_user_model().objects.create_user(**{**defaults, **fields}, password="a-long-test-password-1")
    if role is not None:
        Membership.objects.create(user=user, council=council, role=role)
    return user


def make_project(*, council: Council, stage_code: str = "SBC", **fields) -> CapitalProject:
    n = next(_counter)
    defaults = {
        "title": f"Test project {n}",
        "reference": f"TP-{n:04d}",
        "description": "A capital project used in tests.",
        "project_type": "regeneration",
        "budget": Decimal("2500000"),
        "current_stage": LifecycleStage.objects.get(code=stage_code),
    }
    return CapitalProject.objects.create(council=council, **{**defaults, **fields})


def make_assessment(*, project: CapitalProject | None = None, council: Council | None = None, by=None, **project_fields):
    if project is None:
        project = make_project(council=council or Council.objects.get(code="S12000049"), **project_fields)
    return editing.start_assessment(project, project.current_stage, by=by)


def answer_payload(prefix: str, **values) -> dict:
    """Form data for one AnswerForm, with the prefix the section view uses."""
    data = {}
    for name, value in values.items():
        if isinstance(value, (list, tuple)):
            data[f"{prefix}-{name}"] = list(value)
        else:
            data[f"{prefix}-{name}"] = "" if value is None else str(value)
    return data


def make_harms_one_third_on_priority_groups(council):
    """Three equal harms, one of which affects people on low income: the equity index is 1/3."""
    assessment = make_assessment(council=council, title="Depot harming priority groups")
    low_income = PopulationGroup.objects.get(code="SE_LOW_INCOME")
    for determinant in ("D01", "D09", "D10"):
        answer = Answer.objects.filter(assessment=assessment,
                                       question__determinant__code=determinant
                                       ).order_by("question__order")[0]
        answer.direction, answer.likelihood, answer.severity = "negative", 2, 2
        answer.reach = "household"
        answer.save()
        if determinant == "D01":
            AnswerGroup.objects.create(answer=answer, group=low_income)
    scoring.refresh_snapshot(assessment)
    return assessment

