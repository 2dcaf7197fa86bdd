"""Outcome indicators: when a measurement is due, whether the indicator is on track, which values
are impossible for their unit and which are unusual enough to confirm.

Pure Python like rules.py: plain values in, plain values out. Every threshold comes from the
rule set's `monitoring` section (schema.MonitoringRules).
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from .schema import MonitoringRules


class Status(StrEnum):
    ON_TRACK = "on_track"
    OFF_TRACK = "off_track"
    NO_DATA_DUE = "no_data_due"  # a measurement was due and has not been entered
    NOT_YET_DUE = "not_yet_due"  # nothing measured since the baseline, and nothing due yet


STATUS_LABELS = {
    Status.ON_TRACK: "On track",
    Status.OFF_TRACK: "Off track",
    Status.NO_DATA_DUE: "Measurement overdue",
    Status.NOT_YET_DUE: "No measurement due yet",
}


@dataclass(frozen=True)
class IndicatorFacts:
    """What the status depends on: the indicator's definition, as plain values."""

    good_direction: str  # "higher" or "lower"
    baseline_value: Decimal
    baseline_date: datetime.date
    target_value: Decimal
    target_date: datetime.date
    frequency: str  # a key of MonitoringRules.frequency_days
    active: bool = True


@dataclass(frozen=True)
class Point:
    measured_on: datetime.date
    value: Decimal


@dataclass(frozen=True)
class StatusResult:
    status: Status
    label: str
    reason: str  # one plain sentence saying why, with the figures
    latest: Point | None  # the most recent measurement after the baseline date
    expected: Decimal | None  # where the straight line from baseline to target is at `latest`
    next_due: datetime.date | None  # None for a retired indicator
    overdue_from: datetime.date | None  # the day after the grace period ends
    due_soon: bool  # within reminder_days_before of the due date, and not yet overdue
    overdue: bool


def long_date(day: datetime.date) -> str:
    return f"{day.day} {day:%B %Y}"


def number_text(value: Decimal) -> str:
    """A value as people write it: no trailing zeros, thousands separated."""
    normal = value.quantize(Decimal(1)) if value == value.to_integral() else value.normalize()
    return f"{normal:,}"


def expected_value(facts: IndicatorFacts, on: datetime.date) -> Decimal:
    """The straight line from (baseline date, baseline) to (target date, target), held flat
    before the baseline and after the target date."""
    if on <= facts.baseline_date:
        return facts.baseline_value
    if on >= facts.target_date:
        return facts.target_value
    elapsed = Decimal((on - facts.baseline_date).days)
    span = Decimal((facts.target_date - facts.baseline_date).days)
    change = facts.target_value - facts.baseline_value
    return facts.baseline_value + change * elapsed / span


def _scale(facts: IndicatorFacts) -> Decimal:
    """The size of the planned change; for a hold-steady target, the baseline's own size."""
    return abs(facts.target_value - facts.baseline_value) or abs(facts.baseline_value)


def on_track(facts: IndicatorFacts, point: Point, rules: MonitoringRules) -> tuple[bool, Decimal]:
    """Whether a measurement trails the planned line by no more than the tolerance, and the
    expected value it was compared with. Doing better than planned is always on track."""
    expected = expected_value(facts, point.measured_on)
    sign = 1 if facts.good_direction == "higher" else -1
    shortfall = sign * (expected - point.value)
    return shortfall <= rules.on_track_tolerance * _scale(facts), expected


def next_due(facts: IndicatorFacts, latest: Point | None, rules: MonitoringRules) -> datetime.date:
    """One frequency period after the latest measurement, or after the baseline if none."""
    start = max(latest.measured_on, facts.baseline_date) if latest else facts.baseline_date
    return start + datetime.timedelta(days=rules.frequency_days[facts.frequency])


def _latest(facts: IndicatorFacts, measurements: Sequence[Point]) -> Point | None:
    after = [m for m in measurements if m.measured_on > facts.baseline_date]
    return max(after, key=lambda m: m.measured_on) if after else None


