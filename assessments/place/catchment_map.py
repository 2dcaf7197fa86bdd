"""The catchment map: the project's catchment outlined strongly among the data zones around it,
every zone shaded by its SIMD 2020v2 quintile, council boundaries drawn as a dashed line, with a
legend in words, a text alternative and the zones as table rows.

One module for every page that shows the map: the project page (officers, data zone codes),
the community panel's page and the community summary (everyday words, no codes), and the
printed stage report. `surroundings` reads the database; `draw` only formats, so a report can
draw both wordings from one read.

The zones around the catchment are its neighbours and their neighbours (two rings), nearest
first and at most MAX_AROUND of them, so the map stays small whatever the catchment. Reading
them costs a fixed number of queries: one per ring, one for the council names and one for the
place data version; once per load of the place data, one more works out which zone edges are
council boundaries (kept in Django's cache).
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import ExpressionWrapper, F, FloatField
from django.utils.html import escape

from assessments.models import Council, DataZone, DataZoneNeighbour, PlaceDataVersion

# Sequential, colour-blind-safe (one purple-red hue, lightness only), darkest = most deprived.
# Zones two quintiles apart differ by at least 3:1 in contrast; 1-3 take white numbers and 4-5
# near-black ones at 4.5:1 or more; each zone also carries its quintile as a number, so colour
# is never the only sign. tests/place/test_catchment_map.py checks these ratios.
QUINTILE_FILLS = {1: "#49006a", 2: "#a0047e", 3: "#d23092", 4: "#f99fb5", 5: "#fde0dd"}
INK = "#1b1b1b"
NUMBER_INK = {1: "#ffffff", 2: "#ffffff", 3: "#ffffff", 4: INK, 5: INK}
QUINTILE_WORDS = {
    1: "1 – most deprived 20% of Scotland",
    2: "2 – next 20% (20 to 40%)",
    3: "3 – middle 20% (40 to 60%)",
    4: "4 – next 20% (60 to 80%)",
    5: "5 – least deprived 20%",
}
MAX_AROUND = 40
WIDTH = 440
MAP_MAX_HEIGHT = 360
MARGIN = 10
ROW = 22
FONT = "DejaVu Sans, sans-serif"
CACHE_SECONDS = 24 * 3600
METRES_PER_DEGREE_LAT = 111_320
# Room left around the catchment: a share of its own size, and never less than this.
PAD_SHARE = 0.6
PAD_MIN_METRES = 700
Edge = tuple[tuple[float, float], tuple[float, float]]
Box = tuple[float, float, float, float]  # min lon, min lat, max lon, max lat


@dataclass
class Surroundings:
    """What the map shows, read once: the catchment's zones, the zones around them (nearest
    first), the council boundary edges among them and the councils' names."""

    catchment: list[DataZone]
    around: list[DataZone]
    council_edges: list[Edge]
    council_names: dict[str, str]
    box: Box  # what the map frames: the catchment with room around it, in degrees
    # The pairs of councils whose boundary the map shows.
    boundaries: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class MapRow:
    """One zone of the map, for the table beside it."""

    code: str
    name: str
    council: str
    in_catchment: bool
    quintile: int
    quintile_words: str
    simd_rank: int
    population: int


@dataclass
class CatchmentMap:
    svg: str
    summary: str  # the map's facts in words: its text alternative
    rows: list[MapRow] = field(default_factory=list)
    councils: list[str] = field(default_factory=list)


# ------------------------------------------------------------------ reading


def _edges(zone: DataZone) -> Iterable[Edge]:
    for polygon in zone.boundary:
        for ring in polygon:
            for a, b in zip(ring, ring[1:], strict=False):
                p, q = (a[0], a[1]), (b[0], b[1])
                yield (p, q) if p <= q else (q, p)


def _build_council_edges() -> dict[Edge, tuple[str, str]]:
    """Every edge two data zones of different councils share, with the two councils. The
    vendored boundaries share their vertices, so a shared edge matches exactly."""
    councils: dict[Edge, set[str]] = defaultdict(set)
    for zone in DataZone.objects.only("council_code", "boundary"):
        for edge in _edges(zone):
            councils[edge].add(zone.council_code)
    return {edge: _in_order(*sorted(seen)[:2]) for edge, seen in councils.items() if len(seen) > 1}


