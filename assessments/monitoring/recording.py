"""Writes of outcomes monitoring: defining and editing indicators, entering one measurement.

A measurement is checked by the pure rules (scoring.monitoring) before anything is written: a
value impossible for its unit or an impossible date is refused with a reason by the field, a
second value for the same date is refused, and an unusual jump is written only once the person
has confirmed it. The CSV import (csv_import.py) uses the same checks row by row.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone

from assessments.enums import FROZEN_STATUSES, AssessmentStatus
from assessments.models import Indicator, Measurement, StageAssessment
from assessments.models.monitoring import MeasurementSource
from assessments.monitoring import queries
from assessments.scoring import monitoring as rules
from assessments.scoring import snapshots as scoring
from assessments.scoring.schema import MonitoringRules


def refresh_monitoring_flag(project_ids) -> int:
    """Re-score the open stages of these projects at the stages where the overdue monitoring
    flag (F9) is raised, so it appears or clears with the measurements. Returns how many."""
    stages = (
        StageAssessment.objects.filter(
            project_id__in=project_ids, stage__code__in=queries.monitoring_rules().flag_stages
        )
        .exclude(status__in=FROZEN_STATUSES)
        .select_related("stage", "project")
    )
    count = 0
    for assessment in stages:
        scoring.refresh_snapshot(assessment)
        count += 1
    return count


class StaleIndicator(Exception):
    """The indicator was changed by someone else after the form was opened."""


class MeasurementRefused(Exception):
    """A measurement that cannot be written; `errors` maps a field name to its reason."""

    def __init__(self, errors: dict[str, str], *, outlier: str | None = None):
        super().__init__("; ".join(errors.values()))
        self.errors = errors
        self.outlier = outlier  # set when confirming the value would let it through


@dataclass(frozen=True)
class MeasurementInput:
    measured_on: datetime.date
    value: Decimal
    source: str = ""
    note: str = ""
    outlier_confirmed: bool = False


def live_assessment(project_id: int, stage_id: int) -> StageAssessment | None:
    return (
        StageAssessment.objects.filter(project_id=project_id, stage_id=stage_id)
        .exclude(status=AssessmentStatus.SUPERSEDED)
        .first()
    )


@transaction.atomic
def save_indicator(indicator: Indicator, *, opened_version: int, by, links=None) -> Indicator:
    """Create or update an indicator. An update carrying an older lock_version than the stored
    one is refused (StaleIndicator) so a stale form never overwrites someone else's change.
    links: optional {"answers": [...], "actions": [...], "population_groups": [...]}."""
    if indicator.pk:
        stored = Indicator.objects.select_for_update().get(pk=indicator.pk)
        if stored.lock_version != opened_version:
            raise StaleIndicator(
                "Someone else changed this indicator after you opened it. Their version is "
                "shown below; make your changes again on it."
            )
        indicator.lock_version = stored.lock_version + 1
    else:
        indicator.created_by = by
    indicator.full_clean(exclude=["answers", "actions", "population_groups"])
    indicator.save()
    for name, values in (links or {}).items():
        getattr(indicator, name).set(values)
    return indicator


def measurement_problems(
    indicator: Indicator,
    entry: MeasurementInput,
    *,
    duplicate: bool,
    previous: rules.Point | None,
    monitoring: MonitoringRules,
    today: datetime.date,
) -> tuple[dict[str, str], str | None]:
    """(reasons by field, outlier reason) for a new value. `duplicate`: a value for that date
    exists; `previous`: the latest value before that date (None: compare with the baseline).
    The outlier reason only counts as a problem while the entry is not confirmed."""
    facts = queries.facts_of(indicator)
    errors: dict[str, str] = {}
    if problem := rules.value_problem(indicator.unit, entry.value):
        errors["value"] = f"{problem} ({indicator.get_unit_display()})"
    if problem := rules.date_problem(facts, entry.measured_on, monitoring, today):
        errors["measured_on"] = problem
    elif duplicate:
        errors["measured_on"] = (
            f"There is already a measurement for {rules.long_date(entry.measured_on)}"
        )
    outlier = None
    if "value" not in errors and "measured_on" not in errors:
        before = previous or rules.Point(facts.baseline_date, facts.baseline_value)
        outlier = rules.outlier_reason(facts, before, entry.value, monitoring)
    return errors, outlier


@transaction.atomic
def add_measurement(
    indicator: Indicator,
    entry: MeasurementInput,
    *,
    by,
    via: str = MeasurementSource.FORM,
    today: datetime.date | None = None,
) -> Measurement:
    """Write one measurement, or raise MeasurementRefused with the reasons by field. The
    indicator row is locked so two people entering values at once are checked in turn."""
    today = today or timezone.localdate()
    locked = (
        Indicator.objects.select_for_update(of=("self",))
        .select_related("project")
        .get(pk=indicator.pk)
    )
    points = queries.points_of(locked.measurements.all())
    earlier = [p for p in points if p.measured_on < entry.measured_on]
    errors, outlier = measurement_problems(
        locked,
        entry,
        duplicate=any(p.measured_on == entry.measured_on for p in points),
        previous=max(earlier, key=lambda p: p.measured_on) if earlier else None,
        monitoring=queries.monitoring_rules(),
        today=today,
    )
    if outlier and not entry.outlier_confirmed:
        errors.setdefault("value", outlier)
    if errors:
        raise MeasurementRefused(errors, outlier=outlier)
    try:
        with transaction.atomic():
            measurement = Measurement.objects.create(
                indicator=locked,
                measured_on=entry.measured_on,
                value=entry.value,
                source=entry.source,
                note=entry.note,
                outlier_confirmed=bool(outlier),
                entered_via=via,
                assessment=live_assessment(locked.project_id, locked.project.current_stage_id),
                entered_by=by,
            )
    except IntegrityError:
        raise MeasurementRefused(
            {"measured_on": "A measurement for this date was entered meanwhile"}
        ) from None
    refresh_monitoring_flag([locked.project_id])
    return measurement


@transaction.atomic
def remove_measurement(measurement: Measurement) -> None:
    """Remove a value entered by mistake. The caller has checked can_change_measurement; the
    stage is read again under lock so a sign-off that just happened still freezes it."""
    locked = (
        Measurement.objects.select_for_update(of=("self",))
        .select_related("assessment")
        .get(pk=measurement.pk)
    )
    if locked.assessment is not None and locked.assessment.is_frozen:
        raise MeasurementRefused({"measured_on": "The stage it belongs to has been signed off"})
    locked.delete()
    refresh_monitoring_flag([measurement.indicator.project_id])
