"""Applying the published retention rules (privacy.rules, stored by privacy.policies). Each rule finds what has passed its
period; a dry run only counts, a real run deletes or anonymises and writes one PrivacyEvent with
the counts and the rules' version. Signed-off records are never touched: the rules reach only
logs, sessions, stored emails, accounts and the link from a comment to its writer."""

from __future__ import annotations

import datetime
from collections.abc import Callable

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from assessments.models import CommunityComment, DownloadRecord, PrivacyEvent, PrivacyEventKind
from assessments.privacy import erasure, policies

SUCCESSFUL = "SUCCESSFUL"


def _count_or_delete(queryset, dry_run: bool) -> int:
    count = queryset.count()
    if count and not dry_run:
        queryset.delete()
    return count


def sign_in_records(cutoff: datetime.datetime, dry_run: bool) -> int:
    return sum(
        _count_or_delete(model.objects.filter(attempt_time__lt=cutoff), dry_run)
        for model in (AccessAttempt, AccessFailureLog, AccessLog)
    )


def sessions(cutoff: datetime.datetime, dry_run: bool) -> int:
    """Sessions ended (expired) before the cut-off."""
    return _count_or_delete(Session.objects.filter(expire_date__lt=cutoff), dry_run)


def deactivated_accounts(cutoff: datetime.datetime, dry_run: bool) -> int:
    """Accounts switched off and unused (no sign-in, nor creation) since the cut-off."""
    users = (
        get_user_model()
        .objects.filter(is_active=False)
        .exclude(username__startswith="erased-")
        .alias(last_seen=Greatest(Coalesce("last_login", "date_joined"), "date_joined"))
        .filter(last_seen__lt=cutoff)
    )
    people = list(users)
    if not dry_run:
        for person in people:
            erasure.erase_person(person, reason="retention: deactivated account")
    return len(people)


def panel_comment_identities(cutoff: datetime.datetime, dry_run: bool) -> int:
    """Comments of consultations that closed before the cut-off lose the link to their writer."""
    closed = Q(window__closed_at__lt=cutoff) | Q(
        window__closed_at__isnull=True, window__closes_at__lt=cutoff
    )
    comments = CommunityComment.objects.filter(closed, author__isnull=False)
    count = comments.count()
    if count and not dry_run:
        CommunityComment.objects.filter(pk__in=list(comments.values_list("pk", flat=True))).update(
            author=None
        )
    return count


def delivered_emails(cutoff: datetime.datetime, dry_run: bool) -> int:
    tasks = DBTaskResult.objects.filter(
        task_path__endswith=erasure.EMAIL_TASK, status=SUCCESSFUL, finished_at__lt=cutoff
    )
    return _count_or_delete(tasks, dry_run)


def download_log(cutoff: datetime.datetime, dry_run: bool) -> int:
    return _count_or_delete(DownloadRecord.objects.filter(at__lt=cutoff), dry_run)


HANDLERS: dict[str, Callable[[datetime.datetime, bool], int]] = {
    "sign_in_records": sign_in_records,
    "sessions": sessions,
    "deactivated_accounts": deactivated_accounts,
    "panel_comment_identities": panel_comment_identities,
    "delivered_emails": delivered_emails,
    "download_log": download_log,
}


@transaction.atomic
def apply_retention(*, dry_run: bool = False, now: datetime.datetime | None = None, by=None):
    """Apply every rule of the current version; returns the recorded PrivacyEvent (kept for a
    dry run too, marked as such, so the log shows what was checked and when)."""
    now = now or timezone.now()
    policy, by_code = policies.current_rules()
    counts = {
        code: HANDLERS[code](now - datetime.timedelta(days=rule.days), dry_run)
        for code, rule in by_code.items()
    }
    return PrivacyEvent.objects.create(
        kind=PrivacyEventKind.RETENTION,
        by=by,
        at=now,
        dry_run=dry_run,
        policy_version=policy.version,
        counts=counts,
    )