def council_edges() -> dict[Edge, tuple[str, str]]:
    """The council boundary edges for the loaded place data, from the cache when there."""
    version = (
        PlaceDataVersion.objects.order_by("-loaded_at", "-id")
        .values_list("content_sha256", flat=True)
        .first()
    )
    key = f"place:council-boundaries:{version or 'none'}"
    edges = cache.get(key)
    if edges is None:
        edges = _build_council_edges()
        cache.set(key, edges, CACHE_SECONDS)
    return edges


def _box(zones: Iterable[DataZone]) -> Box:
    lons: list[float] = []
    lats: list[float] = []
    for zone in zones:
        for polygon in zone.boundary:
            for ring in polygon:
                lons.extend(p[0] for p in ring)
                lats.extend(p[1] for p in ring)
    return min(lons), min(lats), max(lons), max(lats)


def _padded(box: Box) -> Box:
    """The catchment's box with room around it, so the map shows the neighbourhood without a
    large rural zone two rings out shrinking the catchment to a dot."""
    west, south, east, north = box
    k = math.cos(math.radians((south + north) / 2))
    size = max((east - west) * k, north - south)
    pad = max(size * PAD_SHARE, PAD_MIN_METRES / METRES_PER_DEGREE_LAT)
    return west - pad / k, south - pad, east + pad / k, north + pad


def _overlaps(a: Box, b: Box) -> bool:
    return a[0] <= b[2] and b[0] <= a[2] and a[1] <= b[3] and b[1] <= a[3]


def _inside(point: tuple[float, float], box: Box) -> bool:
    return box[0] <= point[0] <= box[2] and box[1] <= point[1] <= box[3]


def _nearest_first(zones, lat0: float, lon0: float):
    """Zones ordered by distance from (lat0, lon0), nearest first (degrees of longitude
    shortened by the cosine of the latitude, as on the map)."""
    k = math.cos(math.radians(lat0))
    dlat = F("centroid_lat") - lat0
    dlon = (F("centroid_lon") - lon0) * k
    distance = ExpressionWrapper(dlat * dlat + dlon * dlon, output_field=FloatField())
    return zones.annotate(distance=distance).order_by("distance", "code")


