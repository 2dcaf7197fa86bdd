"""Daily reminders to action owners: once before an action's due date (CHIIA_ACTION_REMINDER_DAYS
ahead) and once after it has passed. Each reminder sent is recorded (ActionReminder, unique per
action, kind and due date), so running the command twice, or again after a failure, never sends
the same reminder twice; moving the due date makes new reminders due."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from assessments.enums import AssessmentStatus
from assessments.models import Action, ActionReminder, ReminderKind
from assessments.models.review import OPEN_ACTION_STATUSES
from assessments.review import notifications


@dataclass
class RemindersSent:
    before: int = 0
    after: int = 0


def _waiting(kind: str) -> QuerySet[Action]:
    """Open, dated actions with an owner in CHIIA who has an email address, not already
    reminded of this kind for this due date, in a live stage (a carried-forward copy stands for
    the original in the next stage)."""
    sent = ActionReminder.objects.filter(
        action=OuterRef("pk"), kind=kind, due_date=OuterRef("due_date")
    )
    carried = Action.objects.filter(carried_from=OuterRef("pk"))
    return (
        Action.objects.filter(
            status__in=OPEN_ACTION_STATUSES,
            due_date__isnull=False,
            owner_user__isnull=False,
            owner_user__is_active=True,
        )
        .exclude(owner_user__email="")
        .exclude(assessment__status=AssessmentStatus.SUPERSEDED)
        .exclude(Exists(sent))
        .exclude(Exists(carried))
        .select_related("owner_user", "due_stage", "assessment__project", "assessment__stage")
        .order_by("due_date", "pk")
    )


def _send(action: Action, kind: str) -> bool:
    """Record, then queue the email once the record is committed; False if another run got
    there first."""
    assert action.due_date is not None and action.owner_user is not None  # see _waiting
    try:
        with transaction.atomic():
            ActionReminder.objects.create(
                action=action, kind=kind, due_date=action.due_date, sent_to=action.owner_user.email
            )
            notifications.on_action_reminder(action, overdue=kind == ReminderKind.AFTER)
    except IntegrityError:
        return False
    return True


def send_action_reminders(today: datetime.date | None = None) -> RemindersSent:
    today = today or timezone.localdate()
    soon = today + datetime.timedelta(days=settings.CHIIA_ACTION_REMINDER_DAYS)
    sent = RemindersSent()
    for action in _waiting(ReminderKind.BEFORE).filter(due_date__gte=today, due_date__lte=soon):
        sent.before += _send(action, ReminderKind.BEFORE)
    for action in _waiting(ReminderKind.AFTER).filter(due_date__lt=today):
        sent.after += _send(action, ReminderKind.AFTER)
    return sent
