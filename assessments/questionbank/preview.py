"""A stage of a question bank version shown exactly as a project manager would see it: the
answering page's own question cards and forms, for a throwaway assessment that is never saved
(the page wraps them in a disabled fieldset, so nothing can be sent)."""

from __future__ import annotations

from assessments.answering import queries as answering
from assessments.models import (
    Answer,
    AssessmentSection,
    Determinant,
    LifecycleStage,
    QuestionBank,
    StageAssessment,
)
from assessments.projects.forms import AnswerForm
from assessments.scoring import snapshots as scoring

# Stands in for the assessment's id in the cards' addresses; no assessment has it.
NO_ASSESSMENT = 0


def section_preview(bank: QuestionBank, stage: LifecycleStage, determinant: Determinant) -> dict:
    rule_set = scoring.current_rule_set()
    assessment = StageAssessment(
        pk=NO_ASSESSMENT, stage=stage, question_bank=bank, rule_set=rule_set
    )
    questions = [
        q
        for q in bank.questions.filter(determinant=determinant, stage_group=stage.stage_group)
        .select_related("determinant")
        .order_by("order", "code")
        if q.asked_at(stage)
    ]
    hidden = bank.questions.filter(
        determinant=determinant, stage_group=stage.stage_group
    ).count() - len(questions)
    choices = [(group.code, group.name) for group in answering.population_groups()]
    order, relevant = answering.groups_by_relevance(determinant, rule_set)
    cards = []
    for question in questions:
        # The question's own id keeps the form's field ids unique on the page.
        answer = Answer(pk=question.pk, assessment=assessment, question=question)
        form = AnswerForm(
            None, prefix=f"a{question.pk}", group_choices=choices, initial={"reversible": "yes"}
        )
        cards.append(
            {
                "answer": answer,
                "form": form,
                "group_rows": form.group_rows(order, relevant),
                "missing": [],
                "correction": None,
                "previous": None,
                "preview": None,
                "saved_now": False,
            }
        )
    return {
        "assessment": assessment,
        "section": AssessmentSection(assessment=assessment, determinant=determinant),
        "questions": cards,
        "hidden_count": hidden,
    }
