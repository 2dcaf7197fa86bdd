"""Recording a stage's Place Standard and reading the compass over time, through the real routes."""

import pytest
from django.urls import reverse

from assessments.dataops.demo import seed_demo
from assessments.models import CapitalProject, PlaceStandardAssessment, PlaceStandardRating
from assessments.placestandard import queries
from tests.factories import make_place_standard, make_team_project, sign_off, start

pytestmark = pytest.mark.django_db


def form_data(**override):
    data = {
        "held_on": "2025-05-20",
        "community_respondents": "30",
        "officer_respondents": "6",
        "notes": "",
        "version": "",
    }
    for theme in queries.themes():
        data[f"rating_{theme.code}_community"] = "4"
        data[f"rating_{theme.code}_officers"] = "5"
    data.update(override)
    return data


@pytest.fixture
def stage(team):
    project = make_team_project(team)
    return start(project, by=team.pm)


def edit_url(stage):
    return reverse("assessments:place-standard-edit", args=[stage.pk])


def test_the_project_manager_records_ratings_and_not_rated_leaves_a_gap(stage, team, client):
    client.force_login(team.pm)
    response = client.post(edit_url(stage), form_data(rating_feeling_safe_officers=""))
    assert response.status_code == 302
    record = PlaceStandardAssessment.objects.get(assessment=stage)
    assert record.ratings.count() == 27
    assert not record.ratings.filter(theme__code="feeling_safe", group="officers").exists()
    page = client.get(reverse("assessments:place-standard", args=[stage.project_id]))
    assert "Only one stage has ratings so far" in page.content.decode()


def test_bad_input_is_shown_by_its_field_and_nothing_is_saved(stage, team, client):
    client.force_login(team.pm)
    response = client.post(
        edit_url(stage),
        form_data(
            held_on="2099-01-01", community_respondents="0", rating_natural_space_community="9"
        ),
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "cannot have been gathered in the future" in page
    assert "say how many people gave them" in page
    assert 'href="#id_rating_natural_space_community"' in page
    assert not PlaceStandardAssessment.objects.exists()


def test_a_save_from_an_older_version_is_refused_and_keeps_the_newer(stage, team, client):
    record = make_place_standard(stage, community=3, by=team.pm)
    client.force_login(team.admin)
    old = form_data(version=str(record.version))
    assert client.post(edit_url(stage), form_data(version=str(record.version))).status_code == 302
    client.force_login(team.pm)
    response = client.post(edit_url(stage), {**old, "rating_moving_around_community": "1"})
    assert response.status_code == 409
    assert "Someone else saved this Place Standard" in response.content.decode()
    assert (
        PlaceStandardRating.objects.get(theme__code="moving_around", group="community").score == 4
    )


def test_a_signed_off_stage_keeps_its_ratings(stage, team, client):
    make_place_standard(stage, community=3)
    sign_off(stage)
    client.force_login(team.pm)
    assert client.get(edit_url(stage)).status_code == 403
    assert client.post(edit_url(stage), form_data(version="1")).status_code == 403
    assert set(PlaceStandardRating.objects.values_list("score", flat=True)) == {3, 5}


@pytest.mark.parametrize(
    ("who", "read", "write"),
    [
        ("pm", 200, 200),
        ("admin", 200, 200),
        ("reviewer", 200, 403),
        ("sro", 200, 403),
        ("contributor", 200, 403),
        ("panel", 404, 404),
        ("other_pm", 404, 404),
        ("pmo", 200, 403),
    ],
)
def test_who_reads_and_who_records(stage, team, client, who, read, write):
    client.force_login(getattr(team, who))
    assert (
        client.get(reverse("assessments:place-standard", args=[stage.project_id])).status_code
        == read
    )
    assert client.get(edit_url(stage)).status_code == write


def test_the_demo_project_in_operation_has_a_compass_at_two_points_in_time(reference, client):
    seed_demo()
    project = CapitalProject.objects.get(reference="GCC-GI-021")
    assert project.current_stage.code == "OPERATION"
    client.force_login(project.project_manager)
    page = client.get(reverse("assessments:place-standard", args=[project.pk])).content.decode()
    assert (
        "Compass: Strategic Business Case, March 2021 and Handover and operation, September 2025"
        in page
    )
    assert page.count('class="ps-compass"') == 2
    assert "Strategic Business Case, March 2021: Natural space rated 2 out of 7" in page
    assert "Handover and operation, September 2025: Natural space rated 5 out of 7" in page


def test_the_panel_reads_the_place_standard_in_everyday_words_once_consulted(team, client):
    from assessments.community import consultation as community
    from tests.factories import stage_in_review

    assessment = stage_in_review(team)
    make_place_standard(assessment, community=[4] * 13 + [None])
    url = reverse("assessments:consultation", args=[assessment.pk])
    client.force_login(team.panel)
    assert client.get(url).status_code in (403, 404)  # no consultation held yet
    community.open_consultation(assessment, team.pm)
    page = client.get(url).content.decode()
    assert "How the place has changed" in page
    assert "local people rated 13 of the 14 parts of the place" in page
    assert "Place Standard compass" not in page
    assert (
        client.get(reverse("assessments:place-standard", args=[assessment.project_id])).status_code
        == 404
    )
