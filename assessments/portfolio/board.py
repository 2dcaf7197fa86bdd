"""Everything the regional board sees about the filtered portfolio, gathered once for the
dashboard page, the printed portfolio report and the Excel workbook. Each part is a fixed
number of grouped queries, so the pack costs the same whatever the size of the portfolio."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Model, QuerySet
from django.utils import timezone

from assessments import presenters
from assessments.enums import RATING_LABELS
from assessments.models import Council, Determinant
from assessments.portfolio import cache as portfolio_cache
from assessments.portfolio import charts, figures, regional_map, trends
from assessments.portfolio.filters import PortfolioFilter

RATING_COLUMNS = [RATING_LABELS[r] for r in (*figures.RATINGS, "")]


@dataclass
class BoardPack:
    filters: list[tuple[str, str]]  # (filter, chosen value) for every filter in use
    headline: figures.Headline
    by_council: list[dict]
    rating_columns: list[str]
    equity: list[dict]
    heat_map: figures.HeatMap
    flags: list[dict]
    attention: list
    attention_limit: int
    trends: trends.Trends
    trend_svg: str
    trend_summary: str
    region_map: regional_map.RegionalMap
    generated_at: object


def chosen_filters(filterset: PortfolioFilter) -> list[tuple[str, str]]:
    """The filters in use, worded as the form shows them ("Council", "Glasgow City")."""
    form = filterset.form
    if not form.is_bound or not form.is_valid():
        return []
    chosen = []
    for name, field in form.fields.items():
        value = form.cleaned_data.get(name)
        if value in (None, "", [], ()):
            continue
        if isinstance(value, Model):  # a council: its name, without listing every council
            chosen.append((str(field.label), str(value)))
            continue
        choices = getattr(field.widget, "choices", None) or getattr(field, "choices", [])
        words = {str(key): label for key, label in choices}
        raw = form.data.get(name)
        chosen.append((str(field.label), str(words.get(str(raw), raw))))
    return chosen


def _figures_key(filterset: PortfolioFilter, councils: list[Council]) -> str:
    """The filters that change the figures (not the sort order or page), in a fixed order."""
    data = filterset.form.data if filterset.form.is_bound else {}
    used = sorted(
        (name, str(data.get(name)))
        for name in filterset.form.fields
        if name != "sort" and data.get(name) not in (None, "")
    )
    return portfolio_cache.pack_key([c.pk for c in councils], repr(used))


def _work_out(projects: QuerySet, councils: list[Council]) -> dict:
    summary = figures.figures(projects, councils)
    for row in summary.equity:
        row["mean_percent"] = presenters.percent(row["mean"])
    quarterly = trends.quarterly_trends(projects)
    return {
        "headline": summary.headline,
        "by_council": summary.by_council,
        "equity": summary.equity,
        "heat_map": figures.heat_map(
            projects, councils, list(Determinant.objects.order_by("order"))
        ),
        "flags": figures.flag_counts(projects),
        "attention": figures.needing_attention(projects),
        "trends": quarterly,
        "trend_svg": charts.trend_svg(quarterly),
        "trend_summary": charts.trend_summary(quarterly),
        "region_map": regional_map.regional_map(projects, councils),
    }


def board_pack(filterset: PortfolioFilter, councils: list[Council]) -> BoardPack:
    """The pack for these filters, from the cache while the portfolio has not changed."""
    projects: QuerySet = filterset.qs
    parts = portfolio_cache.remembered(
        _figures_key(filterset, councils), lambda: _work_out(projects, councils)
    )
    return BoardPack(
        filters=chosen_filters(filterset),
        rating_columns=RATING_COLUMNS,
        attention_limit=figures.ATTENTION_LIMIT,
        generated_at=timezone.now(),
        **parts,
    )
