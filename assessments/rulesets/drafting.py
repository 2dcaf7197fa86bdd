"""The writes of a rule set's life: start a draft, save it, publish it, and move open
assessments onto a published version. Each runs in one transaction with the rows it changes
locked, checks who is acting, and refuses a save made from an out-of-date page."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from assessments import permissions
from assessments.enums import FROZEN_STATUSES, RAG_WORDS
from assessments.models import RuleSet, RuleSetStatus, StageAssessment, StatusChange
from assessments.rulesets import queries
from assessments.scoring import schema
from assessments.scoring import snapshots as scoring

if TYPE_CHECKING:
    from django.contrib.auth.models import User

MOVE_EVENT = "move_rule_set"


class RuleSetError(Exception):
    """A refused change to a rule set, with a message for the person who asked."""


def next_version() -> str:
    """One more than the highest whole-number version, drafts included."""
    numbers = [int(v) for v in RuleSet.objects.values_list("version", flat=True) if v.isdigit()]
    return str(max(numbers, default=0) + 1)


def _lock(rule_set: RuleSet) -> RuleSet:
    return RuleSet.objects.select_for_update().get(pk=rule_set.pk)


def _locked_draft(draft: RuleSet, seen: str) -> RuleSet:
    locked = _lock(draft)
    if not locked.is_draft:
        raise RuleSetError(f"Rule set v{locked.version} has been published and cannot change.")
    if seen != stamp(locked):
        raise RuleSetError(
            "Someone saved this draft after you opened it. Nothing was changed; "
            "reload the page to see their version."
        )
    return locked


def stamp(rule_set: RuleSet) -> str:
    """What a form carries to prove it was made from the latest saved draft."""
    return rule_set.updated_at.isoformat()


@transaction.atomic
def start_draft(by: User) -> RuleSet:
    """A draft copied from the rule set in use; the open draft if there is one already."""
    if not permissions.can_manage_rule_sets(by):
        raise RuleSetError("Only the region's methodology owners draft rule sets.")
    existing = RuleSet.objects.drafts().select_for_update().first()
    if existing is not None:
        return existing
    base = scoring.current_rule_set()
    try:
        with transaction.atomic():
            return RuleSet.objects.create(
                version=next_version(),
                status=RuleSetStatus.DRAFT,
                parameters=dict(base.parameters),
                notes="",
                based_on=base,
                created_by=by,
            )
    except IntegrityError:
        # Another owner started one at the same moment (the version number is unique): use theirs.
        return RuleSet.objects.drafts().get()


@transaction.atomic
def save_draft(
    draft: RuleSet, *, parameters: dict[str, Any], notes: str, by: User, seen: str
) -> RuleSet:
    if not permissions.can_manage_rule_sets(by):
        raise RuleSetError("Only the region's methodology owners edit rule sets.")
    locked = _locked_draft(draft, seen)
    # The same checks the scoring code makes, so a draft that saves is one that can score.
    schema.RuleSet.from_mapping({**parameters, "version": locked.version})
    locked.parameters = parameters
    locked.notes = notes
    locked.save(update_fields=["parameters", "notes", "updated_at"])
    return locked


@transaction.atomic
def publish(draft: RuleSet, *, by: User, seen: str) -> RuleSet:
    """Publish a draft: from now on it never changes, and new assessments are scored with it."""
    if not permissions.can_publish_rule_set(by, draft):
        raise RuleSetError("Only the region's methodology owners publish a draft rule set.")
    locked = _locked_draft(draft, seen)
    schema.RuleSet.from_mapping({**locked.parameters, "version": locked.version})
    now = timezone.now()
    locked.status = RuleSetStatus.PUBLISHED
    locked.published = timezone.localdate(now)
    locked.published_at = now
    locked.published_by = by
    locked.save(update_fields=["status", "published", "published_at", "published_by", "updated_at"])
    return locked


@dataclass(frozen=True)
class Moved:
    assessment: StageAssessment
    from_version: str
    overall_before: str
    overall_after: str


@transaction.atomic
def move_onto(
    rule_set: RuleSet, *, by: User | None, assessment_ids: list[int] | None = None
) -> list[Moved]:
    """Re-score open assessments with a published rule set, each row locked, each move written
    into its timeline. All or nothing: one failure leaves every assessment where it was.
    `by` is None when run from the command line (the timeline then says "system")."""
    if rule_set.is_draft:
        raise RuleSetError(f"Rule set v{rule_set.version} is a draft: publish it first.")
    if by is not None and not permissions.can_move_onto_rule_set(by, rule_set):
        raise RuleSetError("Only the region's methodology owners move assessments between rules.")
    targets = queries.movable(rule_set)
    if assessment_ids is not None:
        targets = targets.filter(pk__in=assessment_ids)
    moved = []
    for pk in targets.values_list("pk", flat=True):
        try:
            moved.extend(_move_one(pk, rule_set, by))
        except schema.ScoringError as exc:
            # Raised inside the transaction, so the assessments moved before it go back too.
            raise RuleSetError(
                f"Assessment {pk} could not be scored with rule set v{rule_set.version} ({exc}). "
                "Nothing was moved."
            ) from exc
    return moved


def _move_one(pk: int, rule_set: RuleSet, by: User | None) -> list[Moved]:
    locked = (
        StageAssessment.objects.select_for_update(of=("self",))
        .select_related("rule_set")
        .get(pk=pk)
    )
    # Re-read under the lock: it may have been signed off since the list was made.
    if locked.status in FROZEN_STATUSES or locked.rule_set_id == rule_set.pk:
        return []
    from_version = locked.rule_set.version if locked.rule_set else ""
    before = locked.overall_rating
    result = scoring.refresh_snapshot(locked, rule_set=rule_set)
    after = str(result.overall_harm_rag)
    # A timeline event that leaves the status as it was (from == to), like a consultation opening.
    StatusChange.objects.create(
        assessment=locked,
        event=MOVE_EVENT,
        from_status=locked.status,
        to_status=locked.status,
        note=(
            f"Re-scored with rule set v{rule_set.version}"
            + (f" (was v{from_version})" if from_version else "")
            + f"; overall harm rating {RAG_WORDS.get(before, 'not yet rated')} → "
            + f"{RAG_WORDS.get(after, after)}."
        ),
        by=by,
    )
    return [Moved(locked, from_version, before, after)]
