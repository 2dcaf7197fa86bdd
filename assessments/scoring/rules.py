"""CHIIA scoring rules: pure functions from answers to ratings and flags.

Standard library only, so the scheme can be read, tested and audited without Django. This
module holds the formulas for each answer, each determinant and the whole assessment; flags.py
holds the flags it raises, common.py the small pieces both share, and schema.py the shapes they
read and write (inputs, rule set, results). Every threshold, multiplier and lookup lives in a
versioned `RuleSet`; results carry the version they were computed with and serialise to plain
JSON so a stored score never moves.

Per impact (positive or negative answer):
    M = severity + reach points + persistence points, capped at `magnitude_cap`
        (persistence = 1 if duration is long or the effect is irreversible; severity 0 => M = 0)
    R = likelihood x M
    Q = equity multiplier (negatives: disproportionate priority groups; positives: distribution)
    W = sign x R x Q, rounded once to 0.01 (ROUND_HALF_UP)
    band from |W| against the rule set's thresholds; a major harm that is at least possible
    is always at least high.

Where enough of the catchment lives in SIMD quintile 1, answers on place-based determinants also
count as affecting the deprived-area group. That group is carried on the answer as an automatic
group with its share and threshold, and every reason that depends on it says so. It counts
wherever priority groups count (equity index and share, harm rating, flags) but never raises Q,
which needs a group judged disproportionately affected.
"""

from collections.abc import Container, Iterable
from dataclasses import replace
from decimal import ROUND_HALF_UP, Decimal

from .common import (
    BAND_RANK,
    SCORED,
    Pair,
    automatic_note,
    evidence_gap,
    format_decimal,
    is_answered,
    keys_text,
    percent_text,
    rated,
)
from .flags import raise_flags
from .schema import (
    EVIDENCE_LEVELS,
    LIKELIHOOD_LABELS,
    SEVERITY_LABELS,
    AnswerInput,
    AnswerScore,
    AssessmentContext,
    AssessmentResult,
    AutomaticGroup,
    Band,
    BenefitSummary,
    Completeness,
    Counts,
    DeterminantResult,
    Direction,
    Rag,
    RuleSet,
    ScoringError,
    is_priority_group,
)

_RAG_RANK = {Rag.GREY: 0, Rag.GREEN: 1, Rag.AMBER: 2, Rag.RED: 3}
_CENT = Decimal("0.01")
_RATIO = Decimal("0.0001")
_NUMBER_WORDS = {2: "two", 3: "three", 4: "four", 5: "five"}


# ---------------------------------------------------------------- per answer


def deprived_area_applies(determinant: str, share: Decimal | None, *, rules: RuleSet) -> bool:
    """True when the catchment's SIMD-quintile-1 share reaches the threshold and the determinant
    is place-based: every impact there then counts as affecting `deprived_area_code`."""
    return (
        share is not None
        and Decimal(share) >= rules.deprived_area_share_threshold
        and determinant in rules.place_based_determinants
    )


def _automatic_groups(
    answer: AnswerInput, context: AssessmentContext, rules: RuleSet
) -> tuple[AutomaticGroup, ...]:
    """The deprived-area group when the rule applies and the answer does not name it itself,
    with the share and threshold spelled out so the rule can be checked by hand."""
    share = context.deprived_area_share
    code = rules.deprived_area_code
    if (
        share is None
        or not deprived_area_applies(answer.determinant, share, rules=rules)
        or code in {g.code for g in answer.groups}
    ):
        return ()
    threshold = rules.deprived_area_share_threshold
    reason = (
        f"automatic: {percent_text(Decimal(share))} of the catchment lives in SIMD "
        f"quintile 1, at or above the {percent_text(threshold)} threshold for place-based "
        "determinants"
    )
    return (AutomaticGroup(code, Decimal(share), threshold, reason),)


def band_for(abs_w: Decimal, *, rules: RuleSet) -> Band:
    """high if |W| >= band_high, medium if >= band_medium, low if >= band_low, else negligible."""
    abs_w = abs(Decimal(abs_w))
    if abs_w >= rules.band_high:
        return Band.HIGH
    if abs_w >= rules.band_medium:
        return Band.MEDIUM
    return Band.LOW if abs_w >= rules.band_low else Band.NEGLIGIBLE


