"""Item-by-item review, rating overrides, flag justifications and the action plan.

None of these change an assessment's status, but each locks the assessment row and re-checks
permission and status inside the transaction, so nothing is recorded on an assessment that was
signed off or superseded a moment earlier.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction

from assessments import permissions, presenters
from assessments.models import Action, Answer, FlagJustification, RatingOverride, ReviewVerdict
from assessments.models.review import (
    OPEN_ACTION_STATUSES,
    ActionKind,
    ActionStatus,
    RequestState,
    Verdict,
)
from assessments.review import queries as review_queries
from assessments.review.workflow import WorkflowError, lock
from assessments.scoring import snapshots as scoring

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from assessments.models import Determinant, StageAssessment

BANDS = ["negligible", "low", "medium", "high"]
RAGS = ["green", "amber", "red", "grey"]


def _check(ok: bool, message: str) -> None:
    if not ok:
        raise WorkflowError(message)


def _answer_in(locked: StageAssessment, answer: Answer) -> Answer:
    _check(answer.assessment_id == locked.pk, "That answer belongs to another assessment.")
    return answer


def tool_band(assessment: StageAssessment, answer: Answer) -> str:
    result = scoring.stored_result(assessment)
    score = (
        next((s for s in result.answers if s.key == answer.question.code), None) if result else None
    )
    return str(score.band) if score and score.band else "not scored"


def tool_rag(assessment: StageAssessment, determinant: Determinant) -> str:
    result = scoring.stored_result(assessment)
    found = (
        next((d for d in result.determinants if d.code == determinant.code), None)
        if result
        else None
    )
    return str(found.harm_rag) if found else "grey"


@transaction.atomic
def record_verdict(
    assessment: StageAssessment,
    answer: Answer,
    by: User,
    *,
    verdict: str,
    comment: str = "",
    override_band: str = "",
    override_reason: str = "",
) -> ReviewVerdict:
    """The reviewer's verdict on one answer. “Improvable” and “to correct” add an action to the plan:
    to correct at this stage, improvable by the next one."""
    locked = lock(assessment)
    _check(
        permissions.can_review(by, locked),
        "Only a public health reviewer can record verdicts, and only while the assessment is in review.",
    )
    _answer_in(locked, answer)
    _check(verdict in Verdict.values, "Choose acceptable, improvable or to correct.")
    comment = comment.strip()
    if verdict != Verdict.ACCEPTABLE:
        _check(
            bool(comment),
            "Say what should be improved or corrected: it becomes an action for the project team.",
        )
    record = ReviewVerdict.objects.create(
        assessment=locked, answer=answer, verdict=verdict, comment=comment, reviewer=by
    )
    if verdict != Verdict.ACCEPTABLE:
        project = locked.project
        action = Action(
            assessment=locked,
            answer=answer,
            kind=ActionKind.REVIEW,
            text=comment,
            owner=presenters.person_name(project.project_manager) or "Project manager",
            due_stage=locked.stage
            if verdict == Verdict.TO_CORRECT
            else (locked.stage.following() or locked.stage),
            created_by=by,
        )
        # The reviewer records a finding here; it must not count as writing the stage.
        # django-simple-history reads this attribute when it writes the history row; it is not a
        # model field, so django-stubs cannot know it.
        action._change_reason = permissions.VERDICT_ACTION_NOTE  # type: ignore[attr-defined]
        action.save()
    if override_band:
        override_rating(locked, by, answer=answer, value=override_band, reason=override_reason)
    return record


# Bulk verdicts: URL value -> what the reviewer is told was accepted.
BULK_VERDICTS = {
    "no_impact": "no-impact answer",
    "unchanged": "unchanged answer",
}


@transaction.atomic
def accept_many(assessment: StageAssessment, by: User, *, which: str) -> int:
    """Accept, in one go, every no-impact answer not yet reviewed this round ("no_impact"), or
    every answer this reviewer accepted last round that has not changed since ("unchanged").
    Each gets the same “acceptable” verdict one at a time would record, all or none.
    Returns how many were accepted."""
    locked = lock(assessment)
    _check(
        permissions.can_review(by, locked),
        "Only a public health reviewer can record verdicts, and only while the assessment is in review.",
    )
    _check(which in BULK_VERDICTS, "Choose which answers to accept.")
    answers = review_queries.bulk_candidates(review_queries.cards(locked, by), by, which)
    ReviewVerdict.objects.bulk_create(
        ReviewVerdict(assessment=locked, answer=answer, verdict=Verdict.ACCEPTABLE, reviewer=by)
        for answer in answers
    )
    return len(answers)


@transaction.atomic
def override_rating(
    assessment: StageAssessment,
    by: User,
    *,
    value: str,
    reason: str,
    answer: Answer | None = None,
    determinant: Determinant | None = None,
) -> RatingOverride:
    """A reviewer's own rating next to the tool's: the band of an answer or the harm rating of a determinant."""
    locked = lock(assessment)
    _check(
        permissions.can_review(by, locked),
        "Only a public health reviewer can override a rating, while reviewing.",
    )
    _check(bool(reason.strip()), "Give the reason for overriding the tool's rating.")
    if answer is not None:
        _answer_in(locked, answer)
        _check(value in BANDS, "Choose a band: negligible, low, medium or high.")
        original = tool_band(locked, answer)
    else:
        if determinant is None:
            raise WorkflowError("Say which answer or determinant the override is for.")
        _check(value in RAGS, "Choose a rating: green, amber, red or grey.")
        original = tool_rag(locked, determinant)
    return RatingOverride.objects.create(
        assessment=locked,
        answer=answer,
        determinant=determinant,
        original_value=original,
        overridden_value=value,
        reason=reason.strip(),
        by=by,
    )


@transaction.atomic
def justify_flag(
    assessment: StageAssessment,
    by: User,
    *,
    flag_code: str,
    justification: str,
    answer: Answer | None = None,
) -> FlagJustification:
    locked = lock(assessment)
    _check(
        permissions.can_justify_flag(by, locked),
        "You cannot record a justification on this assessment at its current status.",
    )
    _check(flag_code in presenters.FLAG_NAMES, "Unknown flag.")
    _check(bool(justification.strip()), "Write the justification.")
    if answer is not None:
        _answer_in(locked, answer)
    record = FlagJustification.objects.create(
        assessment=locked,
        flag_code=flag_code,
        answer=answer,
        justification=justification.strip(),
        by=by,
    )
    scoring.refresh_snapshot(locked)
    return record


ACTION_FIELDS = (
    "kind",
    "text",
    "owner",
    "owner_user",
    "due_stage",
    "due_date",
    "funding",
    "status",
    "answer",
)


@transaction.atomic
def add_action(assessment: StageAssessment, by: User, **values: Any) -> Action:
    locked = lock(assessment)
    _check(
        permissions.can_manage_actions(by, locked),
        "You cannot change the action plan of this assessment at its current status.",
    )
    if values.get("answer") is not None:
        _answer_in(locked, values["answer"])
    action = Action.objects.create(
        assessment=locked, created_by=by, **{k: v for k, v in values.items() if k in ACTION_FIELDS}
    )
    scoring.refresh_snapshot(locked)
    return action


@transaction.atomic
def update_action(action: Action, by: User, **values: Any) -> Action:
    locked = lock(action.assessment)
    _check(
        permissions.can_manage_actions(by, locked),
        "You cannot change the action plan of this assessment at its current status.",
    )
    action = Action.objects.select_for_update().get(pk=action.pk)
    if values.get("answer") is not None:
        _answer_in(locked, values["answer"])
    _check(
        not closes_request_alone(action, values.get("status", action.status)),
        "A reviewer's request is closed when the reviewer agrees it is dealt with: "
        "mark it dealt with instead.",
    )
    for name, value in values.items():
        if name in ACTION_FIELDS:
            setattr(action, name, value)
    action.save()
    scoring.refresh_snapshot(locked)
    return action


def closes_request_alone(action: Action, status: str) -> bool:
    """Setting an open reviewer's request to done or dropped by editing it would close it
    without the reviewer agreeing (review/requests.py)."""
    return (
        action.kind == ActionKind.REVIEW
        and action.is_open
        and status not in OPEN_ACTION_STATUSES
        and action.request_state != RequestState.AGREED
    )


def action_status_choices() -> list[tuple[str, str]]:
    return ActionStatus.choices