def indicator_status(
    facts: IndicatorFacts,
    measurements: Sequence[Point],
    rules: MonitoringRules,
    today: datetime.date,
) -> StatusResult:
    """Overdue data comes first (a stale figure says nothing about today); then the latest
    measurement against the planned line; with neither, nothing is due yet."""
    latest = _latest(facts, measurements)
    due = next_due(facts, latest, rules) if facts.active else None
    overdue_from = due + datetime.timedelta(days=rules.grace_days + 1) if due else None
    overdue = overdue_from is not None and today >= overdue_from
    due_soon = (
        due is not None
        and not overdue
        and today >= due - datetime.timedelta(days=rules.reminder_days_before)
    )
    expected = None
    if overdue and due is not None:
        status = Status.NO_DATA_DUE
        reason = f"A measurement was due on {long_date(due)} and none has been entered since"
    elif latest is not None:
        good, expected = on_track(facts, latest, rules)
        status = Status.ON_TRACK if good else Status.OFF_TRACK
        reason = (
            f"{number_text(latest.value)} on {long_date(latest.measured_on)} against "
            f"{number_text(expected.quantize(Decimal('0.01')))} expected on the way from "
            f"{number_text(facts.baseline_value)} to {number_text(facts.target_value)}"
        )
    else:
        status = Status.NOT_YET_DUE
        reason = (
            f"The first measurement is due on {long_date(due)}"
            if due
            else "The indicator is retired and nothing was measured after its baseline"
        )
    return StatusResult(
        status=status,
        label=STATUS_LABELS[status],
        reason=reason + ".",
        latest=latest,
        expected=expected,
        next_due=due,
        overdue_from=overdue_from,
        due_soon=due_soon,
        overdue=overdue,
    )


# ---------------------------------------------------------------- checking a new value

# What each unit can hold: (lowest, highest, whole numbers only). None means no limit.
UNIT_RANGES: dict[str, tuple[Decimal | None, Decimal | None, bool]] = {
    "percent": (Decimal(0), Decimal(100), False),
    "count": (Decimal(0), None, True),
    "rate_per_1000": (Decimal(0), Decimal(1000), False),
    "pounds": (Decimal(0), None, False),
    "minutes": (Decimal(0), None, False),
    "score": (Decimal(1), Decimal(7), False),
    "number": (None, None, False),
}


def value_problem(unit: str, value: Decimal) -> str | None:
    """Why a value cannot be a measurement in this unit, or None if it can."""
    low, high, whole = UNIT_RANGES[unit]
    if whole and value != value.to_integral():
        return "A count must be a whole number"
    if low is not None and value < low:
        return f"Must be at least {number_text(low)} for this unit"
    if high is not None and value > high:
        return f"Must be at most {number_text(high)} for this unit"
    return None


def date_problem(
    facts: IndicatorFacts, measured_on: datetime.date, rules: MonitoringRules, today: datetime.date
) -> str | None:
    """Why a measurement cannot carry this date, or None if it can."""
    if measured_on > today:
        return "The date is in the future: enter a measurement once it has been taken"
    earliest = facts.baseline_date.replace(
        year=facts.baseline_date.year - rules.max_years_before_baseline, day=1
    )
    if measured_on < earliest:
        return (
            f"The date is more than {rules.max_years_before_baseline} years before the "
            f"baseline ({long_date(facts.baseline_date)})"
        )
    return None


def previous_point(
    facts: IndicatorFacts, measurements: Sequence[Point], on: datetime.date
) -> Point:
    """The value a new measurement on `on` follows: the latest earlier one, else the baseline."""
    earlier = [m for m in measurements if m.measured_on < on]
    if earlier:
        return max(earlier, key=lambda m: m.measured_on)
    return Point(facts.baseline_date, facts.baseline_value)


def outlier_reason(
    facts: IndicatorFacts, previous: Point, value: Decimal, rules: MonitoringRules
) -> str | None:
    """A reason to ask for confirmation when a value jumps further from the one before it than
    the rule allows; None when it looks ordinary."""
    limit = rules.outlier_change_share * max(_scale(facts), abs(previous.value))
    if abs(value - previous.value) <= limit:
        return None
    return (
        f"{number_text(value)} is a large change from {number_text(previous.value)} on "
        f"{long_date(previous.measured_on)}: check the figure and the unit, then confirm it"
    )
