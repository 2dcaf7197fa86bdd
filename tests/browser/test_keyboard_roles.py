"""Keyboard-only journeys for the roles test_keyboard.py, test_answering_keyboard.py and
test_officer_day.py do not cover: the community panel, the regional programme office, a council
administrator and a methodology owner.

After the sign-in page is opened, each journey only presses keys (Tab, Shift+Tab, Enter, Space,
arrow keys) and types text. Key presses (not typed characters) are counted and held to a
ceiling per journey, so a page that makes someone tab much further than before fails. Every Tab
must land on something: focus falling back to the page body, or a control the keyboard never
reaches, fails the test.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.contrib.auth import get_user_model

from assessments.enums import Role
from assessments.models import CommunityComment, Membership
from tests.browser.helpers import seed

DESCRIBE_FOCUS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return '';
  const label = el.labels && el.labels.length ? el.labels[0].innerText : '';
  return [el.tagName, el.getAttribute('name') || '', label || el.innerText || el.value || ''].join('|');
}"""

# Key presses each journey may take: what each took when written, plus two. A page change that
# adds tab stops on the way fails here. (Before the People page's "Invite someone" link, the
# administrator tabbed past every person's role buttons to reach the invitation form.)
CEILINGS = {"panel": 26, "pmo": 41, "admin": 36, "methodology": 12}


class Keyboard:
    """The only way these tests touch a page after it first loads."""

    def __init__(self, page):
        self.page = page
        self.presses = 0
        self.typed = 0

    def press(self, key: str) -> None:
        self.page.keyboard.press(key)
        self.presses += 1

    def type(self, text: str) -> None:
        self.page.keyboard.type(text)
        self.typed += len(text)

    def focused(self) -> str:
        return " ".join(self.page.evaluate(DESCRIBE_FOCUS).split())

    def tab_to(self, wanted: str, *, limit: int = 80, backwards: bool = False) -> str:
        """Tab until the focused element's tag|name|label-or-text matches `wanted` (a regular
        expression, case-insensitive). Focus must never be lost on the way."""
        pattern = re.compile(wanted, re.IGNORECASE)
        for _ in range(limit):
            self.press("Shift+Tab" if backwards else "Tab")
            focused = self.focused()
            assert focused, f"focus was lost on the way to {wanted!r} ({self.page.url})"
            if pattern.search(focused):
                return focused
        raise AssertionError(f"{wanted!r} is not reachable with the keyboard on {self.page.url}")

    def sign_in(self, username: str) -> None:
        self.page.goto("/accounts/login/")
        assert self.focused() == ""
        self.tab_to(r"\|username\|")
        self.type(username)
        self.press("Tab")
        self.type(settings.CHIIA_DEMO_PASSWORD)
        self.press("Enter")
        self.page.wait_for_url(lambda url: "/accounts/login/" not in url)


def test_community_panel_member_comments_by_keyboard(reference, page):
    seed()
    keys = Keyboard(page)
    keys.sign_in("panel.renfrew")
    page.wait_for_url("**/my-work/")

    keys.tab_to(r"^A\|\|REN-TR-031")  # the open consultation, listed on My work
    keys.press("Enter")
    page.wait_for_url(re.compile(r"/consultation/$"))
    # Reading: the skip link takes focus past the menu to the summary itself.
    keys.tab_to("Skip to main content")
    keys.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    for heading in ("About the project", "Ways it could harm health", "Comments and replies"):
        assert page.get_by_role("heading", name=heading).is_visible()

    keys.tab_to(r"\|text\|")
    keys.type("Please keep the towpath open while the stop is built.")
    keys.tab_to(r"\|is_concern\|")
    keys.press("Space")
    keys.tab_to("Send comment")
    with page.expect_navigation():
        keys.press("Enter")

    comment = CommunityComment.objects.get(text__startswith="Please keep the towpath")
    assert comment.is_concern
    # The page opens at the comment just sent, with the thanks announced above.
    assert page.url.endswith(f"#comment-{comment.pk}")
    assert "Thank you" in page.locator(".messages").inner_text()
    mine = page.locator(f"#comment-{comment.pk}")
    assert mine.is_visible() and "significant concern" in mine.inner_text()
    assert keys.presses <= CEILINGS["panel"], keys.presses


def test_programme_office_filters_and_downloads_by_keyboard(reference, page):
    seed()
    keys = Keyboard(page)
    keys.sign_in("pmo")
    page.wait_for_url("**/dashboard/")
    assert page.get_by_role("heading", name="Portfolio dashboard").is_visible()

    keys.tab_to(r"^SELECT\|council\|")
    keys.type("Renfrewshire")  # a closed select picks the option typed
    keys.tab_to(r"^BUTTON\|\|Apply")
    keys.press("Enter")
    page.wait_for_url(re.compile(r"council=\d+"))
    assert "council is" in page.locator(".board-downloads").inner_text().lower()

    keys.tab_to(r"portfolio report \(PDF\)")
    # The page fetches the file itself (static/js/busy.js, so it can say it is working), then
    # hands it over: the request it made carries the filter.
    with (
        page.expect_request(re.compile(r"/dashboard/export\.pdf\?.*council=\d+")),
        page.expect_download(timeout=120_000) as download,
    ):
        keys.press("Enter")
    assert download.value.suggested_filename.endswith(".pdf")
    assert keys.presses <= CEILINGS["pmo"], keys.presses


def test_council_administrator_invites_and_grants_by_keyboard(reference, page):
    seed()
    keys = Keyboard(page)
    keys.sign_in("admin.glasgow")
    page.wait_for_url("**/my-work/")

    keys.tab_to(r"^A\|\|People$")
    keys.press("Enter")
    page.wait_for_url(re.compile(r"/council/\d+/people/$"))
    # The page's own link past the list of people to the invitation form.
    keys.tab_to(r"^A\|\|Invite someone")
    keys.press("Enter")
    keys.tab_to(r"\|first_name\|")
    keys.type("Keira")
    keys.press("Tab")
    keys.type("Boyd")
    keys.tab_to(r"\|email\|")
    keys.type("keira.boyd@glasgow.example")
    keys.tab_to(r"\|role\|")
    keys.type("Project contributor")  # a closed select picks the option typed
    keys.tab_to("Send invitation")
    with page.expect_navigation():
        keys.press("Enter")
    person = get_user_model().objects.get(email="keira.boyd@glasgow.example")
    assert Membership.objects.filter(user=person, role=Role.CONTRIBUTOR).exists()

    # Give the new person a second role, from their line in the list.
    keys.tab_to(r"Role to give Keira Boyd")
    keys.type("Project manager")  # a closed select picks the option typed
    keys.tab_to(r"Give role to Keira Boyd")
    with page.expect_navigation():
        keys.press("Enter")
    assert Membership.objects.filter(user=person, role=Role.PROJECT_MANAGER).exists()
    assert "Keira Boyd" in page.locator(".account-events").inner_text()
    assert keys.presses <= CEILINGS["admin"], keys.presses


def test_methodology_owner_reaches_the_method_page_by_keyboard(reference, page):
    seed()
    keys = Keyboard(page)
    keys.sign_in("method")
    page.wait_for_url("**/methodology/")
    keys.tab_to("Skip to main content")
    keys.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    assert page.locator("main h1").inner_text() == "The method"
    # The menu's own link to the page is reachable too.
    keys.tab_to(r"^A\|\|.*method", backwards=True)
    assert keys.presses <= CEILINGS["methodology"], keys.presses
