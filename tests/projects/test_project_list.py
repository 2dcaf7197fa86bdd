"""The project list: status, stage, rating and last change; search, filters, sorting, pages."""

import pytest
from django.urls import reverse

from assessments.models import CapitalProject
from assessments.projects import views
from assessments.review import workflow
from tests.factories import make_team_project, ready_to_submit, start

LIST = reverse("assessments:project-list")


def _rows(page: str) -> str:
    return page[page.index("<tbody>") : page.index("</tbody>")]


@pytest.fixture
def projects(team):
    submitted = ready_to_submit(team, reference="GCC-RIV-1")
    CapitalProject.objects.filter(pk=submitted.project_id).update(title="Riverside homes")
    workflow.submit(submitted, team.pm)
    school = make_team_project(team, reference="GCC-SCH-2")
    CapitalProject.objects.filter(pk=school.pk).update(
        title="New primary school", postcodes=["G51 2AB"]
    )
    start(school, by=team.pm)
    park = make_team_project(team, reference="GCC-PRK-3", stage="OBC")
    CapitalProject.objects.filter(pk=park.pk).update(title="Park paths")
    return team


def test_the_list_shows_status_stage_rating_and_last_change(client, projects):
    client.force_login(projects.pm)
    page = client.get(LIST).content.decode()
    for header in ("Stage", "Status", "Rating", "Last change"):
        assert f">{header}<span" in page
    riverside = page[page.index("Riverside homes") :]
    riverside = riverside[: riverside.index("</tr>")]
    assert "Submitted for review" in riverside and "Strategic Business Case" in riverside
    assert "Green" in riverside or "Amber" in riverside or "Red" in riverside
    park = page[page.index("Park paths") :]
    assert "Not started" in park[: park.index("</tr>")]


def test_search_by_title_reference_or_postcode(client, projects):
    client.force_login(projects.pm)
    for words, found in (
        ("school", "New primary"),
        ("prk-3", "Park paths"),
        ("g51 2ab", "New primary"),
    ):
        rows = _rows(client.get(LIST, {"q": words}).content.decode())
        assert found in rows, words
        assert rows.count("<tr>") == 1, words


def test_filters_keep_their_chosen_values_and_narrow_the_list(client, projects):
    client.force_login(projects.pm)
    page = client.get(LIST, {"status": "submitted"}).content.decode()
    assert _rows(page).count("<tr>") == 1 and "Riverside homes" in _rows(page)
    assert '<option value="submitted" selected>' in page
    page = client.get(LIST, {"stage": projects.pm and _obc_id()}).content.decode()
    assert "Park paths" in _rows(page) and "Riverside homes" not in _rows(page)


def _obc_id():
    from assessments.models import LifecycleStage

    return LifecycleStage.objects.get(code="OBC").pk


def test_sorting_by_a_column_and_reversing_it(client, projects):
    client.force_login(projects.pm)
    rows = _rows(client.get(LIST, {"sort": "reference"}).content.decode())
    assert rows.index("GCC-PRK-3") < rows.index("GCC-RIV-1") < rows.index("GCC-SCH-2")
    page = client.get(LIST, {"sort": "-reference"}).content.decode()
    rows = _rows(page)
    assert rows.index("GCC-SCH-2") < rows.index("GCC-RIV-1") < rows.index("GCC-PRK-3")
    assert 'aria-sort="descending"' in page


def test_the_list_pages_and_keeps_the_search_on_each_page(client, projects, monkeypatch):
    monkeypatch.setattr(views, "PROJECTS_PER_PAGE", 2)
    client.force_login(projects.pm)
    page = client.get(LIST, {"q": "GCC"}).content.decode()
    assert "Page 1 of 2" in page and "?q=GCC&amp;page=2" in page


@pytest.mark.parametrize("count", [1, 12])
def test_the_list_costs_the_same_queries_for_many_projects(
    client, team, count, django_assert_num_queries
):
    for n in range(count):
        start(make_team_project(team, reference=f"M-{n}"), by=team.pm)
    client.force_login(team.pm)
    with django_assert_num_queries(9):
        assert client.get(LIST, {"sort": "rating"}).status_code == 200
