"""The live preview on the section form: one answer as typed, scored by the same rules as a
saved one, and nothing written."""

from __future__ import annotations

import copy
from dataclasses import replace

from assessments.answering import editing
from assessments.models import Answer, StageAssessment
from assessments.scoring import rules, schema
from assessments.scoring import snapshots as scoring


def context_for(assessment: StageAssessment) -> schema.AssessmentContext:
    """Built once per page or request: the catchment and review record the rules read."""
    return scoring.build_context(assessment)


def score_as_typed(
    assessment: StageAssessment,
    answer: Answer,
    cleaned: dict,
    *,
    context: schema.AssessmentContext | None = None,
) -> schema.AnswerScore:
    """Score `answer` as if it held the form's cleaned data (the stored answer is untouched)."""
    values = editing.normalise_submitted(cleaned)
    typed = copy.copy(answer)
    for name in editing.ANSWER_FIELDS:
        setattr(typed, name, values[name])
    disproportionate = set(values["disproportionate"])
    entered = scoring.answer_input(typed, assessment.stage)
    entered = replace(
        entered,
        groups=tuple(
            schema.GroupEffect(code=code, disproportionate=code in disproportionate)
            for code in values["groups"]
        ),
    )
    return rules.score_answer(
        entered,
        rules=scoring.rule_params(assessment.rule_set or scoring.current_rule_set()),
        context=context or context_for(assessment),
    )
