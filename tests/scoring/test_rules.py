"""Table-driven tests for the pure scoring rules (no database)."""

import copy
import json
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from assessments.scoring.rules import (
    band_for,
    deprived_area_applies,
    evaluate,
    rate_determinant,
    score_answer,
)
from assessments.scoring.schema import (
    AnswerInput,
    AssessmentContext,
    Band,
    Direction,
    GroupEffect,
    Rag,
    RuleSet,
    ScoringError,
    is_priority_group,
    result_from_dict,
)

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "ruleset_v1.json"
RAW = json.loads(FIXTURE.read_text())
V1 = RuleSet.from_mapping({**RAW["parameters"], "version": RAW["version"]})

SBC = AssessmentContext(stage_code="SBC", stage_order=1)
OBC = AssessmentContext(stage_code="OBC", stage_order=2)
FBC = AssessmentContext(stage_code="FBC", stage_order=3)
D = Decimal
NEG, POS = Direction.NEGATIVE, Direction.POSITIVE


def ans(key: str, direction: Direction | str = NEG, **kw) -> AnswerInput:
    """An answer whose determinant is the key's prefix; negatives/positives default to a
    low-key rating (possible, minor, household, short, strong evidence) unless overridden."""
    if Direction(direction) in (NEG, POS):
        kw = {
            "likelihood": 2,
            "severity": 1,
            "reach": "household",
            "duration": "short",
            "evidence": "strong",
            **kw,
        }
    return AnswerInput(key=key, determinant=key[:3], direction=Direction(direction), **kw)


def disp(*codes: str) -> tuple[GroupEffect, ...]:
    return tuple(GroupEffect(code, disproportionate=True) for code in codes)


def affects(*codes: str) -> tuple[GroupEffect, ...]:
    return tuple(GroupEffect(code) for code in codes)


def score(answer: AnswerInput, context: AssessmentContext = SBC, rules: RuleSet = V1):
    return score_answer(answer, rules=rules, context=context)


def run(answers, context: AssessmentContext = SBC, rules: RuleSet = V1, codes=()):
    return evaluate(answers, rules=rules, context=context, determinant_codes=codes)


def flag_codes(result) -> list[str]:
    return [f.code for f in result.flags]


# ---------------------------------------------------------------- rule set


def test_v1_fixture_has_metadata_and_parameters():
    assert RAW["version"] == "1" and RAW["published"] == "2026-11-28" and RAW["notes"]
    assert V1.version == "1"
    assert (V1.band_low, V1.band_medium, V1.band_high) == (D(2), D(6), D(12))
    assert V1.negative_multipliers["intersecting"] == D("2.0")
    assert V1.deprived_area_share_threshold == D("0.5")
    assert V1.rescreen_budget_change == D("0.20")


def test_rule_set_round_trips_through_json():
    mapping = V1.to_mapping()
    assert hash(V1) == hash(RuleSet.from_mapping(mapping))
    assert RuleSet.from_mapping(json.loads(json.dumps(mapping))) == V1
    assert RuleSet.from_mapping(RAW) == V1  # whole fixture object accepted too


def _mutated(**changes):
    params = copy.deepcopy(RAW["parameters"])
    for name, value in changes.items():
        if value is ...:
            del params[name]
        else:
            params[name] = value
    return {**params, "version": "9"}


@pytest.mark.parametrize(
    "data, message",
    [
        (_mutated(band_high=...), "missing ['band_high']"),
        (_mutated(band_hihg="12"), "unknown ['band_hihg']"),
        (_mutated(band_low="two"), "not a decimal number"),
        (_mutated(band_medium="20"), "band_low < band_medium < band_high"),
        (_mutated(magnitude_cap=True), "non-negative integer"),
        (
            _mutated(negative_multipliers={"default": "1.0", "one_priority": "1.5"}),
            "keys must be exactly",
        ),
        (
            _mutated(
                negative_multipliers={
                    "default": "1.0",
                    "one_priority": "0.5",
                    "intersecting": "2",
                    "worst_off": "2",
                }
            ),
            "default <= one_priority",
        ),
        (
            _mutated(reach_points={"household": 0, "street": 0, "locality": 1, "region": 1}),
            "keys must be exactly",
        ),
        (_mutated(worst_off={"D05": ["RB_NEIGHBOURS"]}), "RB_NEIGHBOURS is not a priority group"),
        (_mutated(worst_off={"D05": ["PC_RACE"]}), "PC_RACE is not a priority group for D05"),
        (_mutated(priority_characteristics={"D05": ["SE_LOW_INCOME"]}), "PC_* codes only"),
        (_mutated(f1_uncertain_share="0"), "f1_uncertain_share"),
        (_mutated(evidence_gap_levels=["shaky"]), "evidence_gap_levels"),
        (dict(RAW["parameters"]), "version is missing"),
    ],
)
def test_rule_set_rejects_bad_parameters(data, message):
    with pytest.raises(ScoringError) as excinfo:
        RuleSet.from_mapping(data)
    assert message in str(excinfo.value)


# ---------------------------------------------------------------- bands, magnitude, multipliers


@pytest.mark.parametrize(
    "abs_w, band",
    [
        ("0", Band.NEGLIGIBLE),
        ("1.99", Band.NEGLIGIBLE),
        ("2", Band.LOW),
        ("5.99", Band.LOW),
        ("6", Band.MEDIUM),
        ("11.99", Band.MEDIUM),
        ("12", Band.HIGH),
        ("32", Band.HIGH),
        ("-12", Band.HIGH),
    ],
)
def test_band_boundaries(abs_w, band):
    assert band_for(D(abs_w), rules=V1) is band


