"""The one adapter between database rows and the pure rules module.

`build_inputs` turns an assessment's answers into rules dataclasses; `refresh_snapshot`
evaluates them under the assessment's own rule set and stores the result. An assessment keeps
the rule set it was scored with until someone deliberately re-scores it with a newer one
(`rescore_with`), so published numbers never move under a reader's feet.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from . import rules
from .enums import CHARACTERISED_DIRECTIONS, FROZEN_STATUSES
from .models import Answer, Determinant, RuleSet, StageAssessment
from .models.review import ActionKind, ActionStatus


class FrozenAssessmentError(Exception):
    pass


def current_rule_set() -> RuleSet:
    return RuleSet.objects.latest()


def rule_params(rule_set: RuleSet) -> rules.RuleSet:
    return rules.RuleSet.from_mapping({**rule_set.parameters, "version": rule_set.version})


def answer_input(answer: Answer, stage, *, mitigation_action: bool = False) -> rules.AnswerInput:
    """mitigation_action: a live mitigation action in the action plan is linked to this answer,
    which counts as mitigation just as the answer's own mitigation and owner fields do."""
    characterised = answer.direction in CHARACTERISED_DIRECTIONS
    return rules.AnswerInput(
        key=answer.question.code,
        determinant=answer.question.determinant.code,
        direction=rules.Direction(answer.direction or ""),
        likelihood=answer.likelihood if characterised else None,
        severity=answer.severity if characterised else None,
        duration=answer.duration or None,
        reversible=answer.reversible,
        reach=answer.reach or None,
        groups=tuple(
            rules.GroupEffect(code=link.group.code, disproportionate=link.disproportionate)
            for link in answer.groups.all()
        ),
        distribution=answer.distribution or None,
        evidence=answer.evidence_strength or None,
        covered_by=tuple(answer.covered_by),
        has_mitigation=mitigation_action
        or bool(answer.mitigation.strip() and answer.mitigation_owner.strip()),
        has_delivery_mechanism=bool(answer.delivery_mechanism.strip()),
        has_indicator=bool(answer.monitoring_indicator.strip() and answer.indicator_baseline.strip()),
        residual_likelihood=answer.residual_likelihood,
        residual_severity=answer.residual_severity,
        visible=answer.question.asked_at(stage),
    )


def build_context(assessment: StageAssessment) -> rules.AssessmentContext:
    stage = assessment.stage
    return rules.AssessmentContext(
        stage_code=stage.code,
        stage_order=stage.order,
        decision_open=assessment.decision_open,
        **context_extras(assessment),
    )


def context_extras(assessment: StageAssessment) -> dict:
    """Inputs that come from other parts of the product (place data, panel, actions).
    Each contributes keyword arguments for rules.AssessmentContext."""
    extras: dict = {}
    for provider in CONTEXT_PROVIDERS:
        extras.update(provider(assessment))
    return extras


# Functions (assessment) -> dict of AssessmentContext fields; other modules register here.
CONTEXT_PROVIDERS: list = []


def mitigated_answer_ids(assessment: StageAssessment) -> set[int]:
    """Answers with a mitigation action in the plan that has not been dropped."""
    return set(
        assessment.actions.filter(kind=ActionKind.MITIGATION, answer__isnull=False)
        .exclude(status=ActionStatus.DROPPED)
        .values_list("answer_id", flat=True)
    )


def evaluate(assessment: StageAssessment, rule_set: RuleSet | None = None) -> rules.AssessmentResult:
    rule_set = rule_set or assessment.rule_set or current_rule_set()
    answers = (
        assessment.answers.select_related("question__determinant")
        .prefetch_related("groups__group")
        .order_by("question__code")
    )
    mitigated = mitigated_answer_ids(assessment)
    inputs = [answer_input(answer, assessment.stage, mitigation_action=answer.pk in mitigated)
              for answer in answers]
    return rules.evaluate(
        inputs,
        rules=rule_params(rule_set),
        context=build_context(assessment),
        determinant_codes=Determinant.objects.order_by("order").values_list("code", flat=True),
    )


def refresh_snapshot(assessment: StageAssessment, *, rule_set: RuleSet | None = None) -> rules.AssessmentResult:
    """Recompute and store the score snapshot. Refuses on signed-off or superseded assessments."""
    if assessment.status in FROZEN_STATUSES:
        raise FrozenAssessmentError("A signed-off or superseded assessment keeps its scores for ever.")
    rule_set = rule_set or assessment.rule_set or current_rule_set()
    result = evaluate(assessment, rule_set)
    assessment.rule_set = rule_set
    assessment.score_snapshot = result.to_dict()
    assessment.scored_at = timezone.now()
    assessment.overall_rating = str(result.overall_harm_rag)
    assessment.equity_index = result.equity_index
    assessment.completeness = result.completeness.ratio if result.completeness else None
    assessment.open_flags = [flag.code for flag in result.flags]
    assessment.save_with_new_cache_version(
        update_fields=[
            "rule_set",
            "score_snapshot",
            "scored_at",
            "overall_rating",
            "equity_index",
            "completeness",
            "open_flags",
            "updated_at",
        ]
    )
    # Queryable copies for the portfolio dashboard (assessments.portfolio).
    from .portfolio import store_ratings

    store_ratings(assessment, result)
    return result


@transaction.atomic
def rescore_with(assessment: StageAssessment, rule_set: RuleSet) -> rules.AssessmentResult:
    """Deliberately move an open assessment onto another rule-set version."""
    locked = StageAssessment.objects.select_for_update().get(pk=assessment.pk)
    return refresh_snapshot(locked, rule_set=rule_set)


def stored_copies_agree(assessment: StageAssessment, result: rules.AssessmentResult) -> bool:
    """Whether everything stored about an assessment's scores (the snapshot, the rating and
    flag columns, and the dashboard's per-determinant rows) says what `result` says. Used where
    scores arrive from outside (a project file) rather than from refresh_snapshot."""
    from .models import AssessmentFlag, DeterminantRating

    completeness = result.completeness.ratio if result.completeness else None
    if (
        assessment.score_snapshot != result.to_dict()
        or assessment.overall_rating != str(result.overall_harm_rag)
        or assessment.equity_index != result.equity_index
        or assessment.completeness != completeness
        or list(assessment.open_flags) != [flag.code for flag in result.flags]
    ):
        return False
    stored_ratings = set(
        DeterminantRating.objects.filter(assessment=assessment).values_list(
            "determinant__code", "harm_rag", "residual_harm_rag", "benefit_level"
        )
    )
    expected_ratings = {
        (d.code, str(d.harm_rag), str(d.residual_harm_rag), str(d.benefit_level or ""))
        for d in result.determinants
    }
    stored_flags = set(AssessmentFlag.objects.filter(assessment=assessment).values_list("code", flat=True))
    return stored_ratings == expected_ratings and stored_flags == {flag.code for flag in result.flags}


def stored_result(assessment: StageAssessment) -> rules.AssessmentResult | None:
    if not assessment.score_snapshot:
        return None
    return rules.result_from_dict(assessment.score_snapshot)
