"""A reviewer's request closed in the browser: the project manager marks it dealt with from the
review page, the reviewer agrees from My work, clicks counted after signing in (typing a note
is not a click). Each side needs two: the My work item, then the button on the request."""

from __future__ import annotations

from assessments.models import Action
from assessments.models.review import ActionStatus, RequestState, Verdict
from assessments.review import reviewing, workflow
from tests.browser.helpers import axe_violations, describe_violations
from tests.factories import Team, ready_to_submit

CLICK_CEILING = 2
PASSWORD = "a-long-test-password-1"


class ClickCounter:
    def __init__(self):
        self.clicks = 0

    def click(self, locator) -> None:
        locator.click()
        self.clicks += 1


def _sign_in(browser, live_server, username):
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    page = context.new_page()
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()  # signing in is not counted
    page.wait_for_url("**/my-work/")
    return context, page


def test_pm_marks_dealt_with_and_reviewer_agrees(ref, browser, live_server, page_problems):
    team = Team()
    stage = ready_to_submit(team)
    workflow.submit(stage, team.pm)
    workflow.start_review(stage, team.reviewer)
    answer = stage.answers.order_by("question__code").first()
    reviewing.record_verdict(
        stage, answer, team.reviewer, verdict=Verdict.TO_CORRECT, comment="Cite the SIMD ranks"
    )
    workflow.request_changes(stage, team.reviewer, note="See the verdicts")
    request = Action.objects.get(assessment=stage, kind="review")

    context, page = _sign_in(browser, live_server, team.pm.username)
    page_problems.watch(page)
    pm = ClickCounter()
    pm.click(page.locator(".mywork-item a").first)  # Changes requested: the review page
    card = page.locator(f"#answer-{answer.pk}")
    assert "Open: not yet marked dealt with" in card.inner_text()
    violations = axe_violations(page)
    assert not violations, describe_violations("Review page", violations)
    card.get_by_label("What you did (optional)").fill("Added the 2020 SIMD ranks")
    pm.click(card.get_by_role("button", name="Mark dealt with"))
    page.wait_for_load_state()
    assert "waiting for the reviewer to agree" in page.locator(f"#answer-{answer.pk}").inner_text()
    assert pm.clicks <= CLICK_CEILING, pm.clicks
    context.close()

    context, page = _sign_in(browser, live_server, team.reviewer.username)
    page_problems.watch(page)
    reviewer = ClickCounter()
    mywork = page.locator("#to_agree").locator("xpath=..")
    assert "Added the 2020 SIMD ranks" in mywork.inner_text()
    reviewer.click(mywork.locator(".mywork-item a").first)  # the request on the action plan
    row = page.locator(f"#action-{request.pk}")
    assert "What the project team did: Added the 2020 SIMD ranks" in row.inner_text()
    violations = axe_violations(page)
    assert not violations, describe_violations("Action plan", violations)
    reviewer.click(row.get_by_role("button", name="Agree it is dealt with"))
    page.wait_for_load_state()
    assert "Agreed: the request is closed." in page.locator(".messages").inner_text()
    assert "Closed: the reviewer agreed" in page.locator(f"#action-{request.pk}").inner_text()
    assert reviewer.clicks <= CLICK_CEILING, reviewer.clicks
    context.close()

    request.refresh_from_db()
    assert request.request_state == RequestState.AGREED and request.status == ActionStatus.DONE
    assert not page_problems.report(), page_problems.report()
