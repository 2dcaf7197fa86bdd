"""Erasure: anonymising a person everywhere the law allows, on request or by a retention rule.

A resident (a community panel member), or a member of staff who never took an official decision,
is anonymised fully: the account keeps no name, address or user name; their comments stay, as
written by "a panel member"; sign-ins, sessions and copies of emails to them are deleted; and
every text column of every table, history tables included, is cleared of their name, user name
and email address.

An officer who took official decisions (verdicts, sign-offs, overrides, justifications, replies
to the panel, accepting an action plan, opening a consultation) keeps their name on the account,
because those records of decisions made in a public task must still say who made them; the rest
(email address, sign-ins, sessions, roles, the ability to sign in) goes as for anyone else.

Published reports are stored bytes (ArchivedReport) and are never rewritten; they name officers
only, never a resident (reports/records.py calls every commenter "Community panel member").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.db import models, transaction
from django_tasks_db.models import DBTaskResult

from assessments.models import (
    ActionPlanAcceptance,
    CommentReply,
    CommunityComment,
    ConsultationWindow,
    DownloadRecord,
    FlagJustification,
    Membership,
    PrivacyEvent,
    PrivacyEventKind,
    RatingOverride,
    ReviewVerdict,
    StatusChange,
)

REMOVED = "[removed]"
EMAIL_TASK = "deliver_email"
# Tables whose text is never rewritten by a scrub: the account itself is handled field by field,
# and the privacy log names nobody.
NOT_SCRUBBED = {"auth.user", "assessments.privacyevent"}
# Records of official decisions: they keep the officer who made them.
DECISIONS = (
    (StatusChange, "by", "workflow decisions (submit, review, approve, sign off)"),
    (ReviewVerdict, "reviewer", "review verdicts"),
    (RatingOverride, "by", "rating overrides"),
    (FlagJustification, "by", "flag justifications"),
    (ActionPlanAcceptance, "by", "action plan acceptances"),
    (CommentReply, "by", "replies to the community panel"),
    (ConsultationWindow, "opened_by", "consultations opened"),
)


@dataclass
class ErasurePlan:
    """What erasing one person will change, shown to the administrator before it runs."""

    person_id: int
    keeps_name: bool
    decisions: dict[str, int] = field(default_factory=dict)
    changes: dict[str, int] = field(default_factory=dict)


def official_decisions(person) -> dict[str, int]:
    found = {}
    for model, column, label in DECISIONS:
        count = model.objects.filter(**{column: person}).count()
        if count:
            found[label] = count
    return found


def identifiers(person, *, keeps_name: bool) -> list[str]:
    """The strings that identify the person in free text, longest first. The surname on its own is
    not one of them: it would rewrite other people's words ("Smith Street"), signed-off records
    included, on a guess. Short fragments are left out for the same reason."""
    names = [] if keeps_name else [person.get_full_name()]
    values = [*names, person.username, person.email]
    candidates = {value.strip() for value in values if value and value.strip()}
    return sorted((c for c in candidates if len(c) >= 3), key=len, reverse=True)


def _pattern(words: list[str]) -> re.Pattern[str]:
    return re.compile(
        r"(?<!\w)(?:" + "|".join(re.escape(w) for w in words) + r")(?!\w)", re.IGNORECASE
    )


def _text_columns():
    """(model, field name) for every text column of every table, history tables included."""
    for model in apps.get_models():
        if model._meta.label_lower in NOT_SCRUBBED or model._meta.proxy or not model._meta.managed:
            continue
        for column in model._meta.concrete_fields:
            text = isinstance(column, models.CharField | models.TextField)
            if text and not column.primary_key and not column.choices:
                yield model, column.name


def scrub_text(words: list[str], *, dry_run: bool = False) -> dict[str, int]:
    """Replace the words in every text column; returns rows changed per table. Rows are updated
    with queryset.update, so no new history row (which would copy the old text) is written."""
    if not words:
        return {}
    pattern = _pattern(words)
    changed: dict[str, int] = {}
    for model, name in _text_columns():
        query = models.Q()
        for word in words:
            query |= models.Q(**{f"{name}__icontains": word})
        for pk, text in model._default_manager.filter(query).values_list("pk", name):
            new = pattern.sub(REMOVED, text or "")
            if new != text:
                if not dry_run:
                    model._default_manager.filter(pk=pk).update(**{name: new})
                label = model._meta.verbose_name_plural
                changed[str(label)] = changed.get(str(label), 0) + 1
    return changed


def email_tasks(words: list[str]):
    """Stored email tasks (address, subject, text) that mention the person."""
    if not words:
        return DBTaskResult.objects.none()
    pattern = _pattern(words)
    ids = [
        pk
        for pk, args in DBTaskResult.objects.filter(task_path__endswith=EMAIL_TASK).values_list(
            "pk", "args_kwargs"
        )
        if pattern.search(str(args))
    ]
    return DBTaskResult.objects.filter(pk__in=ids)


def session_keys(person) -> list[str]:
    return [
        session.session_key
        for session in Session.objects.all()
        if str(session.get_decoded().get("_auth_user_id")) == str(person.pk)
    ]


def plan_erasure(person) -> ErasurePlan:
    decisions = official_decisions(person)
    keeps_name = bool(decisions)
    words = identifiers(person, keeps_name=keeps_name)
    sign_in_models = (AccessAttempt, AccessFailureLog, AccessLog)
    changes = {
        "comments that will show “a panel member” instead of the account": (
            CommunityComment.objects.filter(author=person).count()
        ),
        "roles removed": Membership.objects.filter(user=person).count(),
        "sign-in records deleted": sum(
            m.objects.filter(username=person.username).count() for m in sign_in_models
        ),
        "sessions ended and deleted": len(session_keys(person)),
        "copies of emails deleted": email_tasks(words).count(),
        "downloads whose address is removed": DownloadRecord.objects.filter(user=person).count(),
    }
    for table, count in scrub_text(words, dry_run=True).items():
        changes[f"{table}: text naming the person replaced by {REMOVED}"] = count
    return ErasurePlan(person.pk, keeps_name, decisions, {k: v for k, v in changes.items() if v})


@transaction.atomic
def erase_person(person, *, by=None, reason: str = "request") -> PrivacyEvent:
    """Anonymise the person now (irreversible) and record it."""
    person = get_user_model().objects.select_for_update().get(pk=person.pk)
    plan = plan_erasure(person)
    words = identifiers(person, keeps_name=plan.keeps_name)
    CommunityComment.objects.filter(author=person).update(author=None)
    Membership.objects.filter(user=person).delete()
    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        model.objects.filter(username=person.username).delete()
    Session.objects.filter(session_key__in=session_keys(person)).delete()
    email_tasks(words).delete()
    DownloadRecord.objects.filter(user=person).update(ip_address=None)
    scrub_text(words)
    if not plan.keeps_name:
        person.first_name = person.last_name = ""
    person.username = f"erased-{person.pk}"
    person.email = ""
    person.is_active = person.is_staff = person.is_superuser = False
    person.set_unusable_password()
    person.save()
    person.groups.clear()
    person.user_permissions.clear()
    return PrivacyEvent.objects.create(
        kind=PrivacyEventKind.ERASURE,
        by=by,
        subject_id=person.pk,
        counts={"reason": reason, "kept_name": plan.keeps_name, **plan.changes},
    )


def is_erased(person) -> bool:
    return person.username == f"erased-{person.pk}"
