"""The one adapter between database rows and the pure rules module.

`answer_input` turns each answer into a rules dataclass; `refresh_snapshot`
evaluates them under the assessment's own rule set and stores the result. An assessment keeps
the rule set it was scored with until someone deliberately re-scores it with a newer one
(`rescore_with`), so published numbers never move under a reader's feet.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TypedDict

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from assessments.enums import CHARACTERISED_DIRECTIONS, FROZEN_STATUSES
from assessments.models import (
    Answer,
    AssessmentFlag,
    CapitalProject,
    CommunityComment,
    Determinant,
    DeterminantRating,
    LifecycleStage,
    RuleSet,
    StageAssessment,
)
from assessments.models.review import OPEN_ACTION_STATUSES, Action, ActionKind, ActionStatus
from assessments.place import profile as place
from assessments.scoring import rules, schema


class FrozenAssessmentError(Exception):
    pass


class PanelInputs(TypedDict, total=False):
    """The community panel's part of the rules' context (absent for an unsaved assessment)."""

    panel_requested_hia: bool
    panel_significant_concern: bool


class ReviewInputs(TypedDict, total=False):
    """The review record's part of the rules' context (absent for an unsaved assessment)."""

    overdue_actions: tuple[tuple[str, str], ...]
    material_change: str


def current_rule_set() -> RuleSet:
    latest: RuleSet = RuleSet.objects.published().latest()
    return latest


def rule_params(rule_set: RuleSet) -> schema.RuleSet:
    return schema.RuleSet.from_mapping({**rule_set.parameters, "version": rule_set.version})


def answer_input(
    answer: Answer, stage: LifecycleStage, *, mitigation_action: bool = False
) -> schema.AnswerInput:
    """mitigation_action: a live mitigation action in the action plan is linked to this answer,
    which counts as mitigation just as the answer's own mitigation and owner fields do."""
    characterised = answer.direction in CHARACTERISED_DIRECTIONS
    return schema.AnswerInput(
        key=answer.question.code,
        determinant=answer.question.determinant.code,
        direction=schema.Direction(answer.direction or ""),
        likelihood=answer.likelihood if characterised else None,
        severity=answer.severity if characterised else None,
        duration=answer.duration or None,
        reversible=answer.reversible,
        reach=answer.reach or None,
        groups=tuple(
            schema.GroupEffect(code=link.group.code, disproportionate=link.disproportionate)
            for link in answer.groups.all()
        ),
        distribution=answer.distribution or None,
        evidence=answer.evidence_strength or None,
        covered_by=tuple(answer.covered_by),
        has_mitigation=mitigation_action
        or bool(answer.mitigation.strip() and answer.mitigation_owner.strip()),
        has_delivery_mechanism=bool(answer.delivery_mechanism.strip()),
        has_indicator=bool(
            answer.monitoring_indicator.strip() and answer.indicator_baseline.strip()
        ),
        residual_likelihood=answer.residual_likelihood,
        residual_severity=answer.residual_severity,
        visible=answer.question.asked_at(stage),
    )


def build_context(assessment: StageAssessment) -> schema.AssessmentContext:
    """Everything the rules need beyond the answers, read by explicit calls: the catchment's
    deprivation, the community panel's comments and the review record (overdue actions and
    changes to the project since the assessment started)."""
    stage = assessment.stage
    return schema.AssessmentContext(
        stage_code=stage.code,
        stage_order=stage.order,
        decision_open=assessment.decision_open,
        deprived_area_share=place.deprived_area_share(assessment.project),
        **panel_inputs(assessment),
        **review_inputs(assessment),
        overdue_indicators=overdue_indicators(assessment),
    )


