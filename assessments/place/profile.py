"""Place context: from a project's postcodes and data zones to the deprivation profile of the
people around it (SIMD 2020v2), and the catchment map.

Data comes from the vendored place tables (assessments.place.loading). Everything here reads;
nothing writes. The rules module gets one number from here: the share of the catchment
population living in SIMD quintile 1 (`deprived_area_share`).
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.html import escape

from assessments.models import DataZone, Postcode
from assessments.place import catchment_map

# Scotland has 6,976 data zones; a domain rank in the most deprived fifth is at most 6976 / 5.
SCOTLAND_ZONES = 6976
MOST_DEPRIVED_FIFTH_RANK = Decimal(SCOTLAND_ZONES) / 5
DOMAINS = (
    ("income", "Income", "income_rank"),
    ("employment", "Employment", "employment_rank"),
    ("health", "Health", "health_rank"),
    ("access", "Access to services", "access_rank"),
)
QUINTILE_LABELS = {
    1: "1 – most deprived 20%",
    2: "2",
    3: "3",
    4: "4",
    5: "5 – least deprived 20%",
}
# Sequential purple-red palette, dark = most deprived; the catchment map's (contrast checked there).
QUINTILE_COLOURS = catchment_map.QUINTILE_FILLS
REGION_NAME = "Glasgow City Region"
# Required wherever the place data is shown (OGL v3): fixtures/place/ATTRIBUTION.md.
LICENCE_URL = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
ATTRIBUTION = (
    "SIMD 2020v2, Urban Rural Classification 2016 and data zone/intermediate zone boundaries: Scottish "
    "Government. Contains public sector information licensed under the Open Government Licence v3.0. The "
    "boundaries also contain Ordnance Survey data © Crown copyright and database right.",
    "Population-weighted SIMD bands, 15% most deprived flags and data zone names: Public Health Scotland. "
    "Contains public sector information licensed under the Open Government Licence v3.0.",
    "Postcode lookup (OS Code-Point Open, August 2020): Contains Ordnance Survey data © Crown copyright and "
    "database right 2020. Contains Royal Mail data © Royal Mail copyright and database right 2020. Contains "
    "National Statistics data © Crown copyright and database right 2020.",
)


@dataclass
class Location:
    """The data zones a project's location resolves to, what the user should be told about how
    they were found, and what could not be placed at all."""

    zone_codes: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    postcode_errors: list[str] = field(default_factory=list)
    zone_errors: list[str] = field(default_factory=list)

    @property
    def errors(self) -> list[str]:
        return self.postcode_errors + self.zone_errors


def place_data_loaded() -> bool:
    return DataZone.objects.exists()


def _sector(postcode: str) -> str:
    outward, inward = postcode.split(" ")
    return f"{outward} {inward[0]}"


def resolve_location(postcodes: list[str], data_zones: list[str]) -> Location:
    """Postcodes (formatted "G40 1AT") and data zone codes -> data zones in the region.

    A postcode missing from the August 2020 list falls back to its postcode sector: we take the
    data zone holding most of that sector's listed postcodes, as the data's README advises for
    new postcodes, and say so. A postcode whose sector has no listed postcode in the region, and
    a data zone outside the region's 8 councils, are refused."""
    location = Location()
    codes: list[str] = []
    known = dict(
        Postcode.objects.filter(postcode__in=postcodes).values_list("postcode", "data_zone__code")
    )
    unknown = [p for p in postcodes if p not in known]
    by_sector: dict[str, Counter] = defaultdict(Counter)
    if unknown:
        rows = Postcode.objects.filter(sector__in={_sector(p) for p in unknown}).values_list(
            "sector", "data_zone__code"
        )
        for sector, zone in rows:
            by_sector[sector][zone] += 1
    for postcode in postcodes:
        if postcode in known:
            codes.append(known[postcode])
            continue
        sector = _sector(postcode)
        counts = by_sector.get(sector)
        if not counts:
            location.postcode_errors.append(
                f"{postcode} is not in {REGION_NAME}: no postcode in its sector {sector} lies in the region's "
                "8 councils. Check the postcode, or enter the data zone instead."
            )
            continue
        # Most postcodes first; ties broken by code so the choice is stable.
        zone, n = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[0]
        total = sum(counts.values())
        codes.append(zone)
        location.notes.append(
            f"{postcode} is not in the August 2020 postcode list, so we used its sector {sector} instead: "
            f"{n} of the sector's {total} listed postcodes are in data zone {zone}."
        )
    existing = set(DataZone.objects.filter(code__in=data_zones).values_list("code", flat=True))
    for code in data_zones:
        if code in existing:
            codes.append(code)
        else:
            location.zone_errors.append(
                f"{code} is not one of the 2,336 data zones in {REGION_NAME}'s 8 councils. "
                "Enter a data zone inside the region."
            )
    location.zone_codes = list(dict.fromkeys(codes))
    return location


