"""Synthetic portfolios for load testing the dashboard: `manage.py seed_scale --projects N`.

Projects are spread over the 8 councils, stages and project types, with one complete assessment
each (every question answered, a realistic mix of directions, groups and mitigations), scored by
the real rules through scoring.refresh_snapshot. Rows are written with bulk_create; history
records are not made, because this data never passed through the product's editing screens.
"""

from __future__ import annotations

import random
from decimal import Decimal

from django.db import transaction

from assessments.enums import (
    AssessmentStatus,
    Distribution,
    Duration,
    EvidenceStrength,
    ProjectType,
    Reach,
)
from assessments.models import (
    Answer,
    AnswerGroup,
    AssessmentSection,
    CapitalProject,
    Council,
    Determinant,
    LifecycleStage,
    PopulationGroup,
    QuestionBank,
    StageAssessment,
)
from assessments.review import workflow
from assessments.scoring import snapshots as scoring

PLACES = [
    "Dalmarnock",
    "Govan",
    "Easterhouse",
    "Paisley",
    "Greenock",
    "Motherwell",
    "Hamilton",
    "Clydebank",
    "Kirkintilloch",
    "Barrhead",
    "Coatbridge",
    "East Kilbride",
    "Port Glasgow",
    "Johnstone",
    "Airdrie",
    "Rutherglen",
    "Dumbarton",
    "Bishopbriggs",
    "Newton Mearns",
    "Cumbernauld",
]
WORKS: dict[str, str] = {
    ProjectType.HOUSING: "new council homes",
    ProjectType.RETROFIT: "tenement energy retrofit",
    ProjectType.TRANSPORT: "active travel corridor",
    ProjectType.REGENERATION: "town centre regeneration",
    ProjectType.EDUCATION: "primary school replacement",
    ProjectType.PUBLIC_BUILDING: "health and care hub",
    ProjectType.GREEN_INFRASTRUCTURE: "river park and flood works",
    ProjectType.OTHER: "district heat network",
}
DIRECTIONS = (
    ["no_impact"] * 24
    + ["positive"] * 6
    + ["negative"] * 2
    + ["uncertain"] * 2
    + ["not_applicable"] * 2
)
SEVERITIES = [0, 1, 1, 1, 2, 2, 3]
STATUSES = [AssessmentStatus.DRAFT] * 4 + [
    AssessmentStatus.SUBMITTED,
    AssessmentStatus.IN_REVIEW,
    AssessmentStatus.APPROVED,
    AssessmentStatus.SIGNED_OFF,
    AssessmentStatus.SIGNED_OFF,
]


def _answer_values(
    rng: random.Random, group_codes: list[str]
) -> tuple[dict, list[tuple[str, bool]]]:
    direction = rng.choice(DIRECTIONS)
    values: dict = {"direction": direction}
    groups: list[tuple[str, bool]] = []
    if direction in ("positive", "negative"):
        values.update(
            likelihood=rng.randint(1, 4),
            severity=rng.choice(SEVERITIES),
            duration=rng.choice(Duration.values),
            reach=rng.choice(Reach.values),
            evidence_strength=rng.choice(EvidenceStrength.values),
            pathway="Synthetic pathway for load testing.",
        )
        groups = [(code, rng.random() < 0.5) for code in rng.sample(group_codes, rng.randint(0, 2))]
    if direction == "positive":
        values["distribution"] = rng.choice(Distribution.values)
        if rng.random() < 0.6:
            values["delivery_mechanism"] = "Contract clause"
    if direction == "negative" and rng.random() < 0.8:
        values.update(mitigation="Mitigation plan", mitigation_owner="Project manager")
    if direction == "uncertain":
        values["pathway"] = "Not yet known."
    return values, groups


