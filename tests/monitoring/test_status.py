"""The pure status rules for outcome indicators, read with rule set v2's monitoring section."""

import datetime
import json
from decimal import Decimal as D
from pathlib import Path

import pytest

from assessments.scoring import monitoring as m
from assessments.scoring.schema import RuleSet, ScoringError

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
V2 = json.loads((FIXTURES / "ruleset_v2.json").read_text())
RULES = RuleSet.from_mapping({**V2["parameters"], "version": "2"}).monitoring

JOBS = m.IndicatorFacts(
    good_direction="higher",
    baseline_value=D("10"),
    baseline_date=datetime.date(2024, 1, 1),
    target_value=D("30"),
    target_date=datetime.date(2028, 1, 1),
    frequency="quarterly",
)


def status(points, today, facts=JOBS):
    return m.indicator_status(facts, [m.Point(d, D(v)) for d, v in points], RULES, today)


def test_rule_set_v2_carries_monitoring_and_v1_does_not():
    v1 = json.loads((FIXTURES / "ruleset_v1.json").read_text())
    assert RuleSet.from_mapping({**v1["parameters"], "version": "1"}).monitoring is None
    assert RULES.frequency_days["quarterly"] == 92
    # The scoring parameters are version 1's: scores do not move when new stages use v2.
    v2_scoring = {k: v for k, v in V2["parameters"].items() if k != "monitoring"}
    assert v2_scoring == v1["parameters"]


def test_monitoring_section_is_checked():
    bad = {**V2["parameters"]["monitoring"], "on_track_tolerance": "1.5"}
    with pytest.raises(ScoringError, match="on_track_tolerance"):
        RuleSet.from_mapping({**V2["parameters"], "monitoring": bad, "version": "9"})
    missing = {k: v for k, v in V2["parameters"]["monitoring"].items() if k != "grace_days"}
    with pytest.raises(ScoringError, match="grace_days"):
        RuleSet.from_mapping({**V2["parameters"], "monitoring": missing, "version": "9"})


def test_nothing_measured_and_nothing_due_yet():
    result = status([], datetime.date(2024, 2, 1))
    assert result.status == m.Status.NOT_YET_DUE
    assert result.next_due == datetime.date(2024, 4, 2)
    assert "2 April 2024" in result.reason


def test_halfway_value_on_the_line_is_on_track():
    # Half-way through (1 Jan 2026) the line expects 20%.
    result = status([(datetime.date(2026, 1, 1), "19")], datetime.date(2026, 1, 10))
    assert result.status == m.Status.ON_TRACK
    assert result.expected.quantize(D("0.1")) == D("20.0")


def test_trailing_more_than_the_tolerance_is_off_track():
    # 10% of the planned 20-point change is 2 points: 17.9 trails 20 by 2.1.
    result = status([(datetime.date(2026, 1, 1), "17.9")], datetime.date(2026, 1, 10))
    assert result.status == m.Status.OFF_TRACK
    assert "17.9 on 1 January 2026" in result.reason


def test_lower_is_better_reverses_the_comparison():
    waits = m.IndicatorFacts(
        "lower", D("40"), datetime.date(2024, 1, 1), D("20"), datetime.date(2026, 1, 1), "annual"
    )
    assert status([(datetime.date(2025, 1, 1), "29")], datetime.date(2025, 1, 5), waits).status == (
        m.Status.ON_TRACK
    )
    assert status([(datetime.date(2025, 1, 1), "33")], datetime.date(2025, 1, 5), waits).status == (
        m.Status.OFF_TRACK
    )


def test_missing_measurement_past_grace_is_overdue_and_wins():
    points = [(datetime.date(2026, 1, 1), "25")]  # well on track
    due = datetime.date(2026, 4, 3)  # 92 days later
    assert status(points, due + datetime.timedelta(days=30)).status == m.Status.ON_TRACK
    late = status(points, due + datetime.timedelta(days=31))
    assert late.status == m.Status.NO_DATA_DUE and late.overdue
    assert "3 April 2026" in late.reason


def test_due_soon_window_starts_before_the_due_date():
    points = [(datetime.date(2026, 1, 1), "25")]
    assert not status(points, datetime.date(2026, 3, 19)).due_soon
    assert status(points, datetime.date(2026, 3, 20)).due_soon


def test_retired_indicator_is_never_due():
    retired = m.IndicatorFacts(**{**JOBS.__dict__, "active": False})
    result = status([], datetime.date(2030, 1, 1), retired)
    assert result.status == m.Status.NOT_YET_DUE and not result.overdue and result.next_due is None


@pytest.mark.parametrize(
    ("unit", "value", "problem"),
    [
        ("percent", "101", "at most 100"),
        ("percent", "-1", "at least 0"),
        ("count", "2.5", "whole number"),
        ("score", "0", "at least 1"),
        ("percent", "55.5", None),
        ("number", "-40", None),
    ],
)
def test_values_impossible_for_their_unit(unit, value, problem):
    found = m.value_problem(unit, D(value))
    assert (found is None) if problem is None else (problem in found)


def test_dates_in_the_future_or_long_before_the_baseline_are_refused():
    today = datetime.date(2026, 6, 1)
    assert "future" in m.date_problem(JOBS, datetime.date(2026, 6, 2), RULES, today)
    assert "10 years" in m.date_problem(JOBS, datetime.date(2013, 12, 31), RULES, today)
    assert m.date_problem(JOBS, datetime.date(2026, 6, 1), RULES, today) is None


def test_large_jump_from_the_previous_value_asks_for_confirmation():
    previous = m.Point(datetime.date(2026, 1, 1), D("20"))
    # The planned change is 20 points and the previous value 20: a jump over 20 is unusual.
    assert m.outlier_reason(JOBS, previous, D("39"), RULES) is None
    assert "large change" in m.outlier_reason(JOBS, previous, D("41"), RULES)
