"""The board's sheets of the portfolio workbook: summary, heat map, flag legend and trends.
Everything comes precomputed in a board.BoardPack; these functions only lay it out."""

from __future__ import annotations

from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.worksheet import Worksheet

from assessments.presenters import EQUITY_INDEX_LABEL, percent_number
from assessments.scoring.flags import FLAG_TITLES

BOLD = Font(bold=True)
TITLE = Font(bold=True, size=14)
# Heat map shading, lightest to darkest, as on the dashboard (level 0 to 4).
HEAT_FILLS = ("FFFFFF", "FBE3D6", "F4B183", "E07B53", "B3261E")


def _heading(sheet: Worksheet, row: list) -> None:
    sheet.append(row)
    for cell in sheet[sheet.max_row]:
        cell.font = BOLD


def _gap(sheet: Worksheet, title: str) -> None:
    sheet.append([])
    sheet.append([title])
    sheet.cell(sheet.max_row, 1).font = Font(bold=True, size=12)


def summary_sheet(sheet: Worksheet, pack) -> None:
    sheet.title = "Summary"
    sheet.append(["CHIIA portfolio report – Glasgow City Region"])
    sheet["A1"].font = TITLE
    sheet.append(["Generated", pack.generated_at.strftime("%d %B %Y %H:%M UTC")])
    sheet.append(
        ["Filters", "; ".join(f"{k}: {v}" for k, v in pack.filters) or "None: every project"]
    )
    headline = pack.headline
    _gap(sheet, "Headline figures")
    sheet.append(["Projects", headline.projects])
    sheet.append(["Capital budget (£)", headline.budget])
    sheet.append(["Stage assessments signed off", headline.stages_signed_off])
    sheet.append(["Stage assessments pending", headline.stages_pending])
    sheet.append(["Projects with overdue actions (F8 Overdue action)", headline.overdue_projects])
    _gap(sheet, "Projects and budget by overall rating")
    _heading(sheet, ["Overall rating", "Projects", "Budget (£)"])
    for row in headline.by_rating:
        sheet.append([row["label"], row["projects"], row["budget"]])
    _gap(sheet, "Ratings by council (latest assessment of each project)")
    _heading(sheet, ["Council", *pack.rating_columns, "Projects"])
    for row in pack.by_council:
        sheet.append([row["council"].name, *row["counts"], row["projects"]])
    _gap(sheet, "Equity index by council")
    _heading(sheet, ["Council", "Projects", "Scored", f"{EQUITY_INDEX_LABEL}, council mean"])
    for row in pack.equity:
        sheet.append(
            [row["council"].name, row["projects"], row["scored"], percent_number(row["mean"])]
        )
    _gap(sheet, "Projects needing attention (red, or with overdue actions; largest budget first)")
    _heading(sheet, ["Reference", "Project", "Council", "Budget (£)", "Why"])
    for project in pack.attention:
        sheet.append(
            [
                _text(project.reference),
                _text(project.title),
                project.council.name,
                project.budget,
                project.attention_reasons,
            ]
        )
    for column, width in zip("ABCDEF", (48, 18, 18, 18, 30, 24), strict=True):
        sheet.column_dimensions[column].width = width


def _text(value: str) -> str:
    # User text that a spreadsheet would run as a formula stays text (as in the Portfolio sheet).
    return "'" + value if value.startswith(("=", "+", "-", "@", "\t", "\r")) else value


def heat_map_sheet(sheet: Worksheet, pack) -> None:
    heat = pack.heat_map
    sheet.append(
        ["Projects whose latest assessment rates the harm on each determinant red or amber"]
    )
    sheet["A1"].font = BOLD
    _heading(sheet, ["Determinant", *(c.name for c in heat.councils)])
    for determinant, cells in heat.rows:
        sheet.append(
            [determinant.plain_name or determinant.name]
            + [f"{c.red} red, {c.amber} amber" if c.harmed else "none" for c in cells]
        )
        for cell, heat_cell in zip(sheet[sheet.max_row][1:], cells, strict=True):
            cell.fill = PatternFill("solid", fgColor=HEAT_FILLS[heat_cell.level])
            if heat_cell.level >= 3:
                cell.font = Font(color="FFFFFF")
            cell.alignment = Alignment(horizontal="center")
    sheet.column_dimensions["A"].width = 44
    for column in range(2, len(heat.councils) + 2):
        sheet.column_dimensions[sheet.cell(2, column).column_letter].width = 22
    sheet.freeze_panes = "B3"


def flag_sheet(sheet: Worksheet, pack) -> None:
    _heading(sheet, ["Code", "Flag", "What it means", "Projects with it open"])
    for row in pack.flags:
        sheet.append([row["code"], row["title"], row["meaning"], row["projects"]])
    for column, width in zip("ABCD", (8, 30, 90, 20), strict=True):
        sheet.column_dimensions[column].width = width


def trend_sheet(sheet: Worksheet, pack) -> None:
    trends = pack.trends
    sheet.append(["Stage assessments signed off each quarter, by overall rating at sign-off"])
    sheet["A1"].font = BOLD
    _heading(sheet, ["Quarter", *(label for _r, label in trends.rating_labels), "Signed off"])
    for row in trends.rows:
        sheet.append([row.label, *row.ratings, row.signed_off])
    _gap(sheet, "Flags open at sign-off, by quarter")
    _heading(
        sheet, ["Quarter", *(f"{code} {FLAG_TITLES[code]}" for code, _t in trends.flag_legend)]
    )
    for row in trends.rows:
        sheet.append([row.label, *row.flags])
    sheet.column_dimensions["A"].width = 14
    for column in "BCDEFGHI":
        sheet.column_dimensions[column].width = 22
