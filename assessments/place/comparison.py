"""Place before and after: the catchment's deprivation profile under the baseline SIMD 2020v2
beside the same catchment under a later release, when the region has loaded one.

Reads only. The baseline figures live on DataZone; a later release's in DeprivationFigure
(assessments.place.releases). Both go through the one profile function
(profile.deprivation_profile), so the two columns are always counted the same way.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import cast

from assessments.models import DataZone, DeprivationFigure, DeprivationRelease
from assessments.place import profile as place
from assessments.place.profile import DeprivationProfile, share_text

BASELINE_LABEL = "SIMD 2020v2"
BASELINE_YEAR = 2020
DOMAIN_ATTRS = (
    "income_rank",
    "employment_rank",
    "health_rank",
    "education_rank",
    "access_rank",
    "crime_rank",
    "housing_rank",
)
# Said wherever two releases are set side by side (plain words, for officers and residents).
RELATIVE_NOTE = (
    "SIMD ranks every small area in Scotland from most to least deprived. The ranks are "
    "relative: an area can move up or down only because other areas changed, so a better rank "
    "does not by itself mean life there got better, and a worse rank does not mean it got "
    "worse. Two releases may also measure some things differently and use newer population "
    "figures. Read a change as “how this place compares with the rest of Scotland now”, not "
    "as a measure of what the project did."
)
ONE_RELEASE_NOTE = (
    "Only the baseline, SIMD 2020v2, is loaded on this site, so there is nothing yet to compare "
    "it with. When a later SIMD release is loaded, it will appear here beside the baseline."
)


@dataclass
class ZoneFigures:
    """One data zone under one release: the attributes deprivation_profile reads."""

    code: str
    name: str
    population: int
    simd_rank: int
    decile: int
    quintile: int
    most_deprived_15pc: bool
    income_rank: Decimal
    employment_rank: Decimal
    health_rank: Decimal
    education_rank: Decimal
    access_rank: Decimal
    crime_rank: Decimal
    housing_rank: Decimal


@dataclass
class Release:
    key: str  # "baseline", or a DeprivationRelease id as text
    label: str
    year: int


def releases() -> list[Release]:
    """The baseline first, then every later release by year."""
    return [Release("baseline", BASELINE_LABEL, BASELINE_YEAR)] + [
        Release(str(r.pk), r.label, r.year) for r in DeprivationRelease.objects.all()
    ]


def _baseline_figures(zone: DataZone) -> ZoneFigures:
    return ZoneFigures(
        code=zone.code,
        name=zone.name,
        population=zone.population,
        simd_rank=zone.simd_rank,
        decile=zone.decile,
        quintile=zone.quintile,
        most_deprived_15pc=zone.most_deprived_15pc,
        **{attr: getattr(zone, attr) for attr in DOMAIN_ATTRS},
    )


def zone_figures(zones: list[DataZone], release: Release) -> list[ZoneFigures]:
    """The catchment's zones under `release` (a zone the release lacks is left out)."""
    if release.key == "baseline":
        return [_baseline_figures(z) for z in zones]
    names = {z.code: z.name for z in zones}
    rows = DeprivationFigure.objects.filter(release_id=int(release.key), zone_code__in=names)
    return [
        ZoneFigures(
            code=row.zone_code,
            name=names[row.zone_code],
            population=row.population,
            simd_rank=row.simd_rank,
            decile=row.decile,
            quintile=row.quintile,
            most_deprived_15pc=row.most_deprived_15pc,
            **{attr: getattr(row, attr) for attr in DOMAIN_ATTRS},
        )
        for row in rows.order_by("zone_code")
    ]


def _profile(figures: list[ZoneFigures]) -> DeprivationProfile:
    # deprivation_profile reads only the attributes ZoneFigures shares with DataZone.
    return place.deprivation_profile(cast("list[DataZone]", figures))


def release_profile(zones: list[DataZone], release: Release) -> DeprivationProfile:
    return _profile(zone_figures(zones, release))


@dataclass
class MeasureRow:
    label: str
    baseline: str
    later: str
    change: str


@dataclass
class ZoneRow:
    code: str
    name: str
    baseline_rank: int
    later_rank: int | None
    baseline_quintile: int
    later_quintile: int | None
    moved: str