@pytest.mark.parametrize(
    "likelihood, severity, reach, duration, reversible, magnitude, significance, weighted, band",
    [
        (1, 1, "household", "short", True, 1, 1, "-1.00", Band.NEGLIGIBLE),
        (2, 1, "household", "short", True, 1, 2, "-2.00", Band.LOW),  # exactly at low
        (2, 2, "neighbourhood", "medium", True, 2, 4, "-4.00", Band.LOW),  # below medium
        (2, 2, "locality", "short", True, 3, 6, "-6.00", Band.MEDIUM),  # exactly at medium
        (3, 2, "region", "medium", True, 3, 9, "-9.00", Band.MEDIUM),  # below high
        (4, 2, "locality", "short", True, 3, 12, "-12.00", Band.HIGH),  # exactly at high
        (1, 1, "household", "short", False, 2, 2, "-2.00", Band.LOW),  # irreversible adds 1
        (
            1,
            1,
            "household",
            "long",
            False,
            2,
            2,
            "-2.00",
            Band.LOW,
        ),  # long and irreversible add 1 once
        (
            1,
            3,
            "region",
            "long",
            True,
            4,
            4,
            "-4.00",
            Band.LOW,
        ),  # 3+1+1 capped at 4; not overridden
        (4, 3, "locality", "long", False, 4, 16, "-16.00", Band.HIGH),
        (3, 1, None, None, True, 1, 3, "-3.00", Band.LOW),  # unknown reach/duration add nothing
    ],
)
def test_magnitude_significance_and_band(
    likelihood, severity, reach, duration, reversible, magnitude, significance, weighted, band
):
    s = score(
        ans(
            "D09-E-1",
            likelihood=likelihood,
            severity=severity,
            reach=reach,
            duration=duration,
            reversible=reversible,
        )
    )
    assert (s.scored, s.magnitude, s.significance, s.weighted, s.band) == (
        True,
        magnitude,
        significance,
        D(weighted),
        band,
    )
    assert s.multiplier == D("1.0") and not s.override_applied


def test_magnitude_cap_is_shown_in_explanation():
    s = score(ans("D09-E-1", likelihood=1, severity=3, reach="region", duration="long"))
    assert s.explanation == (
        "speculative (1) \u00d7 magnitude 4 "
        "(major 3 + region reach 1 + long-lasting 1, capped at 4) = significance 4; "
        "\u00d7 equity multiplier 1.0 (no priority group disproportionately affected) = score \u22124 \u2192 low"
    )


# Base harm: possible (2) x [moderate 2] = 4 on D05, so |W| = 4 x Q.
@pytest.mark.parametrize(
    "groups, multiplier, weighted, band, reason",
    [
        ((), "1.0", "-4.00", Band.LOW, "no priority group disproportionately affected"),
        (
            affects("SE_LOW_INCOME"),
            "1.0",
            "-4.00",
            Band.LOW,
            "no priority group disproportionately affected",
        ),
        (
            disp("SE_LOW_INCOME"),
            "1.5",
            "-6.00",
            Band.MEDIUM,
            "disproportionate on priority group SE_LOW_INCOME",
        ),
        (
            disp("OG_HOMELESS"),
            "1.5",
            "-6.00",
            Band.MEDIUM,
            "disproportionate on priority group OG_HOMELESS",
        ),
        (
            disp("PC_AGE_CHILD"),
            "1.5",
            "-6.00",
            Band.MEDIUM,
            "disproportionate on priority group PC_AGE_CHILD",
        ),
        (
            disp("SE_LOW_INCOME", "PC_AGE_OLDER"),
            "2.0",
            "-8.00",
            Band.MEDIUM,
            "disproportionate on two priority groups (PC_AGE_OLDER, SE_LOW_INCOME)",
        ),
        (
            disp("SE_AREA_DEP"),
            "2.0",
            "-8.00",
            Band.MEDIUM,
            "disproportionate on SE_AREA_DEP, already worst off for D05",
        ),
        (
            disp("RB_NEIGHBOURS"),
            "1.0",
            "-4.00",
            Band.LOW,
            "disproportionate only on non-priority groups (RB_NEIGHBOURS)",
        ),
        (
            disp("PC_RACE"),
            "1.0",
            "-4.00",
            Band.LOW,
            "disproportionate only on non-priority groups (PC_RACE)",
        ),
        (
            disp("PC_RACE", "RB_WORKERS"),
            "1.0",
            "-4.00",
            Band.LOW,
            "disproportionate only on non-priority groups (PC_RACE, RB_WORKERS)",
        ),
        (
            disp("PC_RACE", "SE_LOW_INCOME"),
            "1.5",
            "-6.00",
            Band.MEDIUM,
            "disproportionate on priority group SE_LOW_INCOME",
        ),
        (
            affects("SE_AREA_DEP") + disp("RB_NEIGHBOURS"),
            "1.0",
            "-4.00",
            Band.LOW,
            "disproportionate only on non-priority groups (RB_NEIGHBOURS)",
        ),
    ],
)
def test_negative_multiplier(groups, multiplier, weighted, band, reason):
    s = score(ans("D05-E-1", severity=2, groups=groups))
    assert (s.multiplier, s.weighted, s.band, s.multiplier_reason) == (
        D(multiplier),
        D(weighted),
        band,
        reason,
    )


def test_worst_off_lookup_is_per_determinant():
    on_d02 = score(ans("D02-E-1", severity=2, groups=disp("OG_HOMELESS")))
    on_d05 = score(ans("D05-E-1", severity=2, groups=disp("OG_HOMELESS")))
    assert (on_d02.multiplier, on_d05.multiplier) == (D("2.0"), D("1.5"))


@pytest.mark.parametrize(
    "distribution, multiplier, weighted, band",
    [
        ("priority", "1.5", "6.00", Band.MEDIUM),
        ("even", "1.0", "4.00", Band.LOW),
        ("advantaged", "0.5", "2.00", Band.LOW),
        (None, "1.0", "4.00", Band.LOW),
    ],
)
def test_positive_multiplier(distribution, multiplier, weighted, band):
    s = score(
        ans("D03-E-1", POS, severity=2, distribution=distribution, groups=disp("SE_LOW_INCOME"))
    )
    assert (s.multiplier, s.weighted, s.band) == (D(multiplier), D(weighted), band)