@dataclass
class Catchment:
    project_zones: list[DataZone]
    neighbour_zones: list[DataZone]

    @property
    def zones(self) -> list[DataZone]:
        return self.project_zones + self.neighbour_zones


def catchment(zone_codes: list[str], *, include_neighbours: bool = False) -> Catchment:
    """The project's own zones and, optionally, every zone touching one of them."""
    own = list(
        DataZone.objects.filter(code__in=zone_codes)
        .select_related("intermediate_zone")
        .order_by("code")
    )
    neighbours: list[DataZone] = []
    if include_neighbours and own:
        neighbours = list(
            DataZone.objects.filter(neighbour_links__neighbour__in=own)
            .exclude(code__in=zone_codes)
            .select_related("intermediate_zone")
            .distinct()
            .order_by("code")
        )
    return Catchment(own, neighbours)


def project_catchment(project) -> Catchment:
    location = resolve_location(list(project.postcodes), list(project.data_zones))
    return catchment(location.zone_codes, include_neighbours=project.catchment_includes_neighbours)


def _share(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) / Decimal(whole)).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


@dataclass
class QuintileRow:
    quintile: int
    label: str
    zones: int
    population: int
    share: Decimal | None
    colour: str


@dataclass
class DomainRow:
    key: str
    label: str
    population_in_most_deprived_fifth: int
    share: Decimal | None
    median_rank: Decimal | None


@dataclass
class DeprivationProfile:
    zones: int
    population: int
    quintiles: list[QuintileRow]
    most_deprived_15pc_population: int
    most_deprived_15pc_share: Decimal | None
    quintile1_share: Decimal | None
    domains: list[DomainRow]
    zone_rows: list[DataZone]


def _median(values: list[Decimal]) -> Decimal | None:
    if not values:
        return None
    values = sorted(values)
    mid = len(values) // 2
    return values[mid] if len(values) % 2 else (values[mid - 1] + values[mid]) / 2


def deprivation_profile(zones: list[DataZone]) -> DeprivationProfile:
    """Population-weighted: each figure counts people, not zones, because zones differ in size
    (from 0 to over 2,000 residents). Domain figures give the share of the catchment's people who
    live in a zone ranked among Scotland's most deprived fifth on that domain, and the median
    domain rank of the zones for context."""
    population = sum(z.population for z in zones)
    quintiles = []
    for q in range(1, 6):
        members = [z for z in zones if z.quintile == q]
        people = sum(z.population for z in members)
        quintiles.append(
            QuintileRow(
                q,
                QUINTILE_LABELS[q],
                len(members),
                people,
                _share(people, population),
                QUINTILE_COLOURS[q],
            )
        )
    deprived_15 = sum(z.population for z in zones if z.most_deprived_15pc)
    domains = []
    for key, label, attr in DOMAINS:
        people = sum(z.population for z in zones if getattr(z, attr) <= MOST_DEPRIVED_FIFTH_RANK)
        domains.append(
            DomainRow(
                key,
                label,
                people,
                _share(people, population),
                _median([getattr(z, attr) for z in zones]),
            )
        )
    return DeprivationProfile(
        zones=len(zones),
        population=population,
        quintiles=quintiles,
        most_deprived_15pc_population=deprived_15,
        most_deprived_15pc_share=_share(deprived_15, population),
        quintile1_share=quintiles[0].share,
        domains=domains,
        zone_rows=sorted(zones, key=lambda z: z.simd_rank),
    )


def share_text(value: Decimal | float | None) -> str:
    """How a share is written on the project page and in reports: a 0-1 share as a whole percentage ("62%"), or a dash when there is none."""
    if value is None:
        return "–"
    return f"{(Decimal(value) * 100).quantize(Decimal('1'))}%"


def deprived_area_share(project) -> Decimal | None:
    """Share of the catchment population in SIMD quintile 1, or None without a located catchment."""
    zones = project_catchment(project).zones
    if not zones:
        return None
    return deprivation_profile(zones).quintile1_share


# ------------------------------------------------------------------ catchment map (SVG)