def _synthetic_projects(rng, count: int, *, start: int, prefix: str) -> list[CapitalProject]:
    """Projects PREFIX-(start+1)... spread over the councils and stages, saved in one batch."""
    councils = list(Council.objects.order_by("code"))
    stages = list(LifecycleStage.objects.order_by("order"))
    projects = []
    for i in range(start, start + count):
        kind = rng.choice(ProjectType.values)
        place = rng.choice(PLACES)
        projects.append(
            CapitalProject(
                council=councils[i % len(councils)],
                reference=f"{prefix}-{i + 1:05d}",
                title=f"{place} {WORKS[kind]}",
                description=f"Synthetic {WORKS[kind]} project in {place}, for load testing.",
                project_type=kind,
                budget=Decimal(rng.randint(5, 2000)) * Decimal("100000"),
                city_deal=rng.random() < 0.25,
                current_stage=rng.choice(stages),
            )
        )
    projects = CapitalProject.objects.bulk_create(projects)
    if not projects[0].pk:  # backends that do not return ids
        projects = list(
            CapitalProject.objects.filter(reference__in=[p.reference for p in projects])
        )
    return projects


def _synthetic_answers(
    rng, assessments: list[StageAssessment], questions, groups: dict[str, int]
) -> None:
    """An answer to every question each assessment's stage asks, with the groups it names."""
    group_codes = sorted(groups)
    answers, answer_groups = [], []
    for assessment in assessments:
        for question in questions:
            if not question.asked_at(assessment.stage):
                continue
            values, chosen = _answer_values(rng, group_codes)
            answers.append(Answer(assessment=assessment, question=question, **values))
            answer_groups.append(chosen)
    created = Answer.objects.bulk_create(answers, batch_size=2000)
    if created and not created[0].pk:
        created = list(
            Answer.objects.filter(assessment__in=assessments).order_by(
                "assessment_id", "question_id"
            )
        )
        answer_groups = [[] for _ in created]  # fall back to no groups where ids are unknown
    AnswerGroup.objects.bulk_create(
        (
            AnswerGroup(answer=answer, group_id=groups[code], disproportionate=disproportionate)
            for answer, chosen in zip(created, answer_groups, strict=False)
            for code, disproportionate in chosen
        ),
        batch_size=2000,
    )


@transaction.atomic
def seed_scale(n_projects: int, *, seed: int = 2026, prefix: str = "SCALE") -> int:
    """Create n synthetic projects (references PREFIX-00001...). Returns how many were made."""
    rng = random.Random(seed)
    bank = QuestionBank.objects.filter(status="published").latest("published", "id")
    rule_set = scoring.current_rule_set()
    start = CapitalProject.objects.filter(reference__startswith=f"{prefix}-").count()
    projects = _synthetic_projects(rng, n_projects, start=start, prefix=prefix)
    assessments = StageAssessment.objects.bulk_create(
        # One assessment per project, so each is its project's latest (bulk_create sends no
        # signals for assessments.projects.latest to mark it).
        StageAssessment(
            project=p, stage=p.current_stage, question_bank=bank, rule_set=rule_set, is_latest=True
        )
        for p in projects
    )
    if not assessments[0].pk:
        assessments = list(
            StageAssessment.objects.filter(project__in=projects).select_related("stage")
        )
    determinants = list(Determinant.objects.all())
    AssessmentSection.objects.bulk_create(
        AssessmentSection(assessment=a, determinant=d) for a in assessments for d in determinants
    )
    _synthetic_answers(
        rng,
        assessments,
        list(bank.questions.all()),
        dict(PopulationGroup.objects.values_list("code", "id")),
    )
    for assessment in assessments:
        scoring.refresh_snapshot(assessment)
    # Statuses after scoring: signed-off assessments keep the snapshot they were signed off with.
    by_status: dict[str, list[int]] = {}
    for assessment in assessments:
        by_status.setdefault(rng.choice(STATUSES), []).append(assessment.pk)
    workflow.set_synthetic_statuses(by_status)
    return len(projects)