@pytest.mark.parametrize(
    "direction, likelihood, severity, reach, natural, band, override",
    [
        (NEG, 2, 3, "household", "medium", Band.HIGH, True),  # major and possible: raised
        (NEG, 4, 3, "household", "high", Band.HIGH, False),  # already high: nothing to raise
        (NEG, 1, 3, "household", "low", Band.LOW, False),  # speculative: not raised
        (NEG, 4, 2, "household", "medium", Band.MEDIUM, False),  # moderate: not raised
        (POS, 2, 3, "household", "medium", Band.MEDIUM, False),  # benefits are never raised
    ],
)
def test_major_harm_override(direction, likelihood, severity, reach, natural, band, override):
    s = score(ans("D09-E-1", direction, likelihood=likelihood, severity=severity, reach=reach))
    assert (s.band, s.override_applied) == (band, override)
    assert (
        ", raised to high because a major harm is at least possible" in s.explanation
    ) is override
    assert f"\u2192 {natural}" in s.explanation


@pytest.mark.parametrize("direction", [NEG, POS])
def test_severity_zero_is_recorded_but_not_scored(direction):
    s = score(
        ans(
            "D05-E-1",
            direction,
            likelihood=4,
            severity=0,
            reach="region",
            duration="long",
            groups=disp("SE_AREA_DEP"),
        )
    )
    assert (s.scored, s.magnitude, s.significance, s.weighted, s.band) == (
        False,
        0,
        0,
        D("0.00"),
        None,
    )
    assert s.explanation == "negligible severity: recorded but not scored"


@pytest.mark.parametrize(
    "direction, explanation",
    [
        (Direction.NO_IMPACT, "no impact: nothing to score"),
        (Direction.UNCERTAIN, "uncertain: counted for completeness and evidence, not scored"),
        (Direction.NOT_APPLICABLE, "not applicable: not scored"),
        (Direction.UNANSWERED, "not answered yet"),
    ],
)
def test_non_impact_directions_are_not_scored(direction, explanation):
    s = score(
        AnswerInput(
            "D05-E-1", "D05", direction, likelihood=4, severity=3, groups=disp("SE_LOW_INCOME")
        )
    )
    assert (s.scored, s.weighted, s.band, s.explanation) == (False, D("0.00"), None, explanation)
    assert s.priority_groups == (("SE_LOW_INCOME",) if direction == Direction.UNCERTAIN else ())


def test_unrated_harm_is_not_scored_and_keeps_determinant_amber():
    unrated = AnswerInput("D05-E-1", "D05", NEG)
    s = score(unrated)
    assert (s.scored, s.band) == (False, None)
    result = run([unrated])
    d = result.determinants[0]
    assert (d.harm_rag, d.harm_rag_reason) == (Rag.AMBER, "Amber: harm not yet rated at D05-E-1.")
    assert (d.counts.answered, d.counts.applicable) == (0, 1)


@pytest.mark.parametrize(
    "field, value",
    [
        ("likelihood", 5),
        ("likelihood", 0),
        ("severity", 4),
        ("reach", "street"),
        ("duration", "forever"),
        ("distribution", "skewed"),
        ("evidence", "great"),
        ("residual_severity", 7),
        ("likelihood", True),
    ],
)
def test_invalid_answer_values_raise(field, value):
    with pytest.raises(ScoringError):
        score(replace(ans("D05-E-1"), **{field: value}))


def test_invalid_direction_raises():
    with pytest.raises(ScoringError):
        score(AnswerInput("D05-E-1", "D05", "sideways"))


def test_duplicate_visible_keys_raise_but_hidden_duplicates_are_ignored():
    with pytest.raises(ScoringError):
        run([ans("D05-E-1"), ans("D05-E-1")])
    result = run([ans("D05-E-1"), replace(ans("D05-E-1", severity=3), visible=False)])
    assert [s.key for s in result.answers] == ["D05-E-1"]


# ---------------------------------------------------------------- priority groups


@pytest.mark.parametrize(
    "code, determinant, expected",
    [
        ("SE_LOW_INCOME", "D01", True),
        ("SE_AREA_DEP", "D12", True),
        ("OG_CARERS", "D09", True),
        ("PC_AGE_CHILD", "D05", True),
        ("PC_AGE_CHILD", "D01", False),
        ("PC_SEX", "D07", True),
        ("PC_SEX", "D05", False),
        ("PC_DISABILITY", "D03", True),
        ("PC_AGE_OLDER", "D02", True),
        ("RB_NEIGHBOURS", "D05", False),
        ("RB_WORKERS", "D01", False),
        ("XX_OTHER", "D05", False),
    ],
)
def test_is_priority_group(code, determinant, expected):
    assert is_priority_group(code, determinant, rules=V1) is expected


@pytest.mark.parametrize(
    "determinant, share, applies",
    [
        ("D05", D("0.5"), True),
        ("D05", D("0.49"), False),
        ("D05", None, False),
        ("D02", D("1"), True),
        ("D08", D("0.75"), True),
        ("D09", D("0.9"), False),
        ("D01", D("0.9"), False),
    ],
)
def test_deprived_area_rule(determinant, share, applies):
    assert deprived_area_applies(determinant, share, rules=V1) is applies
    ctx = replace(SBC, deprived_area_share=share)
    s = score(ans(f"{determinant}-E-1", severity=2, groups=affects("RB_NEIGHBOURS")), context=ctx)
    assert s.priority_groups == (("SE_AREA_DEP",) if applies else ())
    assert s.multiplier == D(
        "1.0"
    )  # affected, but not disproportionately unless the answer says so


def test_deprived_area_makes_place_based_uncertainty_amber():
    unsure = AnswerInput("D05-E-2", "D05", Direction.UNCERTAIN)
    assert run([unsure]).determinants[0].harm_rag is Rag.GREEN
    deprived = run([unsure], context=replace(SBC, deprived_area_share=D("0.6")))
    assert deprived.determinants[0].harm_rag is Rag.AMBER
    assert deprived.determinants[0].harm_rag_reason == (
        "Amber: uncertain answer involving a priority group at D05-E-2 (through SE_AREA_DEP, "
        "automatic: 60% of the catchment lives in SIMD quintile 1, at or above the 50% threshold "
        "for place-based determinants)."
    )


AUTOMATIC_REASON = (
    "automatic: 62% of the catchment lives in SIMD quintile 1, at or above the "
    "50% threshold for place-based determinants"
)