@dataclass
class PlaceComparison:
    located: bool
    baseline: Release
    later: Release | None
    choices: list[Release] = field(default_factory=list)
    measures: list[MeasureRow] = field(default_factory=list)
    zones: list[ZoneRow] = field(default_factory=list)
    plain: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    relative_note: str = RELATIVE_NOTE

    @property
    def only_baseline(self) -> bool:
        return self.later is None


def _points(before: Decimal | None, after: Decimal | None) -> str:
    if before is None or after is None:
        return "–"
    points = ((after - before) * 100).quantize(Decimal("1"))
    if points == 0:
        return "no change"
    return f"{'+' if points > 0 else '−'}{abs(points)} percentage points"


def _measures(before: DeprivationProfile, after: DeprivationProfile | None) -> list[MeasureRow]:
    def row(label, get, *, people=False):
        b = get(before)
        a = get(after) if after else None
        if people:
            change = "–" if a is None else f"{a - b:+,}"
            return MeasureRow(label, f"{b:,}", "–" if a is None else f"{a:,}", change)
        return MeasureRow(label, share_text(b), share_text(a), _points(b, a) if after else "–")

    rows = [
        row("Residents counted", lambda p: p.population, people=True),
        row("Living in Scotland's most deprived fifth of areas", lambda p: p.quintile1_share),
        row("Living in Scotland's 15% most deprived areas", lambda p: p.most_deprived_15pc_share),
    ]
    for index, domain in enumerate(before.domains):
        rows.append(
            row(
                f"{domain.label}: living in the most deprived fifth on this measure",
                lambda p, i=index: p.domains[i].share,
            )
        )
    return rows


def _moved(before: int, after: int | None) -> str:
    if after is None:
        return "not in the later release"
    if after < before:
        return f"ranked more deprived by {before - after:,} places"
    if after > before:
        return f"ranked less deprived by {after - before:,} places"
    return "same rank"


def _plain(before: DeprivationProfile, after: DeprivationProfile | None, later) -> list[str]:
    """For residents: the figures named by their year, not by the index's name (no "SIMD")."""

    def tenths(share):
        return "–" if share is None else f"about {round(share * 10)} in 10"

    lines = [
        f"In the {BASELINE_YEAR} figures, {tenths(before.quintile1_share)} people living around "
        "the project "
        "lived in one of the most deprived fifth of areas in Scotland."
    ]
    if after is not None:
        lines.append(
            f"In the {later.year} figures, it was {tenths(after.quintile1_share)} people. This "
            "compares the "
            "area with the rest of Scotland; it does not measure on its own whether life there "
            "got better or worse."
        )
    return lines


def place_comparison(project, later_key: str | None = None) -> PlaceComparison:
    """The catchment under the baseline and under a later release (the newest by default, or
    the one `later_key` names)."""
    options = releases()
    baseline, later_options = options[0], options[1:]
    later = next((r for r in later_options if r.key == later_key), None) or (
        later_options[-1] if later_options else None
    )
    zones = place.project_catchment(project).zones if place.place_data_loaded() else []
    if not zones:
        return PlaceComparison(
            located=False,
            baseline=baseline,
            later=later,
            choices=later_options,
            notes=["The project has no located catchment, so there is nothing to compare."],
        )
    before = release_profile(zones, baseline)
    after_zones = zone_figures(zones, later) if later else []
    after = _profile(after_zones) if later else None
    later_by_code = {z.code: z for z in after_zones}
    zone_rows = []
    for zone in before.zone_rows:
        match = later_by_code.get(zone.code)
        zone_rows.append(
            ZoneRow(
                zone.code,
                zone.name,
                zone.simd_rank,
                match.simd_rank if match else None,
                zone.quintile,
                match.quintile if match else None,
                _moved(zone.simd_rank, match.simd_rank if match else None) if later else "",
            )
        )
    return PlaceComparison(
        located=True,
        baseline=baseline,
        later=later,
        choices=later_options,
        measures=_measures(before, after),
        zones=zone_rows,
        plain=_plain(before, after, later),
        notes=[] if later else [ONE_RELEASE_NOTE],
    )
