"""My work: where each person lands after signing in, listing what waits for them, each item
linking to the place to act, at a fixed number of queries."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.community import consultation as community
from assessments.models import Action
from assessments.review import reviewing, workflow
from tests.factories import (
    answer_everything,
    make_team_project,
    ready_to_submit,
    start,
)

MY_WORK = reverse("assessments:my-work")


def _page(client, user) -> str:
    client.force_login(user)
    response = client.get(MY_WORK)
    assert response.status_code == 200
    return response.content.decode()


def _section(page: str, key: str) -> str:
    """The group's section of the page ('' when the group is not shown)."""
    marker = f'aria-labelledby="{key}"'
    if marker not in page:
        return ""
    part = page[page.index(marker) :]
    return part[: part.index("</section>")]


def test_signing_in_lands_on_my_work_and_the_programme_office_on_the_dashboard(client, team):
    for user, lands in ((team.pm, MY_WORK), (team.pmo, reverse("assessments:dashboard"))):
        client.logout()
        response = client.post(
            reverse("login"),
            {"username": user.username, "password": "a-long-test-password-1"},
            follow=True,
        )
        assert response.redirect_chain[-1][0] == lands, user.username
    client.force_login(team.pm)
    assert client.get("/").url == MY_WORK


def test_project_manager_sees_sections_to_answer_then_a_stage_to_submit(client, team):
    a = start(make_team_project(team), by=team.pm)
    sections = _section(_page(client, team.pm), "sections")
    assert "Sections to answer" in sections and "T-001 Test riverside housing" in sections
    assert reverse("assessments:section-edit", args=[a.pk, "D01"]) in sections
    assert not _section(_page(client, team.pm), "submit")

    answer_everything(a)
    page = _page(client, team.pm)
    assert not _section(page, "sections")
    submit = _section(page, "submit")
    assert f'href="{a.get_absolute_url()}#workflow-title"' in submit
    # Nobody else's: the other council's project manager has nothing waiting.
    assert "Test riverside housing" not in _page(client, team.other_pm)


def test_review_queue_says_how_long_each_stage_has_waited_oldest_first(client, team):
    older = ready_to_submit(team, reference="OLD-1")
    newer = ready_to_submit(team, reference="NEW-1")
    workflow.submit(older, team.pm)
    workflow.submit(newer, team.pm)
    older.status_changes.filter(to_status="submitted").update(
        at=timezone.now() - datetime.timedelta(days=3)
    )
    queue = _section(_page(client, team.reviewer), "review")
    assert "Stages to review" in queue and "2</span>" in queue
    assert queue.index("OLD-1") < queue.index("NEW-1")
    assert "waiting 3\xa0days" in queue
    # Once review has started the item goes straight to the review page.
    workflow.start_review(older, team.reviewer)
    queue = _section(_page(client, team.reviewer), "review")
    assert reverse("assessments:review", args=[older.pk]) in queue


def _approved(team, reference="T-001"):
    a = ready_to_submit(team, reference=reference)
    workflow.submit(a, team.pm)
    workflow.start_review(a, team.reviewer)
    workflow.approve(a, team.reviewer)
    return a


def test_action_plan_waits_for_the_sro_then_the_stage_for_sign_off(client, team):
    a = _approved(team)
    accept = _section(_page(client, team.sro), "accept")
    assert reverse("assessments:action-plan", args=[a.pk]) + "#accept-title" in accept
    assert not _section(_page(client, team.reviewer), "sign_off")

    workflow.accept_action_plan(a, team.sro)
    assert not _section(_page(client, team.sro), "accept")
    assert f"{a.get_absolute_url()}#workflow-title" in _section(
        _page(client, team.reviewer), "sign_off"
    )
    # A change to the plan needs a fresh acceptance, as the workflow says.
    reviewing.add_action(
        a, team.pm, kind="enhancement", text="Hire locally", owner="PM", due_stage=a.stage
    )
    assert _section(_page(client, team.sro), "accept")
    assert not _section(_page(client, team.reviewer), "sign_off")


def test_changes_requested_and_comments_to_reply_to_reach_the_project_manager(client, team):
    a = ready_to_submit(team)
    workflow.submit(a, team.pm)
    community.open_consultation(a, team.pm)
    comment = community.add_comment(a, team.panel, text="Will the path stay open at night?")
    workflow.start_review(a, team.reviewer)
    workflow.request_changes(a, team.reviewer, note="Add evidence.")
    page = _page(client, team.pm)
    assert reverse("assessments:review", args=[a.pk]) in _section(page, "changes")
    comments = _section(page, "comments")
    assert "Will the path stay open at night?" in comments
    assert f"#comment-{comment.pk}" in comments
    # The panel member's own list: the consultation open for comment.
    assert reverse("assessments:consultation", args=[a.pk]) in _section(
        _page(client, team.panel), "consultations"
    )
    community.reply(comment, team.pm, text="Yes, it stays lit and open.")
    assert not _section(_page(client, team.pm), "comments")


def test_actions_due_soon_or_overdue_reach_their_owner(client, team):
    a = start(make_team_project(team), by=team.pm)
    today = timezone.localdate()
    for text, days in (("Fence the site", -2), ("Plant trees", 3), ("Paint later", 30)):
        Action.objects.create(
            assessment=a,
            text=text,
            owner="Contractor",
            owner_user=team.contributor,
            due_stage=a.stage,
            due_date=today + datetime.timedelta(days=days),
        )
    actions = _section(_page(client, team.contributor), "actions")
    assert "Fence the site" in actions and "overdue since" in actions
    assert "Plant trees" in actions and "Paint later" not in actions
    assert "Fence the site" not in _page(client, team.other_contributor)


@pytest.mark.parametrize("many", [False, True])
def test_my_work_costs_a_fixed_number_of_queries(client, team, many, django_assert_max_num_queries):
    count = 4 if many else 1
    for n in range(count):
        a = ready_to_submit(team, reference=f"Q-{n}")
        workflow.submit(a, team.pm)
        b = _approved(team, reference=f"A-{n}")
        workflow.accept_action_plan(b, team.sro)
    for user in (team.pm, team.reviewer, team.sro):
        client.force_login(user)
        with django_assert_max_num_queries(14):
            assert client.get(MY_WORK).status_code == 200