def test_deprived_area_group_is_carried_with_its_reason_and_figures():
    ctx = replace(SBC, deprived_area_share=D("0.62"))
    s = score(
        ans("D05-E-1", severity=2, reach="locality", groups=affects("RB_NEIGHBOURS")), context=ctx
    )
    (auto,) = s.automatic_groups
    assert (auto.code, auto.share, auto.threshold) == ("SE_AREA_DEP", D("0.62"), D("0.5"))
    assert auto.reason == AUTOMATIC_REASON
    assert s.only_automatic_priority
    # The row no longer reads as if no priority group were involved, and the worked
    # explanation says why the group counts and why the multiplier stays at 1.0.
    assert s.multiplier_reason == (
        "no priority group disproportionately affected; SE_AREA_DEP "
        "is affected automatically, which does not raise the equity multiplier"
    )
    assert s.explanation.endswith(
        f"; counts as affecting priority group SE_AREA_DEP ({AUTOMATIC_REASON})"
    )
    # Below the threshold, or where the answer names the group itself, nothing is automatic.
    assert (
        score(ans("D05-E-1"), context=replace(SBC, deprived_area_share=D("0.49"))).automatic_groups
        == ()
    )
    named = score(ans("D05-E-1", groups=disp("SE_AREA_DEP")), context=ctx)
    assert named.automatic_groups == () and named.priority_groups == ("SE_AREA_DEP",)
    # Uncertain answers carry it too (the amber rule reads their priority groups).
    unsure = score(AnswerInput("D05-E-2", "D05", Direction.UNCERTAIN), context=ctx)
    assert unsure.automatic_groups == (auto,) and AUTOMATIC_REASON in unsure.explanation


def test_flags_say_when_a_priority_group_is_automatic():
    ctx = replace(SBC, deprived_area_share=D("0.62"))
    harm = ans("D05-E-1", likelihood=2, severity=2)  # |W| 4: only the priority rule (b) fires
    named = ans("D09-E-1", likelihood=2, severity=2, groups=affects("SE_LOW_INCOME"))
    f2 = run([harm, named], context=ctx).flag("F2")
    assert f2.criteria == ("b",)
    assert f2.reason == (
        "Harm to a priority group scoring −3 or worse and no mitigation action: "
        f"D05-E-1, D09-E-1 (D05-E-1 through SE_AREA_DEP, {AUTOMATIC_REASON})."
    )
    assert run([named], context=ctx).flag("F2").reason == (
        "Harm to a priority group scoring −3 or worse and no mitigation action: D09-E-1."
    )


def test_snapshot_stored_before_automatic_groups_still_reads():
    ctx = replace(SBC, deprived_area_share=D("0.62"))
    result = run([ans("D05-E-1", severity=2)], context=ctx)
    stored = json.loads(json.dumps(result.to_dict()))
    assert stored["answers"][0]["automatic_groups"][0]["share"] == "0.62"
    for answer in stored["answers"]:
        del answer["automatic_groups"]
    old = result_from_dict(stored)
    assert old.answers[0].automatic_groups == () and not old.answers[0].only_automatic_priority
    assert old.answers[0].priority_groups == ("SE_AREA_DEP",)


# ---------------------------------------------------------------- worked examples
# Realistic answers worked through the formulas by hand: every intermediate figure and the
# explanation a reader sees.


def test_worked_example_1_construction_dust_next_to_deprived_estate():
    s = score(
        ans(
            "D05-C-1",
            likelihood=4,
            severity=2,
            reach="locality",
            duration="medium",
            groups=disp("SE_AREA_DEP", "PC_AGE_CHILD"),
        )
    )
    assert (s.magnitude, s.significance, s.multiplier, s.weighted, s.band) == (
        3,
        12,
        D("2.0"),
        D("-24.00"),
        Band.HIGH,
    )
    assert s.explanation == (
        "definite (4) \u00d7 magnitude 3 (moderate 2 + locality reach 1) = significance 12; "
        "\u00d7 equity multiplier 2.0 "
        "(disproportionate on two priority groups (PC_AGE_CHILD, SE_AREA_DEP)) "
        "= score \u221224 \u2192 high"
    )


def test_worked_example_2_new_station_for_deprived_catchment():
    s = score(
        ans(
            "D03-E-1",
            POS,
            likelihood=3,
            severity=2,
            reach="locality",
            duration="long",
            distribution="priority",
        )
    )
    assert (s.magnitude, s.significance, s.multiplier, s.weighted, s.band) == (
        4,
        12,
        D("1.5"),
        D("18.00"),
        Band.HIGH,
    )
    assert s.explanation.endswith(
        "= significance 12; \u00d7 equity multiplier 1.5 (benefits skew to priority groups) = score +18 \u2192 high"
    )


def test_worked_example_3_retrofit_ventilation_needs_mitigation():
    retrofit = ans(
        "D02-D-2",
        likelihood=2,
        severity=2,
        reach="household",
        duration="long",
        groups=disp("SE_LOW_INCOME"),
    )
    result = run([retrofit])
    s = result.answers[0]
    assert (s.magnitude, s.significance, s.multiplier, s.weighted, s.band) == (
        3,
        6,
        D("1.5"),
        D("-9.00"),
        Band.MEDIUM,
    )
    f2 = result.flag("F2")
    assert f2.answer_keys == ("D02-D-2",)
    assert f2.reason == "Harm scoring −6 or worse and no mitigation action: D02-D-2."
    assert result.determinants[0].harm_rag is Rag.AMBER


# ---------------------------------------------------------------- determinant ratings


MED_P1 = ans("D05-E-1", likelihood=2, severity=2, reach="locality", groups=affects("SE_LOW_INCOME"))
MED_P2 = ans("D05-E-2", likelihood=2, severity=2, reach="locality", groups=affects("OG_CARERS"))
MED_NP = ans("D05-E-3", likelihood=2, severity=2, reach="locality", groups=affects("RB_NEIGHBOURS"))
LOW = ans("D05-D-1", likelihood=2, severity=2)
HIGH = ans("D05-D-2", likelihood=4, severity=2, reach="locality")


