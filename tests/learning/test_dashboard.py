"""The methodology dashboard: per question, the answers people struggle with, reviewers' send-
backs and remarks, filtered, most in need of attention first, and its CSV export."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.enums import Role
from assessments.learning import feedback
from assessments.models import Council, DownloadRecord, LifecycleStage
from assessments.models.review import ReviewVerdict
from tests.factories import make_methodology_owner, make_team_project, make_user, start

DASHBOARD = reverse("assessments:learning-dashboard")
EXPORT = reverse("assessments:learning-export")


def answers_of(assessment, determinant):
    return list(
        assessment.answers.filter(question__determinant__code=determinant)
        .select_related("question__bank", "assessment__project")
        .order_by("question__order")
    )


def stage_with_signals(team, reference, *, project_type="housing", council=None):
    """A stage in which D05's first question is answered "don't know", sent back by the reviewer
    and marked unclear; its second is answered "not applicable"; the rest "no impact"."""
    project = make_team_project(team, reference=reference)
    project.project_type = project_type
    project.council = council or project.council
    project.save()
    assessment = start(project, by=team.pm)
    assessment.answers.update(direction="no_impact")
    first, second = answers_of(assessment, "D05")[:2]
    first.direction = "uncertain"
    first.save()
    second.direction = "not_applicable"
    second.save()
    ReviewVerdict.objects.create(
        assessment=assessment,
        answer=first,
        verdict="to_correct",
        comment="=HYPERLINK(evil) say what you do not know",
        reviewer=team.reviewer,
    )
    feedback.record_feedback(first, kind="unclear", comment="Which homes count?", by=team.pm)
    return assessment, first, second


@pytest.fixture
def owner(ref):
    return make_methodology_owner()


def row_of(page, code):
    return next(row for row in page.context["rows"] if row.code == code)


def test_owner_sees_per_question_figures_most_in_need_first(client_for, team, owner):
    assessment, first, second = stage_with_signals(team, "T-1")
    page = client_for(owner).get(DASHBOARD)
    assert page.status_code == 200
    rows = page.context["rows"]
    assert rows[0].code == first.question.code
    top = rows[0]
    assert (top.answered, top.dont_know, top.sent_back, top.unclear, top.comments) == (
        1,
        1,
        1,
        1,
        1,
    )
    assert rows[1].code == second.question.code and rows[1].not_applicable == 1
    html = page.content.decode()
    assert first.question.code in html and "(100%)" in html


def test_figures_filter_by_project_type_stage_and_council(client_for, team, owner):
    _, first, _ = stage_with_signals(team, "T-1", project_type="housing")
    stage_with_signals(team, "T-2", project_type="transport", council=team.other_council)
    client = client_for(owner)
    code = first.question.code
    assert row_of(client.get(DASHBOARD), code).dont_know == 2
    by_type = client.get(DASHBOARD, {"project_type": "transport"})
    assert (row_of(by_type, code).dont_know, row_of(by_type, code).unclear) == (1, 1)
    by_council = client.get(DASHBOARD, {"council": team.council.pk})
    assert row_of(by_council, code).sent_back == 1
    other_stage = LifecycleStage.objects.exclude(pk=first.assessment.stage_id).first()
    by_stage = client.get(DASHBOARD, {"stage": other_stage.pk})
    assert row_of(by_stage, code).answered == 0 and row_of(by_stage, code).unclear == 0


def test_the_dashboard_takes_the_same_number_of_queries_however_much_is_recorded(
    client_for, team, owner
):
    client = client_for(owner)
    stage_with_signals(team, "T-1")
    client.get(DASHBOARD)  # session and membership caches warm
    with CaptureQueriesContext(connection) as small:
        client.get(DASHBOARD, {"council": team.council.pk})
    for n in range(2, 6):
        stage_with_signals(team, f"T-{n}", project_type="education")
    with CaptureQueriesContext(connection) as large:
        page = client.get(DASHBOARD, {"council": team.council.pk})
    assert row_of(page, page.context["rows"][0].code).dont_know == 5
    assert len(large) == len(small)


def test_one_questions_remarks_say_where_but_not_who(client_for, team, owner):
    _, first, _ = stage_with_signals(team, "T-1")
    page = client_for(owner).get(
        reverse("assessments:learning-question"), {"code": first.question.code}
    )
    html = page.content.decode()
    assert "Which homes count?" in html and "say what you do not know" in html
    assert team.council.name in html
    assert team.pm.get_full_name() not in html and "Test riverside housing" not in html


def test_an_unknown_question_is_not_found(client_for, owner):
    url = reverse("assessments:learning-question")
    assert client_for(owner).get(url, {"code": "NOPE"}).status_code == 404


def test_export_is_logged_and_keeps_remarks_as_text(client_for, team, owner):
    _, first, _ = stage_with_signals(team, "T-1")
    response = client_for(owner).get(EXPORT, {"council": team.council.pk})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:2] == ["Question", "Determinant"]
    top = rows[1]
    assert top[0] == first.question.code
    assert top[5] == "1" and top[8] == "1" and top[9] == "1"
    assert top[12] == "Which homes count?"
    assert top[13] == "'=HYPERLINK(evil) say what you do not know"
    record = DownloadRecord.objects.get()
    assert (record.user, record.kind) == (owner, "Methodology dashboard export")


@pytest.mark.parametrize("url", [DASHBOARD, EXPORT])
def test_programme_office_reads_but_council_roles_and_system_admins_do_not(client_for, team, url):
    assert client_for(team.pmo).get(url).status_code == 200
    for user in (team.pm, team.reviewer, team.admin, team.sro, team.panel, team.sysadmin):
        assert client_for(user).get(url).status_code == 403, user
    assert not DownloadRecord.objects.exclude(user=team.pmo).exists()


def test_signed_out_visitors_are_sent_to_sign_in(client, ref):
    for url in (DASHBOARD, EXPORT, reverse("assessments:learning-question") + "?code=x"):
        response = client.get(url)
        assert response.status_code == 302 and "login" in response.url


def test_a_deactivated_owner_is_refused(client_for, ref):
    owner = make_user("gone.owner", role=Role.METHODOLOGY_OWNER, is_active=False)
    assert client_for(owner).get(DASHBOARD).status_code in (302, 403)


def test_methodology_home_links_to_the_dashboard_and_library(client_for, owner):
    html = client_for(owner).get(reverse("assessments:methodology-home")).content.decode()
    assert f'href="{DASHBOARD}"' in html
    assert f'href="{reverse("assessments:learning-library")}"' in html
    assert Council.objects.exists()


def test_a_filter_that_makes_no_sense_is_said_and_the_others_still_apply(client_for, team, owner):
    _, first, _ = stage_with_signals(team, "T-1", project_type="housing")
    stage_with_signals(team, "T-2", project_type="transport")
    page = client_for(owner).get(DASHBOARD, {"project_type": "transport", "council": "nonsense"})
    assert page.status_code == 200
    assert "Showing every council instead." in page.content.decode()
    assert row_of(page, first.question.code).dont_know == 1
