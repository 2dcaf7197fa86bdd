"""Data exports: the filtered portfolio as CSV and Excel. (Whole-project JSON export and import
live in assessments.dataops.transfer.)"""

from __future__ import annotations

import csv
from collections import defaultdict
from decimal import Decimal
from io import BytesIO

from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from openpyxl import Workbook
from openpyxl.styles import Font

from assessments.enums import RATING_LABELS
from assessments.models import AssessmentFlag
from assessments.portfolio import report, workbook_sheets
from assessments.portfolio.figures import status_label
from assessments.presenters import EQUITY_INDEX_LABEL, EQUITY_INDEX_MEANING, percent_number
from assessments.scoring.flags import FLAG_TITLES

PORTFOLIO_COLUMNS = [
    "Reference",
    "Project",
    "Council",
    "Project type",
    "Budget (£)",
    "City Deal",
    "Current stage",
    "Latest assessment stage",
    "Assessment status",
    "Overall rating",
    EQUITY_INDEX_LABEL,
    "Completeness",
    "Open flags",
    "Open flags (names)",
]
# Spreadsheet programs run cells starting with these as formulas; user text must stay text.
_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def _safe(value):
    if isinstance(value, str) and value.startswith(_FORMULA_PREFIXES):
        return "'" + value
    return value


def _decimal(value, places: str = "0.0001"):
    # SQLite hands subquery decimals back as floats; show them as the stored 4-place decimals.
    return "" if value is None else Decimal(str(value)).quantize(Decimal(places))


def portfolio_rows(projects) -> list[list]:
    projects = list(projects)
    flags = defaultdict(list)
    for assessment_id, code in (
        AssessmentFlag.objects.filter(
            assessment_id__in=[p.latest_id for p in projects if p.latest_id]
        )
        .order_by("code")
        .values_list("assessment_id", "code")
    ):
        flags[assessment_id].append(code)
    return [
        [
            _safe(p.reference),
            _safe(p.title),
            p.council.name,
            p.get_project_type_display(),
            p.budget,
            "yes" if p.city_deal else "no",
            p.current_stage.name,
            p.latest_stage or "",
            status_label(p.latest_status),
            RATING_LABELS.get(p.latest_rating or "", p.latest_rating) if p.latest_id else "",
            "" if p.latest_equity is None else percent_number(p.latest_equity),
            _decimal(p.latest_completeness),
            " ".join(flags.get(p.latest_id, [])),
            "; ".join(f"{code} {FLAG_TITLES.get(code, '')}" for code in flags.get(p.latest_id, [])),
        ]
        for p in projects
    ]


def attachment(response: HttpResponse, filename: str) -> HttpResponse:
    """Send `response` as a download named `filename`; every download's name goes through here.

    File names carry project references, and records saved before references were checked may
    hold a quote or a line break: Django's helper escapes or percent-encodes the name, so it can
    neither end the header early nor add a parameter or a header of its own."""
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def _filename(ext: str) -> str:
    return f"chiia-portfolio-{timezone.localdate():%Y-%m-%d}.{ext}"


def portfolio_csv(projects) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    attachment(response, _filename("csv"))
    response.write("\ufeff")  # so Excel opens UTF-8 (£, names) correctly
    writer = csv.writer(response)
    writer.writerow(PORTFOLIO_COLUMNS)
    writer.writerows(portfolio_rows(projects))
    return response


def portfolio_xlsx(projects, pack) -> HttpResponse:
    """The filtered portfolio as a workbook for the board: a summary sheet first, then every
    project (as in the CSV), the heat map, the flag legend, the trends, the outcome indicators
    and their measurements, and notes. Names are
    written out in full; codes only where they sit beside their names."""
    book = Workbook()
    workbook_sheets.summary_sheet(book.active, pack)
    sheet = book.create_sheet("Portfolio")
    sheet.append(PORTFOLIO_COLUMNS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in portfolio_rows(projects):
        sheet.append(row)
    sheet.freeze_panes = "A2"
    for column, width in zip(
        "ABCDEFGHIJKLMN", (14, 48, 22, 26, 14, 10, 26, 26, 20, 16, 30, 12, 14, 60), strict=False
    ):
        sheet.column_dimensions[column].width = width
    workbook_sheets.heat_map_sheet(book.create_sheet("Heat map"), pack)
    workbook_sheets.flag_sheet(book.create_sheet("Flag legend"), pack)
    workbook_sheets.trend_sheet(book.create_sheet("Trends"), pack)
    # Imported here: indicator_exports builds on this module's _safe and attachment.
    from assessments.portfolio.indicator_exports import add_indicator_sheets

    add_indicator_sheets(book, projects)
    notes = book.create_sheet("Notes")
    notes.append([EQUITY_INDEX_LABEL, EQUITY_INDEX_MEANING])
    notes.column_dimensions["A"].width = 30
    notes.column_dimensions["B"].width = 120
    buffer = BytesIO()
    book.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    return attachment(response, _filename("xlsx"))


def portfolio_pdf(pack, user) -> HttpResponse:
    """The printed portfolio report of the filtered dashboard (tagged PDF/UA-1, through the same
    renderer as the project reports)."""
    from assessments.reports import pdf

    response = HttpResponse(
        pdf.render_pdf("portfolio/report.html", report.report_context(pack, user)),
        content_type="application/pdf",
    )
    return attachment(response, _filename("pdf"))
