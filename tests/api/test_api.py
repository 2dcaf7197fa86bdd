"""The read-only API through its real routes with personal tokens: each caller reads exactly
what the HTML pages show them, lists filter and page, and the dashboard figures are the
dashboard's."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from assessments.enums import AssessmentStatus
from assessments.models import (
    Action,
    CapitalProject,
    CommunityComment,
    ConsultationWindow,
    LifecycleStage,
    StageAssessment,
)
from assessments.portfolio import figures as portfolio
from tests.factories import (
    add_harm,
    answer_everything,
    force_status,
    make_api_token,
    make_project,
    make_team_project,
    start,
)
from tests.test_hostile_input import MARKUP, UNICODE


@pytest.fixture
def estate(team):
    """Two projects in the team's council (one harmed, in consultation), one in the other."""
    harmed = start(make_team_project(team, reference="T-001"), by=team.pm)
    answer_everything(harmed)
    add_harm(harmed)
    force_status(harmed, AssessmentStatus.SUBMITTED)
    window = ConsultationWindow.objects.create(assessment=harmed, opened_by=team.pm)
    for hidden in (False, True):
        CommunityComment.objects.create(
            assessment=harmed,
            window=window,
            text="Noise",
            is_concern=True,
            author=team.panel,
            hidden=hidden,
        )
    Action.objects.create(
        assessment=harmed,
        text="Dust screens",
        owner="Site manager",
        due_stage=LifecycleStage.objects.get(code="FBC"),
    )
    draft = start(make_team_project(team, reference="T-002", stage="OBC"), by=team.pm)
    answer_everything(draft)
    elsewhere = start(make_project(council=team.other_council, reference="B-001"), by=team.other_pm)
    return {"harmed": harmed, "draft": draft, "elsewhere": elsewhere, "window": window}


_TOKENS: dict[tuple, str] = {}


def bearer(user) -> str:
    """One token per test user (a user holds only so many live tokens)."""
    key = (user.pk, user.username, user.date_joined)
    if key not in _TOKENS:
        _TOKENS[key] = make_api_token(user)
    return f"Bearer {_TOKENS[key]}"


def api(user, url, **params):
    return Client(HTTP_AUTHORIZATION=bearer(user)).get(url, params)