@pytest.mark.parametrize(
    "answers, rag, reason",
    [
        ([HIGH], Rag.RED, "Red: high harm at D05-D-2."),
        (
            [MED_P1, MED_P2],
            Rag.RED,
            "Red: 2 medium harms affect priority groups (D05-E-1, D05-E-2).",
        ),
        ([MED_P1, MED_NP], Rag.AMBER, "Amber: medium harm at D05-E-1, D05-E-3."),
        ([MED_NP], Rag.AMBER, "Amber: medium harm at D05-E-3."),
        (
            [replace(MED_NP, evidence="weak")],
            Rag.AMBER,
            "Amber: medium harm at D05-E-3; weak, no or unrecorded evidence behind a "
            "medium-or-higher harm at D05-E-3.",
        ),
        (
            [LOW, replace(LOW, key="D05-D-3", evidence="none")],
            Rag.GREEN,
            "Green: no harm above low.",
        ),
        (
            [AnswerInput("D05-E-4", "D05", Direction.UNCERTAIN, groups=affects("PC_AGE_CHILD"))],
            Rag.AMBER,
            "Amber: uncertain answer involving a priority group at D05-E-4.",
        ),
        (
            [AnswerInput("D05-E-4", "D05", Direction.UNCERTAIN, groups=affects("RB_NEIGHBOURS"))],
            Rag.GREEN,
            "Green: no harm above low.",
        ),
        (
            [AnswerInput("D05-E-4", "D05", Direction.NO_IMPACT)],
            Rag.GREEN,
            "Green: no harm above low.",
        ),
        (
            [ans("D05-E-5", POS, likelihood=4, severity=3, reach="region")],
            Rag.GREEN,
            "Green: no harm above low.",
        ),
        (
            [AnswerInput("D05-E-4", "D05", Direction.NOT_APPLICABLE)],
            Rag.GREY,
            "Grey: all questions marked not applicable (justification required).",
        ),
        ([AnswerInput("D05-E-4", "D05", Direction.UNANSWERED)], Rag.GREY, "Grey: not assessed."),
        ([], Rag.GREY, "Grey: not assessed."),
    ],
)
def test_determinant_harm_rag(answers, rag, reason):
    scores = [score(a) for a in answers]
    d = rate_determinant("D05", scores, answers, rules=V1)
    assert (d.code, d.harm_rag, d.harm_rag_reason) == ("D05", rag, reason)


def test_residual_rating_and_gate_by_stage():
    mitigated = replace(HIGH, residual_severity=1)  # 4 x (1 + 1) = 8 -> medium
    s = score(mitigated)
    assert (s.weighted, s.band, s.residual_weighted, s.residual_band) == (
        D("-12.00"),
        Band.HIGH,
        D("-8.00"),
        Band.MEDIUM,
    )
    assert (score(HIGH).residual_weighted, score(HIGH).residual_band) == (None, None)
    only_likelihood = score(replace(HIGH, residual_likelihood=1))  # 1 x 3 = 3 -> low
    assert (only_likelihood.residual_weighted, only_likelihood.residual_band) == (
        D("-3.00"),
        Band.LOW,
    )
    at_sbc, at_fbc = run([mitigated]), run([mitigated], context=FBC)
    for result in (at_sbc, at_fbc):
        assert (result.overall_harm_rag, result.overall_residual_harm_rag) == (Rag.RED, Rag.AMBER)
    assert (at_sbc.gate_harm_rag, at_fbc.gate_harm_rag) == (Rag.RED, Rag.AMBER)


@pytest.mark.parametrize(
    "evidence, residual_rag", [("weak", Rag.AMBER), (None, Rag.AMBER), ("strong", Rag.GREEN)]
)
def test_residual_rag_keeps_evidence_gap_on_mitigated_harm(evidence, residual_rag):
    mitigated = replace(MED_NP, evidence=evidence, residual_likelihood=1)  # 1 x 3 = 3 -> low
    d = run([mitigated]).determinants[0]
    assert (d.harm_rag, d.residual_harm_rag) == (Rag.AMBER, residual_rag)


def test_overall_rag_is_worst_determinant_and_grey_only_when_nothing_assessed():
    result = run([HIGH, ans("D03-E-1", POS), ans("D09-E-1")], codes=["D01", "D05"])
    assert [(d.code, d.harm_rag) for d in result.determinants] == [
        ("D01", Rag.GREY),
        ("D03", Rag.GREEN),
        ("D05", Rag.RED),
        ("D09", Rag.GREEN),
    ]
    assert result.overall_harm_rag is Rag.RED
    assert run([], codes=["D01", "D02"]).overall_harm_rag is Rag.GREY
    assert run([]).overall_harm_rag is Rag.GREY
    assert run([ans("D09-E-1")], codes=["D01"]).overall_harm_rag is Rag.GREEN


def test_benefit_level_and_equity_share():
    station = ans(
        "D03-E-1",
        POS,
        likelihood=3,
        severity=2,
        reach="locality",
        duration="long",
        distribution="priority",
    )  # +18, reaches priority through its distribution
    bus = ans("D03-E-2", POS, likelihood=2, severity=2)  # +4, no priority group
    shelter = ans(
        "D03-E-3", POS, likelihood=2, severity=2, groups=affects("PC_DISABILITY")
    )  # +4, priority
    result = run([station, bus, shelter])
    d = result.determinants[0]
    assert (d.benefit_level, d.equity_share) == (Band.HIGH, D("0.8462"))  # 22 / 26
    assert (result.benefit_summary.high, result.benefit_summary.medium) == (1, 0)
    assert result.benefit_summary.equity_share == D("0.8462")
    assert run([bus]).determinants[0].benefit_level is Band.LOW
    tiny = run([ans("D03-E-4", POS, likelihood=1, severity=1)]).determinants[0]
    assert (tiny.benefit_level, tiny.equity_share) == (None, D("0.0000"))
    assert run([HIGH]).determinants[0].equity_share is None


@pytest.mark.parametrize(
    "answers, index, highlight",
    [
        ([], None, False),
        ([MED_P1, MED_NP], D("0.5000"), False),  # exactly 0.5 is not above the threshold
        (
            [
                ans(
                    "D02-D-2",
                    likelihood=2,
                    severity=2,
                    duration="long",
                    groups=disp("SE_LOW_INCOME"),
                ),
                ans("D09-E-1", likelihood=2, severity=2),
            ],
            D("0.6923"),
            True,
        ),  # 9 / 13
        ([MED_NP], D("0.0000"), False),
    ],
)
def test_equity_index(answers, index, highlight):
    result = run(answers)
    assert (result.equity_index, result.equity_index_highlight) == (index, highlight)