def _validate(a: AnswerInput, rules: RuleSet) -> None:
    checks: list[tuple[str, object, Container[object]]] = [
        ("likelihood", a.likelihood, LIKELIHOOD_LABELS),
        ("severity", a.severity, SEVERITY_LABELS),
        ("residual_likelihood", a.residual_likelihood, LIKELIHOOD_LABELS),
        ("residual_severity", a.residual_severity, SEVERITY_LABELS),
        ("reach", a.reach, rules.reach_points),
        ("duration", a.duration, rules.duration_points),
        ("distribution", a.distribution, rules.positive_multipliers),
        ("evidence", a.evidence, EVIDENCE_LEVELS),
    ]
    for name, value, allowed in checks:
        if value is not None and (isinstance(value, bool) or value not in allowed):
            raise ScoringError(f"{a.key}: invalid {name} {value!r}")


def _magnitude(severity: int, a: AnswerInput, rules: RuleSet) -> tuple[int, str]:
    """M = severity + reach points + persistence points (long or irreversible), capped."""
    if severity == 0:
        return 0, "negligible 0"
    reach = rules.reach_points.get(a.reach, 0) if a.reach else 0
    lasting = rules.duration_points.get(a.duration, 0) if a.duration else 0
    irreversible = 0 if a.reversible else rules.irreversible_points
    persistence = max(lasting, irreversible)
    parts = [f"{SEVERITY_LABELS[severity]} {severity}"]
    if reach:
        parts.append(f"{a.reach} reach {reach}")
    if persistence:
        why = [
            w
            for w, pts in (("long-lasting", lasting), ("irreversible", irreversible))
            if pts == persistence
        ]
        parts.append(f"{' and '.join(why)} {persistence}")
    total = severity + reach + persistence
    text = " + ".join(parts)
    if total > rules.magnitude_cap:
        text += f", capped at {rules.magnitude_cap}"
    return min(total, rules.magnitude_cap), text


def _multiplier(
    a: AnswerInput, direction: Direction, rules: RuleSet, automatic: tuple[AutomaticGroup, ...] = ()
) -> tuple[Decimal, str]:
    if direction == Direction.POSITIVE:
        dist = a.distribution or "even"
        why = {
            "priority": "benefits skew to priority groups",
            "even": "benefits spread evenly"
            + ("" if a.distribution else " (distribution not recorded)"),
            "advantaged": "benefits skew to advantaged groups (gap-widening)",
        }[dist]
        return rules.positive_multipliers[dist], why
    nm = rules.negative_multipliers
    disp = sorted({g.code for g in a.groups if g.disproportionate})
    prio = [c for c in disp if is_priority_group(c, a.determinant, rules=rules)]
    worst = [c for c in prio if c in rules.worst_off.get(a.determinant, ())]
    if prio:
        options = []  # earlier wins a tie, so the most informative wording is shown
        names = ", ".join(prio)
        if len(prio) >= rules.intersecting_min_groups:
            count = _NUMBER_WORDS.get(len(prio), str(len(prio)))
            options.append(
                (nm["intersecting"], f"disproportionate on {count} priority groups ({names})")
            )
        if worst:
            options.append(
                (
                    nm["worst_off"],
                    f"disproportionate on {', '.join(worst)}, "
                    f"already worst off for {a.determinant}",
                )
            )
        options.append((nm["one_priority"], f"disproportionate on priority group {names}"))
        best = max(o[0] for o in options)
        return next(o for o in options if o[0] == best)
    # An automatic group is affected, not judged disproportionately affected, so Q stays put.
    also = "".join(
        f"; {g.code} is affected automatically, which does not raise the equity multiplier"
        for g in automatic
    )
    if disp:
        return nm["default"], (
            f"disproportionate only on non-priority groups ({', '.join(disp)})" + also
        )
    return nm["default"], "no priority group disproportionately affected" + also


