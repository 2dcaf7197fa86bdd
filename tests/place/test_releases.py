"""A later deprivation release: loaded beside SIMD 2020v2 as its own version, refused whole when
any row is wrong, and compared with the baseline on the project's place page.

The "later release" here is made up in the test from made-up zones, with ranks shifted: no real
figures are invented."""

import csv
import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from assessments.enums import Role
from assessments.models import DataZone, DeprivationFigure, DeprivationRelease
from assessments.place.comparison import ONE_RELEASE_NOTE, place_comparison
from assessments.place.releases import ReleaseFileError, load_release
from tests.factories import make_project, make_user, make_zone

pytestmark = pytest.mark.django_db

HEADER = [
    "dz_code", "dz_name", "total_population", "simd_rank", "simd_decile", "simd_quintile",
    "income_domain_rank", "employment_domain_rank", "health_domain_rank",
    "education_domain_rank", "access_domain_rank", "crime_domain_rank", "housing_domain_rank",
    "most_deprived_15pc",
]  # fmt: skip


def fake_row(code, *, rank, population=500, **override):
    decile = min(10, (rank - 1) * 10 // 6976 + 1)
    row = {
        "dz_code": code,
        "dz_name": "Fake",
        "total_population": population,
        "simd_rank": rank,
        "simd_decile": decile,
        "simd_quintile": (decile + 1) // 2,
        **dict.fromkeys(HEADER[6:13], rank),
        "most_deprived_15pc": int(rank <= 1046),
    }
    row.update(override)
    return row


def fake_file(rows) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=HEADER)
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


@pytest.fixture
def zones(reference):
    """Two made-up zones: 620 people in quintile 1 (rank 100), 380 in quintile 3 (rank 3500)."""
    make_zone("S01999991", quintile=1, population=620)
    make_zone("S01999992", quintile=3, population=380)
    return ["S01999991", "S01999992"]


def shifted_release(zones) -> bytes:
    """The first zone moves out of the most deprived fifth (rank 100 -> 1500)."""
    return fake_file(
        [
            fake_row(zones[0], rank=1500, population=650),
            fake_row(zones[1], rank=3400, population=400),
        ]
    )


def test_a_later_release_is_stored_beside_the_baseline_without_changing_it(zones):
    report = load_release(shifted_release(zones), label="Fake SIMD 2030", year=2030)
    assert report.loaded
    assert DeprivationFigure.objects.get(zone_code=zones[0]).simd_rank == 1500
    assert DataZone.objects.get(code=zones[0]).simd_rank == 100  # baseline untouched
    again = load_release(shifted_release(zones), label="Fake SIMD 2030", year=2030)
    assert not again.loaded and DeprivationRelease.objects.count() == 1


def test_a_different_file_under_a_used_name_is_refused(zones):
    load_release(shifted_release(zones), label="Fake SIMD 2030", year=2030)
    other = fake_file([fake_row(zones[0], rank=1600), fake_row(zones[1], rank=3400)])
    with pytest.raises(ReleaseFileError, match="already loaded as Fake SIMD 2030"):
        load_release(other, label="Fake SIMD 2030", year=2030)


@pytest.mark.parametrize(
    ("override", "expected"),
    [
        ({"simd_rank": 7000}, "Line 2: simd_rank is '7000', not a whole number from 1 to 6976."),
        ({"simd_rank": "abc"}, "Line 2: simd_rank is 'abc'"),
        ({"dz_code": "S01000001"}, "Line 2: data zone S01000001 is not one of this site's"),
        ({"simd_decile": 9, "simd_quintile": 1}, "Line 2: decile 9 does not fall in quintile 1."),
        ({"health_domain_rank": "0"}, "Line 2: health_domain_rank is '0', not a rank"),
        ({"most_deprived_15pc": "yes"}, "Line 2: most_deprived_15pc is 'yes', not 0 or 1."),
    ],
)
def test_a_bad_row_refuses_the_whole_file_with_a_line_by_line_report(zones, override, expected):
    raw = fake_file([fake_row(zones[0], rank=1500, **override), fake_row(zones[1], rank=3400)])
    with pytest.raises(ReleaseFileError) as refused:
        load_release(raw, label="Fake SIMD 2030", year=2030)
    assert any(p.startswith(expected) for p in refused.value.problems), refused.value.problems
    assert not DeprivationRelease.objects.exists() and not DeprivationFigure.objects.exists()


def test_missing_columns_duplicates_and_missing_zones_are_each_reported(zones):
    with pytest.raises(ReleaseFileError, match="no column simd_rank"):
        load_release(b"dz_code,total_population\nS01999991,5\n", label="X", year=2030)
    twice = fake_file([fake_row(zones[0], rank=10), fake_row(zones[0], rank=10)])
    with pytest.raises(ReleaseFileError) as refused:
        load_release(twice, label="X", year=2030)
    assert (
        "Line 3: data zone S01999991 is listed again (first on line 2)." in refused.value.problems
    )
    assert any("1 of this site's data zones are missing" in p for p in refused.value.problems)


def test_the_command_prints_the_report_and_stores_nothing_on_a_bad_file(zones, tmp_path):
    bad = tmp_path / "later.csv"
    bad.write_bytes(fake_file([fake_row(zones[0], rank=0), fake_row(zones[1], rank=3400)]))
    with pytest.raises(CommandError, match="simd_rank is '0'"):
        call_command("load_deprivation_release", str(bad), label="Fake", year=2030)
    good = tmp_path / "later-good.csv"
    good.write_bytes(shifted_release(zones))
    out = io.StringIO()
    call_command("load_deprivation_release", str(good), label="Fake", year=2030, stdout=out)
    assert "Fake loaded: 2 data zones." in out.getvalue()


def test_comparison_says_plainly_when_only_the_baseline_is_loaded(zones, glasgow):
    project = make_project(council=glasgow, data_zones=zones)
    comparison = place_comparison(project)
    assert comparison.only_baseline
    assert comparison.notes == [ONE_RELEASE_NOTE]
    assert comparison.measures[1].baseline == "62%"


def test_comparison_counts_both_releases_the_same_way(zones, glasgow):
    load_release(shifted_release(zones), label="Fake SIMD 2030", year=2030)
    project = make_project(council=glasgow, data_zones=zones)
    comparison = place_comparison(project)
    residents, fifth = comparison.measures[0], comparison.measures[1]
    assert (residents.baseline, residents.later, residents.change) == ("1,000", "1,050", "+50")
    assert (fifth.baseline, fifth.later, fifth.change) == ("62%", "0%", "−62 percentage points")
    assert comparison.zones[0].moved == "ranked less deprived by 1,400 places"


def test_the_page_shows_both_releases_and_the_relative_ranks_note(zones, glasgow, client):
    load_release(shifted_release(zones), label="Fake SIMD 2030", year=2030)
    project = make_project(council=glasgow, data_zones=zones)
    reader = make_user("reviewer.place", council=glasgow, role=Role.REVIEWER)
    client.force_login(reader)
    page = client.get(reverse("assessments:place-change", args=[project.pk])).content.decode()
    assert "SIMD ranks are relative" in page
    assert "Fake SIMD 2030" in page and "SIMD 2020v2 (baseline)" in page
    assert "−62 percentage points" in page


def test_another_councils_staff_cannot_see_the_comparison(zones, glasgow, renfrewshire, client):
    project = make_project(council=glasgow, data_zones=zones)
    client.force_login(make_user("pm.other", council=renfrewshire, role=Role.PROJECT_MANAGER))
    assert client.get(reverse("assessments:place-change", args=[project.pk])).status_code == 404
