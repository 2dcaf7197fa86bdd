"""Marking a question unclear or not relevant from the section form, without leaving it."""

import pytest
from django.urls import reverse

from assessments.enums import AssessmentStatus
from assessments.models import QuestionFeedback
from tests.factories import force_status, make_methodology_owner, make_team_project, start

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def assessment(team):
    return start(make_team_project(team), by=team.pm)


def first_answer(assessment, determinant="D05"):
    return (
        assessment.answers.filter(question__determinant__code=determinant)
        .select_related("question__bank")
        .order_by("question__order")
        .first()
    )


def feedback_url(answer):
    return reverse("assessments:learning-feedback", args=[answer.pk])


def remark(answer, kind="unclear", comment=""):
    return {f"fb{answer.pk}-kind": kind, f"fb{answer.pk}-comment": comment}


def test_the_section_form_offers_the_control_beside_each_question(client_for, team, assessment):
    answer = first_answer(assessment)
    page = client_for(team.pm).get(reverse("assessments:section-edit", args=[assessment.pk, "D05"]))
    html = page.content.decode()
    assert f'form="fb-{answer.pk}" name="fb{answer.pk}-kind" value="unclear"' in html
    assert f'<form id="fb-{answer.pk}" method="post" action="{feedback_url(answer)}"' in html
    assert "It is not relevant to this kind of project" in html


def test_htmx_remark_is_recorded_with_where_it_was_made(client_for, team, assessment):
    answer = first_answer(assessment)
    response = client_for(team.pm).post(
        feedback_url(answer), remark(answer, "not_relevant", "  Not for a school.  "), **HTMX
    )
    assert response.status_code == 200
    assert f"{answer.question.code} recorded as not relevant" in response.content.decode()
    item = QuestionFeedback.objects.get()
    assert (item.question_id, item.question_code, item.bank_version) == (
        answer.question_id,
        answer.question.code,
        answer.question.bank.version,
    )
    assert (item.council, item.stage, item.project_type) == (
        team.council,
        assessment.stage,
        "housing",
    )
    assert (item.kind, item.comment, item.by, item.assessment) == (
        "not_relevant",
        "Not for a school.",
        team.pm,
        assessment,
    )
    # Nothing about the answer itself changed.
    answer.refresh_from_db()
    assert answer.direction == ""


def test_without_javascript_it_returns_to_the_same_question(client_for, team, assessment):
    answer = first_answer(assessment)
    client = client_for(team.contributor)
    response = client.post(feedback_url(answer), remark(answer))
    section = reverse("assessments:section-edit", args=[assessment.pk, "D05"])
    assert response.status_code == 302
    assert response.url == f"{section}#q-{answer.question.code}"
    assert "recorded as unclear" in client.get(response.url).content.decode()
    assert QuestionFeedback.objects.get().by == team.contributor


def test_a_remark_without_a_kind_is_refused_with_a_reason(client_for, team, assessment):
    answer = first_answer(assessment)
    client = client_for(team.pm)
    response = client.post(feedback_url(answer), remark(answer, kind=""), **HTMX)
    assert response.status_code == 400
    assert "Choose whether the question is unclear or not relevant." in response.content.decode()
    response = client.post(feedback_url(answer), remark(answer, kind="nonsense"))
    assert response.status_code == 302
    assert "Select a valid choice" in client.get(response.url).content.decode()
    assert not QuestionFeedback.objects.exists()


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("reviewer", 403),
        ("sro", 403),
        ("admin", 403),
        ("pmo", 403),
        ("other_pm", 404),
        ("other_contributor", 404),
        ("panel", 404),
        ("sysadmin", 403),
    ],
)
def test_only_people_answering_the_stage_may_remark(client_for, team, assessment, who, status):
    answer = first_answer(assessment)
    response = client_for(getattr(team, who)).post(feedback_url(answer), remark(answer), **HTMX)
    assert response.status_code == status
    assert not QuestionFeedback.objects.exists()


def test_methodology_owner_and_signed_out_visitor_may_not_remark(client, team, assessment):
    answer = first_answer(assessment)
    response = client.post(feedback_url(answer), remark(answer))
    assert response.status_code == 302 and "login" in response.url
    client.force_login(make_methodology_owner())
    assert client.post(feedback_url(answer), remark(answer)).status_code == 404
    assert not QuestionFeedback.objects.exists()


def test_no_remark_once_the_stage_has_left_the_team(client_for, team, assessment):
    answer = first_answer(assessment)
    force_status(assessment, AssessmentStatus.SUBMITTED)
    assert client_for(team.pm).post(feedback_url(answer), remark(answer)).status_code == 403


def test_remarking_is_post_only(client_for, team, assessment):
    answer = first_answer(assessment)
    assert client_for(team.pm).get(feedback_url(answer)).status_code == 405
