"""The report's "Place before and after" section: the catchment under SIMD 2020v2 beside any
later release, and the Place Standard compass up to the stage being reported, for print."""

from __future__ import annotations

from dataclasses import dataclass, field

from assessments.models import StageAssessment
from assessments.place.comparison import PlaceComparison, place_comparison
from assessments.placestandard import queries as place_standard
from assessments.placestandard.plain import RELATIVE_PLAIN, plain_place_change
from assessments.placestandard.queries import CompassView
from assessments.reports import charts
from assessments.reports.data import Chart


@dataclass
class PlaceChangeContext:
    comparison: PlaceComparison
    compass: CompassView
    compass_charts: list[Chart] = field(default_factory=list)
    stage_name: str = ""
    relative_plain: str = RELATIVE_PLAIN

    plain: list[str] = field(default_factory=list)


def place_change_context(assessment: StageAssessment) -> PlaceChangeContext:
    """The Place Standard as it stood at this stage: the first exercise beside this stage's own
    (or the latest before it), never a later stage's."""
    points = [
        p
        for p in place_standard.project_points(assessment.project)
        if p.record.assessment.stage.order <= assessment.stage.order
    ]
    view = place_standard.compass_view(points)
    compass_charts = [
        Chart(
            charts.svg_data_uri(str(c.svg)),
            f"Place Standard compass of the {c.label.lower()}'s ratings of 14 themes"
            + (
                f", {view.earlier.label} and {view.later.label}"
                if view.earlier and view.later
                else ""
            )
            + ". Further from the centre is better. The table gives every rating.",
            f"Place Standard compass: {c.label.lower()} ratings",
            f"{c.rated} of 14 themes rated.",
        )
        for c in view.compasses
    ]
    return PlaceChangeContext(
        comparison=place_comparison(assessment.project),
        compass=view,
        compass_charts=compass_charts,
        stage_name=assessment.stage.name,
        plain=plain_place_change(assessment),
    )