def test_completeness_and_uncertain_share():
    answers = [
        ans("D05-E-1"),
        AnswerInput("D05-E-2", "D05", Direction.UNCERTAIN),
        AnswerInput("D05-E-3", "D05", Direction.UNANSWERED),
        AnswerInput("D05-E-4", "D05", Direction.NOT_APPLICABLE),
        replace(ans("D05-E-5", severity=3, likelihood=4), visible=False),
        AnswerInput("D03-E-1", "D03", Direction.NO_IMPACT),
    ]
    result = run(answers)
    assert (
        result.completeness.answered,
        result.completeness.applicable,
        result.completeness.ratio,
    ) == (3, 4, D("0.7500"))
    assert result.uncertain_share == D("0.2500")
    d05 = next(d for d in result.determinants if d.code == "D05")
    assert (
        d05.counts.answered,
        d05.counts.applicable,
        d05.counts.uncertain,
        d05.counts.negatives,
        d05.counts.positives,
    ) == (2, 3, 1, 1, 0)
    assert [s.key for s in result.answers] == [
        "D03-E-1",
        "D05-E-1",
        "D05-E-2",
        "D05-E-3",
        "D05-E-4",
    ]
    empty = run([])
    assert (empty.completeness.ratio, empty.uncertain_share) == (None, None)


# ---------------------------------------------------------------- flags

MED = dict(likelihood=2, severity=2, reach="locality")  # R 6, W -6: medium
CONCERN = dict(panel_significant_concern=True)


def _uncertain(n: int, total: int) -> list[AnswerInput]:
    return [
        AnswerInput(f"D08-E-{i}", "D08", Direction.UNCERTAIN if i < n else Direction.NO_IMPACT)
        for i in range(total)
    ]


F1_CASES = [
    # (id, answers, context, expected criteria or None)
    ("a high harm uncovered", [HIGH], SBC, ("a",)),
    (
        "a high harm covered by completed EqIA",
        [replace(HIGH, covered_by=("EqIA",))],
        replace(SBC, completed_assessments=frozenset({"EqIA"})),
        None,
    ),
    (
        "a partly covered",
        [replace(HIGH, covered_by=("EqIA", "FSD"))],
        replace(SBC, completed_assessments=frozenset({"EqIA"})),
        ("a",),
    ),
    (
        "b three mediums over two determinants",
        [ans("D05-E-1", **MED), ans("D05-E-2", **MED), ans("D03-E-1", **MED)],
        SBC,
        ("b",),
    ),
    (
        "b three mediums in one determinant",
        [ans("D05-E-1", **MED), ans("D05-E-2", **MED), ans("D05-E-3", **MED)],
        SBC,
        None,
    ),
    (
        "b two mediums over two determinants",
        [ans("D05-E-1", **MED), ans("D03-E-1", **MED)],
        SBC,
        None,
    ),
    (
        "c weak evidence on priority medium",
        [ans("D09-E-1", **MED, groups=affects("SE_LOW_INCOME"), evidence="weak")],
        SBC,
        ("c",),
    ),
    (
        "c no evidence on priority medium",
        [ans("D09-E-1", **MED, groups=affects("SE_LOW_INCOME"), evidence="none")],
        SBC,
        ("c",),
    ),
    ("c strong evidence", [ans("D09-E-1", **MED, groups=affects("SE_LOW_INCOME"))], SBC, None),
    (
        "c evidence unrecorded",
        [ans("D09-E-1", **MED, groups=affects("SE_LOW_INCOME"), evidence=None)],
        SBC,
        None,
    ),
    (
        "c weak evidence, not priority",
        [ans("D09-E-1", **MED, groups=affects("RB_WORKERS"), evidence="weak")],
        SBC,
        None,
    ),
    (
        "c weak evidence, low harm",
        [ans("D09-E-1", groups=affects("SE_LOW_INCOME"), evidence="weak")],
        SBC,
        None,
    ),
    ("d 3 of 10 uncertain", _uncertain(3, 10), SBC, ("d",)),
    ("d 2 of 10 uncertain", _uncertain(2, 10), SBC, None),
    ("e panel asks for HIA", [], replace(SBC, panel_requested_hia=True), ("e",)),
    ("e panel concern", [], replace(SBC, **CONCERN), ("e",)),
    ("e no panel input", [], SBC, None),
    ("raised at OBC", [HIGH], OBC, ("a",)),
    ("raised at STRATEGIC", [HIGH], AssessmentContext("STRATEGIC", 0), ("a",)),
    ("not raised at FBC", [HIGH], replace(FBC, **CONCERN), None),
    ("not raised when decision closed", [HIGH], replace(OBC, decision_open=False, **CONCERN), None),
    (
        "several criteria aggregate",
        [HIGH, *_uncertain(5, 5)],
        replace(SBC, **CONCERN),
        ("a", "d", "e"),
    ),
]


@pytest.mark.parametrize(
    "answers, context, criteria", [c[1:] for c in F1_CASES], ids=[c[0] for c in F1_CASES]
)
def test_flag_f1(answers, context, criteria):
    f1 = run(answers, context=context).flag("F1")
    assert (f1.criteria if f1 else None) == criteria


def test_flag_f1_reasons_name_keys():
    result = run(
        [HIGH, *_uncertain(5, 5)], context=replace(SBC, panel_requested_hia=True, **CONCERN)
    )
    f1 = result.flag("F1")
    assert f1.title == "Full HIA recommended"
    assert f1.reason == (
        "(a) high harm not covered by a completed statutory assessment: D05-D-2; "
        "(d) 83.3% of applicable questions answered uncertain (threshold 30%): "
        "D08-E-0, D08-E-1, D08-E-2, D08-E-3, D08-E-4; "
        "(e) the community panel formally asked for an HIA and logged a significant concern."
    )
    assert f1.answer_keys == ("D05-D-2", "D08-E-0", "D08-E-1", "D08-E-2", "D08-E-3", "D08-E-4")
    b = run([ans("D05-E-1", **MED), ans("D05-E-2", **MED), ans("D03-E-1", **MED)]).flag("F1")
    assert b.reason == "3 medium-or-higher harms across 2 determinants: D03-E-1, D05-E-1, D05-E-2."


