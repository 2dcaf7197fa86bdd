"""A reviewer's request closes in two steps: the project team marks it dealt with (saying what
they did, if they like), then a public health reviewer agrees, which closes it, or sends it back
with a reason, which opens it again for the team. A later “acceptable” verdict on the answer
does not close it: the reviewer agrees explicitly.

Each step locks the assessment row and the action, re-checks permission, status and the
request's state inside the transaction, and is kept in the action's history (and so on the
project timeline). The state the person saw travels with the form: a second press of the same
button, or a press on a page that someone else's step made stale, is refused and changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from django.db import transaction

from assessments import permissions
from assessments.models import Action
from assessments.models.review import ActionKind, ActionStatus, RequestState
from assessments.review.workflow import WorkflowError, lock
from assessments.scoring import snapshots as scoring

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from assessments.models import StageAssessment

DEALT_WITH = "dealt-with"
AGREE = "agree"
SEND_BACK = "send-back"
# Which states each step may start from.
STARTS_FROM = {
    DEALT_WITH: {RequestState.NOT_DEALT_WITH, RequestState.SENT_BACK},
    AGREE: {RequestState.DEALT_WITH},
    SEND_BACK: {RequestState.DEALT_WITH},
}
WHO = {
    DEALT_WITH: (
        permissions.can_mark_request_dealt_with,
        "Only the project team can mark a reviewer's request dealt with, while the stage is open.",
    ),
    AGREE: (
        permissions.can_answer_request,
        "Only a public health reviewer can agree that a request is dealt with, while the stage is open.",
    ),
    SEND_BACK: (
        permissions.can_answer_request,
        "Only a public health reviewer can send a request back, while the stage is open.",
    ),
}


def is_request(action: Action) -> bool:
    return action.kind == ActionKind.REVIEW


def is_closed(action: Action) -> bool:
    return action.request_state == RequestState.AGREED or not action.is_open


def step_problems(action: Action, step: str) -> list[str]:
    """Why the request cannot take this step now (state only; who may is the predicate's)."""
    if not is_request(action):
        return ["Only a reviewer's request is marked dealt with and agreed."]
    if is_closed(action):
        return ["This request is closed."]
    if action.request_state in STARTS_FROM[step]:
        return []
    if step == DEALT_WITH:
        return ["Already marked dealt with: waiting for the reviewer to agree."]
    return ["The project team has not marked it dealt with yet."]


def _locked(action: Action, by: User, step: str, seen_state: str | None) -> Action:
    """The action re-read under lock, after every check of the step."""
    assessment: StageAssessment = lock(action.assessment)
    allowed, refusal = WHO[step]
    if not allowed(by, assessment):
        raise WorkflowError(refusal)
    current = Action.objects.select_for_update().get(pk=action.pk)
    if seen_state is not None and current.request_state != seen_state:
        raise WorkflowError(
            "Someone answered this request while you were reading it: "
            f"it is now “{current.get_request_state_display().lower()}”. Nothing was changed."
        )
    problems = step_problems(current, step)
    if problems:
        raise WorkflowError("Nothing was changed.", problems)
    current.assessment = assessment
    return current


def _save(action: Action, reason: str | None = None) -> Action:
    if reason:
        # django-simple-history reads this attribute when it writes the history row.
        action._change_reason = reason  # type: ignore[attr-defined]
    action.save()
    scoring.refresh_snapshot(action.assessment)
    return action


Step = Callable[..., Action]


@transaction.atomic
def mark_dealt_with(
    action: Action, by: User, *, note: str = "", seen_state: str | None = None
) -> Action:
    current = _locked(action, by, DEALT_WITH, seen_state)
    current.request_state = RequestState.DEALT_WITH
    current.dealt_with_note = note.strip()
    return _save(current)


@transaction.atomic
def agree(action: Action, by: User, *, note: str = "", seen_state: str | None = None) -> Action:
    current = _locked(action, by, AGREE, seen_state)
    current.request_state = RequestState.AGREED
    current.status = ActionStatus.DONE
    return _save(current, permissions.REQUEST_ANSWER_NOTE)


@transaction.atomic
def send_back(action: Action, by: User, *, note: str = "", seen_state: str | None = None) -> Action:
    current = _locked(action, by, SEND_BACK, seen_state)
    if not note.strip():
        raise WorkflowError("Say why it is not dealt with yet: the project team reads it.")
    current.request_state = RequestState.SENT_BACK
    current.sent_back_reason = note.strip()
    current.status = ActionStatus.OPEN
    return _save(current, permissions.REQUEST_ANSWER_NOTE)


STEPS: dict[str, Step] = {DEALT_WITH: mark_dealt_with, AGREE: agree, SEND_BACK: send_back}
