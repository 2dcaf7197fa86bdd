"""Drafting and publishing question bank versions (the methodology owners' writes).

A draft starts as a copy of the newest published version. Questions keep their code across
versions; a question whose meaning changes is retired and replaced by one with a new code, and
a code is never used again for anything else. Publishing freezes the version (the models refuse
any later change) and every new assessment then uses it. Every step is recorded with who did it.
"""

from __future__ import annotations

import hashlib
import json
import re

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from assessments import permissions
from assessments.enums import StageGroup
from assessments.models import (
    BankStatus,
    Determinant,
    Question,
    QuestionBank,
    QuestionBankChange,
)
from assessments.models.reference import PublishedBankError

Action = QuestionBankChange.Action
EDITABLE_FIELDS = ("text", "guidance", "duties", "required", "hidden_stages")
# Publishing needs at least this many questions per determinant in every stage group, the same
# floor the published fixtures are checked against.
MIN_QUESTIONS_PER_PLACE = 3


class DraftError(Exception):
    """A refused drafting step; nothing was changed."""


def _check_owner(by) -> None:
    if not permissions.can_manage_methodology(by):
        raise PermissionDenied("Only the region's methodology owners change the question bank.")


def _record(bank: QuestionBank, action: str, by, code: str = "", note: str = "") -> None:
    QuestionBankChange.objects.create(
        bank=bank, action=action, question_code=code, note=note, by=by
    )


def _locked_draft(bank: QuestionBank) -> QuestionBank:
    locked = QuestionBank.objects.select_for_update().get(pk=bank.pk)
    if not locked.is_draft:
        raise PublishedBankError(f"Question bank v{locked.version} is published and cannot change.")
    return locked


def current_draft() -> QuestionBank | None:
    return QuestionBank.objects.filter(status=BankStatus.DRAFT).order_by("-id").first()


def newest_published() -> QuestionBank:
    return QuestionBank.objects.filter(status=BankStatus.PUBLISHED).latest("published", "id")


def _next_version() -> str:
    numbers = [
        int(v) for v in QuestionBank.objects.values_list("version", flat=True) if v.isdigit()
    ]
    return str(max(numbers, default=0) + 1)


@transaction.atomic
def start_draft(by) -> QuestionBank:
    """A draft copied from the newest published version, or the draft already open (there is one
    draft at a time, so a second click or a second owner lands on the same one)."""
    _check_owner(by)
    base = QuestionBank.objects.select_for_update().get(pk=newest_published().pk)
    existing = current_draft()
    if existing is not None:
        return existing
    draft = QuestionBank.objects.create(
        version=_next_version(),
        title=base.title,
        status=BankStatus.DRAFT,
        based_on=base,
        created_by=by,
    )
    Question.objects.bulk_create(
        Question(
            bank=draft,
            code=q.code,
            determinant_id=q.determinant_id,
            stage_group=q.stage_group,
            order=q.order,
            text=q.text,
            guidance=q.guidance,
            duties=list(q.duties),
            required=q.required,
            hidden_stages=list(q.hidden_stages),
        )
        for q in base.questions.all()
    )
    _record(draft, Action.STARTED, by, note=f"Copied from version {base.version}.")
    return draft


def next_free_code(determinant_code: str, stage_group: str) -> str:
    """The next code for a new question of this determinant and stage group, counting every
    version ever stored, so a retired code is never reused."""
    pattern = re.compile(rf"^{re.escape(determinant_code)}-{re.escape(stage_group)}-(\d+)$")
    codes = Question.objects.filter(
        determinant__code=determinant_code, stage_group=stage_group
    ).values_list("code", flat=True)
    numbers = [int(m.group(1)) for code in codes if (m := pattern.match(code))]
    return f"{determinant_code}-{stage_group}-{max(numbers, default=0) + 1}"


def _last_order(bank: QuestionBank, determinant_id: int, stage_group: str) -> int:
    found = bank.questions.filter(determinant_id=determinant_id, stage_group=stage_group)
    return found.aggregate(last=Max("order"))["last"] or 0


@transaction.atomic
def add_question(bank: QuestionBank, values: dict, *, by) -> Question:
    """A new question (new code) at the end of its determinant's list for its stage group."""
    _check_owner(by)
    draft = _locked_draft(bank)
    determinant = values["determinant"]
    question = Question.objects.create(
        bank=draft,
        code=next_free_code(determinant.code, values["stage_group"]),
        determinant=determinant,
        stage_group=values["stage_group"],
        order=_last_order(draft, determinant.pk, values["stage_group"]) + 1,
        **{name: values[name] for name in EDITABLE_FIELDS},
    )
    _record(draft, Action.ADDED, by, question.code, question.text)
    return question