def _in_order(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a <= b else (b, a)


def _ring(inner_ids: list[int], exclude: list[int], lat0: float, lon0: float, limit: int):
    touching = DataZoneNeighbour.objects.filter(zone_id__in=inner_ids).values("neighbour_id")
    zones = DataZone.objects.filter(pk__in=touching).exclude(pk__in=exclude)
    fields = ("code", "name", "council_code", "quintile", "simd_rank", "population", "boundary")
    return list(
        _nearest_first(zones.only(*fields, "centroid_lat", "centroid_lon"), lat0, lon0)[:limit]
    )


def surroundings(catchment: Sequence[DataZone]) -> Surroundings:
    """The catchment's zones and up to MAX_AROUND zones around them: all their neighbours, then
    the neighbours' neighbours, nearest to the catchment's middle first, keeping those that
    reach into the map's frame."""
    catchment = [z for z in catchment if z.boundary]
    if not catchment:
        return Surroundings([], [], [], {}, (0, 0, 0, 0))
    ids = [z.pk for z in catchment]
    lat0 = sum(z.centroid_lat for z in catchment) / len(catchment)
    lon0 = sum(z.centroid_lon for z in catchment) / len(catchment)
    first = _ring(ids, ids, lat0, lon0, MAX_AROUND)
    around = list(first)
    if first and len(around) < MAX_AROUND:
        first_ids = [z.pk for z in first]
        around += _ring(first_ids, ids + first_ids, lat0, lon0, MAX_AROUND - len(around))
    box = _padded(_box(catchment))
    around = [z for z in around if z.boundary and _overlaps(_box([z]), box)]
    boundary = council_edges()
    edges = sorted(
        {
            edge
            for zone in catchment + around
            for edge in _edges(zone)
            if edge in boundary and (_inside(edge[0], box) or _inside(edge[1], box))
        }
    )
    pairs = sorted({boundary[edge] for edge in edges})
    codes = {z.council_code for z in catchment + around} | {c for pair in pairs for c in pair}
    names = dict(Council.objects.filter(code__in=codes).values_list("code", "name"))
    named = sorted({_in_order(names.get(a, a), names.get(b, b)) for a, b in pairs})
    return Surroundings(catchment, around, edges, names, box, named)


# ------------------------------------------------------------------ drawing


def _chain(edges: Iterable[Edge]) -> list[list[tuple[float, float]]]:
    """Join edges end to end into as few lines as possible, so dashes run on smoothly."""
    ends: dict[tuple, list[tuple]] = defaultdict(list)
    for a, b in edges:
        ends[a].append(b)
        ends[b].append(a)
    lines = []
    while ends:
        start = next(iter(ends))
        line, current = [start], start
        while ends.get(current):
            following = ends[current].pop()
            ends[following].remove(current)
            line.append(following)
            current = following
        for point in (start, current):
            if point in ends and not ends[point]:
                del ends[point]
        lines.append(line)
    return lines


@dataclass
class _Frame:
    """Places (lon, lat) on the map: equirectangular, shortened by cos(latitude), which keeps
    shapes true at a town's scale."""

    k: float
    min_x: float
    min_y: float
    scale: float
    height: float
    left: float = MARGIN  # centres a frame narrower than the map

    def xy(self, lon: float, lat: float) -> tuple[float, float]:
        return (
            (lon * self.k - self.min_x) * self.scale + self.left,
            (-lat - self.min_y) * self.scale + MARGIN,
        )

    def path(self, lines: Iterable[Sequence[Sequence[float]]], *, close: bool) -> str:
        parts = []
        for line in lines:
            points = " L".join("{:.1f},{:.1f}".format(*self.xy(lon, lat)) for lon, lat in line)
            parts.append(f"M{points}{' Z' if close else ''}")
        return " ".join(parts)


def _frame(box: Box) -> _Frame:
    west, south, east, north = box
    k = math.cos(math.radians((south + north) / 2))
    width, height = (east - west) * k or 1e-6, (north - south) or 1e-6
    scale = min((WIDTH - 2 * MARGIN) / width, (MAP_MAX_HEIGHT - 2 * MARGIN) / height)
    left = (WIDTH - width * scale) / 2
    return _Frame(k, west * k, -north, scale, height * scale + 2 * MARGIN, left)


def _zone_title(zone: DataZone, inside: bool, councils: dict[str, str], plain: bool) -> str:
    where = "in the catchment" if inside else "around the catchment"
    if plain:
        where = "where the project is" if inside else "near the project"
        return f"{zone.name}, {where}: {QUINTILE_WORDS[zone.quintile]}"
    council = councils.get(zone.council_code, zone.council_code)
    return (
        f"{zone.code} {zone.name} ({council}), {where}: SIMD quintile "
        f"{QUINTILE_WORDS[zone.quintile]}"
    )


def _zones(frame: _Frame, found: Surroundings, plain: bool) -> list[str]:
    """One shaded, titled shape per zone, and the zone's quintile number where it fits."""
    inside = {z.pk for z in found.catchment}
    shapes, numbers = [], []
    for zone in found.around + found.catchment:
        rings = [ring for polygon in zone.boundary for ring in polygon]
        if not rings:
            continue
        title = escape(_zone_title(zone, zone.pk in inside, found.council_names, plain))
        shapes.append(
            f'<path d="{frame.path(rings, close=True)}" fill="{QUINTILE_FILLS[zone.quintile]}" '
            f'fill-rule="evenodd" stroke="#ffffff" stroke-width="0.8" stroke-linejoin="round">'
            f"<title>{title}</title></path>"
        )
        points = [frame.xy(lon, lat) for ring in rings for lon, lat in ring]
        wide = max(p[0] for p in points) - min(p[0] for p in points)
        tall = max(p[1] for p in points) - min(p[1] for p in points)
        if wide >= 18 and tall >= 16:
            x, y = frame.xy(zone.centroid_lon, zone.centroid_lat)
            numbers.append(
                f'<text x="{x:.1f}" y="{y + 4:.1f}" text-anchor="middle" font-size="11" '
                f'font-weight="bold" fill="{NUMBER_INK[zone.quintile]}" aria-hidden="true">'
                f"{zone.quintile}</text>"
            )
    return shapes + numbers


def _outline(frame: _Frame, found: Surroundings) -> str:
    """The catchment's outer edge (edges used by one catchment zone only), black on a white
    halo so it stands out on the darkest and the lightest shading alike."""
    counted = Counter(edge for zone in found.catchment for edge in _edges(zone))
    d = frame.path(_chain(e for e, n in counted.items() if n == 1), close=False)
    return (
        f'<path d="{d}" fill="none" stroke="#ffffff" stroke-width="6" stroke-linejoin="round"/>'
        f'<path d="{d}" fill="none" stroke="{INK}" stroke-width="3" stroke-linejoin="round"/>'
    )


def _council_line(frame: _Frame, found: Surroundings) -> str:
    if not found.council_edges:
        return ""
    d = frame.path(_chain(found.council_edges), close=False)
    return (
        f'<path d="{d}" fill="none" stroke="#ffffff" stroke-width="4.5"/>'
        f'<path d="{d}" fill="none" stroke="{INK}" stroke-width="2" stroke-dasharray="7 4"/>'
    )


def _scale_bar(frame: _Frame, y: float) -> str:
    """A legend line with a bar of a round length (60 to about 150 pixels long), and a north
    arrow in the map's top right corner."""
    metres_per_px = METRES_PER_DEGREE_LAT / frame.scale
    length = next(
        (m for m in (100, 200, 250, 500, 1000, 2000, 5000, 10000) if m / metres_per_px >= 60),
        10000,
    )
    px = length / metres_per_px
    words = f"{length // 1000} km" if length >= 1000 else f"{length} m"
    right = WIDTH - MARGIN
    return (
        f'<path d="M{MARGIN},{y + 4} v8 h{px:.1f} v-8" fill="none" stroke="{INK}" '
        f'stroke-width="1.5"/><text x="{MARGIN + px + 8:.1f}" y="{y + 12.5}">{words}</text>'
        f'<path d="M{right - 16},{MARGIN + 22} l8,-20 l8,20 l-8,-6 Z" fill="{INK}" '
        f'stroke="#ffffff" stroke-width="1.5"/><text x="{right - 8}" y="{MARGIN + 36}" '
        f'text-anchor="middle" font-weight="bold" stroke="#ffffff" stroke-width="3" '
        f'paint-order="stroke">N</text>'
    )


def _legend(y: float, frame: _Frame, found: Surroundings, plain: bool) -> tuple[str, float]:
    """The legend under the map, one item a line so it reads at phone width; returns the
    drawing and the height it takes."""
    heading = (
        "How deprived each area is, compared with all of Scotland"
        if plain
        else "SIMD 2020v2 quintile, compared with all of Scotland"
    )
    parts = [f'<g font-family="{FONT}" font-size="12" fill="{INK}">']
    top = y
    parts.append(f'<text x="{MARGIN}" y="{y + 12}" font-weight="bold">{heading}</text>')
    y += ROW
    for q, words in QUINTILE_WORDS.items():
        parts.append(
            f'<rect x="{MARGIN}" y="{y}" width="22" height="16" fill="{QUINTILE_FILLS[q]}" '
            f'stroke="{INK}" stroke-width="1"/><text x="{MARGIN + 11}" y="{y + 12}" '
            f'text-anchor="middle" font-size="11" font-weight="bold" fill="{NUMBER_INK[q]}">{q}</text>'
            f'<text x="{MARGIN + 30}" y="{y + 12.5}">{escape(words)}</text>'
        )
        y += ROW
    parts.append(
        f'<path d="M{MARGIN},{y + 8} h22" stroke="#ffffff" stroke-width="6"/>'
        f'<path d="M{MARGIN},{y + 8} h22" stroke="{INK}" stroke-width="3"/>'
        f'<text x="{MARGIN + 30}" y="{y + 12.5}">'
        f"{'Where the project is' if plain else 'The project catchment'} (heavy outline)</text>"
    )
    y += ROW
    if found.council_edges:
        parts.append(
            f'<path d="M{MARGIN},{y + 8} h22" stroke="{INK}" stroke-width="2" '
            f'stroke-dasharray="7 4"/><text x="{MARGIN + 30}" y="{y + 12.5}">Council boundary</text>'
        )
        y += ROW
    parts.append(_scale_bar(frame, y))
    y += ROW
    parts.append(
        f'<text x="{MARGIN}" y="{y + 10}" font-size="10" fill="#44505c">Boundaries: Scottish '
        "Government, OGL v3; © Crown copyright and database right.</text></g>"
    )
    return "".join(parts), y + 18 - top


def _summary(found: Surroundings, plain: bool) -> str:
    """The map in words: where the catchment is, how deprived it and its surroundings are,
    and which councils the map takes in."""

    def counted(zones: list[DataZone]) -> str:
        per_band = Counter(z.quintile for z in zones)
        return ", ".join(f"{per_band[q]} in band {q}" for q in sorted(per_band))

    def plural(n: int) -> str:
        return f"{n} {'area' if plain else 'data zone'}{'s' if n != 1 else ''}"

    councils = sorted({found.council_names.get(z.council_code, "") for z in found.catchment} - {""})
    text = (
        f"{'Where the project is' if plain else 'The catchment'}: {plural(len(found.catchment))} "
        f"in {' and '.join(councils)} ({counted(found.catchment)})."
    )
    if found.around:
        text += f" Around it, {plural(len(found.around))} ({counted(found.around)})."
    text += (
        " Bands run from 1, the most deprived 20% of areas in Scotland, to 5, the least "
        "deprived 20%."
    )
    if found.boundaries:
        lines = "; ".join(f"{a} and {b}" for a, b in found.boundaries)
        many = len(found.boundaries) > 1
        text += f" The dashed line{'s are' if many else ' is'} the council boundar"
        text += f"{'ies' if many else 'y'} between {lines}."
    else:
        shown = sorted({found.council_names.get(z.council_code, "") for z in found.around} - {""})
        text += f" Every area shown is in {' and '.join(shown or councils)}."
    return text + " The table after the map lists every area on it."


def _rows(found: Surroundings) -> list[MapRow]:
    zones = [(z, True) for z in found.catchment] + [(z, False) for z in found.around]
    zones.sort(key=lambda item: (not item[1], item[0].simd_rank))
    return [
        MapRow(
            code=z.code,
            name=z.name,
            council=found.council_names.get(z.council_code, ""),
            in_catchment=inside,
            quintile=z.quintile,
            quintile_words=QUINTILE_WORDS[z.quintile],
            simd_rank=z.simd_rank,
            population=z.population,
        )
        for z, inside in zones
    ]


def draw(found: Surroundings, *, plain: bool = False) -> CatchmentMap:
    """The map as a self-contained SVG with its words and table rows. `plain` words are for the
    public: no data zone codes, no index names. Every text node is escaped."""
    if not found.catchment:
        return CatchmentMap(svg="", summary="")
    frame = _frame(found.box)
    legend, legend_height = _legend(frame.height + 6, frame, found, plain)
    height = frame.height + 6 + legend_height
    summary = _summary(found, plain)
    title = "Map of where the project is" if plain else "Map of the project catchment"
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height:.0f}" '
        f'width="{WIDTH}" height="{height:.0f}" role="img" class="catchment-map" '
        f'aria-labelledby="catchment-map-title catchment-map-desc" font-family="{FONT}">'
        f'<title id="catchment-map-title">{title}</title>'
        f'<desc id="catchment-map-desc">{escape(summary)}</desc>'
        # The zones two rings out may reach past the frame: the map is clipped to it.
        + f'<clipPath id="catchment-map-frame"><rect width="{WIDTH}" height="{frame.height:.0f}"/>'
        + '</clipPath><g clip-path="url(#catchment-map-frame)">'
        + "".join(_zones(frame, found, plain))
        + _council_line(frame, found)
        + _outline(frame, found)
        + "</g>"
        + legend
        + "</svg>"
    )
    councils = sorted(set(found.council_names.values()))
    return CatchmentMap(svg=svg, summary=summary, rows=_rows(found), councils=councils)