F2_CASES = [
    ("|W| 6 unmitigated", [ans("D09-E-1", **MED)], ("a",), ("D09-E-1",)),
    ("|W| 6 mitigated", [ans("D09-E-1", **MED, has_mitigation=True)], None, ()),
    (
        "|W| 4 on priority group",
        [ans("D09-E-1", severity=2, groups=affects("SE_LOW_INCOME"))],
        ("b",),
        ("D09-E-1",),
    ),
    (
        "|W| 4.5 disproportionate",
        [ans("D09-E-1", likelihood=1, severity=2, reach="locality", groups=disp("SE_LOW_INCOME"))],
        ("b",),
        ("D09-E-1",),
    ),
    (
        "|W| 3 on priority group",
        [ans("D09-E-1", likelihood=3, groups=affects("OG_CARERS"))],
        ("b",),
        ("D09-E-1",),
    ),
    ("|W| 2 on priority group", [ans("D09-E-1", groups=affects("SE_LOW_INCOME"))], None, ()),
    ("|W| 4 not priority", [ans("D09-E-1", severity=2, groups=affects("RB_NEIGHBOURS"))], None, ()),
    ("benefit is not a harm", [ans("D09-E-1", POS, **MED)], None, ()),
    (
        "only the unmitigated are listed",
        [
            ans("D09-E-1", **MED, has_mitigation=True),
            ans("D09-E-2", **MED),
            ans("D09-E-3", severity=2, groups=affects("SE_LOW_INCOME")),
        ],
        ("a", "b"),
        ("D09-E-2", "D09-E-3"),
    ),
]


@pytest.mark.parametrize(
    "answers, criteria, keys", [c[1:] for c in F2_CASES], ids=[c[0] for c in F2_CASES]
)
def test_flag_f2(answers, criteria, keys):
    f2 = run(answers).flag("F2")
    assert (f2.criteria if f2 else None, f2.answer_keys if f2 else ()) == (criteria, keys)


F3_CASES = [
    ("gap-widening benefit", [ans("D03-E-1", POS, severity=2, distribution="advantaged")], ("a",)),
    ("medium benefit without delivery mechanism", [ans("D03-E-1", POS, **MED)], ("b",)),
    (
        "medium benefit secured by contract",
        [ans("D03-E-1", POS, **MED, has_delivery_mechanism=True)],
        None,
    ),
    ("low benefit without mechanism", [ans("D03-E-1", POS, severity=2)], None),
    ("even benefit", [ans("D03-E-1", POS, severity=2, distribution="even")], None),
    (
        "negligible gap-widening benefit is not scored",
        [ans("D03-E-1", POS, severity=0, distribution="advantaged")],
        None,
    ),
    (
        "both",
        [
            ans(
                "D03-E-1",
                POS,
                likelihood=4,
                severity=2,
                reach="locality",
                distribution="advantaged",
            )
        ],
        ("a", "b"),
    ),
]


@pytest.mark.parametrize(
    "answers, criteria", [c[1:] for c in F3_CASES], ids=[c[0] for c in F3_CASES]
)
def test_flag_f3(answers, criteria):
    f3 = run(answers).flag("F3")
    assert (f3.criteria if f3 else None) == criteria


F4_CASES = [
    (
        "R 6 weak evidence harm",
        [ans("D09-E-1", **MED, evidence="weak", has_mitigation=True)],
        ("a",),
    ),
    ("R 6 no evidence benefit", [ans("D09-E-1", POS, **MED, evidence="none")], ("a",)),
    ("R 6 evidence unrecorded", [ans("D09-E-1", **MED, evidence=None)], ("a",)),
    ("R 6 strong evidence", [ans("D09-E-1", **MED)], None),
    ("R 6 moderate evidence", [ans("D09-E-1", **MED, evidence="moderate")], None),
    ("R 4 weak evidence", [ans("D09-E-1", severity=2, evidence="weak")], None),
    ("uncertain answer", [AnswerInput("D09-E-1", "D09", Direction.UNCERTAIN)], ("b",)),
    ("no impact answer", [AnswerInput("D09-E-1", "D09", Direction.NO_IMPACT)], None),
]


@pytest.mark.parametrize(
    "answers, criteria", [c[1:] for c in F4_CASES], ids=[c[0] for c in F4_CASES]
)
def test_flag_f4(answers, criteria):
    f4 = run(answers).flag("F4")
    assert (f4.criteria if f4 else None) == criteria


@pytest.mark.parametrize(
    "linked, completed, direction, criteria, reason",
    [
        ((), (), NEG, ("a",), "Claimed coverage by an assessment not linked: D12-E-3 (EqIA)."),
        (
            ("EqIA",),
            (),
            NEG,
            ("b",),
            "Claimed coverage by an assessment linked but not complete: D12-E-3 (EqIA).",
        ),
        (("EqIA",), ("EqIA",), NEG, None, None),
        ((), ("EqIA",), Direction.NO_IMPACT, None, None),
        (
            (),
            (),
            Direction.NO_IMPACT,
            ("a",),
            "Claimed coverage by an assessment not linked: D12-E-3 (EqIA).",
        ),
        ((), (), Direction.NOT_APPLICABLE, None, None),
        ((), (), Direction.UNANSWERED, None, None),
    ],
)
def test_flag_f5(linked, completed, direction, criteria, reason):
    answer = replace(ans("D12-E-3"), direction=direction, covered_by=("EqIA",))
    ctx = replace(
        SBC, linked_assessments=frozenset(linked), completed_assessments=frozenset(completed)
    )
    f5 = run([answer], context=ctx).flag("F5")
    got = (f5.criteria, f5.reason, f5.answer_keys) if f5 else (None, None, ())
    assert got == (criteria, reason, ("D12-E-3",) if criteria else ())


@pytest.mark.parametrize("claims", [("none",), ("",), ("None", " ")])
def test_flag_f5_ignores_non_claims(claims):
    answer = replace(HIGH, covered_by=claims)
    result = run([answer])
    assert result.flag("F5") is None
    assert result.flag("F1").criteria == ("a",)  # "covered by none" is not covered


