from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from assessments.enums import AssessmentStatus, Role
from assessments.models import Answer, Membership, StageAssessment
from tests.factories import make_assessment, make_project, make_user


def test_answer_with_likelihood_but_no_direction_is_refused_by_the_database(glasgow):
    assessment = make_assessment(council=glasgow)
    answer = assessment.answers.first()
    answer.likelihood = 3
    with pytest.raises(IntegrityError), transaction.atomic():
        answer.save()


@pytest.mark.parametrize("field,value", [("likelihood", 5), ("severity", 4)])
def test_answer_scales_are_bounded_by_the_database(glasgow, field, value):
    answer = make_assessment(council=glasgow).answers.first()
    answer.direction = "negative"
    setattr(answer, field, value)
    with pytest.raises(IntegrityError), transaction.atomic():
        answer.save()


def test_only_one_live_assessment_per_project_and_stage(glasgow):
    assessment = make_assessment(council=glasgow)
    with pytest.raises(IntegrityError), transaction.atomic():
        StageAssessment.objects.create(
            project=assessment.project,
            stage=assessment.stage,
            question_bank=assessment.question_bank,
        )


def test_a_superseded_assessment_does_not_block_a_new_one(glasgow):
    assessment = make_assessment(council=glasgow)
    StageAssessment.objects.filter(pk=assessment.pk).update(status=AssessmentStatus.SUPERSEDED)
    again = StageAssessment.objects.create(
        project=assessment.project, stage=assessment.stage, question_bank=assessment.question_bank
    )
    assert again.status == AssessmentStatus.DRAFT


@pytest.mark.parametrize("budget", [Decimal("0"), Decimal("-5"), Decimal("5000000000.01")])
def test_budget_outside_the_sane_range_is_refused_by_the_database(glasgow, budget):
    with pytest.raises(IntegrityError), transaction.atomic():
        make_project(council=glasgow, budget=budget)


def test_council_roles_need_a_council_but_the_regional_viewer_does_not(reference):
    user = make_user()
    Membership.objects.create(user=user, council=None, role=Role.PMO_VIEWER)
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=user, council=None, role=Role.PROJECT_MANAGER)


def test_starting_an_assessment_creates_one_blank_answer_per_question_asked_at_that_stage(glasgow):
    assessment = make_assessment(council=glasgow, stage_code="SBC")
    asked = [
        q
        for q in assessment.question_bank.questions.filter(stage_group="E")
        if "SBC" not in q.hidden_stages
    ]
    assert assessment.answers.count() == len(asked)
    assert set(
        Answer.objects.filter(assessment=assessment).values_list("direction", flat=True)
    ) == {""}
    assert assessment.sections.count() == 12
