"""Property tests for the scoring rules: invariants that must hold for any answers."""

import json
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from assessments.scoring.rules import evaluate, score_answer
from assessments.scoring.schema import (
    AnswerInput,
    AssessmentContext,
    Direction,
    GroupEffect,
    RuleSet,
    is_priority_group,
    result_from_dict,
)

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "ruleset_v1.json"
_RAW = json.loads(FIXTURE.read_text())
V1 = RuleSet.from_mapping({**_RAW["parameters"], "version": _RAW["version"]})

DETERMINANTS = [f"D{n:02d}" for n in range(1, 13)]
GROUP_CODES = [
    "SE_AREA_DEP",
    "SE_LOW_INCOME",
    "OG_HOMELESS",
    "OG_CARERS",
    "PC_AGE_CHILD",
    "PC_AGE_OLDER",
    "PC_DISABILITY",
    "PC_RACE",
    "PC_SEX",
    "RB_NEIGHBOURS",
    "RB_WORKERS",
]
BAND_RANK = {None: -1, "negligible": 0, "low": 1, "medium": 2, "high": 3}
RAG_RANK = {"grey": 0, "green": 1, "amber": 2, "red": 3}
FAST = settings(max_examples=200, deadline=None)

maybe = st.none().__or__
group_lists = st.lists(
    st.builds(GroupEffect, st.sampled_from(GROUP_CODES), st.booleans()),
    max_size=4,
    unique_by=lambda g: g.code,
).map(tuple)


def _answer(
    determinant,
    direction,
    likelihood,
    severity,
    shape,
    groups,
    distribution,
    evidence,
    bits,
    covered,
    residual,
    visible,
):
    duration, reach = shape
    return AnswerInput(
        key="",
        determinant=determinant,
        direction=direction,
        likelihood=likelihood,
        severity=severity,
        duration=duration,
        reach=reach,
        reversible=not bits & 1,
        groups=groups,
        distribution=distribution,
        evidence=evidence,
        covered_by=covered,
        has_mitigation=bool(bits & 2),
        has_delivery_mechanism=bool(bits & 4),
        has_indicator=bool(bits & 8),
        residual_likelihood=residual[0],
        residual_severity=residual[1],
        visible=visible,
    )


ANY_DIRECTION = st.sampled_from(list(Direction))
VISIBLE = st.just(True)


def answers_of(direction=ANY_DIRECTION, visible=VISIBLE, rated=False):
    # Few, coarse draws keep generation cheap enough for 200 examples per property.
    return st.builds(
        _answer,
        st.sampled_from(DETERMINANTS),
        direction,
        st.integers(1, 4) if rated else maybe(st.integers(1, 4)),
        st.integers(0, 3) if rated else maybe(st.integers(0, 3)),
        st.tuples(
            maybe(st.sampled_from(["short", "medium", "long"])),
            maybe(st.sampled_from(["household", "neighbourhood", "locality", "region"])),
        ),
        group_lists,
        maybe(st.sampled_from(["priority", "even", "advantaged"])),
        maybe(st.sampled_from(["strong", "moderate", "weak", "none"])),
        st.integers(0, 15),
        st.sampled_from([(), ("EqIA",), ("FSD", "EIA")]),
        st.sampled_from([(None, None), (1, None), (None, 1), (2, 3), (4, 0)]),
        visible,
    )


def keyed(prefix: str):
    """Give each answer in a list a unique key."""
    return lambda answers: [
        replace(a, key=f"{a.determinant}-{prefix}-{i}") for i, a in enumerate(answers)
    ]


answer_lists = st.lists(answers_of(), max_size=8).map(keyed("X"))
assessments_ = st.sampled_from(
    [frozenset(), frozenset({"EqIA"}), frozenset({"EqIA", "FSD", "EIA"})]
)
contexts = st.builds(
    AssessmentContext,
    stage_code=st.just("X"),
    stage_order=st.integers(0, 6),
    decision_open=st.booleans(),
    deprived_area_share=st.sampled_from([None, Decimal("0.2"), Decimal("0.5"), Decimal("0.9")]),
    completed_assessments=assessments_,
    linked_assessments=assessments_,
    panel_requested_hia=st.booleans(),
    material_change=st.sampled_from(["", "scope changed"]),
    overdue_actions=st.sampled_from([(), (("", "liaison"),)]),
)
rated_harms = answers_of(
    direction=st.sampled_from([Direction.NEGATIVE, Direction.POSITIVE]), rated=True
).map(lambda a: replace(a, key="K"))


