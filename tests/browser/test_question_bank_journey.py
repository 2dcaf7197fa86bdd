"""The question bank journey, with the keyboard: a methodology owner drafts version 2 (rewords
one question, adds one), compares it with version 1 and publishes it; then a project manager
moves an open assessment onto it and sees the reworded question flagged for confirming.

Every action is a key press on a focused control (Enter on links and buttons, Space on boxes,
typing into fields); the test never clicks."""

from __future__ import annotations

import re

from assessments.models import Answer, StageAssessment
from tests.browser.helpers import seed

REWORDED = (
    "Will the contract expect contractors and operators to follow Fair Work First practices, "
    "such as paying at least the real Living Wage and not using exploitative zero-hours contracts?"
)
ADDED = (
    "Will payment terms let small local suppliers and social enterprises be paid within 30 days, "
    "so they can afford to bid for work on the scheme?"
)


def message(page, text: str):
    """Wait for the confirmation shown after a redirect (the page also repeats it to screen
    readers in a hidden live region)."""
    page.locator(".messages .alert", has_text=text).wait_for()


def enter(locator):
    locator.focus()
    locator.page.keyboard.press("Enter")
    locator.page.wait_for_load_state()


def type_into(locator, text: str):
    locator.focus()
    locator.page.keyboard.press("ControlOrMeta+a")
    locator.page.keyboard.press("Delete")
    locator.page.keyboard.type(text)


def test_owner_publishes_a_rewording_and_a_manager_moves_onto_it(
    reference, page, context, sign_in_as
):
    demo = seed()
    assessment = demo.assessment("GCC-HR-014")  # Outline business case, draft
    sign_in_as(demo.user("method"))
    page.goto("/methodology/")
    enter(page.get_by_role("link", name=re.compile("^Question bank")))
    enter(page.get_by_role("button", name="Start a draft from version 1"))
    message(page, "Draft version 2 is open for editing.")

    enter(page.get_by_role("link", name="Edit D01-D-2"))
    type_into(page.locator("#id_text"), REWORDED)
    enter(page.get_by_role("button", name="Save the question"))
    message(page, "D01-D-2 saved.")

    enter(page.get_by_role("link", name="Add a question"))
    page.locator("#id_stage_group").focus()
    page.keyboard.press("ArrowDown")  # Early -> Design and procurement
    type_into(page.locator("#id_text"), ADDED)
    type_into(page.locator("#id_guidance"), "Ask procurement what the standard terms say.")
    page.get_by_label("Fairer Scotland Duty assessment").focus()
    page.keyboard.press("Space")
    enter(page.get_by_role("button", name="Add the question"))
    message(page, "D01-D-5 added.")

    enter(page.get_by_role("link", name="Compare with version 1"))
    page.get_by_role("heading", name="D01-D-2: Reworded").wait_for()
    assert page.locator("ins", has_text=REWORDED).count() == 1
    assert page.locator(".qbank-added", has_text=ADDED).count() == 1

    enter(page.get_by_role("link", name="Publish…").first)
    type_into(page.locator("#id_notes"), "D01-D-2 reworded; D01-D-5 new.")
    page.locator("#id_confirm").focus()
    page.keyboard.press("Space")
    enter(page.get_by_role("button", name="Publish version 2"))
    message(page, "Version 2 is published")

    context.clear_cookies()
    sign_in_as(demo.user("pm.glasgow"))
    page.goto(assessment.get_absolute_url())
    enter(page.get_by_role("link", name="See what moving to version 2 changes"))
    reworded = page.get_by_role("listitem").filter(has_text="D01-D-2 was")
    assert REWORDED in reworded.inner_text()
    assert page.get_by_role("listitem").filter(has_text=ADDED).count() == 1
    enter(page.get_by_role("button", name="Move this stage onto version 2"))
    message(page, "Moved onto the new question bank version.")

    flagged = page.locator("article", has=page.get_by_role("heading", name="Reworded D01-D-2"))
    assert REWORDED in flagged.inner_text()
    assessment = StageAssessment.objects.get(pk=assessment.pk)
    assert assessment.question_bank.version == "2"
    assert Answer.objects.get(assessment=assessment, question__code="D01-D-2").reworded_from

    enter(flagged.get_by_role("button", name="My answer still fits (D01-D-2)"))
    message(page, "Your answer to D01-D-2 is confirmed.")
    assert not Answer.objects.filter(assessment=assessment, reworded_from__isnull=False).exists()