def _weigh(
    direction: Direction, likelihood: int, severity: int, a: AnswerInput, q: Decimal, rules: RuleSet
) -> tuple[int, str, int, Decimal, Band, Band]:
    """Returns (M, magnitude text, R, W, natural band, band after the major-harm override)."""
    m, m_text = _magnitude(severity, a, rules)
    r = likelihood * m
    w = (Decimal(r) * q).quantize(_CENT, rounding=ROUND_HALF_UP)
    if direction == Direction.NEGATIVE and w:
        w = -w
    natural = band_for(w, rules=rules)
    band = natural
    if (
        direction == Direction.NEGATIVE
        and severity >= rules.override_min_severity
        and likelihood >= rules.override_min_likelihood
    ):
        band = Band.HIGH
    return m, m_text, r, w, natural, band


_UNSCORED = {
    Direction.NO_IMPACT: "no impact: nothing to score",
    Direction.UNCERTAIN: "uncertain: counted for completeness and evidence, not scored",
    Direction.NOT_APPLICABLE: "not applicable: not scored",
    Direction.UNANSWERED: "not answered yet",
}


def score_answer(answer: AnswerInput, *, rules: RuleSet, context: AssessmentContext) -> AnswerScore:
    """Score one answer (formula in the module docstring). Only positive and negative answers
    with likelihood and severity >= 1 are scored; priority groups are also worked out for
    uncertain answers because the amber rule needs them."""
    try:
        direction = Direction(answer.direction)
    except ValueError:
        raise ScoringError(f"{answer.key}: invalid direction {answer.direction!r}") from None
    priority: tuple[str, ...] = ()
    automatic: tuple[AutomaticGroup, ...] = ()
    if direction in (*SCORED, Direction.UNCERTAIN):
        codes = {
            g.code
            for g in answer.groups
            if is_priority_group(g.code, answer.determinant, rules=rules)
        }
        automatic = _automatic_groups(answer, context, rules)
        codes.update(g.code for g in automatic)
        priority = tuple(sorted(codes))
    counted = "".join(
        f"; counts as affecting priority group {g.code} ({g.reason})" for g in automatic
    )
    base = AnswerScore(
        key=answer.key,
        determinant=answer.determinant,
        direction=direction,
        scored=False,
        magnitude=0,
        significance=0,
        multiplier=rules.negative_multipliers["default"],
        multiplier_reason="not scored",
        weighted=Decimal("0.00"),
        band=None,
        override_applied=False,
        priority_groups=priority,
        residual_weighted=None,
        residual_band=None,
        explanation=_UNSCORED.get(direction, "") + counted,
        automatic_groups=automatic,
    )
    if direction not in SCORED:
        return base
    _validate(answer, rules)
    q, q_reason = _multiplier(answer, direction, rules, automatic)
    base = replace(base, multiplier=q, multiplier_reason=q_reason)
    lik, sev = answer.likelihood, answer.severity
    if lik is None or sev is None:  # the same test as rated, spelled out so the types narrow
        return replace(
            base, explanation="not scored yet: likelihood and severity still to be rated" + counted
        )
    m, m_text, r, w, natural, band = _weigh(direction, lik, sev, answer, q, rules)
    residual_w: Decimal | None = None
    residual_band: Band | None = None
    if answer.residual_likelihood is not None or answer.residual_severity is not None:
        rl = lik if answer.residual_likelihood is None else answer.residual_likelihood
        rs = sev if answer.residual_severity is None else answer.residual_severity
        *_, residual_w, _, residual_band = _weigh(direction, rl, rs, answer, q, rules)
    if sev == 0:
        return replace(
            base,
            residual_weighted=residual_w,
            residual_band=residual_band,
            explanation="negligible severity: recorded but not scored" + counted,
        )
    text = (
        f"{LIKELIHOOD_LABELS[lik]} ({lik}) \u00d7 magnitude {m} ({m_text}) = significance {r}; "
        f"\u00d7 equity multiplier {q} ({q_reason}) = score {format_decimal(w, signed=True)} "
        f"\u2192 {natural}"
    )
    if band != natural:
        text += f", raised to {band} because a major harm is at least possible"
    text += counted
    return replace(
        base,
        scored=True,
        magnitude=m,
        significance=r,
        weighted=w,
        band=band,
        override_applied=band != natural,
        residual_weighted=residual_w,
        residual_band=residual_band,
        explanation=text,
    )


