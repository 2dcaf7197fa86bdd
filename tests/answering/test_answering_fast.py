"""Issue 14, the project manager's answering: unfinished answers are kept and listed, one
question saves on its own, groups come in order of relevance, the score previews as typed, the
reviewer's request shows by the question, and carried-forward answers are confirmed per section."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from assessments.enums import Role
from assessments.models import Answer, AssessmentSection, StageAssessment
from assessments.models.review import ReviewVerdict, Verdict
from assessments.review import workflow
from tests.answering.test_views import first_code, section_post, section_url
from tests.factories import answer_payload, make_assessment, make_user

UNFINISHED = {"direction": "negative", "severity": 2, "duration": "long"}


@pytest.fixture
def manager(glasgow):
    return make_user(council=glasgow, role=Role.PROJECT_MANAGER)


@pytest.fixture
def assessment(glasgow, manager):
    return make_assessment(council=glasgow, stage_code="SBC", by=manager)


def opened_of(page) -> str:
    return re.search(r'name="opened" value="([^"]*)"', page.content.decode()).group(1)


def question_url(assessment, answer, *, preview=False):
    name = "assessments:question-preview" if preview else "assessments:question-save"
    return reverse(name, args=[assessment.pk, answer.question.determinant.code, answer.pk])


def test_an_unfinished_answer_is_saved_and_marked_incomplete_with_what_it_needs(
    client_for, assessment, manager
):
    code = first_code(assessment)
    client = client_for(manager)
    response = client.post(
        section_url(assessment), section_post(assessment, overrides={code: UNFINISHED})
    )
    assert response.status_code == 302  # saved: no "Nothing has been saved"
    answer = Answer.objects.get(assessment=assessment, question__code=code)
    assert (answer.direction, answer.severity, answer.likelihood) == ("negative", 2, None)
    assert assessment.answers.filter(direction="no_impact").exists()  # the rest saved too

    page = client.get(section_url(assessment)).content.decode()
    assert "Saved as incomplete." in page
    assert "Still needs: likelihood, how many people it reaches." in page
    overview = client.get(assessment.get_absolute_url()).content.decode()
    assert "Still to complete" in overview
    assert f'href="{section_url(assessment)}#q-{code}"' in overview
    # The message that read "Give the how many people of this impact" is gone for good.
    assert "Give the how many" not in page + overview


def test_submit_is_refused_with_each_unfinished_question_and_what_it_needs(
    client_for, assessment, manager
):
    code = first_code(assessment)
    client_for(manager).post(
        section_url(assessment), section_post(assessment, overrides={code: UNFINISHED})
    )
    with pytest.raises(workflow.WorkflowError) as refused:
        workflow.submit(StageAssessment.objects.get(pk=assessment.pk), manager)
    text = refused.value.full_message
    assert f"{code} (needs likelihood, how many people it reaches)" in text
    assert "Still to complete" in text


def test_one_question_saves_alone_and_the_page_carries_on_from_the_new_version(
    client_for, assessment, manager
):
    client = client_for(manager)
    page = client.get(section_url(assessment))
    x, y = assessment.answers.filter(question__determinant__code="D05").order_by("question__order")[
        :2
    ]
    data = {"version": 0, "opened": opened_of(page)}
    data.update(answer_payload(f"a{x.pk}", direction="no_impact", reversible="yes"))
    data.update(answer_payload(f"a{y.pk}", direction="positive", reversible="yes"))  # not saved
    response = client.post(question_url(assessment, x), data, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="section-state" hx-swap-oob="true"' in body
    assert 'id="section-progress" hx-swap-oob="true"' in body
    assert re.search(r'name="version" value="1"', body)
    x.refresh_from_db()
    y.refresh_from_db()
    assert (x.direction, y.direction) == ("no_impact", "")
    assert (
        AssessmentSection.objects.get(assessment=assessment, determinant__code="D05").version == 1
    )


def test_a_question_saved_alone_never_overwrites_a_colleagues_save_of_it(
    client_for, assessment, manager, glasgow
):
    client = client_for(manager)
    page = client.get(section_url(assessment))
    x, y = assessment.answers.filter(question__determinant__code="D05").order_by("question__order")[
        :2
    ]
    colleague = Client()
    colleague.force_login(make_user(council=glasgow, role=Role.CONTRIBUTOR))
    theirs = section_post(assessment, overrides={x.question.code: {"direction": "uncertain"}})
    assert colleague.post(section_url(assessment), theirs).status_code == 302

    data = {"version": 0, "opened": opened_of(page)}
    data.update(answer_payload(f"a{x.pk}", direction="positive", reversible="yes"))
    refused = client.post(question_url(assessment, x), data, HTTP_HX_REQUEST="true")
    assert refused.status_code == 409
    assert refused["HX-Retarget"] == f"#qstatus-{x.pk}"
    x.refresh_from_db()
    assert x.direction == "uncertain"  # theirs kept, nothing written

    # A question they did not touch saves; the page keeps its old version so that a later
    # save of the whole section still merges with their work.
    data.update(answer_payload(f"a{y.pk}", direction="no_impact", reversible="yes"))
    saved = client.post(question_url(assessment, y), data, HTTP_HX_REQUEST="true")
    assert saved.status_code == 200
    assert re.search(r'name="version" value="0"', saved.content.decode())
    y.refresh_from_db()
    assert y.direction == "no_impact"


def test_without_javascript_one_question_saves_and_the_rest_stays_as_typed(
    client_for, assessment, manager
):
    client = client_for(manager)
    page = client.get(section_url(assessment))
    x, y = assessment.answers.filter(question__determinant__code="D05").order_by("question__order")[
        :2
    ]
    data = {"version": 0, "opened": opened_of(page), "save_question": x.pk}
    data.update(answer_payload(f"a{x.pk}", direction="no_impact", reversible="yes"))
    data.update(
        answer_payload(
            f"a{y.pk}", direction="positive", pathway="Typed but not saved", reversible="yes"
        )
    )
    response = client.post(section_url(assessment), data)
    assert response.status_code == 200
    assert f"Saved {x.question.code}." in response.content.decode()
    assert "Typed but not saved" in response.content.decode()
    x.refresh_from_db()
    y.refresh_from_db()
    assert (x.direction, y.direction, y.pathway) == ("no_impact", "", "")


def test_the_preview_scores_an_answer_as_typed_with_the_rules_and_saves_nothing(
    client_for, assessment, manager
):
    answer = assessment.answers.filter(question__determinant__code="D05").first()
    values = {
        "direction": "negative",
        "likelihood": 4,
        "severity": 2,
        "duration": "medium",
        "reach": "locality",
        "groups": ["SE_AREA_DEP", "PC_AGE_CHILD"],
        "disproportionate": ["SE_AREA_DEP", "PC_AGE_CHILD"],
        "reversible": "yes",
    }
    response = client_for(manager).post(
        question_url(assessment, answer, preview=True), answer_payload(f"a{answer.pk}", **values)
    )
    body = response.content.decode()
    # The same figure the saved answer gets (test_views: -24.00, high).
    assert "-24.00" in body and "High" in body
    answer.refresh_from_db()
    assert answer.direction == ""


def test_groups_come_once_with_the_determinants_priority_groups_first(
    client_for, assessment, manager
):
    page = client_for(manager).get(section_url(assessment, "D05"))
    answer = page.context["questions"][0]
    codes = [row.code for row in answer["group_rows"]]
    assert len(codes) == len(set(codes)) == 32
    # D05's listed characteristics lead, then the other priority groups, role groups last.
    assert codes[:4] == ["PC_AGE_CHILD", "PC_AGE_OLDER", "PC_DISABILITY", "PC_PREG_MAT"]
    assert codes[-1].startswith("RB_")
    body = page.content.decode()
    first = answer["answer"].pk
    assert body.count(f'name="a{first}-groups" value="PC_AGE_CHILD"') == 1
    assert body.count(f'name="a{first}-disproportionate" value="PC_AGE_CHILD"') == 1


def test_a_reviewers_request_to_correct_shows_beside_the_question(
    client_for, assessment, manager, glasgow
):
    answer = assessment.answers.filter(question__determinant__code="D05").first()
    reviewer = make_user(council=glasgow, role=Role.REVIEWER, first_name="Morag", last_name="Bell")
    ReviewVerdict.objects.create(
        assessment=assessment, answer=answer, verdict=Verdict.ACCEPTABLE, reviewer=reviewer
    )
    ReviewVerdict.objects.create(
        assessment=assessment,
        answer=answer,
        verdict=Verdict.TO_CORRECT,
        comment="The school is 50 m away, not 500 m.",
        reviewer=reviewer,
    )
    body = client_for(manager).get(section_url(assessment)).content.decode()
    assert "Morag Bell asks you to correct this answer" in body
    assert "The school is 50 m away, not 500 m." in body
    card = body[body.index(f'id="q-{answer.question.code}"') :]
    assert card.index("50 m away") < card.index("-direction")  # beside the question, on top


def test_carried_forward_answers_show_what_was_answered_and_what_changed_since(
    client_for, assessment, manager
):
    code = first_code(assessment)
    values = {"direction": "negative", "likelihood": 3, "severity": 2, "duration": "long"}
    values["reach"] = "locality"
    client_for(manager).post(
        section_url(assessment), section_post(assessment, overrides={code: values})
    )
    answer = Answer.objects.get(assessment=assessment, question__code=code)
    # A re-screen replaces the stage's assessment and carries its answers forward.
    StageAssessment.objects.filter(pk=assessment.pk).update(status="superseded")
    later = workflow.carry_forward(assessment, assessment.stage, by=manager)
    project = assessment.project
    project.budget = project.budget * 2
    project.save()
    carried = later.answers.get(question__code=code)
    assert carried.carried_from == answer and not carried.baseline_confirmed

    body = client_for(manager).get(section_url(later)).content.decode()
    assert "Answered then: <strong>Negative</strong>, probable, moderate" in body
    assert "What has changed in the project since" in body
    assert re.search(r"Budget[^<]*→", body)
