"""Shapes precomputed data for templates: templates loop and print, they never compute."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.core.cache import cache

from assessments.models import (
    Answer,
    AssessmentSection,
    Determinant,
    PopulationGroup,
    StageAssessment,
)
from assessments.scoring import common, schema
from assessments.scoring import snapshots as scoring

# The equity index, described here once for every page and download that shows it. It is the
# share of the harm (|W| of the scored negative answers) that falls on priority groups, so a
# higher figure is worse, not fairer.
EQUITY_INDEX_LABEL = "Equity index (% of harm on priority groups, higher is worse)"
EQUITY_INDEX_MEANING = (
    "The equity index is the share of the harm that falls on priority groups: the weighted "
    "scores of the harms that affect at least one priority group, as a percentage of the weighted "
    "scores of all harms. Higher means more of the harm falls on priority groups, which is worse."
)


def person_name(user, missing: str = "") -> str:
    """How the product names a person everywhere: their full name, else their username;
    `missing` when there is nobody (a deleted account, or the system acting)."""
    if user is None:
        return missing
    return user.get_full_name() or user.get_username()


def percent_number(share) -> Decimal | None:
    """A 0-1 share as a percentage rounded half up to one decimal place (0.625 -> 62.5), as the
    rules word percentages; None when unknown. SQLite hands back floats, hence str()."""
    if share is None:
        return None
    return (Decimal(str(share)) * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def percent(share) -> str:
    """A 0-1 share as text, worded as the rules word it: "62.5%", "50%"; blank when unknown."""
    return "" if share is None else common.percent_text(Decimal(str(share)))


def group_names(codes) -> dict[str, str]:
    return dict(PopulationGroup.objects.filter(code__in=set(codes)).values_list("code", "name"))


def automatic_group_lines(score: schema.AnswerScore | None, names: dict[str, str]) -> list[str]:
    """Groups the rules counted for an answer without anyone naming them, each with its reason:
    "People living in deprived areas (automatic: 62% of the catchment lives in ...)"."""
    if score is None:
        return []
    return [f"{names.get(g.code, g.code)} ({g.reason})" for g in score.automatic_groups]


def automatic_codes(result: schema.AssessmentResult | None) -> set[str]:
    return {g.code for s in result.answers for g in s.automatic_groups} if result else set()


@dataclass
class AnswerRow:
    answer: Answer
    score: schema.AnswerScore | None
    automatic_groups: list[str] = field(default_factory=list)


@dataclass
class SectionSummary:
    determinant: Determinant
    section: AssessmentSection
    rows: list[AnswerRow] = field(default_factory=list)
    result: schema.DeterminantResult | None = None
    answered: int = 0
    applicable: int = 0

    @property
    def complete(self) -> bool:
        return self.applicable > 0 and self.answered == self.applicable


@dataclass
class AssessmentOverview:
    assessment: StageAssessment
    result: schema.AssessmentResult | None
    sections: list[SectionSummary]
    equity_index: str = ""  # as a percentage, blank before any harm is scored
    equity_meaning: str = EQUITY_INDEX_MEANING


def assessment_overview(
    assessment: StageAssessment, answers: list[Answer], sections: list[AssessmentSection]
) -> AssessmentOverview:
    result = scoring.stored_result(assessment)
    scores = {score.key: score for score in result.answers} if result else {}
    determinant_results = {d.code: d for d in result.determinants} if result else {}
    names = group_names(automatic_codes(result))
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
        score = scores.get(answer.question.code)
        summary.rows.append(
            AnswerRow(
                answer=answer, score=score, automatic_groups=automatic_group_lines(score, names)
            )
        )
        if answer.direction != "not_applicable":
            summary.applicable += 1
            summary.answered += bool(answer.direction)
    return AssessmentOverview(
        assessment=assessment,
        result=result,
        sections=list(by_determinant.values()),
        equity_index=percent(result.equity_index) if result else "",
    )


# ---------------------------------------------------------------- mywork: plain words

# Flags as an officer reads them: what the flag asks for, never only its code.
FLAG_NAMES = {
    "F1": "Full health impact assessment recommended",
    "F2": "Mitigation needed for a harm",
    "F3": "Benefits should reach priority groups",
    "F4": "More evidence needed",
    "F5": "Link to another impact assessment",
    "F6": "Monitoring indicator needed",
    "F7": "Re-screen needed",
    "F8": "Action overdue",
    "F9": "Outcome monitoring overdue",
}

# The scoring rules' own shorthand, as words (the rules text is shared with the reports).
_SHORTHAND = [
    (re.compile(r"\|W\|"), "score"),
    (re.compile(r"\bsignificance R\b"), "significance"),
    (re.compile(r"\bR\b(?= of| =| >=)"), "significance"),
    (re.compile(r"\braise Q\b"), "raise the equity multiplier"),
]
_GROUP_CODE = re.compile(r"\b(?:PC|SE|OG|RB)_[A-Z_]+\b")


def flag_name(code: str) -> str:
    return FLAG_NAMES.get(str(code), str(code))


def plain_words(text: str, names: dict[str, str] | None = None) -> str:
    """Rules text for people: "|W|" and "R" said as score and significance, population group
    codes replaced by the groups' names."""
    text = str(text or "")
    for pattern, word in _SHORTHAND:
        text = pattern.sub(word, text)
    if _GROUP_CODE.search(text):
        names = names if names is not None else all_group_names()
        text = _GROUP_CODE.sub(lambda m: names.get(m.group(0), m.group(0)), text)
    return text


def all_group_names() -> dict[str, str]:
    """Every population group's name by code, kept a minute in the cache: a page applies
    plain_words to dozens of explanations, and a renamed group shows within the minute."""
    names: dict[str, str] = (
        cache.get_or_set(
            "chiia:group-names",
            lambda: dict(PopulationGroup.objects.values_list("code", "name")),
            60,
        )
        or {}
    )
    return names
