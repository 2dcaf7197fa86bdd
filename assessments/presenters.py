"""Shapes precomputed data for templates: templates loop and print, they never compute."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from django.middleware.csrf import get_token

from . import permissions, rules, scoring
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


def overview_cache_version(assessment: StageAssessment, *, can_edit: bool) -> str:
    """Cache key part for the assessment page's scores and per-answer tables.

    It changes whenever what they show can change: every answer save re-scores the assessment
    and every status change saves it, and both move `updated_at` (scoring.refresh_snapshot,
    workflow). Anything new shown inside the cached block must also save the assessment when it
    changes, or be shown outside the block."""
    stamp = assessment.updated_at.timestamp() if assessment.updated_at else 0
    return f"{assessment.pk}.{stamp}.{assessment.status}.{assessment.rule_set_id}.{int(can_edit)}"


def assessment_page_key(request, head) -> str:
    """Cache key for the whole assessment page (views.caching.cached_page).

    It holds everything the page depends on: the assessment, its project and every related row
    (queries.AssessmentPageHead.stamp, which also counts the consultation windows open at this
    moment); who is looking (user, name, superuser and staff flags, memberships: they decide
    the buttons and the navigation); and the browser's CSRF secret, because the page's forms
    carry a token made from it and a new login replaces it."""
    get_token(request)  # makes sure the secret exists and the cookie carrying it is sent
    secret = request.META.get("CSRF_COOKIE", "")
    user = request.user
    parts = [
        head.pk, head.stamp,
        user.pk, user.username, user.first_name, user.last_name, user.is_superuser, user.is_staff,
        sorted(permissions.memberships(user), key=str),
        hashlib.sha256(secret.encode()).hexdigest()[:16],
    ]
    return hashlib.sha256(repr(parts).encode()).hexdigest()
