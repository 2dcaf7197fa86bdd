"""Actions that follow from answers: a mitigation or enhancement typed on an answer is the
action in the plan (never typed twice), and who may own an action in CHIIA."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from assessments import presenters
from assessments.enums import Direction
from assessments.models import Action
from assessments.models.review import ActionKind, ActionStatus

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from assessments.models import Answer, StageAssessment


def action_owner_choices(assessment: StageAssessment) -> QuerySet[User]:
    """People of the project's council, active, by name."""
    return (
        get_user_model()
        .objects.filter(is_active=True, memberships__council_id=assessment.project.council_id)
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def _owner(answer: Answer) -> tuple[str, User | None]:
    """The owner named on the answer, and the project manager as the owner in CHIIA: the
    person the reminders reach (they can pass the action to someone else on the plan)."""
    manager = answer.assessment.project.project_manager
    named = answer.mitigation_owner.strip()
    return named or presenters.person_name(manager) or "Project manager", manager


def sync_mitigation_action(answer: Answer, by: User | None) -> Action | None:
    """Keep the action written from this answer's mitigation (or, for a benefit, enhancement)
    text in step with it: created when the text is first given, updated when it changes, dropped
    when it is cleared. Called inside the section save's transaction, before it re-scores, so
    the flags see the action. Actions someone added by hand are never touched."""
    text = answer.mitigation.strip()
    linked = Action.objects.filter(answer=answer, from_answer=True).order_by("pk").first()
    if not text:
        if linked is not None and linked.is_open:
            linked.status = ActionStatus.DROPPED
            linked.save()
        return linked
    kind = (
        ActionKind.ENHANCEMENT if answer.direction == Direction.POSITIVE else ActionKind.MITIGATION
    )
    owner, owner_user = _owner(answer)
    if linked is None:
        return Action.objects.create(
            assessment_id=answer.assessment_id,
            answer=answer,
            kind=kind,
            text=text,
            owner=owner,
            owner_user=owner_user,
            due_stage=answer.assessment.stage,
            from_answer=True,
            created_by=by,
        )
    changed = (linked.text, linked.kind, linked.owner) != (text, kind, owner)
    if changed or linked.status == ActionStatus.DROPPED:
        linked.text, linked.kind, linked.owner = text, kind, owner
        if linked.status == ActionStatus.DROPPED:
            linked.status = ActionStatus.OPEN
        linked.save()
    return linked
