"""Outcome indicators and their measurements in the portfolio downloads: an Indicators CSV of
the filtered projects, and Indicators and Measurements sheets in the board's workbook.

User-typed text (names, sources, notes) goes through exports._safe, so a spreadsheet program
never runs it as a formula."""

from __future__ import annotations

import csv
import datetime

from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font

from assessments.models import CapitalProject, Measurement
from assessments.monitoring.queries import indicator_rows
from assessments.portfolio.exports import _decimal, _safe, attachment

INDICATOR_COLUMNS = [
    "Project reference",
    "Project",
    "Council",
    "Determinant",
    "Indicator",
    "Unit",
    "Better when",
    "Baseline",
    "Baseline date",
    "Target",
    "Target date",
    "Frequency",
    "Latest value",
    "Latest date",
    "Status",
    "Why",
    "Next due",
    "Data source",
    "Active",
]
MEASUREMENT_COLUMNS = [
    "Project reference",
    "Project",
    "Indicator",
    "Unit",
    "Measured on",
    "Value",
    "Source",
    "Note",
    "Entered via",
]


def _ids(projects: QuerySet[CapitalProject]) -> QuerySet:
    return projects.order_by().values_list("pk", flat=True)


def indicator_export_rows(projects: QuerySet[CapitalProject], today=None) -> list[list]:
    """One row per indicator (retired ones too, marked), with its latest value and status."""
    rows = []
    for row in indicator_rows(_ids(projects), today=today):
        i, status = row.indicator, row.status
        latest = status.latest
        rows.append(
            [
                _safe(i.project.reference),
                _safe(i.project.title),
                i.project.council.name,
                i.determinant.plain_name or i.determinant.name,
                _safe(i.name),
                i.get_unit_display(),
                i.get_good_direction_display(),
                i.baseline_value,
                i.baseline_date,
                i.target_value,
                i.target_date,
                i.get_frequency_display(),
                "" if latest is None else _decimal(latest.value),
                "" if latest is None else latest.measured_on,
                status.label,
                _safe(status.reason),
                status.next_due or "",
                _safe(i.data_source),
                "yes" if i.active else "no",
            ]
        )
    return rows


def measurement_export_rows(projects: QuerySet[CapitalProject]) -> list[list]:
    """Every measurement of the projects' indicators, oldest first within each indicator."""
    measurements = (
        Measurement.objects.filter(indicator__project__in=_ids(projects))
        .select_related("indicator__project")
        .order_by("indicator__project__title", "indicator__name", "indicator_id", "measured_on")
    )
    return [
        [
            _safe(m.indicator.project.reference),
            _safe(m.indicator.project.title),
            _safe(m.indicator.name),
            m.indicator.get_unit_display(),
            m.measured_on,
            m.value,
            _safe(m.source),
            _safe(m.note),
            m.get_entered_via_display(),
        ]
        for m in measurements
    ]


def indicators_csv(projects: QuerySet[CapitalProject]) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    attachment(response, f"chiia-indicators-{timezone.localdate():%Y-%m-%d}.csv")
    response.write("\ufeff")  # so Excel opens UTF-8 correctly
    writer = csv.writer(response)
    writer.writerow(INDICATOR_COLUMNS)
    writer.writerows(indicator_export_rows(projects))
    return response


def add_indicator_sheets(book: Workbook, projects: QuerySet[CapitalProject]) -> None:
    for title, columns, rows in (
        ("Indicators", INDICATOR_COLUMNS, indicator_export_rows(projects)),
        ("Measurements", MEASUREMENT_COLUMNS, measurement_export_rows(projects)),
    ):
        sheet = book.create_sheet(title)
        sheet.append(columns)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append(row)
        sheet.freeze_panes = "A2"
        for cell in sheet[1]:
            sheet.column_dimensions[cell.column_letter].width = 16
        for cell in sheet[1][:5]:
            if cell.value in ("Project", "Indicator"):
                sheet.column_dimensions[cell.column_letter].width = 40
        for column in sheet.iter_cols(min_row=2):
            for cell in column:
                if isinstance(cell.value, datetime.date):
                    cell.number_format = "yyyy-mm-dd"