def refs(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [
        row.get("reference") or row.get("project_reference") for row in response.json()["results"]
    ]


def test_each_caller_reads_only_what_the_pages_show_them(team, estate):
    assert refs(api(team.pm, "/api/v1/projects/")) == ["T-001", "T-002"]
    assert refs(api(team.other_pm, "/api/v1/projects/")) == ["B-001"]
    assert refs(api(team.pmo, "/api/v1/projects/")) == ["T-001", "T-002", "B-001"]
    assert refs(api(team.panel, "/api/v1/projects/")) == []
    assert refs(api(team.other_pm, "/api/v1/assessments/")) == ["B-001"]
    elsewhere = estate["elsewhere"]
    for url in (
        f"/api/v1/projects/{elsewhere.project_id}/",
        f"/api/v1/assessments/{elsewhere.pk}/",
    ):
        assert api(team.pm, url).status_code == 404
        assert api(team.other_pm, url).status_code == 200
    answers = api(team.other_pm, "/api/v1/answers/", page_size=1000).json()["results"]
    assert {row["assessment"] for row in answers} == {elsewhere.pk}
    assert api(team.other_pm, "/api/v1/actions/").json()["count"] == 0
    assert api(team.pm, "/api/v1/actions/").json()["results"][0]["text"] == "Dust screens"


def test_the_panel_sees_consultations_of_its_council_with_hidden_comments_left_out(team, estate):
    rows = api(team.panel, "/api/v1/consultations/").json()["results"]
    assert [row["assessment"] for row in rows] == [estate["harmed"].pk]
    assert rows[0]["is_open"] and rows[0]["comments"] == 1 and rows[0]["concerns"] == 1
    assert api(team.other_panel, "/api/v1/consultations/").json()["count"] == 0
    # A draft's consultation (opened before a stage went back to draft) stays hidden from the panel.
    force_status(estate["harmed"], AssessmentStatus.DRAFT)
    assert api(team.panel, "/api/v1/consultations/").json()["count"] == 0
    assert api(team.pm, "/api/v1/consultations/").json()["count"] == 1


def test_an_assessment_carries_its_ratings_flags_and_scores(team, estate):
    harmed = estate["harmed"]
    harmed.refresh_from_db()
    row = api(team.pm, f"/api/v1/assessments/{harmed.pk}/").json()
    assert row["overall_rating"] == harmed.overall_rating != ""
    assert row["flags"] == sorted(harmed.open_flags) and row["flags"]
    assert row["rule_set_version"] == harmed.rule_set.version
    assert row["equity_index"] == (float(harmed.equity_index) if harmed.equity_index else None)
    d05 = next(r for r in row["ratings"] if r["determinant"] == "D05")
    assert d05["harm_rag"] in ("red", "amber")
    assert row["stage"] == "SBC" and row["council_code"] == team.council.code


def test_lists_filter_by_council_stage_status_rating_flag_and_change_time(team, estate):
    harmed, flag = estate["harmed"], estate["harmed"].open_flags[0]
    harmed.refresh_from_db()
    pmo = team.pmo
    assert refs(api(pmo, "/api/v1/projects/", council=team.other_council.code)) == ["B-001"]
    assert refs(api(pmo, "/api/v1/projects/", stage="OBC")) == ["T-002"]
    assert refs(api(pmo, "/api/v1/projects/", status="submitted")) == ["T-001"]
    assert refs(api(pmo, "/api/v1/projects/", rating=harmed.overall_rating)) == ["T-001"]
    assert refs(api(pmo, "/api/v1/projects/", flag=flag)) == ["T-001"]
    assert refs(api(pmo, "/api/v1/assessments/", flag=flag)) == ["T-001"]
    assert refs(api(pmo, "/api/v1/assessments/", status="draft", stage="OBC")) == ["T-002"]
    later = (timezone.now() + timedelta(hours=1)).isoformat()
    assert refs(api(pmo, "/api/v1/projects/", changed_since=later)) == []
    CapitalProject.objects.filter(reference="B-001").update(
        updated_at=timezone.now() + timedelta(hours=2)
    )
    assert refs(api(pmo, "/api/v1/projects/", changed_since=later)) == ["B-001"]
    # ISO allows an offset PostgreSQL refuses: the time is taken in UTC.
    odd = "2026-01-01T00:00:00+20:17"
    assert refs(api(pmo, "/api/v1/assessments/", changed_since=odd)) == ["T-001", "T-002", "B-001"]
    assert refs(
        api(pmo, "/api/v1/projects/", changed_since=odd, council=team.other_council.code)
    ) == ["B-001"]
    bad_values = (
        {"council": "nowhere"},
        {"status": "lost"},
        {"changed_since": "yesterday"},
        {"changed_since": "0001-01-01T00:00:00+05:00"},
    )
    for bad in bad_values:
        response = api(pmo, "/api/v1/projects/", **bad)
        assert response.status_code == 400 and set(bad) <= set(response.json())
    # Ids are whole numbers the database can hold (schemathesis sent -3.4e+188: a 500 on SQLite).
    for bad_id in ("-3.389412162642135e+188", "1.5", "0", str(2**63)):
        for path, name in (("/api/v1/actions/", "project"), ("/api/v1/answers/", "assessment")):
            response = api(pmo, path, **{name: bad_id})
            assert response.status_code == 400 and name in response.json()


def test_pages_are_ordered_by_id_and_follow_on(team, estate):
    first = api(team.pmo, "/api/v1/answers/", page_size=7).json()
    second = Client(HTTP_AUTHORIZATION=bearer(team.pmo)).get(first["next"]).json()
    ids = [row["id"] for row in first["results"] + second["results"]]
    assert ids == sorted(ids) and len(set(ids)) == 14
    assert first["count"] == sum(s.answers.count() for s in StageAssessment.objects.all())


def test_the_dashboard_figures_are_the_dashboards(team, estate):
    assert api(team.pm, "/api/v1/dashboard/").status_code == 403
    data = api(team.pmo, "/api/v1/dashboard/").json()
    expected = portfolio.figures(
        portfolio.portfolio_projects(team.pmo), list(portfolio.dashboard_councils(team.pmo))
    ).headline
    assert data["projects"] == expected.projects == 3
    assert data["budget"] == float(expected.budget)
    assert data["stages_pending"] == expected.stages_pending
    harms = [c for c in data["harms_by_determinant_and_council"] if c["red"] or c["amber"]]
    assert [(c["determinant"], c["council_code"]) for c in harms] == [("D05", team.council.code)]
    own = api(team.admin, "/api/v1/dashboard/").json()
    assert own["projects"] == 2 and {r["council_code"] for r in own["equity_by_council"]} == {
        team.council.code
    }
    filtered = api(team.pmo, "/api/v1/dashboard/", council=team.other_council.pk).json()
    assert filtered["projects"] == 1


def test_hostile_text_comes_back_as_the_same_json_string(team, estate):
    project = CapitalProject.objects.get(reference="T-001")
    for payload in (MARKUP, UNICODE):
        CapitalProject.objects.filter(pk=project.pk).update(title=payload)
        response = api(team.pm, f"/api/v1/projects/{project.pk}/")
        assert response["Content-Type"] == "application/json"
        assert response.json()["title"] == payload


def test_the_docs_page_lists_every_endpoint_from_the_schema(team, client):
    client.force_login(team.pm)
    page = client.get("/api/v1/docs/").content.decode()
    for path in ("/api/v1/projects/", "/api/v1/assessments/{id}/", "/api/v1/dashboard/"):
        assert path in page
    assert "changed_since" in page and "<script" not in page.split("</head>")[1]
    schema = client.get("/api/v1/schema/", {"format": "json"})
    assert schema.status_code == 200 and schema.json()["openapi"].startswith("3.")
