"""The regional portfolio dashboard and its exports. Every figure is aggregated in the
database, so the page issues the same number of queries whatever the size of the portfolio."""

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from assessments import permissions, presenters
from assessments.monitoring.queries import MonitoringRulesMissing
from assessments.portfolio import benefits, board, exports, indicator_exports
from assessments.portfolio import figures as portfolio
from assessments.portfolio.filters import PortfolioFilter
from assessments.privacy.downloads import records_download

PAGE_SIZE = 25
COLUMNS = [
    ("reference", "Reference"),
    ("title", "Project"),
    ("council", "Council"),
    ("stage", "Current stage"),
    ("budget", "Budget"),
    ("rating", "Overall rating"),
    ("equity", presenters.EQUITY_INDEX_LABEL),
]


def _sort_headers(request) -> list[dict]:
    """Column headers as links that sort by the column (again to reverse), keeping the filters."""
    current = request.GET.get("sort", "")
    headers = []
    for key, label in COLUMNS:
        query = request.GET.copy()
        query.pop("page", None)
        query["sort"] = f"-{key}" if current == key else key
        direction = "ascending" if current == key else "descending" if current == f"-{key}" else ""
        headers.append(
            {
                "label": label,
                "url": "?" + query.urlencode(),
                "aria_sort": direction,
                "numeric": key in ("budget", "equity"),
            }
        )
    return headers


def _filtered(request) -> PortfolioFilter:
    if not permissions.can_view_dashboard(request.user):
        raise PermissionDenied(
            "The portfolio dashboard is for the programme office and council administrators."
        )
    return PortfolioFilter(
        request.GET or None,
        queryset=portfolio.portfolio_projects(request.user),
        councils=portfolio.dashboard_councils(request.user),
    )


def dashboard(request):
    filterset = _filtered(request)
    projects = filterset.qs
    page = Paginator(projects, PAGE_SIZE).get_page(request.GET.get("page"))
    for project in page.object_list:
        project.latest_status_label = portfolio.status_label(project.latest_status)
        project.latest_equity_percent = presenters.percent(project.latest_equity)
    pack = board.board_pack(filterset, list(portfolio.dashboard_councils(request.user)))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "portfolio/dashboard.html",
        {
            "filter": filterset,
            "page": page,
            "board": pack,
            "headline": pack.headline,
            "heat_map": pack.heat_map,
            "equity": pack.equity,
            "equity_label": presenters.EQUITY_INDEX_LABEL,
            "equity_meaning": presenters.EQUITY_INDEX_MEANING,
            "query": query.urlencode(),
            "headers": _sort_headers(request),
        },
    )


def dashboard_benefits(request):
    """Benefits realisation: the filtered projects' outcome indicators by status."""
    filterset = _filtered(request)
    try:
        figures = benefits.benefits(filterset.qs)
    except MonitoringRulesMissing:
        figures = None
    query = request.GET.copy()
    return render(
        request,
        "portfolio/benefits.html",
        {"filter": filterset, "benefits": figures, "query": query.urlencode()},
    )


@records_download("Portfolio export")
def dashboard_export(request, fmt):
    filterset = _filtered(request)
    if fmt == "csv":
        return exports.portfolio_csv(filterset.qs)
    pack = board.board_pack(filterset, list(portfolio.dashboard_councils(request.user)))
    if fmt == "xlsx":
        return exports.portfolio_xlsx(filterset.qs, pack)
    if fmt == "pdf":
        return exports.portfolio_pdf(pack, request.user)
    raise Http404("The portfolio downloads as csv, xlsx or pdf.")


@records_download("Indicators export")
def dashboard_indicators_export(request):
    """The filtered projects' outcome indicators, latest value and status, as CSV."""
    return indicator_exports.indicators_csv(_filtered(request).qs)
