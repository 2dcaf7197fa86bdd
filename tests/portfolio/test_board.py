"""The board's view of the portfolio: the printed portfolio report, the workbook, trends by
quarter, the map of the region, and that none of them costs more queries as the portfolio grows."""

import io
import re

import pikepdf
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook
from pypdf import PdfReader

from assessments.dataops.scale import seed_scale
from assessments.enums import AssessmentStatus, Role
from assessments.models import CapitalProject, StageAssessment
from assessments.portfolio import cache as portfolio_cache
from assessments.portfolio.report import report_context
from assessments.reports.pdf import render_html
from tests.factories import (
    add_harm,
    answer_everything,
    loaded_place_data,
    make_assessment,
    make_user,
    sign_off,
    unload_place_data,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def pmo(reference):
    return make_user(role=Role.PMO_VIEWER)


@pytest.fixture
def portfolio(glasgow, renfrewshire):
    """A red project in Glasgow (signed off, in a data zone) and a green one in Renfrewshire
    (placed by postcode only)."""
    depot = make_assessment(council=glasgow, title="Harmful depot", budget=9000000)
    answer_everything(depot)
    add_harm(depot, likelihood=4, severity=3)
    depot.refresh_from_db()
    sign_off(depot)
    CapitalProject.objects.filter(pk=depot.project_id).update(data_zones=["S01010046"])
    library = make_assessment(council=renfrewshire, title="Quiet library")
    answer_everything(library)
    CapitalProject.objects.filter(pk=library.project_id).update(postcodes=["PA3 1AH"])
    return depot, library


def report_html(pack, user) -> str:
    return render_html("portfolio/report.html", report_context(pack, user))


def _text(pdf: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def _tags(pdf: bytes) -> list:
    """Every structure element of the PDF's tag tree."""
    found = []
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        stack = [doc.Root.StructTreeRoot]
        while stack:
            node = stack.pop()
            kids = node.get("/K")
            if kids is None:
                continue
            for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
                if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                    attributes = kid.get("/A")
                    scope = str(attributes.get("/Scope", "")) if attributes is not None else ""
                    found.append((str(kid.S), str(kid.get("/Alt", "")), scope))
                    stack.append(kid)
    return found


def test_the_portfolio_report_is_a_tagged_pdf_of_the_filtered_dashboard(
    client_for, pmo, portfolio, glasgow
):
    depot, _library = portfolio
    assert depot.project.assessments.get().overall_rating == "red"
    response = client_for(pmo).get(f"/dashboard/export.pdf?council={glasgow.pk}")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].endswith('.pdf"')
    text = _text(response.content)
    for words in (
        "Headline figures",
        "Ratings by council",
        "Where harms concentrate",
        "Equity index by council",
        "Mitigation required",  # the flag legend names the flags
        "Trends over time",
        "Where the projects are",
        "Projects needing attention",
        "Harmful depot",
        "Council Glasgow City",  # the filter chosen
    ):
        assert words in text, words
    assert "Quiet library" not in text  # filtered out

    tags = _tags(response.content)
    assert [t for t in tags if t[0] == "/H1"] == [("/H1", "", "")]
    assert [t for t in tags if t[0] == "/TH"]  # tables are tagged with their header cells
    figures = [alt for kind, alt, _ in tags if kind == "/Figure"]
    # The trend chart; the map is drawn only when the place data is loaded (not here).
    assert len(figures) == 1 and "signed off each quarter" in figures[0]


def test_every_header_cell_of_the_portfolio_report_has_a_scope(client_for, pmo, portfolio):
    response = client_for(pmo).get("/dashboard/")
    html = report_html(response.context["board"], pmo)
    cells = re.findall(r"<th\b[^>]*>", html)
    assert len(cells) > 50
    assert all(re.search(r'scope="(col|row)"', cell) for cell in cells), cells


def test_the_workbook_has_a_summary_heat_map_flag_legend_and_full_names(
    client_for, pmo, portfolio, glasgow
):
    response = client_for(pmo).get(f"/dashboard/export.xlsx?council={glasgow.pk}")
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == [
        "Summary",
        "Portfolio",
        "Heat map",
        "Flag legend",
        "Trends",
        "Indicators",
        "Measurements",
        "Notes",
    ]
    assert book.active.title == "Summary"
    summary = [row for row in book["Summary"].iter_rows(values_only=True) if any(row)]
    assert ("Filters", "Council: Glasgow City") in [row[:2] for row in summary]
    assert ("Projects", 1) in [row[:2] for row in summary]
    assert any(row[1] == "Harmful depot" for row in summary)  # needing attention

    portfolio_rows = list(book["Portfolio"].iter_rows(values_only=True))
    names = portfolio_rows[1][portfolio_rows[0].index("Open flags (names)")]
    assert "F2 Mitigation required" in names

    heat = list(book["Heat map"].iter_rows(values_only=True))
    assert "Glasgow City" in heat[1]  # councils by name, not code
    determinants = [row[0] for row in heat[2:]]
    assert "Clean air, quiet and a pleasant neighbourhood" in determinants
    assert not any(str(name).startswith("D0") for name in determinants)
    legend = list(book["Flag legend"].iter_rows(values_only=True))
    assert legend[0] == ("Code", "Flag", "What it means", "Projects with it open")
    assert len(legend) == 10 and legend[2][:2] == ("F2", "Mitigation required")


def test_trends_count_sign_offs_by_quarter_with_their_rating_and_flags(client_for, pmo, portfolio):
    board = client_for(pmo).get("/dashboard/").context["board"]
    this_quarter = board.trends.rows[-1]
    assert this_quarter.signed_off == 1
    assert this_quarter.ratings[0] == 1  # red
    codes = [code for code, _ in board.trends.flag_legend]
    assert this_quarter.flags[codes.index("F2")] == 1
    assert all(row.signed_off == 0 for row in board.trends.rows[:-1])
    page = client_for(pmo).get("/dashboard/").content.decode()
    assert 'aria-labelledby="trend-chart-title trend-chart-desc"' in page
    assert "Stage assessments signed off each quarter, by overall rating" in page


def test_the_map_places_projects_by_data_zone_or_postcode(client_for, pmo, portfolio):
    loaded_place_data()
    try:
        board = client_for(pmo).get("/dashboard/").context["board"]
    finally:
        unload_place_data()
    region = board.region_map
    assert region.svg.startswith("<svg") and region.svg.count("</circle>") == 2
    assert "#b3261e" in region.svg  # the red project's point
    by_council = {row["council"].name: row["counts"] for row in region.councils}
    assert by_council["Glasgow City"][0] == 1  # red
    assert sum(by_council["Renfrewshire"]) == 1  # placed through its postcode
    assert region.unplaced == 0


def test_filter_choices_are_shown_in_full_and_in_words(client_for, pmo, portfolio, glasgow):
    page = client_for(pmo).get(f"/dashboard/?council={glasgow.pk}&rating=red").content.decode()
    assert 'class="portfolio-filters board-filters' in page
    assert "council is <strong>Glasgow City</strong>" in page
    assert "overall rating is <strong>Red</strong>" in page


def test_an_unknown_download_format_is_not_found(client_for, pmo):
    assert client_for(pmo).get("/dashboard/export.json").status_code == 404


def _count(client, url) -> int:
    portfolio_cache.forget()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


URLS = [
    "/dashboard/",
    "/dashboard/?city_deal=false&sort=-rating",
    "/dashboard/export.pdf",
    "/dashboard/export.xlsx",
    "/dashboard/export.csv",
]


def test_dashboard_trends_map_and_exports_cost_the_same_queries_at_any_size(
    client_for, pmo, django_assert_num_queries
):
    client = client_for(pmo)
    seed_scale(4)
    StageAssessment.objects.update(status=AssessmentStatus.SIGNED_OFF)
    client.get("/dashboard/")  # the first page after sign-in also stores the CSRF secret
    small = {url: _count(client, url) for url in URLS}
    seed_scale(26)
    CapitalProject.objects.update(data_zones=["S01010046"])
    assert CapitalProject.objects.count() == 30
    for url in URLS:
        portfolio_cache.forget()
        with django_assert_num_queries(small[url]):
            client.get(url)


def test_the_figures_are_kept_until_the_portfolio_changes(client_for, pmo, portfolio):
    client = client_for(pmo)
    client.get("/dashboard/")
    cold = _count(client, "/dashboard/")
    with CaptureQueriesContext(connection) as warm:
        client.get("/dashboard/")
    assert len(warm.captured_queries) <= cold - 8  # the figures come from the cache

    _depot, library = portfolio
    add_harm(library, likelihood=4, severity=3)  # re-scored and saved: the library turns red
    headline = client.get("/dashboard/").context["headline"]
    assert {r["rating"]: r["projects"] for r in headline.by_rating}["red"] == 2


def test_the_portfolio_report_passes_the_pdf_ua_checks(client_for, pmo, portfolio):
    # The same checks as every other report (tests/reports/pdfua.py): TH scopes, running heads as
    # artifacts, one Table per table across pages, one H1 and no skipped levels, figures' alt text.
    from tests.reports import pdfua

    response = client_for(pmo).get("/dashboard/export.pdf")
    pdfua.assert_pdf_ua(response.content)


def test_the_sort_control_says_what_the_default_order_is(client_for, pmo):
    page = client_for(pmo).get("/dashboard/").content.decode()
    assert '<option value="" selected>Newest first</option>' in page
    assert "---------" not in page
