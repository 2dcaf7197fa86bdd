"""The printed portfolio report: the board pack laid out for WeasyPrint (tagged PDF/UA-1, through
assessments.reports.pdf like every other report). Charts go in as <img> with alternative text,
so the PDF tags them as figures."""

from __future__ import annotations

from assessments import presenters
from assessments.place.profile import REGION_NAME
from assessments.reports.charts import svg_data_uri


def report_context(pack, user) -> dict:
    return {
        "board": pack,
        "is_final": True,  # not a draft assessment: no draft mark on its pages
        # What the shared print template writes into the PDF's metadata.
        "project": {"council": REGION_NAME, "reference": "portfolio report"},
        "prepared_for": presenters.person_name(user),
        "trend_chart_uri": svg_data_uri(pack.trend_svg),
        "map_uri": svg_data_uri(pack.region_map.svg) if pack.region_map.svg else "",
        "equity_label": presenters.EQUITY_INDEX_LABEL,
        "equity_meaning": presenters.EQUITY_INDEX_MEANING,
        "generated_at": pack.generated_at,
    }