@transaction.atomic
def edit_question(question: Question, values: dict, *, meaning_changed: bool, by) -> Question:
    """Write the edited wording, guidance, duty tags and stages. When the meaning changed, the
    question is retired and a new one with a new code takes its place."""
    _check_owner(by)
    draft = _locked_draft(question.bank)
    question = Question.objects.select_for_update().get(pk=question.pk, bank=draft)
    if meaning_changed:
        replacement = Question.objects.create(
            bank=draft,
            code=next_free_code(question.determinant.code, question.stage_group),
            determinant=question.determinant,
            stage_group=question.stage_group,
            order=question.order,
            **{name: values[name] for name in EDITABLE_FIELDS},
        )
        question.delete()
        _record(draft, Action.RETIRED, by, question.code, f"Replaced by {replacement.code}.")
        _record(draft, Action.ADDED, by, replacement.code, f"Replaces {question.code}.")
        return replacement
    changed = [name for name in EDITABLE_FIELDS if getattr(question, name) != values[name]]
    if not changed:
        return question
    for name in changed:
        setattr(question, name, values[name])
    question.save()
    _record(draft, Action.EDITED, by, question.code, "Changed: " + ", ".join(changed) + ".")
    return question


@transaction.atomic
def retire_question(question: Question, *, by) -> None:
    """Leave the question out of this version. Its code is never reused."""
    _check_owner(by)
    draft = _locked_draft(question.bank)
    Question.objects.get(pk=question.pk, bank=draft).delete()
    _record(draft, Action.RETIRED, by, question.code, question.text)


@transaction.atomic
def reorder(bank: QuestionBank, positions: dict[int, int], *, by) -> int:
    """Give the questions (id -> position) their new places, numbered 1, 2, 3... in the order
    asked; ties keep the previous order. Returns how many questions moved."""
    _check_owner(by)
    draft = _locked_draft(bank)
    questions = list(draft.questions.select_for_update().filter(pk__in=positions))
    ranked = sorted(questions, key=lambda q: (positions[q.pk], q.order, q.code))
    moved = []
    for place, question in enumerate(ranked, start=1):
        if question.order != place:
            question.order = place
            question.save(update_fields=["order", "updated_at"])
            moved.append(question.code)
    if moved:
        _record(draft, Action.REORDERED, by, note="New places for " + ", ".join(moved) + ".")
    return len(moved)


def publish_problems(bank: QuestionBank) -> list[str]:
    """What stops the draft being published, in words for the methodology owner."""

    counts: dict[tuple[int, str], int] = {}
    for determinant_id, group in bank.questions.values_list("determinant_id", "stage_group"):
        counts[(determinant_id, group)] = counts.get((determinant_id, group), 0) + 1
    problems = []
    for determinant in Determinant.objects.all():
        for group in StageGroup:
            found = counts.get((determinant.pk, group.value), 0)
            if found < MIN_QUESTIONS_PER_PLACE:
                problems.append(
                    f"{determinant.code} {determinant.name}, {group.label}: {found} "
                    f"question{'s' if found != 1 else ''} (at least {MIN_QUESTIONS_PER_PLACE} needed)."
                )
    return problems


def content_hash(bank: QuestionBank) -> str:
    """The questions' hash in the shape of a fixture file's, so exporting a version published
    here as question_bank_vN.json later loads as unchanged."""
    rows = [
        {
            "code": q.code,
            "determinant": q.determinant.code,
            "stage_group": q.stage_group,
            "order": q.order,
            "text": q.text,
            "guidance": q.guidance,
            "duties": list(q.duties),
            "required": q.required,
            "hidden_stages": list(q.hidden_stages),
        }
        for q in bank.questions.select_related("determinant")
    ]
    return hashlib.sha256(json.dumps(rows, sort_keys=True).encode()).hexdigest()


@transaction.atomic
def publish(bank: QuestionBank, *, notes: str, by) -> QuestionBank:
    """Freeze the draft: from now on new assessments use it and nothing in it changes.
    Assessments already under way stay on their version until their team moves them."""
    _check_owner(by)
    draft = _locked_draft(bank)
    problems = publish_problems(draft)
    if problems:
        raise DraftError("This draft cannot be published yet: " + " ".join(problems))
    draft.status = BankStatus.PUBLISHED
    draft.published = timezone.localdate()
    draft.published_at = timezone.now()
    draft.published_by = by
    draft.notes = notes
    draft.content_sha256 = content_hash(draft)
    draft.save()
    _record(draft, Action.PUBLISHED, by, note=notes)
    return draft
