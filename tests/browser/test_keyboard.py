"""The project manager's journey with the keyboard alone: no mouse, no clicks, no fill().

After the first page load the test only presses keys (Tab, Shift+Tab, Enter, Space, arrow keys
and typing), as someone who cannot use a mouse would."""

from __future__ import annotations

import re

from django.conf import settings

from assessments.models import CapitalProject
from tests.browser.helpers import seed

DESCRIBE_FOCUS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return '';
  const label = el.labels && el.labels.length ? el.labels[0].innerText : '';
  return [el.tagName, el.getAttribute('name') || '', label || el.innerText || el.value || ''].join('|');
}"""


# What a screen reader would announce: text added to a live region after the page loaded.
RECORD_ANNOUNCEMENTS = """
window.announced = [];
document.addEventListener("DOMContentLoaded", () => {
  new MutationObserver(records => records.forEach(record => {
    const node = record.target.nodeType === 1 ? record.target : record.target.parentElement;
    const region = node && node.closest("[role=status], [aria-live]");
    if (region) window.announced.push(region.textContent);
  })).observe(document.body, {childList: true, subtree: true, characterData: true});
});
"""


def tab_to(page, wanted: str, *, limit: int = 120, backwards: bool = False) -> str:
    """Press Tab until the focused element's tag|name|label-or-text contains `wanted`."""
    for _ in range(limit):
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
        focused = " ".join(page.evaluate(DESCRIBE_FOCUS).split())
        if wanted.lower() in focused.lower():
            return focused
    raise AssertionError(f"could not reach {wanted!r} with the keyboard (last focus: {focused!r})")


def test_project_manager_journey_by_keyboard_alone(reference, page):
    seed()
    page.goto("/accounts/login/")
    keys = page.keyboard
    page.add_init_script(RECORD_ANNOUNCEMENTS)

    # Nothing is focused on load (WCAG 2.4.3): the skip link is the first stop, then the form.
    assert page.evaluate(DESCRIBE_FOCUS) == ""
    keys.press("Tab")
    assert "Skip to main content" in page.evaluate(DESCRIBE_FOCUS)
    tab_to(page, "|username|")
    keys.type("pm.glasgow")
    keys.press("Tab")
    keys.type(settings.CHIIA_DEMO_PASSWORD)
    keys.press("Enter")
    page.wait_for_url("**/my-work/")

    # The skip link is the first stop on the page.
    keys.press("Tab")
    assert "Skip to main content" in page.evaluate(DESCRIBE_FOCUS)
    tab_to(page, "Register a project")
    keys.press("Enter")
    page.wait_for_url("**/projects/new/")

    tab_to(page, "|title|")
    keys.type("Port Glasgow active travel link")
    tab_to(page, "|council|")
    keys.type("Glasgow")
    tab_to(page, "|reference|")
    keys.type("GCC-AT-007")
    tab_to(page, "|description|")
    keys.type("A segregated cycle route along the A8.")
    tab_to(page, "|project_type|")
    keys.type("Transport")
    tab_to(page, "|budget|")
    keys.type("750000")
    tab_to(page, "|city_deal|")
    keys.press("Space")
    tab_to(page, "|senior_responsible_officer|")
    keys.type("Graham")
    tab_to(page, "|project_manager|")
    keys.type("Aileen")
    tab_to(page, "|current_stage|")
    keys.type("Strategic Business")
    tab_to(page, "|postcodes_text|")
    keys.type("G40 1AT")
    tab_to(page, "Register project")
    keys.press("Enter")
    page.wait_for_url(re.compile(r"/projects/\d+/$"))

    project = CapitalProject.objects.get(reference="GCC-AT-007")
    assert project.city_deal and project.project_type == "transport"
    assert project.current_stage.code == "SBC" and project.postcodes == ["G40 1AT"]

    tab_to(page, "Start the")
    keys.press("Enter")
    page.wait_for_url(re.compile(r"/assessments/\d+/$"))
    assessment = project.assessments.get()

    tab_to(page, "Answer Income")
    keys.press("Enter")
    page.wait_for_url(re.compile(r"/section/D\d\d/$"))
    section_heading = page.locator("h1").inner_text()
    count = page.locator("select[name$='-direction']").count()
    assert count
    # First question: a positive impact, described with the keyboard; the rest "no impact".
    tab_to(page, "-direction|")
    keys.type("Positive")
    tab_to(page, "-pathway|")
    keys.type("More people can reach jobs by bike.")
    tab_to(page, "-likelihood|")
    keys.type("Probable")
    tab_to(page, "-severity|")
    keys.type("Moderate")
    tab_to(page, "-duration|")
    keys.type("Long")
    tab_to(page, "-reach|")
    keys.type("Locality")
    for _ in range(count - 1):
        tab_to(page, "-direction|")
        keys.type("No impact")
    tab_to(page, "Save and return to overview")
    keys.press("Enter")
    page.wait_for_url(re.compile(r"/assessments/\d+/#D\d\d$"))
    assert "Saved" in page.locator(".messages").inner_text()
    # The page opens at the section just saved, and the confirmation is announced (WCAG 4.1.3).
    page.wait_for_function("() => window.announced.some(text => text.includes('Saved'))")

    answers = assessment.answers.filter(
        question__determinant__name=section_heading.split(" ", 1)[1]
    )
    assert answers.count() == count
    positive = answers.get(direction="positive")
    assert (positive.likelihood, positive.severity, positive.duration, positive.reach) == (
        3,
        2,
        "long",
        "locality",
    )
    assert answers.filter(direction="no_impact").count() == count - 1