# ---------------------------------------------------------------- per determinant


def _ratio(part: Decimal | int, whole: Decimal | int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) / Decimal(whole)).quantize(_RATIO, rounding=ROUND_HALF_UP)


def _pairs(code: str, scores: Iterable[AnswerScore], answers: Iterable[AnswerInput]) -> list[Pair]:
    by_key = {a.key: a for a in answers if a.visible and a.determinant == code}
    try:
        return [(s, by_key[s.key]) for s in scores if s.determinant == code]
    except KeyError as exc:
        raise ScoringError(f"no visible answer for score {exc.args[0]}") from None


def _harm_rag(pairs: list[Pair], residual: bool, rules: RuleSet) -> tuple[Rag, str]:
    """Red: any high harm, or >= red_min_priority_mediums medium harms on priority groups.
    Amber: any medium harm, an uncertain answer on a priority group, an evidence gap behind a
    medium+ harm (pre- or post-mitigation), or a harm not yet rated. Grey: nothing answered.
    Green otherwise."""
    negs = [(s, a) for s, a in pairs if s.direction == Direction.NEGATIVE and s.scored]
    band = {s.key: (s.effective_residual_band if residual else s.band) for s, _ in negs}
    high = [s for s, _ in negs if band[s.key] == Band.HIGH]
    if high:
        return Rag.RED, f"Red: high harm at {keys_text(high)}."
    mediums = [s for s, _ in negs if band[s.key] == Band.MEDIUM]
    on_priority = [s for s in mediums if s.priority_groups]
    if len(on_priority) >= rules.red_min_priority_mediums:
        return Rag.RED, (
            f"Red: {len(on_priority)} medium harms affect priority groups "
            f"({keys_text(on_priority)}){automatic_note(on_priority)}."
        )
    amber = []
    if mediums:
        amber.append(f"medium harm at {keys_text(mediums)}")
    unsure = [s for s, _ in pairs if s.direction == Direction.UNCERTAIN and s.priority_groups]
    if unsure:
        amber.append(
            f"uncertain answer involving a priority group at {keys_text(unsure)}"
            + automatic_note(unsure)
        )
    gaps = [
        s
        for s, a in negs
        if evidence_gap(a, rules)
        and max(BAND_RANK[s.band], BAND_RANK[band[s.key]]) >= BAND_RANK[Band.MEDIUM]
    ]
    if gaps:
        amber.append(
            "weak, no or unrecorded evidence behind a medium-or-higher harm at " + keys_text(gaps)
        )
    unrated = [s for s, a in pairs if s.direction == Direction.NEGATIVE and not rated(a)]
    if unrated:
        amber.append(f"harm not yet rated at {keys_text(unrated)}")
    if amber:
        return Rag.AMBER, "Amber: " + "; ".join(amber) + "."
    if not any(is_answered(a) for _, a in pairs):
        if pairs and all(s.direction == Direction.NOT_APPLICABLE for s, _ in pairs):
            return Rag.GREY, "Grey: all questions marked not applicable (justification required)."
        return Rag.GREY, "Grey: not assessed."
    return Rag.GREEN, "Green: no harm above low."


def _reaches_priority(s: AnswerScore, a: AnswerInput) -> bool:
    return bool(s.priority_groups) or (
        s.direction == Direction.POSITIVE and a.distribution == "priority"
    )


def _equity(pairs: Iterable[Pair]) -> Decimal | None:
    """Share of |W| carried by impacts reaching priority groups: at least one affected group is a
    priority group, or (benefits only) the distribution is skewed to priority groups."""
    pairs = list(pairs)
    total = sum((abs(s.weighted) for s, _ in pairs), Decimal(0))
    on_priority = sum((abs(s.weighted) for s, a in pairs if _reaches_priority(s, a)), Decimal(0))
    return _ratio(on_priority, total)


def _scored(pairs: Iterable[Pair], direction: Direction) -> list[Pair]:
    return [(s, a) for s, a in pairs if s.scored and s.direction == direction]


