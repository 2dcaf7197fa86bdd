"""The dashboard's benefits-realisation page: indicators by status per council and determinant,
the projects in use whose monitoring is overdue, the same viewers and filters as the
dashboard, and a fixed number of queries whatever the portfolio size."""

import csv
import datetime
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from assessments.enums import Role
from assessments.models import Determinant, DownloadRecord
from tests.factories import make_indicator, make_measurement, make_project, make_user

pytestmark = pytest.mark.django_db

URL = "/dashboard/benefits/"


@pytest.fixture
def pmo(reference):
    return make_user(role=Role.PMO_VIEWER)


def _days_ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


def _on_track(project, **fields):
    """Measured a month ago well above the line from baseline to target."""
    indicator = make_indicator(project, **fields)
    make_measurement(indicator, _days_ago(30), 29)
    return indicator


def _off_track(project, **fields):
    indicator = make_indicator(project, **fields)
    make_measurement(indicator, _days_ago(30), 10)
    return indicator


def _overdue(project, **fields):
    """Baseline two years ago, quarterly, nothing measured since."""
    return make_indicator(project, baseline_date=_days_ago(730), **fields)


def _not_yet_due(project, **fields):
    return make_indicator(project, baseline_date=_days_ago(10), **fields)


def _cells(page: str, heading: str) -> str:
    """The HTML of the table row whose heading cell reads `heading`."""
    start = page.index(f'<th scope="row">{heading}</th>')
    return page[start : page.index("</tr>", start)]


def _counts(row_html: str) -> list[str]:
    return [cell.split("</td>")[0] for cell in row_html.split('<td class="text-end">')[1:]]


def test_counts_by_council_and_determinant_with_words_not_colour(
    client_for, glasgow, renfrewshire, pmo
):
    school = make_project(council=glasgow, title="Glasgow school")
    depot = make_project(council=renfrewshire, title="Paisley depot")
    _on_track(school)
    _off_track(school, determinant=Determinant.objects.get(code="D05"))
    _overdue(depot)
    _not_yet_due(depot)
    make_indicator(depot, active=False)  # retired: left out

    page = client_for(pmo).get(URL).content.decode()
    assert "4 indicators: 1 on track, 1 off track, 1 measurement overdue" in page
    for label in ("On track", "Off track", "Measurement overdue", "No measurement due yet"):
        assert f'<th scope="col" class="text-end">{label}</th>' in page
    # Columns: on track, off track, overdue, not yet due, total.
    assert _counts(_cells(page, "Glasgow City")) == ["1", "1", "0", "0", "2"]
    assert _counts(_cells(page, "Renfrewshire")) == ["0", "0", "1", "1", "2"]
    d01 = Determinant.objects.get(code="D01")
    assert _counts(_cells(page, d01.plain_name or d01.name)) == ["1", "0", "1", "1", "3"]


def test_projects_in_use_with_overdue_monitoring_are_listed(client_for, glasgow, pmo):
    in_use = make_project(council=glasgow, title="Riverside pool", stage_code="OPERATION")
    _overdue(in_use)
    _on_track(in_use, name="Visits by residents")
    evaluated = make_project(council=glasgow, title="Old library", stage_code="EVALUATION")
    _on_track(evaluated)
    # Overdue, but still being designed: the list is about projects in use.
    _overdue(make_project(council=glasgow, title="Planned hub", stage_code="OBC"))

    page = client_for(pmo).get(URL).content.decode()
    overdue = page[page.index("Projects in use with monitoring overdue") :]
    assert "Riverside pool" in overdue and "Handover and operation" in overdue
    assert "Old library" not in overdue and "Planned hub" not in overdue


