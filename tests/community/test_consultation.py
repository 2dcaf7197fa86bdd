"""Community panel: consultation windows, what the panel sees, comments, replies, moderation and
the formal HIA request feeding flag F1."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.community import consultation as community
from assessments.enums import AssessmentStatus as S
from assessments.models import CommunityComment, Determinant, StatusChange
from assessments.review import workflow
from tests.factories import add_harm, make_team_project, ready_to_submit, start


@pytest.fixture
def consulting(team):
    a = ready_to_submit(team, stage="STRATEGIC")
    add_harm(
        a,
        likelihood=1,
        severity=1,
        mitigation="Dust suppression and school-hours limits",
        owner="Site manager",
    )
    workflow.submit(a, team.pm)
    community.open_consultation(a, team.pm)
    return a


def test_window_cannot_open_on_a_draft(team):
    a = start(make_team_project(team), by=team.pm)
    with pytest.raises(workflow.WorkflowError, match="permission"):
        community.open_consultation(a, team.pm)


def test_opening_and_closing_are_logged_and_only_one_window_is_open(consulting, team):
    a = consulting
    with pytest.raises(workflow.WorkflowError, match="already open"):
        community.open_consultation(a, team.pm)
    community.close_consultation(a, team.pm)
    with pytest.raises(workflow.WorkflowError, match="No consultation is open"):
        community.close_consultation(a, team.pm)
    events = list(
        StatusChange.objects.filter(assessment=a).values_list("event", "from_status", "to_status")
    )
    assert ("open_consultation", "submitted", "submitted") in events
    assert ("close_consultation", "submitted", "submitted") in events


def test_only_the_project_manager_opens_a_window(team):
    a = ready_to_submit(team)
    workflow.submit(a, team.pm)
    for user in (team.reviewer, team.panel, team.contributor, team.other_pm):
        with pytest.raises(workflow.WorkflowError):
            community.open_consultation(a, user)


def test_a_window_with_a_past_closing_time_is_closed(consulting, team):
    a = consulting
    community.close_consultation(a, team.pm)
    soon = timezone.now() + datetime.timedelta(hours=1)
    window = community.open_consultation(a, team.pm, closes_at=soon)
    assert window.is_open
    assert not window.is_open_at(soon + datetime.timedelta(seconds=1))


def test_panel_sees_summary_and_comments_while_open(consulting, team, client):
    client.force_login(team.panel)
    listing = client.get(reverse("assessments:consultation-list")).content.decode()
    assert consulting.project.title in listing
    page = client.get(reverse("assessments:consultation", args=[consulting.pk])).content.decode()
    assert "Dust and noise next to homes." in page
    assert "Dust suppression and school-hours limits" in page
    assert "Tell the project team what you think" in page
    d05 = Determinant.objects.get(code="D05")
    response = client.post(
        reverse("assessments:comment-add", args=[consulting.pk]),
        {"determinant": d05.pk, "text": "The school run passes the site.", "is_concern": "on"},
    )
    assert response.status_code == 302
    comment = CommunityComment.objects.get()
    assert comment.determinant == d05 and comment.is_concern and comment.author == team.panel


def test_panel_list_shows_no_drafts_or_other_councils(team, client):
    draft = start(make_team_project(team, reference="D-1"), by=team.pm)
    client.force_login(team.other_panel)
    assert (
        client.get(reverse("assessments:consultation-list"))
        .content.decode()
        .count("Test riverside")
        == 0
    )
    client.force_login(team.panel)
    assert (
        "Test riverside"
        not in client.get(reverse("assessments:consultation-list")).content.decode()
    )
    assert client.get(reverse("assessments:consultation", args=[draft.pk])).status_code == 404


def test_comments_refused_when_closed(consulting, team):
    community.close_consultation(consulting, team.pm)
    with pytest.raises(workflow.WorkflowError, match="while a consultation is open"):
        community.add_comment(consulting, team.panel, text="Late comment")
    assert not CommunityComment.objects.exists()


def test_replies_are_shown_beside_the_comment(consulting, team, client):
    comment = community.add_comment(consulting, team.panel, text="Will the path stay open?")
    with pytest.raises(workflow.WorkflowError):
        community.reply(comment, team.panel, text="Answering myself")
    client.force_login(team.pm)
    client.post(
        reverse("assessments:comment-reply", args=[comment.pk]),
        {f"r{comment.pk}-text": "Yes: a diversion is signed."},
    )
    assert comment.replies.get().text == "Yes: a diversion is signed."
    client.force_login(team.panel)
    page = client.get(reverse("assessments:consultation", args=[consulting.pk])).content.decode()
    said, did = page.index("Will the path stay open?"), page.index("Yes: a diversion is signed.")
    assert 0 < said < did


def test_moderation_hides_but_keeps_the_comment(consulting, team, client):
    comment = community.add_comment(consulting, team.panel, text="Rude words here")
    with pytest.raises(workflow.WorkflowError, match="reason"):
        community.hide_comment(comment, team.admin, reason="")
    with pytest.raises(workflow.WorkflowError):
        community.hide_comment(comment, team.pm, reason="I dislike it")
    client.force_login(team.admin)
    client.post(
        reverse("assessments:comment-hide", args=[comment.pk]),
        {f"h{comment.pk}-reason": "Abusive language"},
    )
    comment.refresh_from_db()
    assert (
        comment.hidden
        and comment.hidden_reason == "Abusive language"
        and comment.hidden_by == team.admin
    )
    assert CommunityComment.objects.filter(pk=comment.pk).exists()
    client.force_login(team.other_panel)
    client.force_login(team.panel)
    page = client.get(reverse("assessments:consultation", args=[consulting.pk])).content.decode()
    assert "Rude words here" not in page
    client.force_login(team.reviewer)
    page = client.get(reverse("assessments:consultation", args=[consulting.pk])).content.decode()
    assert "Rude words here" in page and "Abusive language" in page


def test_hia_request_raises_f1_and_moderation_removes_it(consulting, team):
    consulting.refresh_from_db()
    assert "F1" not in consulting.open_flags
    comment = community.add_comment(
        consulting, team.panel, text="We ask for a full HIA", requests_full_hia=True
    )
    consulting.refresh_from_db()
    assert "F1" in consulting.open_flags
    assert "community panel formally asked for an HIA" in str(consulting.score_snapshot)
    community.hide_comment(comment, team.reviewer, reason="Posted twice by mistake")
    consulting.refresh_from_db()
    assert "F1" not in consulting.open_flags


def test_sign_off_closes_the_window(consulting, team):
    workflow.start_review(consulting, team.reviewer)
    workflow.approve(consulting, team.reviewer)
    workflow.accept_action_plan(consulting, team.sro)
    workflow.sign_off(consulting, team.reviewer)
    assert community.open_window(consulting) is None
    assert "consultation was closed" in consulting.status_changes.get(event="sign_off").note
    consulting.refresh_from_db()
    assert consulting.status == S.SIGNED_OFF
