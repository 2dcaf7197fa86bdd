"""Shapes precomputed data for templates: templates loop and print, they never compute."""

from __future__ import annotations

from dataclasses import dataclass, field

from . import rules, scoring
from .models import Answer, AssessmentSection, Determinant, StageAssessment


@dataclass
class AnswerRow:
    answer: Answer
    score: rules.AnswerScore | None


@dataclass
class SectionSummary:
    determinant: Determinant
    section: AssessmentSection
    rows: list[AnswerRow] = field(default_factory=list)
    result: rules.DeterminantResult | None = None
    answered: int = 0
    applicable: int = 0

    @property
    def complete(self) -> bool:
        return self.applicable > 0 and self.answered == self.applicable


@dataclass
class AssessmentOverview:
    assessment: StageAssessment
    result: rules.AssessmentResult | None
    sections: list[SectionSummary]


def assessment_overview(assessment: StageAssessment, answers: list[Answer], sections: list[AssessmentSection]) -> AssessmentOverview:
    result = scoring.stored_result(assessment)
    scores = {score.key: score for score in result.answers} if result else {}
    determinant_results = {d.code: d for d in result.determinants} if result else {}
    by_determinant: dict[int, SectionSummary] = {
        section.determinant_id: SectionSummary(
            determinant=section.determinant,
            section=section,
            result=determinant_results.get(section.determinant.code),
        )
        for section in sections
    }
    for answer in answers:
        summary = by_determinant.get(answer.question.determinant_id)
        if summary is None:
            continue
        summary.rows.append(AnswerRow(answer=answer, score=scores.get(answer.question.code)))
        if answer.direction != "not_applicable":
            summary.applicable += 1
            summary.answered += bool(answer.direction)
    return AssessmentOverview(assessment=assessment, result=result, sections=list(by_determinant.values()))