def overdue_indicators(assessment: StageAssessment) -> tuple[tuple[str, str], ...]:
    """(indicator name, due date) for each of the project's indicators whose measurement is
    overdue today (flag F9; the rule set says at which stages it is raised)."""
    from assessments.monitoring import queries as monitoring  # the read side of indicators

    if assessment.pk is None or not assessment.project.indicators.exists():
        return ()
    try:
        rows = monitoring.indicator_rows([assessment.project_id], active_only=True)
    except monitoring.MonitoringRulesMissing:
        return ()
    return tuple(
        (row.indicator.name, f"{row.status.next_due:%-d %B %Y}")
        for row in rows
        if row.status.overdue and row.status.next_due
    )


def panel_inputs(assessment: StageAssessment) -> PanelInputs:
    """Whether the community panel asked for a full HIA or raised a significant concern, counting
    only comments a moderator has not hidden."""
    if assessment.pk is None:
        return {}
    visible = CommunityComment.objects.filter(assessment=assessment, hidden=False)
    return {
        "panel_requested_hia": visible.filter(requests_full_hia=True).exists(),
        "panel_significant_concern": visible.filter(is_concern=True).exists(),
    }


def review_inputs(assessment: StageAssessment) -> ReviewInputs:
    """Overdue actions (flag F8) and material changes to the project (flag F7)."""
    if assessment.pk is None:
        return {}
    overdue = tuple(
        (
            action.answer.question.code if action.answer is not None else "",
            f"due at {action.due_stage.name}",
        )
        for action in overdue_actions(assessment)
    )
    return {"overdue_actions": overdue, "material_change": "; ".join(material_changes(assessment))}


def overdue_actions(assessment: StageAssessment) -> QuerySet[Action]:
    return assessment.actions.filter(
        status__in=OPEN_ACTION_STATUSES, due_stage__order__lt=assessment.stage.order
    ).select_related("due_stage", "answer__question")


def _project_then(assessment: StageAssessment) -> CapitalProject | None:
    """The project as it was when the assessment started (from django-simple-history)."""
    try:
        # as_of on one object's history gives back an instance of the model itself.
        then: CapitalProject = assessment.project.history.as_of(assessment.created_at)
        return then
    except CapitalProject.DoesNotExist:
        return None


def budget_change(
    assessment: StageAssessment, then: CapitalProject | None = None
) -> tuple[Decimal, Decimal, Decimal] | None:
    """(budget when the assessment started, budget now, relative change)."""
    then = then or _project_then(assessment)
    if then is None or not then.budget:
        return None
    now = assessment.project.budget
    return then.budget, now, abs(now - then.budget) / then.budget


def rescreen_threshold(assessment: StageAssessment) -> Decimal:
    rule_set = assessment.rule_set or current_rule_set()
    return Decimal(str(rule_set.parameters.get("rescreen_budget_change", "0.20")))


def material_changes(assessment: StageAssessment) -> list[str]:
    """Changes to the project since this assessment started that call for a re-screen (flag F7)."""
    then = _project_then(assessment)
    if then is None:
        return []
    project = assessment.project
    found = []
    change = budget_change(assessment, then)
    if change and change[2] > rescreen_threshold(assessment):
        found.append(
            f"budget changed by {change[2]:.0%} (from £{change[0]:,.0f} to £{change[1]:,.0f})"
        )
    if set(then.postcodes) != set(project.postcodes) or set(then.data_zones) != set(
        project.data_zones
    ):
        found.append("the project's postcodes or data zones changed")
    return found


def mitigated_answer_ids(assessment: StageAssessment) -> set[int]:
    """Answers with a mitigation action in the plan that has not been dropped."""
    return set(
        assessment.actions.filter(kind=ActionKind.MITIGATION, answer__isnull=False)
        .exclude(status=ActionStatus.DROPPED)
        .values_list("answer_id", flat=True)
    )


@dataclass(frozen=True)
class ScoringInputs:
    """Everything the rules read about one assessment, read once so the same assessment can be
    scored under more than one rule set (a draft beside the one in use) without reading it twice."""

    answers: tuple[schema.AnswerInput, ...]
    context: schema.AssessmentContext
    determinant_codes: tuple[str, ...]


