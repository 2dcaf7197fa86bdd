"""A reviewer's request closes in two steps: the project team marks it dealt with, then a
reviewer agrees (or sends it back with a reason)."""

import pytest
from django.urls import reverse

from assessments import permissions
from assessments.enums import AssessmentStatus as S
from assessments.models import Action
from assessments.models.review import ActionStatus, RequestState, Verdict
from assessments.review import requests, reviewing, timeline, workflow
from tests.factories import force_status, ready_to_submit


def _request(team, *, verdict=Verdict.TO_CORRECT):
    """A stage in review with one reviewer's request on its first answer."""
    a = ready_to_submit(team)
    workflow.submit(a, team.pm)
    workflow.start_review(a, team.reviewer)
    answer = a.answers.order_by("question__code").first()
    reviewing.record_verdict(
        a, answer, team.reviewer, verdict=verdict, comment="Cite the SIMD ranks"
    )
    return a, answer, Action.objects.get(assessment=a, kind="review")


def _fresh(action):
    return Action.objects.get(pk=action.pk)


def test_pm_marks_dealt_with_and_reviewer_agrees_closes_it(team):
    a, _, action = _request(team)
    requests.mark_dealt_with(action, team.pm, note="Added the ranks to the evidence", seen_state="")
    action = _fresh(action)
    assert action.request_state == RequestState.DEALT_WITH and action.is_open
    assert action.dealt_with_note == "Added the ranks to the evidence"
    requests.agree(action, team.reviewer, seen_state=RequestState.DEALT_WITH)
    action = _fresh(action)
    assert action.request_state == RequestState.AGREED and action.status == ActionStatus.DONE
    events = [e.detail for e in timeline.project_timeline(a.project)]
    assert any("Marked dealt with" in d for d in events)
    assert any("the reviewer agreed" in d for d in events)


def test_reviewer_sends_it_back_with_a_reason_and_it_opens_again(team):
    _, _, action = _request(team)
    requests.mark_dealt_with(action, team.pm)
    with pytest.raises(workflow.WorkflowError, match="Say why"):
        requests.send_back(action, team.reviewer, note="  ")
    assert _fresh(action).request_state == RequestState.DEALT_WITH
    requests.send_back(action, team.reviewer, note="The ranks are for the wrong year")
    action = _fresh(action)
    assert action.request_state == RequestState.SENT_BACK and action.status == ActionStatus.OPEN
    assert action.sent_back_reason == "The ranks are for the wrong year"
    # The project team can mark it dealt with again.
    requests.mark_dealt_with(action, team.pm, note="2020 ranks now")
    assert _fresh(action).request_state == RequestState.DEALT_WITH


def test_reviewer_cannot_mark_dealt_with_and_pm_cannot_agree(team):
    _, _, action = _request(team)
    with pytest.raises(workflow.WorkflowError, match="Only the project team"):
        requests.mark_dealt_with(action, team.reviewer)
    requests.mark_dealt_with(action, team.pm)
    for step in (requests.agree, requests.send_back):
        with pytest.raises(workflow.WorkflowError, match="Only a public health reviewer"):
            step(action, team.pm, note="fine")
    with pytest.raises(workflow.WorkflowError, match="Only a public health reviewer"):
        requests.agree(action, team.other_reviewer)
    assert _fresh(action).request_state == RequestState.DEALT_WITH


def test_reviewer_cannot_agree_before_it_is_marked_dealt_with(team):
    _, _, action = _request(team)
    with pytest.raises(workflow.WorkflowError) as refused:
        requests.agree(action, team.reviewer)
    assert "not marked it dealt with" in refused.value.full_message
    assert _fresh(action).is_open


def test_signed_off_stage_is_frozen(team):
    a, _, action = _request(team)
    requests.mark_dealt_with(action, team.pm)
    force_status(a, S.SIGNED_OFF)
    with pytest.raises(workflow.WorkflowError):
        requests.agree(action, team.reviewer)
    with pytest.raises(workflow.WorkflowError):
        requests.mark_dealt_with(action, team.pm)
    assert _fresh(action).request_state == RequestState.DEALT_WITH and _fresh(action).is_open