F6_CASES = [
    ("medium harm at FBC without indicator", [ans("D09-E-1", **MED)], FBC, True),
    ("medium harm at FBC with indicator", [ans("D09-E-1", **MED, has_indicator=True)], FBC, False),
    ("medium harm at OBC", [ans("D09-E-1", **MED)], OBC, False),
    ("low harm at FBC", [ans("D09-E-1", severity=2)], FBC, False),
    (
        "high benefit in delivery",
        [ans("D09-E-1", POS, likelihood=4, severity=3)],
        AssessmentContext("DELIVERY", 4),
        True,
    ),
]


@pytest.mark.parametrize(
    "answers, context, raised", [c[1:] for c in F6_CASES], ids=[c[0] for c in F6_CASES]
)
def test_flag_f6(answers, context, raised):
    f6 = run(answers, context=context).flag("F6")
    assert (f6 is not None) is raised
    if raised:
        assert f6.answer_keys == ("D09-E-1",)
        assert (
            f6.reason
            == "Medium-or-higher impact without a monitoring indicator and baseline: D09-E-1."
        )


@pytest.mark.parametrize(
    "change, reason",
    [
        (
            "Budget up 25% and route moved",
            "Material change recorded: Budget up 25% and route moved.",
        ),
        ("   ", None),
        ("", None),
    ],
)
def test_flag_f7(change, reason):
    f7 = run([], context=replace(SBC, material_change=change)).flag("F7")
    assert (f7.reason if f7 else None) == reason


def test_flag_f8():
    overdue = (("D05-C-1", "Install acoustic hoarding"), ("", "Appoint community liaison officer"))
    f8 = run([], context=replace(FBC, overdue_actions=overdue)).flag("F8")
    assert (f8.title, f8.answer_keys) == ("Overdue action", ("D05-C-1",))
    assert f8.reason == (
        "Action past its due stage (general: Appoint community liaison officer; "
        "D05-C-1: Install acoustic hoarding)."
    )
    assert run([], context=FBC).flag("F8") is None


def test_one_flag_per_code_in_order():
    answers = [
        HIGH,
        ans("D09-E-1", **MED),
        AnswerInput("D08-E-1", "D08", Direction.UNCERTAIN),
        ans("D03-E-1", POS, **MED, distribution="advantaged", covered_by=("STAG",)),
    ]
    ctx = replace(SBC, material_change="New site", overdue_actions=(("D09-E-1", "Fit filters"),))
    assert flag_codes(run(answers, context=ctx)) == ["F1", "F2", "F3", "F4", "F5", "F7", "F8"]
    assert flag_codes(run(answers, context=replace(ctx, stage_code="FBC", stage_order=3))) == [
        "F2",
        "F3",
        "F4",
        "F5",
        "F6",
        "F7",
        "F8",
    ]


# ---------------------------------------------------------------- snapshots and versions


SNAPSHOT_ANSWERS = [
    ans(
        "D05-C-1",
        likelihood=4,
        severity=2,
        reach="locality",
        groups=disp("SE_AREA_DEP", "PC_AGE_CHILD"),
        residual_severity=1,
        has_mitigation=True,
        covered_by=("EIA",),
    ),
    ans(
        "D03-E-1",
        POS,
        likelihood=3,
        severity=2,
        reach="locality",
        duration="long",
        distribution="priority",
    ),
    ans(
        "D02-D-2",
        likelihood=2,
        severity=2,
        duration="long",
        groups=disp("SE_LOW_INCOME"),
        evidence="weak",
    ),
    AnswerInput("D08-E-1", "D08", Direction.UNCERTAIN, groups=affects("OG_REFUGEE")),
    AnswerInput("D09-E-1", "D09", Direction.NOT_APPLICABLE),
]
SNAPSHOT_CONTEXT = replace(
    SBC,
    deprived_area_share=D("0.62"),
    linked_assessments=frozenset({"EIA"}),
    material_change="Budget +22%",
    overdue_actions=(("D05-C-1", "Hoarding"),),
)


def test_result_round_trips_through_json_snapshot():
    result = run(SNAPSHOT_ANSWERS, context=SNAPSHOT_CONTEXT, codes=["D01"])
    stored = json.loads(json.dumps(result.to_dict()))
    assert result_from_dict(stored) == result
    assert result_from_dict(stored).to_dict() == stored
    assert stored["answers"][0]["weighted"] == "-9.00" and stored["ruleset_version"] == "1"


def test_new_rule_set_version_changes_scores_but_not_stored_snapshot():
    v1_result = run(SNAPSHOT_ANSWERS, context=SNAPSHOT_CONTEXT)
    stored = json.loads(json.dumps(v1_result.to_dict()))
    frozen_copy = copy.deepcopy(stored)
    params = {
        **V1.to_mapping(),
        "version": "2",
        "band_high": "20",
        "band_medium": "10",
        "f2_min_abs_w": "10",
        "negative_multipliers": {
            "default": "1.0",
            "one_priority": "1.25",
            "intersecting": "1.5",
            "worst_off": "1.5",
        },
    }
    v2 = RuleSet.from_mapping(params)
    v2_result = run(SNAPSHOT_ANSWERS, context=SNAPSHOT_CONTEXT, rules=v2)
    by_key = {s.key: s for s in v2_result.answers}
    assert v2_result.ruleset_version == "2"
    assert (by_key["D05-C-1"].weighted, by_key["D05-C-1"].band) == (D("-18.00"), Band.MEDIUM)
    assert (by_key["D02-D-2"].weighted, by_key["D02-D-2"].band) == (D("-7.50"), Band.LOW)
    assert v2_result.flag("F2").answer_keys == ("D02-D-2",)  # priority rule |W| >= 3 still applies
    v1_again = result_from_dict(stored)
    assert stored == frozen_copy
    assert v1_again == v1_result
    by_key_v1 = {s.key: s for s in v1_again.answers}
    assert (by_key_v1["D05-C-1"].weighted, by_key_v1["D02-D-2"].band) == (D("-24.00"), Band.MEDIUM)
