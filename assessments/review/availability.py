"""Which workflow buttons a person sees, and why one is greyed out.

Read-only. A button is shown when the person's role lets them take the step at this status
(the permissions.py predicate the workflow itself checks); it is enabled only when the
workflow's own checks for that step (submission_problems, acceptance_problems,
sign_off_problems) find nothing in the way, and otherwise carries their reason. So a button that
looks pressable is never refused for a reason the page could have shown, and the reason given
is the one the workflow would give.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from assessments import permissions
from assessments.review import requests, workflow
from assessments.scoring import snapshots as scoring

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from assessments.models import Action, StageAssessment
    from assessments.scoring import schema

# A reason longer than this (a list of 44 unanswered questions) is cut, with the page's own
# list of sections to say the rest.
REASON_LENGTH = 300


@dataclass(frozen=True)
class Step:
    verb: str
    label: str
    enabled: bool
    reason: str = ""
    details: list[str] = field(default_factory=list)
    primary: bool = True
    note_label: str = ""


def _short(text: str) -> str:
    return text if len(text) <= REASON_LENGTH else text[: REASON_LENGTH - 1].rstrip() + "…"


def _step(
    verb: str,
    label: str,
    problems: Callable[[], list[str]],
    *,
    blocked: str,
    **extra: Any,
) -> Step:
    found = problems()
    if not found:
        return Step(verb, label, True, **extra)
    return Step(verb, label, False, blocked, [_short(p) for p in found], **extra)


def workflow_steps(user: User, assessment: StageAssessment) -> list[Step]:
    """The status-changing buttons for this person on this stage, in the order of the work."""
    result: schema.AssessmentResult | None = None

    def stored() -> schema.AssessmentResult:
        nonlocal result
        if result is None:
            result = scoring.stored_result(assessment) or scoring.refresh_snapshot(assessment)
        return result

    steps: list[Step] = []
    if permissions.can_submit(user, assessment):
        steps.append(
            _step(
                "submit",
                "Submit for review",
                lambda: workflow.submission_problems(assessment, stored()),
                blocked="Not ready to submit yet:",
            )
        )
    if permissions.can_start_review(user, assessment):
        steps.append(Step("start-review", "Start review", True))
    if permissions.can_approve(user, assessment):
        steps.append(
            _step(
                "approve",
                "Approve",
                lambda: workflow.approval_problems(assessment),
                blocked="Not ready to approve:",
            )
        )
    if permissions.can_request_changes(user, assessment):
        steps.append(
            Step(
                "request-changes",
                "Request changes",
                True,
                primary=False,
                note_label="What needs to change (required)",
            )
        )
    if permissions.can_sign_off(user, assessment):
        steps.append(
            _step(
                "sign-off",
                "Sign off",
                lambda: workflow.sign_off_problems(assessment, stored()),
                blocked="Cannot be signed off yet:",
            )
        )
    return steps


def accept_step(user: User, assessment: StageAssessment) -> Step | None:
    """The senior responsible officer's acceptance, offered on the action plan page only."""
    if not permissions.can_accept_action_plan(user, assessment):
        return None
    return _step(
        "accept-action-plan",
        "Accept the action plan",
        lambda: workflow.acceptance_problems(assessment),
        blocked="Already accepted.",
    )


# ---------------------------------------------------------------- closure: reviewers' requests


def request_steps(user: User, assessment: StageAssessment, action: Action) -> list[Step]:
    """The buttons on one reviewer's request: the project team's “Mark dealt with”, the
    reviewer's “Agree” and “Send it back”, each greyed out with the reason the step would be
    refused for (requests.step_problems). None once the request is closed."""
    if not requests.is_request(action) or requests.is_closed(action):
        return []
    steps: list[Step] = []

    def problems(step: str) -> Callable[[], list[str]]:
        return lambda: requests.step_problems(action, step)

    if permissions.can_mark_request_dealt_with(user, assessment):
        steps.append(
            _step(
                requests.DEALT_WITH,
                "Mark dealt with",
                problems(requests.DEALT_WITH),
                blocked="",
                note_label="What you did (optional)",
            )
        )
    if permissions.can_answer_request(user, assessment):
        agree = _step(
            requests.AGREE, "Agree it is dealt with", problems(requests.AGREE), blocked=""
        )
        steps.append(agree)
        if not agree.enabled:
            return steps  # “Send it back” would be greyed out for the same reason
        steps.append(
            _step(
                requests.SEND_BACK,
                "Send it back",
                problems(requests.SEND_BACK),
                blocked="",
                primary=False,
                note_label="Why it is not dealt with yet (required)",
            )
        )
    return steps