def test_stale_double_submit_is_harmless(team, client):
    _, _, action = _request(team)
    client.force_login(team.pm)
    url = reverse("assessments:request-step", args=[action.pk, "dealt-with"])
    data = {"seen_state": "", "note": "Done it", "back": "plan"}
    assert client.post(url, data).status_code == 302
    first = _fresh(action)
    page = client.post(url, {**data, "note": "Done it again"}, follow=True).content.decode()
    assert "Nothing was changed" in page
    second = _fresh(action)
    assert second.dealt_with_note == "Done it" and second.updated_at == first.updated_at
    # The reviewer agrees twice: the second press changes nothing.
    client.force_login(team.reviewer)
    agree = reverse("assessments:request-step", args=[action.pk, "agree"])
    client.post(agree, {"seen_state": "dealt_with"})
    closed = _fresh(action)
    assert closed.status == ActionStatus.DONE
    # Agreeing is reviewing, not writing the stage: the reviewer may still approve it.
    assessment = closed.assessment
    assert permissions.can_approve(team.reviewer, assessment)
    page = client.post(agree, {"seen_state": "dealt_with"}, follow=True).content.decode()
    assert "Nothing was changed" in page
    assert _fresh(action).updated_at == closed.updated_at


def test_acceptable_verdict_alone_does_not_close_a_request(team):
    a, answer, action = _request(team)
    reviewing.record_verdict(a, answer, team.reviewer, verdict=Verdict.ACCEPTABLE)
    assert _fresh(action).is_open
    with pytest.raises(workflow.WorkflowError) as refused:
        workflow.approve(a, team.reviewer)
    assert "requests due at this stage are still open" in refused.value.full_message
    requests.mark_dealt_with(action, team.pm)
    requests.agree(action, team.reviewer)
    workflow.approve(a, team.reviewer)
    assert a.__class__.objects.get(pk=a.pk).status == S.APPROVED


def test_editing_the_action_cannot_close_a_request_without_the_reviewer(team):
    _, _, action = _request(team)
    with pytest.raises(workflow.WorkflowError, match="reviewer agrees"):
        reviewing.update_action(action, team.pm, status=ActionStatus.DONE)
    with pytest.raises(workflow.WorkflowError, match="reviewer agrees"):
        reviewing.update_action(action, team.pm, status=ActionStatus.DROPPED)
    reviewing.update_action(action, team.pm, status=ActionStatus.IN_PROGRESS)
    assert _fresh(action).status == ActionStatus.IN_PROGRESS


def test_pages_show_the_state_and_my_work_lists_it(team, client):
    a, answer, action = _request(team)
    client.force_login(team.pm)
    plan = reverse("assessments:action-plan", args=[a.pk])
    page = client.get(plan).content.decode()
    assert "Open: not yet marked dealt with" in page and "Mark dealt with" in page
    client.post(
        reverse("assessments:request-step", args=[action.pk, "dealt-with"]),
        {"seen_state": "", "note": "Ranks added"},
    )
    client.force_login(team.reviewer)
    mywork = client.get(reverse("assessments:my-work")).content.decode()
    assert "waiting for you to agree" in mywork and "Ranks added" in mywork
    review = client.get(reverse("assessments:review", args=[a.pk])).content.decode()
    assert "waiting for the reviewer to agree" in review and "Agree it is dealt with" in review
    client.post(
        reverse("assessments:request-step", args=[action.pk, "send-back"]),
        {"seen_state": "dealt_with", "note": "Wrong year", "back": "review"},
    )
    client.force_login(team.pm)
    mywork = client.get(reverse("assessments:my-work")).content.decode()
    assert "Requests sent back to you" in mywork and "Wrong year" in mywork
    assert "Wrong year" in client.get(plan).content.decode()
