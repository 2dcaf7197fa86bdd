"""The map of the region's projects: council outlines drawn from the vendored data zone
boundaries, and one point per place with projects, coloured by the worst latest rating there.

Council outlines are the data zone edges that are not shared by two zones of the same council
(the vendored boundaries share their vertices, so shared edges match exactly). They are worked
out once per load of the place data and kept in Django's cache. Points are one grouped query:
projects per (data zone, latest rating), so the map costs the same whatever the portfolio size.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import CharField, Count, OuterRef, QuerySet, Subquery
from django.db.models.fields.json import KT
from django.db.models.functions import Coalesce
from django.utils.html import escape

from assessments.enums import RATING_LABELS
from assessments.models import Council, DataZone, IntermediateZone, PlaceDataVersion, Postcode
from assessments.portfolio import figures
from assessments.portfolio.figures import RATINGS

WIDTH = 640
MARGIN = 10
# Worst first: a place with any red project is drawn red.
SEVERITY = ("red", "amber", "green", "grey", "")
POINT_COLOURS = {
    "red": "#b3261e",
    "amber": "#e8a33d",
    "green": "#2e7d32",
    "grey": "#8a939c",
    "": "#ffffff",
}
# Light fills that tell neighbouring councils apart without competing with the points.
COUNCIL_FILLS = ("#e8eef5", "#f3efe4", "#e6f0e8", "#efe8f2")
CACHE_SECONDS = 24 * 3600


def _projection(lat0: float):
    k = math.cos(math.radians(lat0))
    return lambda lon, lat: (lon * k, -lat)


@dataclass
class Outlines:
    """Council outlines in map units (already fitted to WIDTH): council code -> polylines.
    Projects are placed by neighbourhood (intermediate zone, about 400 in the region), which
    keeps the drawing light at any portfolio size: each data zone's neighbourhood, and each
    neighbourhood's point (the mean of its data zones' centroids), name and council."""

    height: float
    councils: dict[str, list[list[tuple[float, float]]]]
    zone_areas: dict[str, str] = field(default_factory=dict)
    area_points: dict[str, tuple[float, float]] = field(default_factory=dict)
    area_names: dict[str, str] = field(default_factory=dict)
    area_councils: dict[str, str] = field(default_factory=dict)
    council_labels: dict[str, tuple[float, float]] = field(default_factory=dict)


def _chain(segments: list[tuple[tuple, tuple]]) -> list[list[tuple]]:
    """Join loose segments end to end into polylines (each outline is a set of closed rings)."""
    ends: dict[tuple, list[tuple]] = defaultdict(list)
    for a, b in segments:
        ends[a].append(b)
        ends[b].append(a)
    lines = []
    while ends:
        start = next(iter(ends))
        line = [start]
        current = start
        while ends.get(current):
            following = ends[current].pop()
            ends[following].remove(current)
            if not ends[current]:
                del ends[current]
            line.append(following)
            current = following
        ends.pop(current, None)
        if not ends.get(start):
            ends.pop(start, None)
        lines.append(line)
    return lines


def _build_outlines() -> Outlines:
    zones = list(
        DataZone.objects.values_list(
            "code",
            "council_code",
            "centroid_lon",
            "centroid_lat",
            "boundary",
            "intermediate_zone__code",
        )
    )
    if not zones:
        return Outlines(height=0, councils={})
    lat0 = sum(z[3] for z in zones) / len(zones)
    project = _projection(lat0)
    edges: dict[str, Counter] = defaultdict(Counter)
    points = []
    for _code, council, _lon, _lat, boundary, _area in zones:
        for polygon in boundary:
            for ring in polygon:
                projected = [project(lon, lat) for lon, lat in ring]
                points.extend(projected)
                for a, b in zip(ring, ring[1:], strict=False):
                    edges[council][(min(tuple(a), tuple(b)), max(tuple(a), tuple(b)))] += 1
    min_x, max_x = min(p[0] for p in points), max(p[0] for p in points)
    min_y, max_y = min(p[1] for p in points), max(p[1] for p in points)
    scale = (WIDTH - 2 * MARGIN) / (max_x - min_x)

    def fit(lon, lat):
        x, y = project(lon, lat)
        return (round((x - min_x) * scale + MARGIN, 1), round((y - min_y) * scale + MARGIN, 1))

    councils = {}
    for council, counted in edges.items():
        outline = [(a, b) for (a, b), n in counted.items() if n == 1]
        lines = []
        for line in _chain(outline):
            fitted = [fit(*point) for point in line]
            # Drop points that fall on the same pixel as the one before: a lighter drawing.
            thinned = [p for i, p in enumerate(fitted) if not i or _apart(p, fitted[i - 1])]
            if len(thinned) > 2:
                lines.append(thinned)
        councils[council] = lines
    members: dict[str, list[tuple[float, float]]] = defaultdict(list)
    in_council: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for _code, council, lon, lat, _boundary, area in zones:
        members[area].append(fit(lon, lat))
        in_council[council].append(fit(lon, lat))
    return Outlines(
        height=round((max_y - min_y) * scale + 2 * MARGIN, 1),
        councils=councils,
        zone_areas={code: area for code, _c, _x, _y, _b, area in zones},
        area_points={
            area: (
                round(sum(p[0] for p in pts) / len(pts), 1),
                round(sum(p[1] for p in pts) / len(pts), 1),
            )
            for area, pts in members.items()
        },
        area_names=dict(IntermediateZone.objects.values_list("code", "name")),
        area_councils={area: council for _z, council, _x, _y, _b, area in zones},
        council_labels={code: _middle(pts) for code, pts in in_council.items()},
    )


def _middle(points: list[tuple[float, float]]) -> tuple[float, float]:
    """Where to write a council's name: the median of its data zones' centroids, which stays
    inside the populated part of a large rural council."""
    xs, ys = sorted(p[0] for p in points), sorted(p[1] for p in points)
    return xs[len(xs) // 2], ys[len(ys) // 2]


def _apart(p, q) -> bool:
    return abs(p[0] - q[0]) >= 1 or abs(p[1] - q[1]) >= 1


def outlines() -> Outlines:
    """The council outlines for the loaded place data, from the cache when they are there."""
    version = (
        PlaceDataVersion.objects.order_by("-loaded_at", "-id")
        .values_list("content_sha256", flat=True)
        .first()
    )
    key = f"portfolio:regional-map:{version or 'none'}:{WIDTH}"
    built = cache.get(key)
    if built is None:
        built = _build_outlines()
        cache.set(key, built, CACHE_SECONDS)
    return built


def _zone_of_project(zones: str):
    """The project's first data zone (from the `zones` list), else the data zone of its first
    postcode (the caller annotates `first_postcode`)."""
    by_postcode = Postcode.objects.filter(postcode=OuterRef("first_postcode")).values(
        "data_zone__code"
    )[:1]
    return Coalesce(KT(f"{zones}__0"), Subquery(by_postcode), output_field=CharField())


@dataclass
class Place:
    area: str
    x: float
    y: float
    counts: dict[str, int]

    @property
    def worst(self) -> str:
        return next(r for r in SEVERITY if self.counts.get(r))

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass
class RegionalMap:
    svg: str
    summary: str  # the map's facts in words, for its text alternative
    councils: list[dict]  # the table alternative: per council, counts per rating
    unplaced: int
    rating_labels: list[str]


def _places(projects: QuerySet, shapes: Outlines):
    """(places, unplaced count): the projects grouped by place and their latest assessment's
    rating (none for a project not yet assessed), in one grouped query."""
    grouped = (
        figures.with_latest(projects.order_by())
        .annotate(first_postcode=KT("postcodes__0"))
        .annotate(zone=_zone_of_project("data_zones"))
        .values("zone", "latest__overall_rating")
        .annotate(n=Count("id"))
        .values_list("zone", "latest__overall_rating", "n")
    )
    places: dict[str, Place] = {}
    unplaced = 0
    for zone, rating, n in grouped:
        area = shapes.zone_areas.get(zone)
        if area is None:
            unplaced += n
            continue
        place = places.setdefault(area, Place(area, *shapes.area_points[area], counts={}))
        key = rating if rating in RATINGS else ""
        place.counts[key] = place.counts.get(key, 0) + n
    return list(places.values()), unplaced


def _point(place: Place, names: dict[str, str]) -> str:
    radius = min(10.0, 4.5 + 1.5 * math.sqrt(place.total - 1))
    words = ", ".join(
        f"{place.counts[r]} {RATING_LABELS[r].split(' (')[0].lower()}"
        for r in SEVERITY
        if place.counts.get(r)
    )
    return (
        f'<circle cx="{place.x}" cy="{place.y}" r="{radius:.1f}" fill="{POINT_COLOURS[place.worst]}" '
        f'stroke="#1b1b1b" stroke-width="0.8"><title>{escape(names.get(place.area, place.area))}: '
        f"{place.total} project{'s' if place.total != 1 else ''} ({words})</title></circle>"
    )


def _legend(y: float) -> str:
    parts = ['<g font-family="DejaVu Sans, sans-serif" font-size="12" fill="#1b1b1b">']
    for i, rating in enumerate(SEVERITY):
        x = MARGIN + i * 124
        label = RATING_LABELS[rating].split(" (")[0]
        parts.append(
            f'<circle cx="{x + 7}" cy="{y + 7}" r="6" fill="{POINT_COLOURS[rating]}" stroke="#1b1b1b" stroke-width="0.8"/>'
            f'<text x="{x + 18}" y="{y + 11.5}">{escape(label)}</text>'
        )
    parts.append(
        f'<text x="{MARGIN}" y="{y + 32}" font-size="10" fill="#44505c">Each point is a neighbourhood with projects, '
        "coloured by the worst latest rating there; larger points hold more projects.</text>"
        f'<text x="{MARGIN}" y="{y + 46}" font-size="10" fill="#44505c">Boundaries: Scottish Government, '
        "OGL v3; © Crown copyright and database right.</text></g>"
    )
    return "".join(parts)


def _svg(shapes: Outlines, places: list[Place], council_names: dict[str, str], summary: str) -> str:
    body = []
    for i, (code, lines) in enumerate(sorted(shapes.councils.items())):
        d = " ".join("M" + " L".join(f"{x},{y}" for x, y in line) for line in lines)
        body.append(
            f'<path d="{d}" fill="{COUNCIL_FILLS[i % len(COUNCIL_FILLS)]}" fill-rule="evenodd" stroke="#44505c" '
            f'stroke-width="1" stroke-linejoin="round"><title>{escape(council_names.get(code, code))}</title></path>'
        )
    for code, (x, y) in sorted(shapes.council_labels.items()):
        body.append(
            f'<text x="{x}" y="{y}" text-anchor="middle" font-size="10" fill="#1b1b1b" '
            f'aria-hidden="true" '
            f'font-family="DejaVu Sans, sans-serif">{escape(council_names.get(code, code))}</text>'
        )
    # Worst drawn last, so a red point is never hidden under a green one.
    worst_last = sorted(places, key=lambda p: -SEVERITY.index(p.worst))
    body.extend(_point(place, shapes.area_names) for place in worst_last)
    height = shapes.height + 56
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height:.0f}" role="img" '
        f'aria-labelledby="region-map-title region-map-desc" class="region-map">'
        f'<title id="region-map-title">Map of the projects across Glasgow City Region</title>'
        f'<desc id="region-map-desc">{escape(summary)}</desc>'
        + "".join(body)
        + _legend(shapes.height + 6)
        + "</svg>"
    )


def regional_map(projects: QuerySet, councils: list[Council]) -> RegionalMap:
    """The map and its table alternative for the filtered projects (annotated as by
    figures.portfolio_projects, which gives each its latest rating)."""
    shapes = outlines()
    places, unplaced = _places(projects, shapes)
    table = []
    for council in councils:
        here = [p for p in places if shapes.area_councils.get(p.area) == council.code]
        counts: Counter[str] = Counter()
        for place in here:
            counts.update(place.counts)
        table.append(
            {
                "council": council,
                "places": len(here),
                "counts": [counts.get(r, 0) for r in SEVERITY],
                "projects": sum(counts.values()),
            }
        )
    placed = sum(p.total for p in places)
    summary = (
        f"{placed} project{'s' if placed != 1 else ''} in {len(places)} neighbourhood"
        f"{'s' if len(places) != 1 else ''} across {len(councils)} council areas"
        + (f"; {unplaced} without a location are not shown" if unplaced else "")
        + ". The table after the map gives the same figures by council."
    )
    names = dict(Council.objects.values_list("code", "name"))
    svg = _svg(shapes, places, names, summary) if shapes.councils else ""
    return RegionalMap(
        svg=svg,
        summary=summary,
        councils=table,
        unplaced=unplaced,
        rating_labels=[RATING_LABELS[r] for r in SEVERITY],
    )
