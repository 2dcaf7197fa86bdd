"""Busy states (static/js/busy.js): while a slow request is in flight its control says what is
happening, refuses a second press and the page's live region announces it; afterwards, or after
a failure, everything is put back. Requests are held in the browser (Playwright's route) so the
busy state can be seen, then let through to the real server."""

from __future__ import annotations

import re

from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.helpers import seed

FAILED = "That did not work"


class Held:
    """Requests matching a URL pattern, held until the test lets them go."""

    def __init__(self, page, pattern):
        self.routes = []
        page.route(pattern, lambda route: self.routes.append(route))

    def wait(self, page):
        for _ in range(50):
            if self.routes:
                return self.routes[-1]
            page.wait_for_timeout(100)
        raise AssertionError("the request never left the page")


def _answering_page(page, sign_in_as):
    demo = seed()
    sign_in_as(demo.user("pm.glasgow"))
    assessment = demo.assessment()
    page.goto(reverse("assessments:section-edit", args=[assessment.pk, "D09"]))
    page.wait_for_function("() => window.htmx !== undefined")
    return page.locator(".question-card").first


def test_saving_one_question_says_saving_until_the_answer_is_back(reference, page, sign_in_as):
    card = _answering_page(page, sign_in_as)
    held = Held(page, re.compile(r"/question/\d+/$"))
    button = card.get_by_role("button", name="Save this question")
    label = button.inner_text()

    button.click()
    route = held.wait(page)

    busy = card.locator("button[name=save_question]")
    expect(busy).to_have_text("Saving…")
    expect(busy).to_have_attribute("aria-disabled", "true")
    expect(page.locator("#busy-announcer")).to_have_text("Saving…")
    busy.click(force=True)  # a second press while saving sends nothing
    assert len(held.routes) == 1
    route.continue_()

    saved = page.locator(".question-card").first
    expect(saved.locator(".question-saved")).to_contain_text("Saved")
    expect(saved.locator("button[name=save_question]")).to_have_text(label)
    expect(saved.locator("button[name=save_question]")).not_to_have_attribute(
        "aria-disabled", "true"
    )


def test_a_failed_save_puts_the_button_back_and_says_so(reference, page, sign_in_as, page_problems):
    card = _answering_page(page, sign_in_as)
    held = Held(page, re.compile(r"/question/\d+/$"))
    button = card.locator("button[name=save_question]")
    label = button.inner_text()

    button.click()
    held.wait(page).abort()

    expect(button).to_have_text(label)
    expect(button).not_to_have_attribute("aria-disabled", "true")
    expect(card.locator(".busy-failed")).to_contain_text(FAILED)
    expect(page.locator("#busy-announcer")).to_contain_text(FAILED)
    # htmx logs the cut connection itself; that one is expected here.
    expected = ("htmx:sendError", "htmx:afterRequest", "net::ERR_FAILED")
    page_problems.errors[:] = [e for e in page_problems.errors if not any(x in e for x in expected)]


def test_a_slow_download_says_it_is_being_prepared_then_saves_the_file(reference, page, sign_in_as):
    demo = seed()
    sign_in_as(demo.user("pmo"))
    page.goto(reverse("assessments:dashboard"))
    held = Held(page, re.compile(r"/dashboard/export\.csv"))
    link = page.locator("a[data-busy-download]", has_text="CSV")

    link.click()
    route = held.wait(page)

    expect(link).to_have_text("Preparing the list (CSV)…")
    expect(page.locator("#busy-announcer")).to_have_text("Preparing the list (CSV)…")
    with page.expect_download() as download:
        route.continue_()
    assert download.value.suggested_filename.endswith(".csv")
    expect(link).to_have_text("CSV")
    expect(page.locator("#busy-announcer")).to_have_text("Downloaded: CSV.")


# Playwright waits for a pending navigation before reading the page, so while the form's
# request is held the page reports its own changes through the console.
WATCH = """() => {
  const button = document.querySelector("form[action$='/report/'] button[type=submit]");
  const region = document.getElementById("busy-announcer");
  const report = () => console.log(["busy", button.textContent,
                                    button.getAttribute("aria-disabled"), region.textContent].join("|"));
  new MutationObserver(report).observe(document.body, {subtree: true, childList: true,
                                                       characterData: true, attributes: true});
}"""


def test_a_form_that_starts_a_slow_job_is_marked_busy(reference, page, sign_in_as):
    demo = seed()
    sign_in_as(demo.user("pm.glasgow"))
    page.goto(demo.project().get_absolute_url())
    held = Held(page, re.compile(r"/projects/\d+/report/$"))
    seen = []
    page.on("console", lambda message: seen.append(message.text))
    page.evaluate(WATCH)

    page.get_by_role("button", name="Generate the project report").click(no_wait_after=True)
    route = held.wait(page)
    for _ in range(30):
        if "busy|Starting the report…|true|Starting the report…" in seen:
            break
        page.wait_for_timeout(100)

    assert "busy|Starting the report…|true|Starting the report…" in seen
    route.continue_()
    # The test server makes the report while it answers (tasks run immediately): give it time.
    expect(page.get_by_role("heading", name="Project report")).to_be_visible(timeout=90_000)
