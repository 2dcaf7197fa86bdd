"""Read side of the question bank pages: versions, a draft's questions by place, comparisons
and what moving an assessment would do."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Subquery
from django.shortcuts import get_object_or_404

from assessments.enums import StageGroup
from assessments.models import (
    Answer,
    BankStatus,
    Determinant,
    LifecycleStage,
    Question,
    QuestionBank,
    StageAssessment,
)
from assessments.questionbank import diff


def banks():
    return QuestionBank.objects.select_related("published_by", "created_by").order_by("-id")


def bank_changes(bank: QuestionBank, limit: int = 50):
    return bank.changes.select_related("by")[:limit]


def row(question: Question) -> diff.QuestionRow:
    return diff.QuestionRow(
        code=question.code,
        determinant=question.determinant.code,
        stage_group=question.stage_group,
        order=question.order,
        text=question.text,
        guidance=question.guidance,
        duties=tuple(question.duties),
        required=question.required,
        hidden_stages=tuple(question.hidden_stages),
    )


def rows(bank: QuestionBank) -> list[diff.QuestionRow]:
    return [row(q) for q in bank.questions.select_related("determinant")]


def compare(draft: QuestionBank, published: QuestionBank | None = None) -> diff.BankDiff:
    base = published or draft.based_on
    return diff.compare(rows(base) if base else [], rows(draft))


@dataclass(frozen=True)
class Place:
    """One determinant's questions for one stage group, in order."""

    determinant: Determinant
    stage_group: str
    label: str
    questions: list[Question]

    @property
    def key(self) -> str:
        return f"{self.determinant.code}-{self.stage_group}"


def places(bank: QuestionBank, *, determinant: Determinant | None = None) -> list[Place]:
    questions = bank.questions.select_related("determinant").order_by(
        "determinant__order", "stage_group", "order", "code"
    )
    if determinant is not None:
        questions = questions.filter(determinant=determinant)
    grouped: dict[tuple[int, str], list[Question]] = {}
    for question in questions:
        grouped.setdefault((question.determinant_id, question.stage_group), []).append(question)
    labels = dict(StageGroup.choices)
    group_order = [g.value for g in StageGroup]
    found = []
    for d in Determinant.objects.all() if determinant is None else [determinant]:
        for group in group_order:
            found.append(Place(d, group, labels[group], grouped.get((d.pk, group), [])))
    return found


def stages_in_group(stage_group: str):
    return LifecycleStage.objects.filter(stage_group=stage_group).order_by("order")


def asked_rows(bank: QuestionBank, stage: LifecycleStage) -> list[diff.QuestionRow]:
    questions = bank.questions.filter(stage_group=stage.stage_group).select_related("determinant")
    return [row(q) for q in questions if q.asked_at(stage)]


def newest_published() -> QuestionBank | None:
    return (
        QuestionBank.objects.filter(status=BankStatus.PUBLISHED)
        .order_by("-published", "-id")
        .first()
    )


def newer_bank_for(assessment: StageAssessment) -> QuestionBank | None:
    """The newest published version, if the assessment is on an older one."""
    newest = newest_published()
    if newest is None or newest.pk == assessment.question_bank_id:
        return None
    return newest


def move_plan_between(target: QuestionBank, assessment: StageAssessment) -> diff.MovePlan:
    """What moving the assessment from its own version to `target` does at its stage."""
    return diff.move_plan(
        asked_rows(assessment.question_bank, assessment.stage),
        asked_rows(target, assessment.stage),
    )


def texts(bank: QuestionBank, codes) -> dict[str, str]:
    return dict(bank.questions.filter(code__in=list(codes)).values_list("code", "text"))


def reworded_answers(assessment: StageAssessment) -> list[Answer]:
    """Answers moved onto a reworded question that the team has not confirmed yet."""
    return list(
        assessment.answers.filter(reworded_from__isnull=False)
        .select_related("question__determinant", "reworded_from")
        .order_by("question__determinant__order", "question__order")
    )


def move_assessment_header(pk: int) -> StageAssessment:
    return get_object_or_404(
        StageAssessment.objects.select_related("project__council", "stage", "question_bank"), pk=pk
    )


def newest_published_annotations() -> dict:
    """Annotations giving an assessment row the newest published version's id and number, so
    the assessment page learns of a newer version without a query of its own."""
    newest = QuestionBank.objects.filter(status=BankStatus.PUBLISHED).order_by("-published", "-id")
    return {
        "newest_bank_id": Subquery(newest.values("pk")[:1]),
        "newest_bank_version": Subquery(newest.values("version")[:1]),
    }


def move_notice(user, assessment: StageAssessment) -> dict | None:
    """For the assessment page (read from assessment_header's annotations): the newer version
    this person may move the stage onto, or None."""
    from assessments import permissions

    newest = getattr(assessment, "newest_bank_id", None)
    if newest is None or newest == assessment.question_bank_id:
        return None
    if not permissions.can_move_question_bank(user, assessment):
        return None
    return {"version": getattr(assessment, "newest_bank_version", "")}


def reworded_count(user, assessment: StageAssessment) -> int:
    """Answers to reworded questions still to confirm (0 for anyone who may not confirm them)."""
    from assessments import permissions

    if not permissions.can_move_question_bank(user, assessment):
        return 0
    return assessment.answers.filter(reworded_from__isnull=False).count()
