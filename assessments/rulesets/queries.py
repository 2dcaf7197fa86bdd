"""The read side of rule sets: the versions, the open assessments a draft can be tried on, and
"what would change": each chosen assessment scored under the rules it uses now and under the
draft, through the same scoring path that stores snapshots, with nothing saved."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import QuerySet

from assessments.enums import FROZEN_STATUSES, RAG_WORDS
from assessments.models import Determinant, RuleSet, StageAssessment
from assessments.scoring import schema
from assessments.scoring import snapshots as scoring
from assessments.scoring.flags import FLAG_TITLES

# Scoring one assessment twice takes about a dozen queries; this keeps a comparison within a few
# seconds however many assessments are open.
MAX_SAMPLE = 40

BAND_WORDS = {
    "high": "High",
    "medium": "Medium",
    "low": "Low",
    "negligible": "Negligible",
    "": "Not scored",
}


def versions() -> QuerySet[RuleSet]:
    return RuleSet.objects.select_related("published_by", "created_by", "based_on").order_by(
        "status", "-published", "-pk"
    )


def open_draft() -> RuleSet | None:
    return RuleSet.objects.drafts().select_related("based_on").first()


def open_assessments() -> QuerySet[StageAssessment]:
    """Open assessments, most recently changed first (the ones a change would matter to now)."""
    return (
        StageAssessment.objects.exclude(status__in=FROZEN_STATUSES)
        .select_related("project__council", "stage", "rule_set")
        .order_by("-updated_at", "-pk")
    )


def movable(rule_set: RuleSet) -> QuerySet[StageAssessment]:
    """Open assessments not yet on this rule set. Signed-off and superseded ones never move."""
    return (
        StageAssessment.objects.exclude(status__in=FROZEN_STATUSES)
        .exclude(rule_set=rule_set)
        .select_related("project", "stage", "rule_set")
        .order_by("pk")
    )


@dataclass(frozen=True)
class Move:
    """One thing that would read differently: what it is, now, and under the draft."""

    what: str
    now: str
    draft: str


@dataclass
class Comparison:
    assessment: StageAssessment
    scored_with: str
    overall_now: str
    overall_draft: str
    residual_now: str
    residual_draft: str
    determinants: list[Move] = field(default_factory=list)
    bands: list[Move] = field(default_factory=list)
    flags_added: list[str] = field(default_factory=list)
    flags_removed: list[str] = field(default_factory=list)

    @property
    def overall_moves(self) -> bool:
        return self.overall_now != self.overall_draft or self.residual_now != self.residual_draft

    @property
    def moves(self) -> bool:
        return bool(
            self.overall_moves
            or self.determinants
            or self.bands
            or self.flags_added
            or self.flags_removed
        )


def _word(rag: object) -> str:
    return RAG_WORDS.get(str(rag), str(rag))


def _determinant_moves(
    now: schema.AssessmentResult, draft: schema.AssessmentResult, names: dict[str, str]
) -> list[Move]:
    before = {d.code: d for d in now.determinants}
    moves = []
    for after in draft.determinants:
        was = before.get(after.code)
        if was is None:
            continue
        name = names.get(after.code, after.code)
        if was.harm_rag != after.harm_rag:
            moves.append(Move(f"{name}: harm", _word(was.harm_rag), _word(after.harm_rag)))
        if was.residual_harm_rag != after.residual_harm_rag:
            moves.append(
                Move(
                    f"{name}: harm after mitigation",
                    _word(was.residual_harm_rag),
                    _word(after.residual_harm_rag),
                )
            )
    return moves


def _band_moves(now: schema.AssessmentResult, draft: schema.AssessmentResult) -> list[Move]:
    before = {a.key: a for a in now.answers}
    moves = []
    for after in draft.answers:
        was = before.get(after.key)
        if was is None:
            continue
        old, new = str(was.band or ""), str(after.band or "")
        if old != new or was.weighted != after.weighted:
            moves.append(
                Move(
                    f"Question {after.key}",
                    f"{BAND_WORDS[old]} ({was.weighted})",
                    f"{BAND_WORDS[new]} ({after.weighted})",
                )
            )
    return moves


def _flag_names(codes: set[str]) -> list[str]:
    return [f"{code} {FLAG_TITLES.get(code, '')}".strip() for code in sorted(codes)]


def compare(draft: RuleSet, assessments: list[StageAssessment]) -> list[Comparison]:
    """Score each assessment under its own rule set (or the one in use) and under the draft.
    Reads only: refresh_snapshot is never called, so no snapshot, rating or flag is stored."""
    names = dict(Determinant.objects.values_list("code", "name"))
    in_use = scoring.current_rule_set()
    found = []
    for assessment in assessments:
        rule_set = assessment.rule_set or in_use
        inputs = scoring.scoring_inputs(assessment)
        now = scoring.evaluate_inputs(inputs, rule_set)
        after = scoring.evaluate_inputs(inputs, draft)
        flags_now = {f.code for f in now.flags}
        flags_draft = {f.code for f in after.flags}
        found.append(
            Comparison(
                assessment=assessment,
                scored_with=rule_set.version,
                overall_now=_word(now.overall_harm_rag),
                overall_draft=_word(after.overall_harm_rag),
                residual_now=_word(now.overall_residual_harm_rag),
                residual_draft=_word(after.overall_residual_harm_rag),
                determinants=_determinant_moves(now, after, names),
                bands=_band_moves(now, after),
                flags_added=_flag_names(flags_draft - flags_now),
                flags_removed=_flag_names(flags_now - flags_draft),
            )
        )
    return found