MAP_WIDTH = 480
MAP_MAX_HEIGHT = 360
MAP_MARGIN = 8
LEGEND_HEIGHT = 96


def _project(lon: float, lat: float, lat0: float) -> tuple[float, float]:
    """Equirectangular projection scaled by cos(latitude): true shapes at this small scale."""
    return lon * math.cos(math.radians(lat0)), -lat


def _fit(zones, lat0: float) -> tuple[Callable[[float, float], str], float]:
    """A function placing (lon, lat) as "x,y" inside the map's width, keeping shapes, and the
    height the zones then take."""
    points = [
        _project(lon, lat, lat0)
        for z, _ in zones
        for polygon in z.boundary
        for ring in polygon
        for lon, lat in ring
    ]
    min_x, max_x = min(p[0] for p in points), max(p[0] for p in points)
    min_y, max_y = min(p[1] for p in points), max(p[1] for p in points)
    scale = min(
        (MAP_WIDTH - 2 * MAP_MARGIN) / ((max_x - min_x) or 1e-6),
        (MAP_MAX_HEIGHT - 2 * MAP_MARGIN) / ((max_y - min_y) or 1e-6),
    )

    def xy(lon, lat):
        x, y = _project(lon, lat, lat0)
        return f"{(x - min_x) * scale + MAP_MARGIN:.1f},{(y - min_y) * scale + MAP_MARGIN:.1f}"

    return xy, (max_y - min_y) * scale + 2 * MAP_MARGIN


def _zone_paths(zones, xy, *, plain: bool = False) -> list[str]:
    """One filled, titled path per zone; neighbours first so the project's heavier outlines sit
    on top. `plain` titles name the area and how deprived it is in everyday words (for the
    community panel: no zone codes, no index names)."""
    shapes = []
    for zone, own in sorted(zones, key=lambda item: item[1]):
        d = " ".join(
            "M" + " L".join(xy(lon, lat) for lon, lat in ring) + " Z"
            for polygon in zone.boundary
            for ring in polygon
        )
        stroke, width = ("#1b1b1b", "2.5") if own else ("#6c757d", "0.8")
        role = "project zone" if own else "neighbouring zone"
        title = (
            f"{escape(zone.name)}: {PLAIN_FIFTHS[zone.quintile]}"
            f"{', where the project is' if own else ', next to the project'}"
            if plain
            else f"{escape(zone.code)} {escape(zone.name)}: SIMD quintile {zone.quintile}, {role}"
        )
        shapes.append(
            f'<path d="{d}" fill="{QUINTILE_COLOURS[zone.quintile]}" fill-rule="evenodd" stroke="{stroke}" '
            f'stroke-width="{width}" stroke-linejoin="round"><title>{title}</title></path>'
        )
    return shapes


def _map_legend(legend_y: float, *, plain: bool = False) -> list[str]:
    """The quintile swatches, the two outline styles and the data attribution."""
    legend = ['<g font-family="sans-serif" font-size="12" fill="#1b1b1b">']
    for i, q in enumerate(range(1, 6)):
        x = MAP_MARGIN + i * 92
        ends = {1: " most", 5: " least"}.get(q, "")
        # In everyday words only the two ends are named ("most ... least deprived").
        plain_label = {1: "most", 5: "least deprived"}.get(q, "")
        label = plain_label if plain else f"Q{q}{ends}"
        legend.append(
            f'<rect x="{x}" y="{legend_y:.1f}" width="16" height="16" fill="{QUINTILE_COLOURS[q]}" stroke="#6c757d"/>'
            f'<text x="{x + 21}" y="{legend_y + 12.5:.1f}">{label}</text>'
        )
    legend.append(
        f'<rect x="{MAP_MARGIN}" y="{legend_y + 30:.1f}" width="16" height="16" fill="none" stroke="#1b1b1b" stroke-width="2.5"/>'
        f'<text x="{MAP_MARGIN + 21}" y="{legend_y + 42.5:.1f}">{"Where the project is" if plain else "Project data zone"}</text>'
        f'<rect x="{MAP_MARGIN + 170}" y="{legend_y + 30:.1f}" width="16" height="16" fill="none" stroke="#6c757d" stroke-width="0.8"/>'
        f'<text x="{MAP_MARGIN + 191}" y="{legend_y + 42.5:.1f}">{"Next to it" if plain else "Neighbouring zone"}</text>'
        f'<text x="{MAP_MARGIN}" y="{legend_y + 72:.1f}" font-size="10" fill="#495057">'
        + (
            "How deprived each area is, compared with all of Scotland. "
            if plain
            else "SIMD 2020v2 quintile (Scotland). "
        )
        + "Boundaries: Scottish Government, OGL v3; © Crown copyright.</text></g>"
    )
    return legend


