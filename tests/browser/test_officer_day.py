"""Each role reaches the first item waiting for it in at most two clicks after signing in,
clicks counted. Before My work, everyone landed on the project list and had to find the project,
its stage and then the page to act on (3 clicks for the project manager and the reviewer, 2 for
the senior responsible officer, each after finding the right project in the list)."""

from __future__ import annotations

import re

from assessments.community import consultation as community
from assessments.review import workflow
from tests.browser.helpers import axe_violations, describe_violations
from tests.factories import Team, make_team_project, ready_to_submit, start

CLICK_CEILING = 2
PASSWORD = "a-long-test-password-1"


class ClickCounter:
    def __init__(self, page):
        self.page = page
        self.clicks = 0

    def click(self, locator) -> None:
        locator.click()
        self.clicks += 1


def _waiting_work(team: Team) -> None:
    start(make_team_project(team, reference="DRAFT-1"), by=team.pm)
    submitted = ready_to_submit(team, reference="SUB-1")
    workflow.submit(submitted, team.pm)
    community.open_consultation(submitted, team.pm)
    approved = ready_to_submit(team, reference="APP-1")
    workflow.submit(approved, team.pm)
    workflow.start_review(approved, team.reviewer2)
    workflow.approve(approved, team.reviewer2)


# role -> (how the place to act is recognised: URL pattern, a control that must be there)
EXPECTED = {
    "pm": (r"/assessments/\d+/section/D\d\d/$", "main form button:has-text('Save and continue')"),
    "reviewer": (r"/assessments/\d+/(#workflow-title)?$", "button:has-text('Start review')"),
    "sro": (
        r"/assessments/\d+/actions/(#accept-title)?$",
        "button:has-text('Accept the action plan')",
    ),
    "panel": (r"/assessments/\d+/consultation/$", "textarea"),
}


def test_each_role_reaches_its_first_waiting_item_in_two_clicks(
    ref, browser, live_server, page_problems
):
    team = Team()
    _waiting_work(team)
    for role, (url_pattern, control) in EXPECTED.items():
        context = browser.new_context(base_url=live_server.url, locale="en-GB")
        page = context.new_page()
        page_problems.watch(page)
        counter = ClickCounter(page)
        page.goto("/accounts/login/")
        page.get_by_label("Username").fill(getattr(team, role).username)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()  # signing in is not counted
        page.wait_for_url("**/my-work/")
        if role == "reviewer":
            violations = axe_violations(page)
            assert not violations, describe_violations("My work", violations)
        counter.click(page.locator(".mywork-item a").first)
        page.wait_for_load_state()
        assert re.search(url_pattern, page.url), (role, page.url)
        assert page.locator(control).first.is_visible(), (role, control)
        assert counter.clicks <= CLICK_CEILING, (role, counter.clicks)
        context.close()
    assert not page_problems.report(), page_problems.report()
