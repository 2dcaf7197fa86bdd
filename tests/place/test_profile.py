"""Place context: the vendored SIMD 2020v2 data, locating a project, its deprivation profile,
the catchment map, and the deprived-area share reaching the rules."""

import re
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from django.core.management import call_command

from assessments.enums import Role
from assessments.models import (
    Answer,
    DataZone,
    DataZoneNeighbour,
    IntermediateZone,
    LifecycleStage,
    PlaceDataVersion,
    Postcode,
)
from assessments.place import profile as place
from assessments.place.loading import load_place_data
from assessments.scoring import snapshots as scoring
from tests.factories import (
    loaded_place_data,
    make_assessment,
    make_project,
    make_user,
    unload_place_data,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module", autouse=True)
def _place_rows(django_db_setup, django_db_blocker):
    """The full region (about 2 s to load), once for this module, removed afterwards so other
    modules see the database they expect."""
    with django_db_blocker.unblock():
        loaded_place_data()
    yield
    with django_db_blocker.unblock():
        unload_place_data()


@pytest.fixture(autouse=True)
def _reload_after_flush(db):
    loaded_place_data()


def test_loading_is_idempotent_and_counts_the_region():
    report = load_place_data()
    assert not report.loaded
    assert PlaceDataVersion.objects.count() == 1
    assert DataZone.objects.count() == 2336
    assert IntermediateZone.objects.count() == 417
    assert Postcode.objects.count() == 46873
    assert (
        sum(DataZone.objects.filter(council_code="S12000049").values_list("population", flat=True))
        == 621020
    )
    # Neighbours are listed both ways.
    pair = DataZoneNeighbour.objects.select_related("zone", "neighbour").first()
    assert DataZoneNeighbour.objects.filter(zone=pair.neighbour, neighbour=pair.zone).exists()


def test_load_command_reports_nothing_to_do_the_second_time(capsys):
    call_command("load_place_data")
    assert "already loaded" in capsys.readouterr().out


def test_known_values_from_the_published_data():
    greenock = DataZone.objects.get(code="S01010891")
    assert greenock.simd_rank == 1
    assert greenock.name == "Greenock Town Centre and East Central - 02"
    assert greenock.council_code == "S12000018"
    assert (greenock.decile, greenock.quintile, greenock.most_deprived_15pc) == (1, 1, True)
    assert DataZone.objects.get(code="S01011598").simd_rank == 3
    assert len(DataZone.objects.get(code="S01010046").boundary[0][0]) > 3


def test_postcodes_resolve_to_their_data_zone():
    location = place.resolve_location(["G40 1HX"], [])
    assert location.zone_codes == ["S01010046"]
    assert location.notes == [] and location.errors == []
    pc = Postcode.objects.get(postcode="G40 1HX")
    assert (pc.sector, pc.district, pc.postcode_nospace, pc.council_code) == (
        "G40 1",
        "G40",
        "G401HX",
        "S12000049",
    )


def test_an_unknown_postcode_falls_back_to_its_sector_and_says_so():
    location = place.resolve_location(["G40 9ZZ"], [])
    assert location.zone_codes == ["S01010071"]
    assert location.errors == []
    assert location.notes == [
        "G40 9ZZ is not in the August 2020 postcode list, so we used its sector G40 9 instead: "
        "6 of the sector's 6 listed postcodes are in data zone S01010071."
    ]


def test_codes_outside_the_region_are_refused():
    location = place.resolve_location(["EH3 5AA"], ["S01008861", "S01010046"])
    assert location.zone_codes == ["S01010046"]
    assert "EH3 5AA is not in Glasgow City Region" in location.postcode_errors[0]
    assert "S01008861 is not one of the 2,336 data zones" in location.zone_errors[0]


def _project_form(council, **overrides):
    return {
        "title": "Shawfield remediation",
        "council": council.pk,
        "reference": "GCC-X-1",
        "description": "Clean-up of contaminated land.",
        "project_type": "regeneration",
        "budget": "1000000",
        # Looked up, not a fixed id: a transactional test may have reloaded the stages.
        "current_stage": LifecycleStage.objects.order_by("order").first().pk,
        "postcodes_text": "",
        "data_zones_text": "",
        **overrides,
    }


def test_project_form_refuses_places_outside_the_region(client_for, glasgow):
    pm = make_user(council=glasgow, role=Role.PROJECT_MANAGER)
    response = client_for(pm).post(
        "/projects/new/",
        _project_form(glasgow, postcodes_text="EH3 5AA", data_zones_text="S01008861"),
    )
    assert response.status_code == 200
    assert "EH3 5AA is not in Glasgow City Region" in response.content.decode()
    assert "S01008861 is not one of the 2,336 data zones" in response.content.decode()


def test_project_form_tells_the_user_about_a_sector_fallback(client_for, glasgow):
    pm = make_user(council=glasgow, role=Role.PROJECT_MANAGER)
    response = client_for(pm).post(
        "/projects/new/", _project_form(glasgow, postcodes_text="g40 9zz"), follow=True
    )
    page = response.content.decode()
    assert "we used its sector G40 9 instead" in page
    assert "Deprivation profile of the area" in page


def _zone(code, population, quintile, rank, most_deprived=False, **ranks):
    domain = {
        f"{k}_rank": Decimal(ranks.get(k, 3000))
        for k in ("income", "employment", "health", "access")
    }
    return DataZone(
        code=code,
        name=f"Zone {code}",
        population=population,
        quintile=quintile,
        simd_rank=rank,
        most_deprived_15pc=most_deprived,
        centroid_lat=55.85,
        centroid_lon=-4.2,
        boundary=[[[[-4.2, 55.85], [-4.19, 55.85], [-4.19, 55.86], [-4.2, 55.85]]]],
        **domain,
    )


def test_profile_counts_people_not_zones():
    zones = [
        _zone("S01000001", 600, 1, 100, True, income=90, health=2000),
        _zone("S01000002", 300, 1, 900, False, income=1395.5, health=1000),
        _zone("S01000003", 100, 4, 5000, False, income=6000, health=6000),
    ]
    profile = place.deprivation_profile(zones)
    assert profile.population == 1000
    assert [(q.quintile, q.zones, q.population, q.share) for q in profile.quintiles] == [
        (1, 2, 900, Decimal("0.9000")),
        (2, 0, 0, Decimal("0.0000")),
        (3, 0, 0, Decimal("0.0000")),
        (4, 1, 100, Decimal("0.1000")),
        (5, 0, 0, Decimal("0.0000")),
    ]
    assert profile.quintile1_share == Decimal("0.9000")
    assert (profile.most_deprived_15pc_population, profile.most_deprived_15pc_share) == (
        600,
        Decimal("0.6000"),
    )
    domains = {d.key: d for d in profile.domains}
    # 1395.5 is just outside Scotland's most deprived fifth (6976 / 5 = 1395.2).
    assert domains["income"].share == Decimal("0.6000")
    assert domains["income"].median_rank == Decimal("1395.5")
    assert domains["health"].share == Decimal("0.3000")
    assert [z.code for z in profile.zone_rows] == ["S01000001", "S01000002", "S01000003"]


def test_catchment_adds_neighbours_on_request():
    alone = place.catchment(["S01010046"])
    wider = place.catchment(["S01010046"], include_neighbours=True)
    assert [z.code for z in alone.zones] == ["S01010046"]
    expected = set(
        DataZoneNeighbour.objects.filter(zone__code="S01010046").values_list(
            "neighbour__code", flat=True
        )
    )
    assert {z.code for z in wider.neighbour_zones} == expected and len(expected) >= 3


def test_catchment_map_is_safe_svg_with_every_zone():
    wider = place.catchment(["S01010046"], include_neighbours=True)
    hostile = _zone("S01000009", 10, 2, 2000)
    hostile.name = '<script>alert("x")</script>'
    svg = place.catchment_svg(wider.project_zones, wider.neighbour_zones + [hostile])
    root = ET.fromstring(svg)  # well-formed XML
    titles = [t.text for t in root.iter("{http://www.w3.org/2000/svg}title")]
    for zone in wider.zones:
        assert any(t.startswith(zone.code) for t in titles)
    assert "<script" not in svg and "&lt;script&gt;" in svg
    assert "style=" not in svg
    assert 'stroke-width="2.5"' in svg  # the project zone is outlined


def test_project_page_shows_profile_map_and_attribution(client_for, glasgow):
    pm = make_user(council=glasgow, role=Role.PROJECT_MANAGER)
    project = make_project(
        council=glasgow,
        postcodes=["G40 1HX"],
        data_zones=["S01010046"],
        catchment_includes_neighbours=True,
    )
    page = client_for(pm).get(project.get_absolute_url()).content.decode()
    assert "Deprivation profile of the area" in page
    assert "<svg" in page and "S01010046" in page
    assert "Open Government Licence v3.0" in page
    assert "Contains Royal Mail data" in page


def test_about_page_is_public_and_carries_the_attribution(client):
    page = client.get("/about/").content.decode()
    assert "Scottish Index of Multiple Deprivation 2020v2" in page
    assert "Public Health Scotland" in page and "Contains Ordnance Survey data" in page


def test_deprived_area_share_reaches_the_rules(glasgow):
    """Dalmarnock (S01010046) is entirely in SIMD quintile 1, so a harm on a place-based
    determinant there counts as affecting people living in deprived areas."""
    assessment = make_assessment(council=glasgow, stage_code="OBC", data_zones=["S01010046"])
    answer = Answer.objects.filter(
        assessment=assessment, question__determinant__code="D05"
    ).order_by("question__order")[0]
    answer.direction, answer.likelihood, answer.severity = "negative", 3, 2
    answer.duration, answer.reach = "medium", "locality"
    answer.save()
    assert place.deprived_area_share(assessment.project) == Decimal("1.0000")
    result = scoring.refresh_snapshot(assessment)
    score = next(s for s in result.answers if s.key == answer.question.code)
    assert "SE_AREA_DEP" in score.priority_groups

    elsewhere = make_assessment(council=glasgow, stage_code="OBC")
    assert scoring.build_context(elsewhere).deprived_area_share is None


def test_changing_the_location_rescores_open_assessments(client_for, glasgow):
    pm = make_user(council=glasgow, role=Role.PROJECT_MANAGER)
    assessment = make_assessment(council=glasgow, stage_code="OBC")
    answer = Answer.objects.filter(
        assessment=assessment, question__determinant__code="D05"
    ).order_by("question__order")[0]
    answer.direction, answer.likelihood, answer.severity = "negative", 3, 2
    answer.save()
    scoring.refresh_snapshot(assessment)
    score = next(
        s for s in scoring.stored_result(assessment).answers if s.key == answer.question.code
    )
    assert "SE_AREA_DEP" not in score.priority_groups
    project = assessment.project
    form = _project_form(
        glasgow,
        title=project.title,
        reference=project.reference,
        current_stage=project.current_stage_id,
        data_zones_text="S01010046",
        lock_version=project.lock_version,
    )
    response = client_for(pm).post(f"/projects/{project.pk}/edit/", form)
    assert response.status_code == 302
    assessment.refresh_from_db()
    score = next(
        s for s in scoring.stored_result(assessment).answers if s.key == answer.question.code
    )
    assert "SE_AREA_DEP" in score.priority_groups


def test_the_panels_map_names_areas_in_everyday_words(glasgow):
    project = make_project(council=glasgow, postcodes=[], data_zones=["S01010212"])

    plain = place.panel_map_svg(project)
    staff = place.project_place(project).svg

    ET.fromstring(plain)  # well-formed, self-contained SVG
    assert "Map of where the project is" in plain and "Where the project is" in plain
    assert "SIMD" not in plain and "quintile" not in plain.lower()
    assert "S01010212" not in plain and "S01010212" in staff
    assert re.search(
        r"<title>[^<]+, where the project is: 1 – most deprived 20% of Scotland", plain
    )
