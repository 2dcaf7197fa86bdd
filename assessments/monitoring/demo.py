"""Demo data for outcomes monitoring: a Glasgow sports hub in operation with four indicators and
several years of measurements, one on track, one off track, one overdue and one retired after
construction. Dates are counted back from the day the demo is seeded, so the statuses read the
same whenever it is. Idempotent: a project that already exists is left alone."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from assessments.answering import editing
from assessments.models import (
    CapitalProject,
    Council,
    Determinant,
    Indicator,
    LifecycleStage,
    Measurement,
)
from assessments.models.monitoring import MeasurementSource
from assessments.scoring import snapshots as scoring

REFERENCE = "GCC-SH-007"


def _quarter_ends(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    ends: list[datetime.date] = []
    year, quarter = first.year, (first.month - 1) // 3
    while True:
        month = quarter * 3 + 3
        end = datetime.date(year + (month // 12), month % 12 + 1, 1) - datetime.timedelta(days=1)
        if end > last:
            return ends
        if end >= first:
            ends.append(end)
        quarter, year = (0, year + 1) if quarter == 3 else (quarter + 1, year)


Points = list[tuple[datetime.date, Decimal]]


def _visits(det, today: datetime.date, pm) -> tuple[dict, Points]:
    """Quarterly, close to the planned line: on track."""
    start = datetime.date(today.year - 4, 1, 1)
    target_date = datetime.date(today.year + 1, 12, 31)
    span = (target_date - start).days
    wobble = [Decimal("0.6"), Decimal("-0.4"), Decimal("0.9"), Decimal("-0.2")]
    points = [
        (
            day,
            (22 + Decimal(18) * (day - start).days / span + wobble[i % 4]).quantize(Decimal("0.1")),
        )
        for i, day in enumerate(_quarter_ends(start, today - datetime.timedelta(days=20)))
    ]
    spec = {
        "determinant": det["D04"],
        "suggestion_code": "D04-I1",
        "name": "Visits by residents of the most deprived data zones",
        "definition": "Share of recorded visits to the hub made by people whose postcode lies in "
        "the catchment's SIMD quintile 1 data zones, over the quarter.",
        "unit": "percent",
        "good_direction": "higher",
        "data_source": "Glasgow Life booking and membership records",
        "population": "Residents of the catchment's SIMD quintile 1 data zones",
        "baseline_value": Decimal("22"),
        "baseline_date": start,
        "target_value": Decimal("40"),
        "target_date": target_date,
        "frequency": "quarterly",
        "owner": pm,
    }
    return spec, points


def _activity(det, today: datetime.date, pm) -> tuple[dict, Points]:
    """Surveyed once a year, the latest two months ago: measured on time, barely moving."""
    points = [
        (today - datetime.timedelta(days=60 + 365 * years_ago), Decimal(v))
        for years_ago, v in ((2, "48.6"), (1, "49.1"), (0, "49.4"))
    ]
    spec = {
        "determinant": det["D09"],
        "suggestion_code": "D09-I1",
        "name": "Adults meeting physical activity guidance",
        "definition": "Share of surveyed adults in the catchment doing at least 150 minutes of "
        "moderate activity a week.",
        "unit": "percent",
        "good_direction": "higher",
        "data_source": "Glasgow health and wellbeing survey, catchment sample",
        "population": "Adults living in the catchment",
        "baseline_value": Decimal("48"),
        "baseline_date": datetime.date(today.year - 4, 6, 30),
        "target_value": Decimal("56"),
        "target_date": datetime.date(today.year + 1, 6, 30),
        "frequency": "annual",
        "owner": pm,
    }
    return spec, points


def _sessions(det, today: datetime.date, contributor) -> tuple[dict, Points]:
    """Quarterly, ahead of plan, but nothing entered for over half a year: overdue."""
    start = datetime.date(today.year - 4, 1, 1)
    days = _quarter_ends(start, today - datetime.timedelta(days=200))
    spec = {
        "determinant": det["D09"],
        "suggestion_code": "D09-I2",
        "name": "Free sessions taken up by residents of the most deprived data zones",
        "definition": "Number of free or low-cost sessions attended in the quarter by residents "
        "of the catchment's SIMD quintile 1 data zones.",
        "unit": "count",
        "good_direction": "higher",
        "data_source": "Glasgow Life attendance records",
        "population": "Residents of the catchment's SIMD quintile 1 data zones",
        "baseline_value": Decimal("0"),
        "baseline_date": start,
        "target_value": Decimal("3000"),
        "target_date": datetime.date(today.year + 1, 12, 31),
        "frequency": "quarterly",
        "owner": contributor,
    }
    return spec, [(day, Decimal(400 + 210 * i)) for i, day in enumerate(days)]


def _noise(det, today: datetime.date, pm) -> tuple[dict, Points]:
    """Monthly during construction, then retired."""
    points = [
        (datetime.date(today.year - 5 + m // 12, m % 12 + 1, 28), Decimal(max(1, 7 - m // 4)))
        for m in range(1, 24)
    ]
    spec = {
        "determinant": det["D05"],
        "suggestion_code": "D05-I2",
        "name": "Noise complaints about the works",
        "definition": "Complaints about noise, dust or vibration from the construction works "
        "received in the month.",
        "unit": "count",
        "good_direction": "lower",
        "data_source": "Contractor's complaints log and council environmental health",
        "population": "Residents of the streets next to the site",
        "baseline_value": Decimal("6"),
        "baseline_date": datetime.date(today.year - 5, 1, 1),
        "target_value": Decimal("1"),
        "target_date": datetime.date(today.year - 3, 12, 31),
        "frequency": "monthly",
        "owner": pm,
        "active": False,
    }
    return spec, points


@transaction.atomic
def seed_monitoring_demo() -> CapitalProject | None:
    User = get_user_model()
    council = Council.objects.get(code="S12000049")
    if CapitalProject.objects.filter(council=council, reference=REFERENCE).exists():
        return None
    pm = User.objects.get(username="pm.glasgow")
    contributor = User.objects.get(username="contributor.glasgow")
    project = CapitalProject.objects.create(
        council=council,
        reference=REFERENCE,
        title="Dalmarnock community sports hub",
        description="A community sports hub with a pool, sports hall and outdoor pitches, open "
        "since spring, with free sessions for residents of the most deprived data zones.",
        project_type="public_building",
        budget=Decimal("24000000"),
        postcodes=["G40 4DN"],
        current_stage=LifecycleStage.objects.get(code="OPERATION"),
        project_manager=pm,
        senior_responsible_officer=User.objects.get(username="sro.glasgow"),
        created_by=pm,
    )
    assessment = editing.start_assessment(project, project.current_stage, by=pm)
    today = timezone.localdate()
    det = {d.code: d for d in Determinant.objects.all()}
    made = [_visits(det, today, pm), _activity(det, today, pm)]
    made += [_sessions(det, today, contributor), _noise(det, today, pm)]
    for spec, points in made:
        indicator = Indicator.objects.create(project=project, created_by=pm, **spec)
        Measurement.objects.bulk_create(
            Measurement(
                indicator=indicator,
                measured_on=day,
                value=value,
                source=indicator.data_source,
                entered_via=MeasurementSource.DEMO,
                entered_by=indicator.owner,
                assessment=assessment if day >= today - datetime.timedelta(days=180) else None,
            )
            for day, value in points
        )
    scoring.refresh_snapshot(assessment)
    return project