def rate_determinant(
    code: str, scores: Iterable[AnswerScore], answers: Iterable[AnswerInput], *, rules: RuleSet
) -> DeterminantResult:
    """Harm RAG pre- and post-mitigation, benefit level (strongest positive band of low or above,
    else None) and equity share (share of positive W reaching priority groups) for one determinant.
    `scores`/`answers` may cover other determinants too; only `code`'s are used."""
    pairs = _pairs(code, scores, answers)
    rag, reason = _harm_rag(pairs, False, rules)
    residual_rag, residual_reason = _harm_rag(pairs, True, rules)
    positives = _scored(pairs, Direction.POSITIVE)
    best = max((s.band for s, _ in positives), key=BAND_RANK.__getitem__, default=None)
    counts = Counts(
        answered=sum(is_answered(a) for _, a in pairs),
        applicable=sum(s.direction != Direction.NOT_APPLICABLE for s, _ in pairs),
        uncertain=sum(s.direction == Direction.UNCERTAIN for s, _ in pairs),
        negatives=sum(s.direction == Direction.NEGATIVE for s, _ in pairs),
        positives=sum(s.direction == Direction.POSITIVE for s, _ in pairs),
    )
    return DeterminantResult(
        code=code,
        harm_rag=rag,
        harm_rag_reason=reason,
        residual_harm_rag=residual_rag,
        residual_harm_rag_reason=residual_reason,
        benefit_level=None if best == Band.NEGLIGIBLE else best,
        equity_share=_equity(positives),
        counts=counts,
    )


# ---------------------------------------------------------------- whole assessment


def _worst(rags: Iterable[Rag]) -> Rag:
    return max(rags, key=_RAG_RANK.__getitem__, default=Rag.GREY)


def evaluate(
    answers: Iterable[AnswerInput],
    *,
    rules: RuleSet,
    context: AssessmentContext,
    determinant_codes: Iterable[str] = (),
) -> AssessmentResult:
    """Score every visible answer, rate each determinant (those answered plus
    `determinant_codes`), take the worst determinant as the overall RAG (never an average),
    and raise flags F1-F8. Hidden answers are dropped before anything is counted."""
    visible = sorted((a for a in answers if a.visible), key=lambda a: (a.determinant, a.key))
    seen: set[str] = set()
    for a in visible:
        if a.key in seen:
            raise ScoringError(f"duplicate answer key {a.key}")
        seen.add(a.key)
    scores = tuple(score_answer(a, rules=rules, context=context) for a in visible)
    pairs = list(zip(scores, visible, strict=True))
    codes = sorted(set(determinant_codes) | {a.determinant for a in visible})
    dets = tuple(rate_determinant(c, scores, visible, rules=rules) for c in codes)
    overall = _worst(d.harm_rag for d in dets)
    residual = _worst(d.residual_harm_rag for d in dets)
    applicable = sum(d.counts.applicable for d in dets)
    answered = sum(d.counts.answered for d in dets)
    uncertain = sum(d.counts.uncertain for d in dets)
    positives = [s for s, _ in _scored(pairs, Direction.POSITIVE)]
    negatives = [s for s, _ in _scored(pairs, Direction.NEGATIVE)]
    harm_total = sum((abs(s.weighted) for s in negatives), Decimal(0))
    harm_on_priority = sum((abs(s.weighted) for s in negatives if s.priority_groups), Decimal(0))
    return AssessmentResult(
        ruleset_version=rules.version,
        stage_code=context.stage_code,
        answers=scores,
        determinants=dets,
        overall_harm_rag=overall,
        overall_residual_harm_rag=residual,
        gate_harm_rag=(
            residual if context.stage_order >= rules.gate_residual_min_stage_order else overall
        ),
        benefit_summary=BenefitSummary(
            high=sum(s.band == Band.HIGH for s in positives),
            medium=sum(s.band == Band.MEDIUM for s in positives),
            equity_share=_equity(_scored(pairs, Direction.POSITIVE)),
        ),
        equity_index=_ratio(harm_on_priority, harm_total),
        equity_index_highlight=(
            bool(harm_total) and harm_on_priority > rules.equity_index_highlight * harm_total
        ),
        completeness=Completeness(answered, applicable, _ratio(answered, applicable)),
        uncertain_share=_ratio(uncertain, applicable),
        flags=raise_flags(pairs, context, rules, applicable),
    )
