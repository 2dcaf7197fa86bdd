"""The regional portfolio dashboard: who sees it, what the filters do, and that its cost in
queries does not grow with the portfolio."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessments.dataops.scale import seed_scale
from assessments.enums import AssessmentStatus, Role
from assessments.models import Answer, CapitalProject, StageAssessment
from assessments.portfolio import cache as portfolio_cache
from assessments.scoring import snapshots as scoring
from tests.factories import (
    make_assessment,
    make_harms_one_third_on_priority_groups,
    make_project,
    make_user,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def pmo(reference):
    return make_user(role=Role.PMO_VIEWER)


def _queries(client, url) -> int:
    portfolio_cache.forget()  # count the queries that work the figures out, not the cache's
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    # An empty page skips its query; compare like with like.
    assert response.context["page"].object_list
    return len(captured.captured_queries)


def test_who_may_see_the_dashboard(client_for, glasgow, renfrewshire, pmo):
    make_project(council=glasgow, title="Glasgow school")
    make_project(council=renfrewshire, title="Paisley depot")
    page = client_for(pmo).get("/dashboard/").content.decode()
    assert "Glasgow school" in page and "Paisley depot" in page

    admin = make_user(council=renfrewshire, role=Role.COUNCIL_ADMIN)
    page = client_for(admin).get("/dashboard/").content.decode()
    assert "Paisley depot" in page and "Glasgow school" not in page
    assert 'href="/dashboard/"' in page  # nav link

    pm = make_user(council=glasgow, role=Role.PROJECT_MANAGER)
    assert client_for(pm).get("/dashboard/").status_code == 403
    assert client_for(pm).get("/dashboard/export.csv").status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get("/dashboard/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def _harm(assessment, determinant="D05"):
    answer = Answer.objects.filter(
        assessment=assessment, question__determinant__code=determinant
    ).order_by("question__order")[0]
    answer.direction, answer.likelihood, answer.severity, answer.reach = "negative", 4, 3, "region"
    answer.save()
    scoring.refresh_snapshot(assessment)
    return assessment


def test_filters_narrow_the_list_and_the_figures(client_for, glasgow, renfrewshire, pmo):
    red = _harm(make_assessment(council=glasgow, title="Harmful depot", city_deal=True))
    make_assessment(council=renfrewshire, title="Quiet library")
    assert red.overall_rating == "red"
    client = client_for(pmo)

    page = client.get("/dashboard/?rating=red").content.decode()
    assert "Harmful depot" in page and "Quiet library" not in page
    page = client.get(f"/dashboard/?council={renfrewshire.pk}").content.decode()
    assert "Quiet library" in page and "Harmful depot" not in page
    page = client.get("/dashboard/?city_deal=true").content.decode()
    assert "Harmful depot" in page and "Quiet library" not in page
    flag = red.open_flags[0]
    page = client.get(f"/dashboard/?flag={flag}").content.decode()
    assert "Harmful depot" in page and "Quiet library" not in page
    page = client.get("/dashboard/?project_type=housing").content.decode()
    assert "No projects match these filters." in page


def test_heat_map_and_headline_figures(client_for, glasgow, pmo):
    _harm(make_assessment(council=glasgow, title="Harmful depot"))
    response = client_for(pmo).get("/dashboard/")
    headline = response.context["headline"]
    assert headline.projects == 1
    assert {r["rating"]: r["projects"] for r in headline.by_rating}["red"] == 1
    assert headline.stages_pending == 1 and headline.stages_signed_off == 0
    heat = response.context["heat_map"]
    column = [c.id for c in heat.councils].index(glasgow.id)
    d05 = next(cells for determinant, cells in heat.rows if determinant.code == "D05")
    assert d05[column].red == 1


def test_sorting_by_budget(client_for, glasgow, pmo):
    make_project(council=glasgow, title="Small", budget=1000)
    make_project(council=glasgow, title="Large", budget=90000000)
    page = client_for(pmo).get("/dashboard/?sort=-budget").content.decode()
    assert page.index("Large") < page.index("Small")
    page = client_for(pmo).get("/dashboard/?sort=budget").content.decode()
    assert page.index("Small") < page.index("Large")


def test_signed_off_stages_are_counted(client_for, glasgow, pmo):
    assessment = make_assessment(council=glasgow)
    StageAssessment.objects.filter(pk=assessment.pk).update(status=AssessmentStatus.SIGNED_OFF)
    headline = client_for(pmo).get("/dashboard/").context["headline"]
    assert (headline.stages_signed_off, headline.stages_pending) == (1, 0)


def test_dashboard_cost_does_not_grow_with_the_portfolio(client_for, pmo):
    client = client_for(pmo)
    seed_scale(3)
    # The first page after a test sign-in also stores the session's CSRF secret; count from the
    # second, as for anyone signed in through the sign-in page.
    client.get("/dashboard/")
    small = _queries(client, "/dashboard/")
    small_filtered = _queries(client, "/dashboard/?city_deal=false&sort=-rating")
    small_list = _queries(client, "/projects/")
    seed_scale(27)
    assert CapitalProject.objects.count() == 30
    assert _queries(client, "/dashboard/") == small
    assert _queries(client, "/dashboard/?city_deal=false&sort=-rating") == small_filtered
    assert _queries(client, "/projects/") == small_list


def test_project_list_is_paginated(client_for, pmo):
    seed_scale(55)
    client = client_for(pmo)
    first = client.get("/projects/").content.decode()
    assert "Page 1 of 2" in first
    second = client.get("/projects/?page=2").content.decode()
    assert second.count("SCALE-000") == 5


def test_the_equity_index_is_described_as_the_share_of_harm_on_priority_groups(
    client_for, glasgow, pmo
):
    assert str(make_harms_one_third_on_priority_groups(glasgow).equity_index) == "0.3333"
    page = client_for(pmo).get("/dashboard/").content.decode()
    assert "benefit that reaches priority groups" not in page and "higher is fairer" not in page
    assert "The equity index is the share of the harm that falls on priority groups" in page
    assert "Higher means more of the harm falls on priority groups, which is worse." in page
    assert "Equity index (% of harm on priority groups, higher is worse)" in page
    listed = page[page.index('id="list-heading"') :]
    assert '<td class="text-end">33.3%</td>' in listed  # the project, as a percentage
    by_council = page[page.index('id="equity-heading"') : page.index('id="list-heading"')]
    assert '<td class="text-end">33.3%</td>' in by_council  # Glasgow's mean
