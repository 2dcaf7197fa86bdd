"""The catchment map: the catchment among the zones around it, shaded by SIMD quintile with a
palette whose contrast is checked, council boundaries, words for residents, and a fixed number
of queries whatever the catchment's size."""

import re
import xml.etree.ElementTree as ET

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.community import consultation as community
from assessments.enums import Role
from assessments.models import DataZone, DataZoneNeighbour
from assessments.place import catchment_map
from assessments.place import profile as place
from assessments.review import workflow
from tests.factories import (
    loaded_place_data,
    make_project,
    make_user,
    ready_to_submit,
    unload_place_data,
)

pytestmark = pytest.mark.django_db
SVG = "{http://www.w3.org/2000/svg}"
DALMARNOCK = "S01010046"
# An East Dunbartonshire zone touching Glasgow City and West Dunbartonshire zones.
ON_THE_BOUNDARY = "S01008033"


@pytest.fixture(scope="module", autouse=True)
def _place_rows(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        loaded_place_data()
    yield
    with django_db_blocker.unblock():
        unload_place_data()


@pytest.fixture(autouse=True)
def _reload_after_flush(reference):
    """A transactional test earlier in the same worker may have emptied both the place data and
    the councils the map names."""
    loaded_place_data()


def _zones(*codes):
    return list(DataZone.objects.filter(code__in=codes).order_by("code"))


def _contrast(a: str, b: str) -> float:
    def luminance(colour: str) -> float:
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_palette_is_sequential_and_its_numbers_and_far_bands_contrast():
    fills = catchment_map.QUINTILE_FILLS
    darkest_first = [_contrast(fills[q], "#000000") for q in range(1, 6)]
    assert darkest_first == sorted(darkest_first)
    for q in range(1, 4):
        assert _contrast(fills[q], fills[q + 2]) >= 3, q
    for q in range(1, 6):
        assert _contrast(fills[q], catchment_map.NUMBER_INK[q]) >= 4.5, q


def test_the_map_shows_the_rings_around_the_catchment_bounded_and_nearest_first():
    found = catchment_map.surroundings(_zones(DALMARNOCK))
    touching = set(
        DataZoneNeighbour.objects.filter(zone__code=DALMARNOCK).values_list(
            "neighbour__code", flat=True
        )
    )
    around = {z.code for z in found.around}

    assert touching <= around  # the first ring, whole
    assert len(around - touching) >= 1  # and some of the second
    assert DALMARNOCK not in around and len(found.around) <= catchment_map.MAX_AROUND
    drawn = catchment_map.draw(found)
    root = ET.fromstring(drawn.svg)
    titles = [t.text for t in root.iter(f"{SVG}title")]
    assert any(t.startswith(f"{DALMARNOCK} ") and "in the catchment" in t for t in titles)
    assert sum("around the catchment" in t for t in titles) == len(found.around)
    assert [r.code for r in drawn.rows][0] == DALMARNOCK and len(drawn.rows) == len(around) + 1
    assert "1 – most deprived 20% of Scotland" in drawn.svg
    assert "5 – least deprived 20%" in drawn.svg
    assert "style=" not in drawn.svg


def test_a_council_boundary_is_drawn_and_named():
    found = catchment_map.surroundings(_zones(ON_THE_BOUNDARY))
    drawn = catchment_map.draw(found)

    assert found.council_edges and "stroke-dasharray" in drawn.svg
    assert "Council boundary" in drawn.svg
    assert "council boundaries between East Dunbartonshire and Glasgow City;" in drawn.summary
    assert {r.council for r in drawn.rows} >= {"East Dunbartonshire", "Glasgow City"}

    inland = catchment_map.draw(catchment_map.surroundings(_zones(DALMARNOCK)))
    assert "Council boundary" not in inland.svg
    assert "Every area shown is in Glasgow City" in inland.summary


def test_reading_the_map_takes_the_same_queries_for_one_zone_or_many():
    catchment_map.surroundings(_zones(DALMARNOCK))  # the council boundaries, cached once

    alone = _zones(DALMARNOCK)
    many = _zones(DALMARNOCK, "S01010047", "S01010045", "S01010044")
    with CaptureQueriesContext(connection) as one:
        catchment_map.draw(catchment_map.surroundings(alone))
    with CaptureQueriesContext(connection) as four:
        catchment_map.draw(catchment_map.surroundings(many), plain=True)

    assert len(one) == len(four) == 4  # two rings, the place data version, council names
    cache.clear()
    with CaptureQueriesContext(connection) as cold:
        catchment_map.surroundings(alone)
    assert len(cold) == 5  # and once per load of the place data, the council boundaries


def test_plain_words_name_no_codes_and_escape_names():
    zones = _zones(DALMARNOCK)
    zones[0].name = '<script>alert("x")</script>'
    drawn = catchment_map.draw(catchment_map.surroundings(zones), plain=True)

    ET.fromstring(drawn.svg)
    assert "<script" not in drawn.svg and "&lt;script&gt;" in drawn.svg
    assert not re.search(r"S0\d{7}", drawn.svg + drawn.summary)
    assert "SIMD" not in drawn.svg and "quintile" not in drawn.svg.lower()
    assert drawn.summary.startswith("Where the project is: 1 area in Glasgow City")


def test_the_project_page_lists_every_zone_on_the_map(client_for, glasgow):
    pm = make_user(council=glasgow, role=Role.PROJECT_MANAGER)
    project = make_project(council=glasgow, postcodes=[], data_zones=[DALMARNOCK])
    neighbour = DataZoneNeighbour.objects.filter(zone__code=DALMARNOCK).first().neighbour

    page = client_for(pm).get(project.get_absolute_url()).content.decode()

    assert 'class="catchment-map"' in page and "Council boundary" not in page
    assert "Data zones on the map" in page and neighbour.code in page
    assert "The catchment: 1 data zone in Glasgow City" in page


def test_the_panel_reads_the_map_in_words_without_codes(client_for, team):
    assessment = ready_to_submit(team, stage="STRATEGIC")
    assessment.project.data_zones = [DALMARNOCK]
    assessment.project.save()
    workflow.submit(assessment, team.pm)
    community.open_consultation(assessment, team.pm)
    neighbour = DataZoneNeighbour.objects.filter(zone__code=DALMARNOCK).first().neighbour

    url = reverse("assessments:consultation", args=[assessment.pk])
    page = client_for(team.panel).get(url).content.decode()
    where = page[page.index('id="where-title"') : page.index('id="harms-title"')]

    assert "Map of where the project is" in where and neighbour.name in where
    assert "Nearby" in where and "Where the project is" in where
    assert not re.search(r"S0\d{7}", where) and "SIMD" not in where


def test_project_place_keeps_the_map_it_drew(glasgow):
    project = make_project(council=glasgow, data_zones=[DALMARNOCK])
    found = place.project_place(project)
    assert found.map and found.svg == found.map.svg and found.surroundings
