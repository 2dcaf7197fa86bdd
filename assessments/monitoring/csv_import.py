"""Measurements in bulk from a CSV file: the template to fill in, and the import.

The import reads the whole file and checks every row as the form checks one entry (the
indicator belongs to this project, the unit is the indicator's, the date exists and is
possible, the value fits the unit, no second value for a date, unusual jumps confirmed). If any
row has a problem nothing is written and the report lists every row's problems by line number;
otherwise all rows are written in one transaction.
"""

from __future__ import annotations

import bisect
import csv
import datetime
import io
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils import timezone

from assessments.models import CapitalProject, Indicator, Measurement
from assessments.models.monitoring import MeasurementSource
from assessments.monitoring import queries
from assessments.monitoring.recording import (
    MeasurementInput,
    live_assessment,
    measurement_problems,
    refresh_monitoring_flag,
)
from assessments.scoring import monitoring as rules

COLUMNS = ["indicator_id", "indicator", "unit", "date", "value", "source", "note", "confirm"]
# A file of this size holds far more rows than any project measures in years; a larger one is
# the wrong file, and reading it would tie up the server.
MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000
YES = {"yes", "y", "true", "1"}


@dataclass
class RowReport:
    line: int  # the line in the file, counting the header as line 1
    problems: list[str]


@dataclass
class ImportReport:
    rows_read: int = 0
    written: int = 0
    file_problem: str = ""
    rows: list[RowReport] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.file_problem and not self.rows

    @property
    def problem_count(self) -> int:
        return sum(len(r.problems) for r in self.rows)


