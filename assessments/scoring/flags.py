"""Flags F1-F9: what the assessment must do next (a full HIA, mitigation, better evidence...),
each raised by named criteria over the scored answers, with a reason naming the answer keys.

Pure Python like rules.py, which calls `raise_flags` once it has scored every answer. Every
threshold comes from the rule set.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from .common import (
    BAND_RANK,
    Pair,
    automatic_note,
    evidence_gap,
    format_decimal,
    is_answered,
    keys_text,
    percent_text,
)
from .schema import (
    AnswerInput,
    AnswerScore,
    AssessmentContext,
    Band,
    Direction,
    FlagResult,
    RuleSet,
)

FLAG_TITLES = {
    "F1": "Full HIA recommended",
    "F2": "Mitigation required",
    "F3": "Equity enhancement",
    "F4": "Evidence gap",
    "F5": "Cross-assessment link",
    "F6": "Monitoring indicator needed",
    "F7": "Re-screen",
    "F8": "Overdue action",
    "F9": "Overdue monitoring",
}


def _flag(code: str, criteria: list[tuple[str, str, Iterable[str]]]) -> FlagResult | None:
    """criteria: (letter, plain-English text naming the keys, keys)."""
    if not criteria:
        return None
    keys = sorted({k for _, _, ks in criteria for k in ks})
    reason = "; ".join(
        f"({letter}) {text}" if len(criteria) > 1 else text for letter, text, _ in criteria
    )
    return FlagResult(
        code,
        FLAG_TITLES[code],
        reason[0].upper() + reason[1:] + ".",
        tuple(keys),
        tuple(letter for letter, _, _ in criteria),
    )


def _claims(a: AnswerInput) -> set[str]:
    """Assessments an answer says already cover it ("none" and blanks are not claims)."""
    return {n for n in a.covered_by if n.strip() and n.strip().lower() != "none"}


# (letter, plain-English text naming the answer keys, the keys) for one met criterion.
Criterion = tuple[str, str, Iterable[str]]


@dataclass(frozen=True)
class _FlagFacts:
    """What every flag check reads: the scored answers split by direction, the context, the
    rule set and the number of applicable questions. Bands and W are pre-mitigation."""

    pairs: list[Pair]
    ctx: AssessmentContext
    rules: RuleSet
    applicable: int
    negs: list[Pair] = field(default_factory=list)
    poss: list[Pair] = field(default_factory=list)
    unsure: list[AnswerScore] = field(default_factory=list)


def _criterion(
    letter: str, text: str, items: list[AnswerScore], priority: bool = False
) -> list[Criterion]:
    """A met criterion naming its answers, or nothing when no answer meets it. priority: the
    criterion is about priority groups, so say which groups came automatically."""
    if not items:
        return []
    note = automatic_note(items) if priority else ""
    return [(letter, f"{text}: {keys_text(items)}{note}", [s.key for s in items])]


def _medium_or_higher(s: AnswerScore) -> bool:
    return BAND_RANK[s.band] >= BAND_RANK[Band.MEDIUM]


def _f1_full_hia(f: _FlagFacts) -> list[Criterion]:
    """F1, while stage_order <= f1_max_stage_order and the decision is open: (a) high harm not
    covered by completed assessments; (b) >= f1_min_medium_count medium+ harms over >=
    f1_min_determinants determinants; (c) medium+ harm on a priority group with evidence
    weak/none; (d) uncertain share >= f1_uncertain_share; (e) panel request or concern."""
    ctx, rules = f.ctx, f.rules
    if not (ctx.stage_order <= rules.f1_max_stage_order and ctx.decision_open):
        return []
    done = ctx.completed_assessments
    found = _criterion(
        "a",
        "high harm not covered by a completed statutory assessment",
        [s for s, a in f.negs if s.band == Band.HIGH and not (_claims(a) and _claims(a) <= done)],
    )
    serious = [s for s, _ in f.negs if _medium_or_higher(s)]
    spread = len({s.determinant for s in serious})
    if len(serious) >= rules.f1_min_medium_count and spread >= rules.f1_min_determinants:
        found += _criterion(
            "b", f"{len(serious)} medium-or-higher harms across {spread} determinants", serious
        )
    found += _criterion(
        "c",
        "medium-or-higher harm on a priority group with weak or no evidence",
        [
            s
            for s, a in f.negs
            if _medium_or_higher(s)
            and s.priority_groups
            and a.evidence in rules.evidence_gap_levels
        ],
        priority=True,
    )
    if f.unsure and len(f.unsure) >= rules.f1_uncertain_share * f.applicable:
        share = percent_text(Decimal(len(f.unsure)) / f.applicable)
        found += _criterion(
            "d",
            f"{share} of applicable questions answered uncertain "
            f"(threshold {percent_text(rules.f1_uncertain_share)})",
            f.unsure,
        )
    panel = [
        text
        for on, text in (
            (ctx.panel_requested_hia, "formally asked for an HIA"),
            (ctx.panel_significant_concern, "logged a significant concern"),
        )
        if on
    ]
    if panel:
        found.append(("e", "the community panel " + " and ".join(panel), ()))
    return found


def _f2_mitigation(f: _FlagFacts) -> list[Criterion]:
    """F2: unmitigated harm with |W| >= f2_min_abs_w, or on a priority group with |W| >=
    f2_min_abs_w_priority."""
    rules = f.rules
    needs_action = [(s, a) for s, a in f.negs if not a.has_mitigation]
    big = [s for s, _ in needs_action if abs(s.weighted) >= rules.f2_min_abs_w]
    big_keys = {s.key for s in big}
    return _criterion(
        "a",
        f"harm scoring {format_decimal(-rules.f2_min_abs_w, signed=True)} or worse and no mitigation action",
        big,
    ) + _criterion(
        "b",
        "harm to a priority group scoring "
        f"{format_decimal(-rules.f2_min_abs_w_priority, signed=True)} or worse and no mitigation action",
        [
            s
            for s, _ in needs_action
            if s.key not in big_keys
            and s.priority_groups
            and abs(s.weighted) >= rules.f2_min_abs_w_priority
        ],
        priority=True,
    )


def _f3_equity(f: _FlagFacts) -> list[Criterion]:
    """F3: benefit skewed to the advantaged, or medium+ benefit with no delivery mechanism."""
    return _criterion(
        "a",
        "benefit skewed to advantaged groups (gap-widening)",
        [s for s, a in f.poss if a.distribution == "advantaged"],
    ) + _criterion(
        "b",
        "medium-or-higher benefit with no delivery mechanism",
        [s for s, a in f.poss if _medium_or_higher(s) and not a.has_delivery_mechanism],
    )


def _f4_evidence(f: _FlagFacts) -> list[Criterion]:
    """F4: R >= f4_min_significance with weak/none/unrecorded evidence, or any uncertain answer."""
    rules = f.rules
    return _criterion(
        "a",
        f"significance of {rules.f4_min_significance} or more with weak, no or unrecorded evidence",
        [
            s
            for s, a in f.negs + f.poss
            if s.significance >= rules.f4_min_significance and evidence_gap(a, rules)
        ],
    ) + _criterion("b", "uncertain answer", f.unsure)


def _f5_coverage(f: _FlagFacts) -> list[Criterion]:
    """F5: claimed coverage by an assessment that is not complete (not linked, or linked)."""
    found: list[Criterion] = []
    for letter, text, linked in (
        ("a", "not linked", False),
        ("b", "linked but not complete", True),
    ):
        hits = [
            (s.key, n)
            for s, a in f.pairs
            if is_answered(a)
            for n in sorted(_claims(a))
            if n not in f.ctx.completed_assessments and (n in f.ctx.linked_assessments) == linked
        ]
        if hits:
            named = ", ".join(f"{k} ({n})" for k, n in sorted(hits))
            found.append(
                (letter, f"claimed coverage by an assessment {text}: {named}", [k for k, _ in hits])
            )
    return found


def _f6_monitoring(f: _FlagFacts) -> list[Criterion]:
    """F6, from stage_order f6_min_stage_order on: medium+ impact without an indicator."""
    if f.ctx.stage_order < f.rules.f6_min_stage_order:
        return []
    return _criterion(
        "a",
        "medium-or-higher impact without a monitoring indicator and baseline",
        [s for s, a in f.negs + f.poss if _medium_or_higher(s) and not a.has_indicator],
    )


def _f7_rescreen(f: _FlagFacts) -> list[Criterion]:
    """F7: a material change to the project is recorded."""
    change = f.ctx.material_change.strip()
    return [("a", f"material change recorded: {change}", ())] if change else []


def _f8_overdue(f: _FlagFacts) -> list[Criterion]:
    """F8: actions past their due stage."""
    overdue = f.ctx.overdue_actions
    if not overdue:
        return []
    listed = "; ".join(f"{k or 'general'}: {d}" for k, d in sorted(overdue))
    return [("a", f"action past its due stage ({listed})", [k for k, _ in overdue if k])]


def _f9_monitoring_overdue(f: _FlagFacts) -> list[Criterion]:
    """F9, at the rule set's monitoring flag_stages: at least flag_min_overdue outcome
    indicators whose measurement is overdue. Rule sets without a monitoring section never
    raise it."""
    monitoring, overdue = f.rules.monitoring, f.ctx.overdue_indicators
    if monitoring is None or f.ctx.stage_code not in monitoring.flag_stages:
        return []
    if len(overdue) < monitoring.flag_min_overdue:
        return []
    listed = "; ".join(f"{name}, due {due}" for name, due in overdue)
    return [("a", f"outcome monitoring overdue ({listed})", ())]


_FLAG_CHECKS = {
    "F1": _f1_full_hia,
    "F2": _f2_mitigation,
    "F3": _f3_equity,
    "F4": _f4_evidence,
    "F5": _f5_coverage,
    "F6": _f6_monitoring,
    "F7": _f7_rescreen,
    "F8": _f8_overdue,
    "F9": _f9_monitoring_overdue,
}


def raise_flags(
    pairs: list[Pair], ctx: AssessmentContext, rules: RuleSet, applicable: int
) -> tuple[FlagResult, ...]:
    """One FlagResult per raised flag, in order F1..F9 (each check says its criteria)."""
    facts = _FlagFacts(
        pairs,
        ctx,
        rules,
        applicable,
        negs=[(s, a) for s, a in pairs if s.scored and s.direction == Direction.NEGATIVE],
        poss=[(s, a) for s, a in pairs if s.scored and s.direction == Direction.POSITIVE],
        unsure=[s for s, _ in pairs if s.direction == Direction.UNCERTAIN],
    )
    raised = (_flag(code, check(facts)) for code, check in _FLAG_CHECKS.items())
    return tuple(flag for flag in raised if flag)