def run(answers, context):
    return evaluate(answers, rules=V1, context=context, determinant_codes=DETERMINANTS)


def without_answers(result) -> dict:
    """Everything but the per-answer list; grey reasons are dropped because an all-N/A
    determinant is deliberately worded differently from one nobody has looked at."""
    data = result.to_dict()
    data.pop("answers")
    for d in data["determinants"]:
        for rag, reason in (
            ("harm_rag", "harm_rag_reason"),
            ("residual_harm_rag", "residual_harm_rag_reason"),
        ):
            if d[rag] == "grey":
                d[reason] = "grey"
    return data


@FAST
@given(rated_harms, contexts, st.integers(0, 3), st.integers(0, 3))
def test_raising_likelihood_or_severity_never_lowers_weight(
    answer, context, more_likelihood, more_severity
):
    before = score_answer(answer, rules=V1, context=context)
    raised = replace(
        answer,
        likelihood=min(4, answer.likelihood + more_likelihood),
        severity=min(3, answer.severity + more_severity),
    )
    after = score_answer(raised, rules=V1, context=context)
    assert abs(after.weighted) >= abs(before.weighted)
    if answer.direction == Direction.NEGATIVE:
        assert BAND_RANK[after.band] >= BAND_RANK[before.band]


@FAST
@given(
    rated_harms.map(lambda a: replace(a, direction=Direction.NEGATIVE)),
    contexts,
    st.sampled_from(GROUP_CODES),
)
def test_adding_a_disproportionate_priority_group_never_lowers_a_harm_band(answer, context, code):
    before = score_answer(answer, rules=V1, context=context)
    others = tuple(g for g in answer.groups if g.code != code)
    after = score_answer(
        replace(answer, groups=(*others, GroupEffect(code, True))), rules=V1, context=context
    )
    assert BAND_RANK[after.band] >= BAND_RANK[before.band]
    assert abs(after.weighted) >= abs(before.weighted)
    if is_priority_group(code, answer.determinant, rules=V1) and before.scored:
        assert after.multiplier > V1.negative_multipliers["default"]


@FAST
@given(answer_lists, contexts, st.randoms(use_true_random=False))
def test_evaluation_invariants(answers, context, rnd):
    """One generated assessment checked three ways (sharing the draw keeps the file fast)."""
    result = run(answers, context)

    # The overall RAG is the worst determinant RAG, never better (and never an average).
    for overall, field in (
        (result.overall_harm_rag, "harm_rag"),
        (result.overall_residual_harm_rag, "residual_harm_rag"),
    ):
        assert RAG_RANK[overall] == max(RAG_RANK[getattr(d, field)] for d in result.determinants)
    assert result.gate_harm_rag in (result.overall_harm_rag, result.overall_residual_harm_rag)

    # Results do not depend on the order answers arrive in.
    shuffled = list(answers)
    rnd.shuffle(shuffled)
    assert run(shuffled, context) == result

    # A stored snapshot rebuilds exactly.
    assert result_from_dict(json.loads(json.dumps(result.to_dict()))) == result
    for ratio in (result.completeness.ratio, result.equity_index, result.uncertain_share):
        assert ratio is None or 0 <= ratio <= 1


@FAST
@given(
    answer_lists,
    st.lists(answers_of(direction=st.just(Direction.NOT_APPLICABLE)), max_size=4).map(keyed("NA")),
    st.lists(answers_of(visible=st.just(False)), max_size=4),
    contexts,
    st.booleans(),
)
def test_not_applicable_and_hidden_answers_never_count(
    answers, not_applicable, hidden, context, reuse_keys
):
    base = run(answers, context)

    # N/A answers change no score, RAG, flag or count (they only appear in the answer list).
    with_na = run(answers + not_applicable, context)
    assert without_answers(with_na) == without_answers(base)
    assert [s for s in with_na.answers if s.direction != Direction.NOT_APPLICABLE] == [
        s for s in base.answers if s.direction != Direction.NOT_APPLICABLE
    ]

    # Hidden answers are ignored entirely, even when they reuse a visible question's key.
    names = [a.key for a in answers] if reuse_keys and answers else []
    hidden = [
        replace(h, key=names[i % len(names)] if names else f"{h.determinant}-H-{i}")
        for i, h in enumerate(hidden)
    ]
    assert run(answers + hidden, context) == base
