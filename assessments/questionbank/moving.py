"""Moving an open assessment onto the newest published question bank: a step its project team
takes on purpose, never automatic.

Unchanged questions keep their answers; reworded ones keep them too, flagged until the team
confirms the answer still fits the new words; removed ones leave the assessment (the deleted
answer stays in the answer history and is named in the timeline) and new ones arrive unanswered.
Signed-off, superseded and submitted stages never move: only a stage open for editing does.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.db.models import F

from assessments import permissions
from assessments.models import Action, Answer, AssessmentSection, QuestionBank, StageAssessment
from assessments.questionbank import queries
from assessments.questionbank.diff import MovePlan
from assessments.review import workflow
from assessments.scoring import snapshots as scoring

EVENT = "move_question_bank"


class MoveRefused(Exception):
    """The move cannot happen as the person saw it; nothing was changed."""


@dataclass(frozen=True)
class MoveDone:
    plan: MovePlan
    already: bool = False  # a repeated confirmation: the assessment had already moved


def _held_by_review(answers: list[Answer]) -> list[str]:
    """Codes of removed answers that reviewers' records still point at (verdicts, overrides,
    flag justifications): those records must keep their answer, so the move waits."""
    return sorted(
        answer.question.code
        for answer in answers
        if answer.verdicts.exists()
        or answer.rating_overrides.exists()
        or answer.flag_justifications.exists()
    )


def _removed_note(answers: list[Answer]) -> str:
    parts = []
    for answer in answers:
        said = answer.get_direction_display() if answer.direction else "not answered"
        parts.append(f"{answer.question.code} ({said})")
    return "Removed, answers kept in the history: " + ", ".join(parts) + "." if parts else ""


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _note(plan: MovePlan, old: QuestionBank, new: QuestionBank, removed: list[Answer]) -> str:
    reworded = ", ".join(r.code for r in plan.reworded)
    parts = [
        f"Moved from question bank version {old.version} to version {new.version}:",
        _count(len(plan.kept), "answer kept,", "answers kept,"),
        _count(len(plan.reworded), "reworded question", "reworded questions")
        + " to confirm"
        + (f" ({reworded})," if reworded else ","),
        _count(len(plan.added), "new question", "new questions")
        + (f" ({', '.join(plan.added)})." if plan.added else "."),
    ]
    return " ".join(filter(None, [" ".join(parts), _removed_note(removed)]))


@transaction.atomic
def move_assessment(
    assessment: StageAssessment, *, from_bank_id: int, to_bank_id: int, by
) -> MoveDone:
    """Move the assessment from the version the person saw (`from_bank_id`) to `to_bank_id`,
    which must still be the newest published version. A second confirmation of the same move
    changes nothing."""
    locked = workflow.begin(
        assessment, by, event=EVENT, permission=permissions.can_move_question_bank
    )
    if locked.question_bank_id == to_bank_id:
        return MoveDone(queries.move_plan_between(locked.question_bank, locked), already=True)
    target = queries.newer_bank_for(locked)
    if locked.question_bank_id != from_bank_id or target is None or target.pk != to_bank_id:
        raise MoveRefused(
            "The question bank versions changed since you opened this page. Nothing was "
            "changed; look at the list again before moving."
        )
    old_bank = locked.question_bank
    plan = queries.move_plan_between(target, locked)
    answers = {
        a.question.code: a
        for a in locked.answers.select_related("question").prefetch_related("groups")
    }
    removed = [answers[code] for code in plan.removed if code in answers]
    held = _held_by_review(removed)
    if held:
        raise MoveRefused(
            "A reviewer's verdict, override or flag justification refers to the answers to "
            + ", ".join(held)
            + ", which the new version removes. Nothing was changed; ask the reviewer, or "
            "stay on this version until the stage is signed off."
        )
    new_questions = {
        q.code: q for q in target.questions.filter(stage_group=locked.stage.stage_group)
    }
    reworded = {r.code for r in plan.reworded}
    # An asked question without an answer row (none is expected) simply arrives unanswered.
    added = [*plan.added, *(code for code in [*plan.kept, *reworded] if code not in answers)]
    for code in [c for c in [*plan.kept, *reworded] if c in answers]:
        answer = answers[code]
        if code in reworded and answer.reworded_from_id is None:
            answer.reworded_from = answer.question
        answer.question = new_questions[code]
        answer.updated_by = by
        answer.save()
    # Actions in the plan stay; they no longer point at an answer that leaves.
    Action.objects.filter(answer__in=removed).update(answer=None)
    for answer in removed:
        answer.delete()
    Answer.objects.bulk_create(
        Answer(assessment=locked, question=new_questions[code]) for code in added
    )
    # Pages opened before the move are stale: their next save merges with what is here now.
    AssessmentSection.objects.filter(assessment=locked).update(version=F("version") + 1)
    locked.question_bank = target
    locked.save_with_new_cache_version(update_fields=["question_bank", "updated_at"])
    scoring.refresh_snapshot(locked)
    workflow.log(
        locked, by, EVENT, from_status=locked.status, note=_note(plan, old_bank, target, removed)
    )
    return MoveDone(plan)


@transaction.atomic
def confirm_reworded(assessment: StageAssessment, answer_id: int, *, by) -> Answer | None:
    """The team confirms that an answer still fits its question's new wording. None when it was
    already confirmed (a repeated click)."""
    locked = workflow.begin(
        assessment, by, event="confirm_rewording", permission=permissions.can_move_question_bank
    )
    answer = (
        locked.answers.select_for_update(of=("self",))
        .select_related("question")
        .filter(pk=answer_id)
        .first()
    )
    if answer is None:
        raise MoveRefused("That answer is not part of this assessment.")
    if answer.reworded_from_id is None:
        return None
    answer.reworded_from = None
    answer.updated_by = by
    answer.save(update_fields=["reworded_from", "updated_by", "updated_at"])
    locked.save_with_new_cache_version(update_fields=["updated_at"])
    return answer
