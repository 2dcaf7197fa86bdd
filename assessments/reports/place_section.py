"""The report's place section: the catchment's deprivation profile, its map and the open-data
attribution, read from the place module for print."""

from __future__ import annotations

from assessments.models import CapitalProject
from assessments.place import catchment_map
from assessments.place import profile as place_data
from assessments.place.profile import share_text
from assessments.reports import charts
from assessments.reports.data import Chart, PlaceContext, PlaceRow, PlaceShare


def place_context(project: CapitalProject) -> PlaceContext:
    """The project page's deprivation profile, map and data attribution, for print."""
    found = place_data.project_place(project)
    notes = found.errors + found.notes
    profile, area = found.profile, found.catchment
    if not found.located or profile is None:  # a located project always has a profile
        return PlaceContext(summary="", notes=notes)
    zones = len(area.project_zones)
    summary = f"The catchment is {zones} data zone{'s' if zones != 1 else ''} named for the project"
    if found.includes_neighbours:
        summary += f" and the {len(area.neighbour_zones)} next to them"
    summary += f": {profile.population:,} residents (2017 estimates)."
    drawn = found.map or catchment_map.CatchmentMap(svg="", summary="")
    plain = catchment_map.draw(found.surroundings, plain=True) if found.surroundings else None
    return PlaceContext(
        summary=summary,
        located=True,
        notes=notes,
        rows=[
            PlaceRow(z.code, z.name, z.simd_rank, z.decile, z.quintile, z.population)
            for z in profile.zone_rows
        ],
        headline=[
            PlaceShare(
                "Living in SIMD quintile 1 (Scotland's most deprived 20% of areas)",
                [share_text(profile.quintile1_share)],
            ),
            PlaceShare(
                "Living in the 15% most deprived areas",
                [
                    f"{share_text(profile.most_deprived_15pc_share)} "
                    f"({profile.most_deprived_15pc_population:,} people)"
                ],
            ),
        ],
        quintiles=[
            PlaceShare(q.label, [str(q.zones), f"{q.population:,}", share_text(q.share)])
            for q in profile.quintiles
        ],
        domains=[
            PlaceShare(
                d.label,
                [share_text(d.share), "–" if d.median_rank is None else f"{d.median_rank:.0f}"],
            )
            for d in profile.domains
        ],
        map=_chart(drawn, "Map of the project catchment"),
        map_rows=drawn.rows,
        plain_map=_chart(plain, "Map of where the project is") if plain else None,
        plain_headline=(
            f"{share_text(profile.quintile1_share)} of the {profile.population:,} people living "
            "where the project is live in the most deprived 20% of areas in Scotland."
        ),
        attributions=[
            "Place data: Scottish Index of Multiple Deprivation 2020v2 and related "
            "geography, used under the Open Government Licence v3.0 "
            f"({place_data.LICENCE_URL}).",
            *place_data.ATTRIBUTION,
        ],
    )


def _chart(drawn: catchment_map.CatchmentMap, title: str) -> Chart | None:
    if not drawn.svg:
        return None
    return Chart(
        charts.svg_data_uri(drawn.svg),
        f"{title}. {drawn.summary}",
        title,
        drawn.summary,
    )


def attributions_for(place: PlaceContext | None) -> list[str]:
    return list(place.attributions) if place else []
