"""Read side of the review page: one answer card per answered question, in plain words, with what
the score came from, the reviewer's progress this round and what changed since their last verdict.

Nothing here writes. The bulk verdicts in reviewing.py ask this module which answers they cover,
so the page's counts and the recorded verdicts always agree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db.models import Prefetch

from assessments import presenters
from assessments.answering.editing import ANSWER_FIELDS
from assessments.enums import AssessmentStatus
from assessments.models import (
    Answer,
    AnswerGroup,
    PopulationGroup,
    RatingOverride,
    ReviewVerdict,
)
from assessments.models.review import OPEN_ACTION_STATUSES, ActionKind, RequestState, Verdict
from assessments.scoring import common
from assessments.scoring import snapshots as scoring

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from assessments.models import Action, StageAssessment
    from assessments.scoring import schema

# Filters of the card list: URL value -> what the link says.
FILTERS = {
    "": "All answers",
    "harms": "Harms only",
    "pending": "Not yet reviewed",
    "changed": "Changed since my last verdict",
}
NOT_JUDGED = ("no_impact", "not_applicable")
BAND_WORDS = {"high": "High", "medium": "Medium", "low": "Low", "negligible": "Negligible"}


@dataclass
class Fact:
    label: str
    value: str


@dataclass
class Change:
    label: str
    was: str
    now: str


@dataclass
class ReviewCard:
    answer: Answer
    direction: str  # "Harm (negative)", "Benefit (positive)", ...
    direction_class: str  # harm, benefit or neutral: the colour of the card's edge
    band: str  # "High" or "" when not scored
    band_class: str  # a benefit never gets the harm colours
    score_line: str  # "Score −12 (significance 8 × 1.5)" or why it is not scored
    facts: list[Fact] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)
    automatic_groups: list[str] = field(default_factory=list)
    multiplier_reason: str = ""
    raised_to_high: bool = False
    overrides: list[RatingOverride] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)
    # closure: the reviewer's requests among the actions, each with its buttons (availability.Step)
    requests: list[tuple[Action, list[Any]]] = field(default_factory=list)
    verdict: ReviewVerdict | None = None  # the latest, by anyone, in any round
    reviewed: bool = False  # a verdict recorded in this round of review
    changed: bool = False  # changed since this reviewer's own last verdict
    changes: list[Change] = field(default_factory=list)
    form: Any = None  # the verdict form, for someone who may record one
    message: str = ""  # what just happened on this card (recorded, or why not)
    failed: bool = False  # the message says why a verdict was not recorded

    @property
    def is_harm(self) -> bool:
        return self.answer.direction == "negative"


@dataclass
class ReviewPage:
    cards: list[ReviewCard]
    total: int
    reviewed: int
    show: str
    filters: list[tuple[str, str, int]]  # (value, label, count)
    no_impact_pending: int
    unchanged_pending: int
    unanswered: int

    @property
    def progress(self) -> str:
        return f"{self.reviewed} of {self.total} reviewed"


def round_started(assessment: StageAssessment) -> datetime | None:
    """When the stage was last submitted: verdicts from then on belong to this round."""
    change = (
        assessment.status_changes.filter(to_status=AssessmentStatus.SUBMITTED)
        .exclude(from_status=AssessmentStatus.SUBMITTED)
        .order_by("-at", "-id")
        .first()
    )
    return change.at if change else None


def _verdicts(
    assessment: StageAssessment, by: User
) -> tuple[dict[int, ReviewVerdict], dict[int, ReviewVerdict]]:
    """(latest verdict per answer by anyone, latest verdict per answer by `by`)."""
    latest: dict[int, ReviewVerdict] = {}
    mine: dict[int, ReviewVerdict] = {}
    for verdict in assessment.verdicts.select_related("reviewer").order_by("at", "id"):
        latest[verdict.answer_id] = verdict
        if verdict.reviewer_id == by.pk:
            mine[verdict.answer_id] = verdict
    return latest, mine


def _history(assessment: StageAssessment) -> dict[int, list[Any]]:
    """answer id -> its saved versions, oldest first (one query for the whole stage)."""
    versions: dict[int, list[Any]] = {}
    for record in Answer.history.filter(assessment_id=assessment.pk).order_by(
        "history_date", "history_id"
    ):
        versions.setdefault(record.id, []).append(record)
    return versions


_CHOICES = {f.attname: {k: str(v) for k, v in f.choices} for f in Answer._meta.fields if f.choices}
_LABELS = {
    "direction": "Direction",
    "pathway": "How it affects health",
    "likelihood": "Likelihood",
    "severity": "Severity",
    "duration": "Duration",
    "reversible": "Reversible",
    "reach": "Reach",
    "distribution": "Who benefits",
    "evidence_strength": "Evidence strength",
    "evidence_notes": "Evidence sources",
    "covered_by": "Covered by other assessments",
    "mitigation": "Mitigation",
    "mitigation_owner": "Mitigation owner",
    "delivery_mechanism": "How the benefit is secured",
    "residual_likelihood": "Likelihood after mitigation",
    "residual_severity": "Severity after mitigation",
    "monitoring_indicator": "Monitoring indicator",
    "indicator_baseline": "Indicator baseline",
    "notes": "Notes",
}


def _word(name: str, value: Any) -> str:
    if value in (None, "", []):
        return "(blank)"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return _CHOICES.get(name, {}).get(value, str(value))


def changes_since(versions: list[Any], when: datetime, answer: Answer) -> tuple[bool, list[Change]]:
    """Whether the answer was saved after `when`, and each field that differs from how it stood
    then. A save that changed only the population groups (not kept in the history) shows as one
    line saying so."""
    if not any(v.history_date > when for v in versions):
        return False, []
    before = [v for v in versions if v.history_date <= when]
    if not before:
        return True, [Change("Answer", "(not answered)", _word("direction", answer.direction))]
    was = before[-1]
    changes = [
        Change(_LABELS.get(name, name), _word(name, getattr(was, name)), _word(name, now))
        for name in ANSWER_FIELDS
        if getattr(was, name) != (now := getattr(answer, name))
    ]
    return True, changes or [Change("Population groups", "as before", "changed")]


def _with_names(text: str, names: dict[str, str]) -> str:
    """The rules' wording names groups by code; the reviewer reads their names."""
    if not names:
        return text
    pattern = re.compile(r"\b(" + "|".join(re.escape(c) for c in names) + r")\b")
    return pattern.sub(lambda m: names[m.group(1)], text)