def test_same_viewers_and_council_limits_as_the_dashboard(client_for, glasgow, renfrewshire, pmo):
    _overdue(make_project(council=glasgow, title="Glasgow pool", stage_code="OPERATION"))
    _overdue(make_project(council=renfrewshire, title="Paisley pool", stage_code="OPERATION"))

    admin = make_user(council=renfrewshire, role=Role.COUNCIL_ADMIN)
    page = client_for(admin).get(URL).content.decode()
    assert "Paisley pool" in page and "Glasgow pool" not in page
    assert '<th scope="row">Glasgow City</th>' not in page

    page = client_for(pmo).get(URL, {"council": glasgow.pk}).content.decode()
    assert "Glasgow pool" in page and "Paisley pool" not in page

    pm = make_user(council=glasgow, role=Role.PROJECT_MANAGER)
    assert client_for(pm).get(URL).status_code == 403


def test_dashboard_links_to_the_benefits_page_with_its_filters(client_for, glasgow, pmo):
    page = client_for(pmo).get("/dashboard/", {"council": glasgow.pk}).content.decode()
    assert f'href="/dashboard/benefits/?council={glasgow.pk}"' in page


def test_no_indicators_says_so(client_for, glasgow, pmo):
    make_project(council=glasgow)
    page = client_for(pmo).get(URL).content.decode()
    assert "None of these projects has an active outcome indicator yet." in page


def _portfolio(glasgow, renfrewshire, size: int) -> None:
    for n in range(size):
        project = make_project(
            council=glasgow if n % 2 else renfrewshire,
            stage_code="OPERATION" if n % 3 else "DELIVERY",
        )
        _overdue(project)
        _on_track(project, determinant=Determinant.objects.get(code="D03"))


@pytest.mark.parametrize("size", [2, 12])
def test_queries_do_not_grow_with_the_portfolio(
    client_for, glasgow, renfrewshire, pmo, size, django_assert_num_queries
):
    _portfolio(glasgow, renfrewshire, size)
    client = client_for(pmo)
    client.get(URL)  # session and user caches warm
    # The same seven for 2 and for 12 projects: session and user, the viewer's councils, the
    # filter's choices, and the rule set, the indicators with their latest measurement, stages.
    with django_assert_num_queries(7):
        response = client.get(URL)
    assert response.context["benefits"].totals.total == 2 * size
    assert response.context["benefits"].totals.counts[0] == size  # on track


# ------------------------------------------------------------------ downloads


def test_indicators_csv_lists_the_councils_indicators_as_text_not_formulas(
    client_for, glasgow, renfrewshire
):
    school = make_project(council=glasgow, title="Glasgow school")
    _off_track(school, name="=HYPERLINK(1)", data_source="+evil")
    _overdue(make_project(council=renfrewshire, title="Paisley depot"))
    admin = make_user(council=glasgow, role=Role.COUNCIL_ADMIN)

    response = client_for(admin).get("/dashboard/indicators.csv")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:5] == ["Project reference", "Project", "Council", "Determinant", "Indicator"]
    assert len(rows) == 2  # the Renfrewshire project is not this administrator's
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["Project"] == "Glasgow school" and row["Indicator"] == "'=HYPERLINK(1)"
    assert row["Data source"] == "'+evil"
    assert row["Status"] == "Off track" and row["Latest value"] == "10.0000"
    assert DownloadRecord.objects.filter(user=admin, kind__startswith="Indicators export").exists()


def test_workbook_has_indicators_and_every_measurement(client_for, glasgow, pmo):
    indicator = _on_track(make_project(council=glasgow, title="Glasgow school"))
    make_measurement(indicator, _days_ago(120), 20, note="-from the site diary")

    response = client_for(pmo).get("/dashboard/export.xlsx")
    book = load_workbook(io.BytesIO(response.content))
    indicators = list(book["Indicators"].iter_rows(values_only=True))
    assert indicators[1][1] == "Glasgow school" and "On track" in indicators[1]
    measurements = list(book["Measurements"].iter_rows(values_only=True))
    header = measurements[0]
    values = [row[header.index("Value")] for row in measurements[1:]]
    assert values == [20, 29]  # oldest first
    assert measurements[1][header.index("Note")] == "'-from the site diary"
