"""The read side of the workflow: what the Workflow panel on the assessment page shows."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from assessments import permissions
from assessments.community.consultation import open_window
from assessments.enums import AssessmentStatus
from assessments.review import availability, workflow
from assessments.review.forms import RescreenForm, TransitionForm

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from assessments.models import StageAssessment


def workflow_panel(user: User, assessment: StageAssessment) -> dict[str, Any]:
    """Flags and facts for the Workflow panel on the assessment page
    (templates/review/_workflow_panel.html). It only reads: every decision is a predicate in
    permissions.py, asked again by workflow.py when the button is pressed."""
    can = {
        "submit": permissions.can_submit(user, assessment),
        "start_review": permissions.can_start_review(user, assessment),
        "review": permissions.can_review(user, assessment),
        "request_changes": permissions.can_request_changes(user, assessment),
        "approve": permissions.can_approve(user, assessment),
        "accept_action_plan": permissions.can_accept_action_plan(user, assessment),
        "sign_off": permissions.can_sign_off(user, assessment),
        "rescreen": permissions.can_rescreen(user, assessment),
        "start_next_stage": permissions.can_start_next_stage(user, assessment)
        and assessment.project.current_stage_id == assessment.stage_id,
        "confirm_baseline": permissions.can_confirm_baseline(user, assessment),
        "open_consultation": permissions.can_open_consultation(user, assessment),
        "close_consultation": permissions.can_close_consultation(user, assessment),
    }
    acceptance = workflow.current_acceptance(assessment)
    return {
        "can": can,
        # The status-changing buttons, each enabled or greyed out with the workflow's reason.
        "steps": availability.workflow_steps(user, assessment),
        "history": [
            {"change": change, "title": workflow.EVENTS.get(change.event, (change.event,))[0]}
            for change in assessment.status_changes.select_related("by").order_by("-at", "-id")[:5]
        ],
        "acceptance": acceptance,
        "unconfirmed": [
            answer.question.code for answer in workflow.unconfirmed_baseline(assessment)
        ],
        "overrides": list(
            assessment.rating_overrides.select_related("by", "answer__question", "determinant")
        ),
        "window": open_window(assessment),
        "windows_held": assessment.consultation_windows.exists(),
        "author_note": _author_note(user, assessment),
        "transition_form": TransitionForm(initial={"expected_status": assessment.status}),
        "rescreen_form": RescreenForm(initial={"expected_status": assessment.status}),
        "open_actions": assessment.actions.filter(status__in=["open", "in_progress"]).count(),
    }


def _author_note(user: User, assessment: StageAssessment) -> str:
    """Why a reviewer sees no Approve or Sign off button on a stage they wrote part of."""
    if not permissions.barred_as_author(user, assessment):
        return ""
    judges = "approve it" if assessment.status == AssessmentStatus.IN_REVIEW else "sign it off"
    return f"{workflow.WROTE_PART}, so another public health reviewer must {judges}."
