"""Workflow buttons appear only when their step is possible now, or greyed out with the reason
the workflow itself would give; the SRO accepts the action plan on the action plan page, once."""

from django.urls import reverse

from assessments.community import consultation as community
from assessments.enums import AssessmentStatus as S
from assessments.models import ActionPlanAcceptance
from assessments.review import workflow
from tests.factories import answer_everything, make_team_project, ready_to_submit, start


def _panel(client, user, assessment) -> str:
    client.force_login(user)
    page = client.get(assessment.get_absolute_url()).content.decode()
    return page[
        page.index('id="workflow-title"') : page.index(
            "</section>", page.index('id="workflow-title"')
        )
    ]


def test_submit_is_greyed_out_with_what_is_missing_until_the_stage_is_ready(client, team):
    a = start(make_team_project(team), by=team.pm)
    panel = _panel(client, team.pm, a)
    assert 'disabled aria-describedby="why-submit">Submit for review</button>' in panel
    assert "Not ready to submit yet:" in panel and "not complete yet" in panel
    assert reverse("assessments:transition", args=[a.pk, "submit"]) not in panel

    answer_everything(a)
    panel = _panel(client, team.pm, a)
    assert reverse("assessments:transition", args=[a.pk, "submit"]) in panel
    assert "Not ready to submit" not in panel


def _approved(team):
    a = ready_to_submit(team)
    workflow.submit(a, team.pm)
    workflow.start_review(a, team.reviewer)
    workflow.approve(a, team.reviewer)
    return a


def test_sign_off_is_greyed_out_until_the_sro_accepts_the_plan(client, team):
    a = _approved(team)
    panel = _panel(client, team.reviewer, a)
    assert 'disabled aria-describedby="why-sign-off">Sign off</button>' in panel
    assert "senior responsible officer has not accepted" in panel
    workflow.accept_action_plan(a, team.sro)
    panel = _panel(client, team.reviewer, a)
    assert reverse("assessments:transition", args=[a.pk, "sign-off"]) in panel


def test_the_sro_accepts_on_the_action_plan_page_once_and_it_says_who_and_when(client, team):
    a = _approved(team)
    plan_url = reverse("assessments:action-plan", args=[a.pk])
    accept_url = reverse("assessments:transition", args=[a.pk, "accept-action-plan"])
    # The assessment page only points to the plan: the button is where the plan is read.
    panel = _panel(client, team.sro, a)
    assert accept_url not in panel and f"{plan_url}#accept-title" in panel
    page = client.get(plan_url).content.decode()
    assert page.count(accept_url) == 1

    response = client.post(accept_url, {"expected_status": S.APPROVED, "note": "Funded"})
    assert response.url == plan_url
    page = client.get(plan_url).content.decode()
    assert accept_url not in page
    assert "Sro Tester accepted this action plan on" in page
    assert 'disabled aria-describedby="why-accept-action-plan">Accept the action plan' in page
    # Pressed again (an old tab): the workflow refuses and records nothing.
    client.post(accept_url, {"expected_status": S.APPROVED})
    assert ActionPlanAcceptance.objects.filter(assessment=a).count() == 1


def test_open_the_consultation_is_not_offered_while_one_is_open(client, team):
    a = ready_to_submit(team)
    workflow.submit(a, team.pm)
    url = reverse("assessments:consultation", args=[a.pk])
    open_url = reverse("assessments:consultation-open", args=[a.pk])
    client.force_login(team.pm)
    assert open_url in client.get(url).content.decode()
    community.open_consultation(a, team.pm)
    assert open_url not in client.get(url).content.decode()
