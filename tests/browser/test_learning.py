"""Learning from use in the browser: a project manager marks a question unclear with the
keyboard without leaving the section form, the methodology owner sees it on the dashboard, and
the project manager picks a mitigation another project recorded."""

from __future__ import annotations

from django.urls import reverse
from playwright.sync_api import expect

from assessments.models import Council, QuestionFeedback
from tests.browser.helpers import axe_violations, describe_violations, seed
from tests.factories import make_library_entry

FOCUS = "() => document.activeElement ? document.activeElement.outerHTML.slice(0, 200) : ''"
SHARED = "Quiet hours for piling agreed with the school next door"


def tab_until(page, selector, limit=15):
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"() => document.activeElement.matches({selector!r})"):
            return
    raise AssertionError(f"{selector} not reached; focus is {page.evaluate(FOCUS)}")


def test_mark_unclear_by_keyboard_then_owner_sees_it_and_pm_picks_a_mitigation(
    reference, page, sign_in_as
):
    demo = seed()
    make_library_entry(
        Council.objects.get(code="S12000038"), SHARED, title="Paisley depot", determinant="D05"
    )
    sign_in_as(demo.user("pm.glasgow"))
    assessment = demo.assessment()
    page.goto(reverse("assessments:section-edit", args=[assessment.pk, "D05"]))
    page.wait_for_function("() => window.htmx !== undefined")
    page.evaluate("() => { window.notReloaded = true; }")
    # A question not answered yet: its direction is still empty.
    card = (
        page.locator(".question-card")
        .filter(has=page.locator("select[name$='-direction'] option[value=''][selected]"))
        .first
    )
    code = card.get_attribute("id").removeprefix("q-")

    # Mark it unclear, by keyboard alone, from its notes field.
    card.locator("textarea[name$='-notes']").focus()
    tab_until(page, "[data-question-feedback] summary")
    page.keyboard.press("Enter")
    tab_until(page, "input[value='unclear']")
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    page.keyboard.type("Does a temporary site office count?")
    tab_until(page, "button[form^='fb-']")
    page.keyboard.press("Enter")
    expect(card.locator("[role=status][id^='fb-status-']")).to_contain_text(
        f"{code} recorded as unclear"
    )
    assert page.evaluate("() => window.notReloaded") is True
    remark = QuestionFeedback.objects.get()
    assert (remark.question_code, remark.kind) == (code, "unclear")
    assert remark.comment == "Does a temporary site office count?"
    # (The sticky save bar covers whatever sits at the bottom of the window: check from the top.)
    page.evaluate("() => window.scrollTo(0, 0)")
    violations = axe_violations(page)
    assert not violations, describe_violations("section form with feedback", violations)

    # Record a harm: suggestions from the other council's signed-off stage appear by the field;
    # "Use this text" copies one in, from the keyboard.
    card.locator("select[name$='-direction']").focus()
    page.keyboard.press("n")  # Negative
    page.keyboard.press("Tab")
    use = card.get_by_role("button", name="Use this text").first
    expect(use).to_be_visible()
    expect(card.locator("[data-suggestions]")).to_contain_text(SHARED)
    expect(card.locator("[data-suggestions]")).to_contain_text("project in Renfrewshire")
    expect(card.locator("[data-suggestions]")).not_to_contain_text("Paisley depot")
    use.focus()
    page.keyboard.press("Enter")
    mitigation = card.locator("textarea[name$='-mitigation']")
    expect(mitigation).to_have_value(SHARED)
    expect(mitigation).to_be_focused()
    # Leave the form while the PM is still signed in: leaving the field asks for the live preview,
    # and sent after the session changed hands that request would be refused (a 403).
    mitigation.evaluate("field => field.blur()")
    page.goto(reverse("assessments:my-work"))
    page.wait_for_load_state("networkidle")

    # The methodology owner sees the remark on the dashboard.
    sign_in_as(demo.user("method"))
    page.goto(reverse("assessments:learning-dashboard"))
    row = page.locator("tbody tr").first
    expect(row).to_contain_text(code)
    expect(row.locator("td").nth(5)).to_have_text("1")  # marked unclear
    row.get_by_role("link").click()
    expect(page.locator("main")).to_contain_text("Does a temporary site office count?")
