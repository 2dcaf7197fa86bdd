"""Daily reminders to indicator owners: once when a measurement falls due (within the rule
set's reminder_days_before of its due date) and once when it is overdue. Each reminder sent is
recorded (MonitoringReminder, unique per indicator, kind and due date), so a second run, or a
rerun after a failure, never emails twice about the same due date; a new measurement moves the
due date and makes new reminders due.

Overdue monitoring also raises flag F9 on the project's open operation and evaluation stages:
the run re-scores those so the flag follows the calendar, not only the next save.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from assessments.models import CapitalProject, MonitoringReminder
from assessments.models.monitoring import MonitoringReminderKind
from assessments.monitoring import queries, recording
from assessments.presenters import person_name
from assessments.review.notifications import deliver_email
from assessments.scoring import monitoring as rules

Kind = MonitoringReminderKind


@dataclass
class MonitoringRemindersSent:
    due: int = 0
    overdue: int = 0
    rescored: int = 0


def _message(row: queries.IndicatorRow, kind: str) -> tuple[str, str]:
    indicator, due = row.indicator, row.status.next_due
    assert due is not None
    project = indicator.project
    link = settings.SITE_URL.rstrip("/") + reverse(
        "assessments:indicator-detail", args=[indicator.pk]
    )
    when = "was due on" if kind == Kind.OVERDUE else "is due on"
    subject = (
        f"[CHIIA] {'Overdue' if kind == Kind.OVERDUE else 'Due soon'}: measurement of "
        f"{indicator.name} ({project.reference})"
    )
    body = "\n\n".join(
        [
            f"Dear {person_name(indicator.owner)},",
            f"The next measurement of “{indicator.name}”, an outcome indicator of "
            f"{project.title} that you own, {when} {rules.long_date(due)}.",
            f"Source: {indicator.data_source}.",
            "Please enter it in CHIIA (or import several at once from the CSV template).",
            f"Open it in CHIIA: {link}",
            "This message was sent by CHIIA, the Glasgow City Region health inequalities impact "
            "assessment tool.",
        ]
    )
    return subject, body


def _send(row: queries.IndicatorRow, kind: str) -> bool:
    """Record, then queue the email once the record is committed; False if already sent."""
    owner = row.indicator.owner
    assert owner is not None and row.status.next_due is not None
    subject, body = _message(row, kind)
    try:
        with transaction.atomic():
            MonitoringReminder.objects.create(
                indicator=row.indicator,
                kind=kind,
                due_date=row.status.next_due,
                sent_to=owner.email,
            )
            transaction.on_commit(lambda: deliver_email.enqueue(subject, body, owner.email))
    except IntegrityError:
        return False
    return True


def _already_sent(rows: list[queries.IndicatorRow]) -> set[tuple[int, str, datetime.date]]:
    return set(
        MonitoringReminder.objects.filter(
            indicator_id__in=[r.indicator.pk for r in rows]
        ).values_list("indicator_id", "kind", "due_date")
    )


def send_monitoring_reminders(today: datetime.date | None = None) -> MonitoringRemindersSent:
    today = today or timezone.localdate()
    rows = queries.indicator_rows(CapitalProject.objects.all(), today=today, active_only=True)
    sent_before = _already_sent(rows)
    sent = MonitoringRemindersSent()
    for row in rows:
        owner, due = row.indicator.owner, row.status.next_due
        if owner is None or not owner.is_active or not owner.email or due is None:
            continue
        kind = Kind.OVERDUE if row.status.overdue else Kind.DUE if row.status.due_soon else None
        if kind is None or (row.indicator.pk, kind, due) in sent_before:
            continue
        if _send(row, kind):
            setattr(sent, kind, getattr(sent, kind) + 1)
    # Every project with indicators: F9 may have been raised or cleared since the last run.
    flagged = {r.indicator.project_id for r in rows}
    with transaction.atomic():
        sent.rescored = recording.refresh_monitoring_flag(flagged)
    return sent