def _direction(answer: Answer) -> tuple[str, str]:
    return {
        "negative": ("Harm (negative)", "harm"),
        "positive": ("Benefit (positive)", "benefit"),
    }.get(answer.direction, (answer.get_direction_display(), "neutral"))


def _score_line(answer: Answer, score: schema.AnswerScore | None) -> str:
    if score is None:
        return "Not scored yet."
    if not score.scored:
        return {
            "no_impact": "No impact: nothing to score.",
            "not_applicable": "Not applicable: not scored.",
            "uncertain": "Uncertain: counted for completeness and evidence, not scored.",
        }.get(answer.direction, "Not scored: severity or likelihood is not enough to score.")
    return (
        f"Score {common.format_decimal(score.weighted, signed=True)}: significance {score.significance} "
        f"(likelihood {answer.likelihood} × magnitude {score.magnitude}) × {score.multiplier} "
        "for who is affected."
    )


def _facts(answer: Answer) -> list[Fact]:
    facts = [
        Fact("Likelihood", answer.get_likelihood_display() if answer.likelihood else ""),
        Fact("Severity", answer.get_severity_display() if answer.severity is not None else ""),
        Fact("Reach", answer.get_reach_display()),
        Fact(
            "Duration",
            answer.get_duration_display()
            + (
                ""
                if not answer.duration
                else (", reversible" if answer.reversible else ", lasting")
            ),
        ),
        Fact("Who benefits", answer.get_distribution_display()),
        Fact("Evidence", answer.get_evidence_strength_display()),
        Fact("Evidence sources", answer.evidence_notes),
        Fact("Covered by", ", ".join(answer.covered_by or [])),
        Fact("How the benefit is secured", answer.delivery_mechanism),
    ]
    return [f for f in facts if f.value]


def _card(
    answer: Answer,
    score: schema.AnswerScore | None,
    names: dict[str, str],
) -> ReviewCard:
    direction, direction_class = _direction(answer)
    band = str(score.band) if score and score.scored and score.band else ""
    return ReviewCard(
        answer=answer,
        direction=direction,
        direction_class=direction_class,
        band=BAND_WORDS.get(band, ""),
        band_class=("band-benefit" if direction_class == "benefit" else f"band-{band}")
        if band
        else "",
        score_line=_score_line(answer, score),
        facts=_facts(answer),
        groups=[
            link.group.name + (" (disproportionately affected)" if link.disproportionate else "")
            for link in answer.groups.all()
        ],
        automatic_groups=presenters.automatic_group_lines(score, names),
        multiplier_reason=_with_names(score.multiplier_reason, names)
        if score and score.scored
        else "",
        raised_to_high=bool(score and score.override_applied),
    )