def scoring_inputs(assessment: StageAssessment) -> ScoringInputs:
    answers = (
        assessment.answers.select_related("question__determinant")
        .prefetch_related("groups__group")
        .order_by("question__code")
    )
    mitigated = mitigated_answer_ids(assessment)
    return ScoringInputs(
        answers=tuple(
            answer_input(answer, assessment.stage, mitigation_action=answer.pk in mitigated)
            for answer in answers
        ),
        context=build_context(assessment),
        determinant_codes=tuple(
            Determinant.objects.order_by("order").values_list("code", flat=True)
        ),
    )


def evaluate_inputs(inputs: ScoringInputs, rule_set: RuleSet) -> schema.AssessmentResult:
    return rules.evaluate(
        list(inputs.answers),
        rules=rule_params(rule_set),
        context=inputs.context,
        determinant_codes=inputs.determinant_codes,
    )


def evaluate(
    assessment: StageAssessment, rule_set: RuleSet | None = None
) -> schema.AssessmentResult:
    rule_set = rule_set or assessment.rule_set or current_rule_set()
    return evaluate_inputs(scoring_inputs(assessment), rule_set)


def refresh_snapshot(
    assessment: StageAssessment, *, rule_set: RuleSet | None = None
) -> schema.AssessmentResult:
    """Recompute and store the score snapshot. Refuses on signed-off or superseded assessments."""
    if assessment.status in FROZEN_STATUSES:
        raise FrozenAssessmentError(
            "A signed-off or superseded assessment keeps its scores for ever."
        )
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
    # Queryable copies for the portfolio dashboard (assessments.portfolio.figures).
    store_ratings(assessment, result)
    return result


def rescore_after_location_change(project: CapitalProject) -> None:
    """The deprived-area share feeds the scores: re-score the project's open assessments when
    its location changes (frozen ones keep the scores they were signed off with)."""
    for assessment in project.assessments.exclude(status__in=FROZEN_STATUSES):
        refresh_snapshot(assessment)


@transaction.atomic
def rescore_with(assessment: StageAssessment, rule_set: RuleSet) -> schema.AssessmentResult:
    """Deliberately move an open assessment onto another rule-set version."""
    locked = StageAssessment.objects.select_for_update().get(pk=assessment.pk)
    return refresh_snapshot(locked, rule_set=rule_set)


def stored_copies_agree(assessment: StageAssessment, result: schema.AssessmentResult) -> bool:
    """Whether everything stored about an assessment's scores (the snapshot, the rating and
    flag columns, and the dashboard's per-determinant rows) says what `result` says. Used where
    scores arrive from outside (a project file) rather than from refresh_snapshot."""
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
    stored_flags = set(
        AssessmentFlag.objects.filter(assessment=assessment).values_list("code", flat=True)
    )
    return stored_ratings == expected_ratings and stored_flags == {
        flag.code for flag in result.flags
    }


def stored_result(assessment: StageAssessment) -> schema.AssessmentResult | None:
    if not assessment.score_snapshot:
        return None
    return schema.result_from_dict(assessment.score_snapshot)


def store_ratings(assessment: StageAssessment, result: schema.AssessmentResult) -> None:
    """Rewrite the queryable per-determinant ratings and open flags of one assessment."""
    DeterminantRating.objects.filter(assessment=assessment).delete()
    AssessmentFlag.objects.filter(assessment=assessment).delete()
    determinant_ids = dict(Determinant.objects.values_list("code", "id"))
    DeterminantRating.objects.bulk_create(
        [
            DeterminantRating(
                assessment=assessment,
                determinant_id=determinant_ids[d.code],
                harm_rag=str(d.harm_rag),
                residual_harm_rag=str(d.residual_harm_rag),
                benefit_level=str(d.benefit_level or ""),
            )
            for d in result.determinants
            if d.code in determinant_ids
        ]
    )
    AssessmentFlag.objects.bulk_create(
        [
            AssessmentFlag(assessment=assessment, code=code)
            for code in sorted({f.code for f in result.flags})
        ]
    )