def catchment_svg(
    project_zones: list[DataZone], neighbour_zones: Sequence[DataZone] = (), *, plain: bool = False
) -> str:
    """A small self-contained SVG: zones filled by SIMD quintile, the project's own zones outlined
    heavily, neighbours lightly, with a legend. Every text node is escaped; the figure is
    described by a <title>/<desc> and the page carries the same facts in a table."""
    zones = [(z, True) for z in project_zones] + [(z, False) for z in neighbour_zones]
    zones = [(z, own) for z, own in zones if z.boundary]
    if not zones:
        return ""
    xy, height = _fit(zones, lat0=sum(z.centroid_lat for z, _ in zones) / len(zones))
    legend_y = height + 12
    total_height = legend_y + LEGEND_HEIGHT - 12
    desc = (
        f"{len(project_zones)} area(s) where the project is and {len(neighbour_zones)} next to it, "
        "shaded from darkest (most deprived) to lightest (least deprived), compared with Scotland."
        if plain
        else f"{len(project_zones)} project data zone(s) and {len(neighbour_zones)} neighbouring "
        "zone(s), shaded by SIMD 2020v2 quintile from darkest (most deprived) to lightest "
        "(least deprived)."
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {MAP_WIDTH} {total_height:.0f}" '
        f'width="{MAP_WIDTH}" height="{total_height:.0f}" role="img" aria-labelledby="catchment-map-title catchment-map-desc" '
        f'class="catchment-map"><title id="catchment-map-title">'
        f"{'Map of where the project is' if plain else 'Map of the project catchment'}</title>"
        f'<desc id="catchment-map-desc">{escape(desc)}</desc>'
        + "".join(_zone_paths(zones, xy, plain=plain))
        + "".join(_map_legend(legend_y, plain=plain))
        + "</svg>"
    )


@dataclass
class ProjectPlace:
    """Everything the project page shows about place, precomputed for the template."""

    located: bool
    notes: list[str]
    errors: list[str]
    catchment: Catchment
    profile: DeprivationProfile | None
    svg: str
    includes_neighbours: bool
    # The map's words and table rows, and what it was drawn from (for a second, plain drawing).
    map: catchment_map.CatchmentMap | None = None
    surroundings: catchment_map.Surroundings | None = None


def project_place(project) -> ProjectPlace:
    if not place_data_loaded():
        return ProjectPlace(
            located=False,
            notes=[
                "The SIMD place data has not been loaded on this site (manage.py load_place_data)."
            ],
            errors=[],
            catchment=Catchment([], []),
            profile=None,
            svg="",
            includes_neighbours=project.catchment_includes_neighbours,
        )
    location = resolve_location(list(project.postcodes), list(project.data_zones))
    area = catchment(location.zone_codes, include_neighbours=project.catchment_includes_neighbours)
    profile = deprivation_profile(area.zones) if area.zones else None
    around = catchment_map.surroundings(area.zones) if area.zones else None
    drawn = catchment_map.draw(around) if around else None
    return ProjectPlace(
        located=bool(area.zones),
        notes=location.notes,
        errors=location.errors,
        catchment=area,
        profile=profile,
        svg=drawn.svg if drawn else "",
        includes_neighbours=project.catchment_includes_neighbours,
        map=drawn,
        surroundings=around,
    )


# How the community panel reads a SIMD quintile: no index name, no numbers to decode.
PLAIN_FIFTHS = {
    1: "among the most deprived fifth of areas in Scotland",
    2: "more deprived than most areas in Scotland",
    3: "about average for Scotland",
    4: "less deprived than most areas in Scotland",
    5: "among the least deprived fifth of areas in Scotland",
}


def panel_map(project) -> catchment_map.CatchmentMap | None:
    """The catchment map in everyday words, for the community panel (None if it cannot be
    drawn): the same catchment officers see, among the areas around it."""
    if not place_data_loaded():
        return None
    area = project_catchment(project)
    if not area.zones:
        return None
    return catchment_map.draw(catchment_map.surroundings(area.zones), plain=True)


def panel_map_svg(project) -> str:
    """The panel's map as SVG alone ("" if it cannot be drawn)."""
    drawn = panel_map(project)
    return drawn.svg if drawn else ""
