"""A methodology owner changes the scoring rules with the keyboard alone: starts a draft, lowers
where Medium starts (6 to 5) and raises the one-priority-group multiplier (1.5 to 1.8), sees that
a rating would move, publishes, and moves the open assessments onto the new version."""

from __future__ import annotations

from django.urls import reverse

from assessments.models import Council, RuleSet, StageAssessment, StatusChange
from assessments.rulesets.drafting import MOVE_EVENT
from tests.browser.helpers import seed
from tests.factories import add_small_harm, make_assessment

FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return '';
  const label = el.labels && el.labels.length ? el.labels[0].innerText : '';
  return [el.tagName, el.getAttribute('name') || '', label || el.innerText || ''].join('|');
}"""


def tab_to(page, wanted: str, *, limit: int = 250) -> str:
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = " ".join(page.evaluate(FOCUSED).split())
        if wanted.lower() in focused.lower():
            return focused
    raise AssertionError(f"could not reach {wanted!r} with the keyboard (last: {focused!r})")


def press_on(page, wanted: str) -> None:
    tab_to(page, wanted)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def replace_value(page, field_name: str, value: str) -> None:
    tab_to(page, f"|{field_name}|")
    page.keyboard.press("Control+A")
    page.keyboard.type(value)


def test_methodology_owner_changes_the_rules_by_keyboard(reference, page, sign_in_as):
    demo = seed()
    harm = make_assessment(council=Council.objects.get(code="S12000049"), stage_code="OBC")
    add_small_harm(harm)
    sign_in_as(demo.user("method"))
    page.goto(reverse("assessments:methodology-home"))

    press_on(page, "Rule sets")
    press_on(page, "Start a draft")
    assert page.locator("h1").inner_text().startswith("Rule set version 3")
    replace_value(page, "band_medium", "5")
    replace_value(page, "negative_multipliers__one_priority", "1.8")
    press_on(page, "Save draft")
    assert "Draft v3 saved" in page.locator(".messages").inner_text()

    press_on(page, "See what would change")
    press_on(page, "Show what would change")
    row = page.locator("tr", has_text=harm.project.title)
    assert "Green" in row.inner_text() and "Amber (changed)" in row.inner_text()
    assert StageAssessment.objects.get(pk=harm.pk).rule_set.version == "2"  # nothing saved

    press_on(page, "Publish…")
    press_on(page, "Publish version 3")
    assert "Rule set v3 is published" in page.locator(".messages").inner_text()
    assert RuleSet.objects.get(version="3").published_by == demo.user("method")
    press_on(page, "Move ")
    assert "overall rating(s) changed" in page.locator(".messages").inner_text()
    harm.refresh_from_db()
    assert (harm.rule_set.version, harm.overall_rating) == ("3", "amber")
    assert StatusChange.objects.filter(assessment=harm, event=MOVE_EVENT).exists()
