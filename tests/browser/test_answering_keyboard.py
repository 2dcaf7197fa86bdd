"""One full impact answer with the keyboard alone, counted: at most 40 key presses besides the
typed text (issue 14; the old form took 110 for the same answer, 64 tab stops of them in two
32-box group lists). Every key is pressed through a counter: Tab, arrows, Space, Enter and the
letters that pick an option in a select all count; only the words typed into text boxes do not."""

from __future__ import annotations

from django.urls import reverse
from playwright.sync_api import expect

from assessments.models import Answer
from tests.browser.helpers import axe_violations, describe_violations, seed

KEY_CEILING = 40

FOCUS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return '';
  return [el.tagName, el.getAttribute('name') || '', el.value || '', el.innerText || ''].join('|');
}"""


class CountedKeys:
    def __init__(self, page):
        self.page, self.presses, self.typed = page, 0, 0

    def press(self, *keys):
        for key in keys:
            self.page.keyboard.press(key)
            self.presses += 1

    def pick(self, letters):
        """Type-ahead in a focused select: every letter is a key press."""
        self.press(*letters)

    def type(self, text):
        self.page.keyboard.type(text)
        self.typed += len(text)

    def tab_to(self, wanted, limit=60):
        for _ in range(limit):
            self.press("Tab")
            if wanted in self.page.evaluate(FOCUS):
                return
        raise AssertionError(f"{wanted!r} not reached; focus is {self.page.evaluate(FOCUS)!r}")

    def focused(self):
        return self.page.evaluate(FOCUS)


def test_one_full_impact_answer_in_at_most_40_key_presses(reference, page, sign_in_as):
    demo = seed()
    sign_in_as(demo.user("pm.glasgow"))
    assessment = demo.assessment()
    page.goto(reverse("assessments:section-edit", args=[assessment.pk, "D09"]))
    page.wait_for_function("() => window.htmx !== undefined")
    card = page.locator(".question-card").first
    answer_pk = int(
        card.locator("select[name$='-direction']").get_attribute("name")[1:].split("-")[0]
    )
    prefix = f"a{answer_pk}-"
    # A marker that a page reload would wipe: the question must save in place.
    page.evaluate("() => { window.notReloaded = true; }")
    card.locator("select[name$='-direction']").focus()  # the start: the question's first field

    keys = CountedKeys(page)
    keys.pick("ne")  # Negative
    keys.tab_to(prefix + "pathway")
    keys.type("Dust and fumes from the works reach the school gates.")
    keys.press("Tab")
    keys.pick("pr")  # Probable
    keys.press("Tab")
    keys.pick("mo")  # Moderate
    keys.press("Tab")
    keys.pick("s")  # Short
    keys.press("Tab", "Tab")  # past "Reversible?" to "How many people"
    keys.pick("s")  # Street or neighbourhood
    assert prefix + "reach" in keys.focused()
    # Groups: the benefit-only distribution field is hidden for a harm, so Tab goes to the filter.
    keys.press("Tab")
    assert "INPUT||" in keys.focused()  # the filter box
    keys.press("Tab")  # the table is one stop: D09's priority groups first
    assert keys.focused().startswith(f"INPUT|{prefix}groups|PC_DISABILITY")
    keys.press("ArrowDown", "Space")  # Children: affected
    keys.press("ArrowDown", "ArrowDown", "ArrowRight", "Space")  # low income: more than others
    assert keys.focused().startswith(f"INPUT|{prefix}disproportionate|SE_LOW_INCOME")
    keys.press("Tab")
    assert prefix + "evidence_strength" in keys.focused()
    keys.pick("m")  # Moderate
    keys.press("Tab")
    keys.type("Air quality monitoring at the site, 2025.")
    keys.press("Tab")
    keys.type("Dust screens and no idling at the school.")
    keys.press("Tab")
    keys.type("Site manager")
    keys.tab_to("Save this question")
    # The live preview has scored the answer with the rules module on the server.
    # It arrives by its own request after the last change, so wait for it (up to 10 s).
    preview = page.locator(f"#preview-{answer_pk}")
    expect(preview).to_contain_text("Score as entered:", timeout=10_000)
    keys.press("Enter")
    page.locator(f"#qstatus-{answer_pk}").filter(has_text="Saved").wait_for()

    assert keys.presses <= KEY_CEILING, keys.presses
    print(f"key presses: {keys.presses}, typed characters: {keys.typed}")
    assert page.evaluate("() => window.notReloaded") is True
    # The question came back as saved, still showing only what applies to a harm.
    assert not page.locator(
        f"#q-{Answer.objects.get(pk=answer_pk).question.code} [name$='-distribution']"
    ).is_visible()
    answer = Answer.objects.get(pk=answer_pk)
    assert (
        answer.direction,
        answer.likelihood,
        answer.severity,
        answer.duration,
        answer.reach,
    ) == (
        "negative",
        3,
        2,
        "short",
        "neighbourhood",
    )
    groups = {link.group.code: link.disproportionate for link in answer.groups.all()}
    assert groups == {"PC_AGE_CHILD": False, "SE_LOW_INCOME": True}
    assert answer.mitigation_owner == "Site manager"
    violations = axe_violations(page)
    assert not violations, describe_violations("section form after a save", violations)