def _answers(assessment: StageAssessment) -> list[Answer]:
    answers = (
        assessment.answers.exclude(direction="")
        .select_related("question__determinant")
        .prefetch_related(
            Prefetch("groups", queryset=AnswerGroup.objects.select_related("group")),
            "actions__due_stage",
            Prefetch(
                "rating_overrides",
                queryset=RatingOverride.objects.select_related("by"),
                to_attr="review_overrides",
            ),
        )
        .order_by("question__determinant__order", "question__order")
    )
    # Impacts first: they are what the reviewer most needs to judge.
    return sorted(answers, key=lambda a: a.direction in NOT_JUDGED)


def cards(assessment: StageAssessment, by: User) -> list[ReviewCard]:
    """Every answered question as a card, with this round's verdicts and changes marked."""
    result = scoring.stored_result(assessment)
    scores = {s.key: s for s in result.answers} if result else {}
    answers = _answers(assessment)
    # Every group's name (a few dozen rows): the rules' reasons may name any of them by code.
    names = dict(PopulationGroup.objects.values_list("code", "name"))
    latest, mine = _verdicts(assessment, by)
    started = round_started(assessment)
    history = _history(assessment)
    found = []
    for answer in answers:
        card = _card(answer, scores.get(answer.question.code), names)
        card.overrides = list(getattr(answer, "review_overrides", []))
        card.actions = list(answer.actions.all())
        card.verdict = latest.get(answer.pk)
        card.reviewed = card.verdict is not None and (started is None or card.verdict.at >= started)
        own = mine.get(answer.pk)
        if own is not None:
            card.changed, card.changes = changes_since(history.get(answer.pk, []), own.at, answer)
        found.append(card)
    return found


def accepted_before_and_unchanged(card: ReviewCard, by: User) -> bool:
    """Not yet reviewed this round, accepted by this reviewer last time, and not changed since."""
    return (
        not card.reviewed
        and card.verdict is not None
        and card.verdict.reviewer_id == by.pk
        and card.verdict.verdict == Verdict.ACCEPTABLE
        and not card.changed
    )


def bulk_candidates(cards_: list[ReviewCard], by: User, which: str) -> list[Answer]:
    """The answers one bulk verdict would accept: every no-impact answer not yet reviewed this
    round, or every answer this reviewer accepted last round that has not changed since."""
    if which == "no_impact":
        return [c.answer for c in cards_ if c.answer.direction == "no_impact" and not c.reviewed]
    if which == "unchanged":
        return [c.answer for c in cards_ if accepted_before_and_unchanged(c, by)]
    raise ValueError(which)


def _shown(card: ReviewCard, show: str) -> bool:
    return {
        "harms": card.is_harm,
        "pending": not card.reviewed,
        "changed": card.changed,
    }.get(show, True)


def review_page(assessment: StageAssessment, by: User, *, show: str = "") -> ReviewPage:
    show = show if show in FILTERS else ""
    every = cards(assessment, by)
    return ReviewPage(
        cards=[c for c in every if _shown(c, show)],
        total=len(every),
        reviewed=sum(c.reviewed for c in every),
        show=show,
        filters=[
            (value, label, sum(_shown(c, value) for c in every)) for value, label in FILTERS.items()
        ],
        no_impact_pending=len(bulk_candidates(every, by, "no_impact")),
        unchanged_pending=len(bulk_candidates(every, by, "unchanged")),
        unanswered=assessment.answers.filter(direction="").count(),
    )


def one_card(
    assessment: StageAssessment, by: User, answer: Answer
) -> tuple[ReviewCard, ReviewPage]:
    """The card of one answer, and the page's counts (for the progress shown after a verdict)."""
    page = review_page(assessment, by)
    return next(c for c in page.cards if c.answer.pk == answer.pk), page


def requests_waiting_on(answer: Answer) -> int:
    """closure: the answer's reviewer's requests marked dealt with and not yet agreed."""
    return answer.actions.filter(
        kind=ActionKind.REVIEW,
        request_state=RequestState.DEALT_WITH,
        status__in=OPEN_ACTION_STATUSES,
    ).count()