def template_csv(project: CapitalProject) -> str:
    """A header and one example line per active indicator, with its id, name and unit."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for indicator in project.indicators.filter(active=True).order_by("determinant__order", "name"):
        writer.writerow([indicator.pk, indicator.name, indicator.unit, "", "", "", "", ""])
    return out.getvalue()


def _date(text: str) -> datetime.date:
    """ISO dates (2026-03-31) or the day-first dates spreadsheets write in Britain (31/03/2026)."""
    text = text.strip()
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"“{text}” is not a date: write it as 2026-03-31 or 31/03/2026")


def _value(text: str) -> Decimal:
    cleaned = text.strip().removesuffix("%").strip()
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(f"“{text.strip()}” is not a number") from None
    if not value.is_finite():
        raise ValueError(f"“{text.strip()}” is not a number")
    return value


def _read_rows(raw: bytes, report: ImportReport) -> list[dict[str, str]] | None:
    if len(raw) > MAX_BYTES:
        report.file_problem = f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB."
        return None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        report.file_problem = (
            "The file is not UTF-8 text: save it from your spreadsheet as CSV UTF-8."
        )
        return None
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    missing = [c for c in ("indicator_id", "unit", "date", "value") if c not in header]
    if missing:
        report.file_problem = (
            "The first line must name the columns of the template; missing: " + ", ".join(missing)
        )
        return None
    reader.fieldnames = header
    rows: list[dict[str, str]] = []
    for row in reader:
        if len(rows) >= MAX_ROWS:
            report.file_problem = f"The file has more than {MAX_ROWS:,} rows: split it."
            return None
        rows.append({k: (v or "") for k, v in row.items() if k})
    if not rows:
        report.file_problem = "The file has no rows under its header."
    return rows


@dataclass
class _Checked:
    indicator: Indicator
    entry: MeasurementInput


class _PointIndex:
    """Every indicator's measured points (stored, then accepted rows of the file) sorted by
    date, so the duplicate and previous-value checks cost a binary search per row."""

    def __init__(self, stored: dict[int, list[rules.Point]]):
        self.points = {pk: sorted(p, key=lambda p: p.measured_on) for pk, p in stored.items()}
        self.dates = {pk: [p.measured_on for p in ps] for pk, ps in self.points.items()}

    def lookup(self, pk: int, on: datetime.date) -> tuple[bool, rules.Point | None]:
        """(a value exists on that date, the latest value before it)."""
        at = bisect.bisect_left(self.dates[pk], on)
        duplicate = at < len(self.dates[pk]) and self.dates[pk][at] == on
        return duplicate, self.points[pk][at - 1] if at else None

    def add(self, pk: int, point: rules.Point) -> None:
        at = bisect.bisect_left(self.dates[pk], point.measured_on)
        self.dates[pk].insert(at, point.measured_on)
        self.points[pk].insert(at, point)


def _check_row(row, indicators, index, monitoring, today) -> tuple[list[str], _Checked | None]:
    problems: list[str] = []
    try:
        indicator = indicators[int(row.get("indicator_id", "").strip())]
    except (ValueError, KeyError):
        return [f"No indicator of this project has the id “{row.get('indicator_id', '')}”"], None
    unit = row.get("unit", "").strip().lower()
    if unit not in {indicator.unit, indicator.get_unit_display().lower()}:
        problems.append(
            f"The unit “{row.get('unit', '').strip()}” is not this indicator's unit "
            f"({indicator.unit}: {indicator.get_unit_display()})"
        )
    try:
        measured_on = _date(row.get("date", ""))
        value = _value(row.get("value", ""))
    except ValueError as exc:
        return [*problems, str(exc)], None
    entry = MeasurementInput(
        measured_on=measured_on,
        value=value,
        source=row.get("source", "").strip()[:300],
        note=row.get("note", "").strip()[:2000],
        outlier_confirmed=row.get("confirm", "").strip().lower() in YES,
    )
    duplicate, previous = index.lookup(indicator.pk, measured_on)
    errors, outlier = measurement_problems(
        indicator, entry, duplicate=duplicate, previous=previous, monitoring=monitoring, today=today
    )
    problems += list(errors.values())
    if outlier and not entry.outlier_confirmed:
        problems.append(f"{outlier} (write yes in the confirm column)")
    if problems:
        return problems, None
    index.add(indicator.pk, rules.Point(measured_on, value))
    return [], _Checked(indicator, entry)


def import_measurements(
    project: CapitalProject, raw: bytes, *, by, today: datetime.date | None = None
) -> ImportReport:
    """Check every row; write all of them in one transaction only if none has a problem."""
    today = today or timezone.localdate()
    report = ImportReport()
    rows = _read_rows(raw, report)
    if rows is None:
        return report
    report.rows_read = len(rows)
    with transaction.atomic():
        indicators = {
            i.pk: i
            for i in Indicator.objects.select_for_update(of=("self",))
            .filter(project=project, active=True)
            .select_related("project")
        }
        stored: dict[int, list[rules.Point]] = defaultdict(list)
        for m in Measurement.objects.filter(indicator__in=list(indicators)).only(
            "indicator_id", "measured_on", "value"
        ):
            stored[m.indicator_id].append(rules.Point(m.measured_on, m.value))
        index = _PointIndex({pk: stored[pk] for pk in indicators})
        monitoring = queries.monitoring_rules()
        checked = []
        for line, row in enumerate(rows, start=2):
            problems, ok = _check_row(row, indicators, index, monitoring, today)
            if problems:
                report.rows.append(RowReport(line, problems))
            elif ok:
                checked.append(ok)
        if not report.ok:
            return report
        assessment = live_assessment(project.pk, project.current_stage_id)
        try:
            with transaction.atomic():
                Measurement.objects.bulk_create(
                    Measurement(
                        indicator=c.indicator,
                        measured_on=c.entry.measured_on,
                        value=c.entry.value,
                        source=c.entry.source,
                        note=c.entry.note,
                        outlier_confirmed=c.entry.outlier_confirmed,
                        entered_via=MeasurementSource.CSV,
                        assessment=assessment,
                        entered_by=by,
                    )
                    for c in checked
                )
        except IntegrityError:
            report.file_problem = "Someone entered a measurement for one of these dates meanwhile."
            transaction.set_rollback(True)
            return report
        refresh_monitoring_flag([project.pk])
    report.written = len(checked)
    return report
