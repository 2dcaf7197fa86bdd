"""axe-core in Chromium on every main page, in each role's view, on a desktop (1280 px) and on the
narrowest phone WCAG's reflow criterion names (320 px): zero WCAG 2.2 A/AA violations, and at
320 px no page is wider than the screen (1.4.10).

PAGES is the table to extend when a page is added: a name, how to build its URL from the demo
data, the roles (demo usernames; None = signed out) whose view is checked, and optionally what
to do on the page before checking it (e.g. submit a form empty to check the error state).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.urls import NoReverseMatch, reverse

from tests.browser.helpers import Demo, axe_violations, describe_violations, seed

ANONYMOUS = None
PM, CONTRIBUTOR, REVIEWER, SRO, PANEL, COUNCIL_ADMIN = (
    "pm.glasgow",
    "contributor.glasgow",
    "reviewer.glasgow",
    "sro.glasgow",
    "panel.glasgow",
    "admin.glasgow",
)
PMO, SYSADMIN = "pmo", "sysadmin"
METHOD = "method"
COUNCIL_READERS = (PM, CONTRIBUTOR, REVIEWER, SRO, COUNCIL_ADMIN)
ALL_READERS = COUNCIL_READERS + (PMO, SYSADMIN)
ROLES = (ANONYMOUS, PM, CONTRIBUTOR, REVIEWER, SRO, PANEL, COUNCIL_ADMIN, PMO, SYSADMIN, METHOD)


@dataclass(frozen=True)
class PageCheck:
    name: str
    url: Callable[[Demo], str]
    roles: tuple
    prepare: Callable | None = None


def submit_empty_project_form(page):
    page.get_by_role("button", name="Register project").click()
    page.locator("#error-summary").wait_for()


def submit_contradictory_answer(page):
    # An unfinished answer is saved as incomplete; a contradictory one (a group affected "more
    # than others" but not ticked as affected) is refused with an error summary. The page ticks
    # "affected" along with it, so untick it behind the script's back.
    card = page.locator(".question-card").last
    card.locator("select[name$='-direction']").select_option("positive")
    card.locator("input[name$='-disproportionate']").first.evaluate("el => { el.checked = true; }")
    page.get_by_role("button", name="Save and return to overview").click()
    page.locator("#error-summary").wait_for()


def open_every_details(page):
    page.evaluate("() => document.querySelectorAll('details').forEach(d => { d.open = true; })")


def wrong_password(page):
    page.get_by_label("Username").fill("pm.glasgow")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    page.locator("#error-summary").wait_for()


def make_token(page):
    page.get_by_label("What is the token for?").fill("Power BI")
    page.get_by_role("button", name="Create token").click()
    page.locator("#new-token").wait_for()


def ruleset_url(demo: Demo, name: str, *, published: bool = False) -> str:
    from assessments.models import RuleSet
    from assessments.rulesets import drafting

    if published:
        rule_set = RuleSet.objects.published().latest()
    else:
        rule_set = drafting.start_draft(demo.user(METHOD))
    return reverse(f"assessments:{name}", args=[rule_set.pk])


def save_bad_bands(page):
    page.get_by_label("Medium from").fill("20")
    page.get_by_role("button", name="Save draft").click()
    page.locator("#error-summary").wait_for()


def qbank_draft(demo: Demo):
    """Version 2 of the question bank as a draft: D01-D-2 reworded, one question added."""
    from assessments.questionbank import drafting
    from tests.factories import make_bank_version

    return drafting.current_draft() or make_bank_version(
        demo.user(METHOD),
        reword={"D01-D-2": "Will the contract expect contractors to follow Fair Work First?"},
        add=[("D01", "D", "Will small local suppliers be paid within 30 days?")],
        publish=False,
    )


def qbank_published(demo: Demo):
    """The demo's open outline business case, with that draft published (so it may move)."""
    from assessments.questionbank import drafting

    drafting.publish(qbank_draft(demo), notes="D01-D-2 reworded.", by=demo.user(METHOD))
    return demo.assessment()


def qbank_moved(demo: Demo) -> str:
    """The demo's open outline business case moved onto the newest version, a reworded answer
    waiting to be confirmed: its overview page."""
    from assessments.questionbank import moving, queries

    assessment = qbank_published(demo)
    moving.move_assessment(
        assessment,
        from_bank_id=assessment.question_bank_id,
        to_bank_id=queries.newest_published().pk,
        by=demo.user(PM),
    )
    return assessment.get_absolute_url()


def submit_and_wait(page, button: str):
    page.get_by_role("button", name=button).click()
    page.locator("#error-summary, #publish-problems").first.wait_for()


def submit_impossible_measurement(page):
    page.get_by_label("Date measured").fill("2026-01-15")
    page.get_by_role("spinbutton", name="Value").fill("140")
    page.get_by_role("button", name="Save the measurement").click()
    page.locator("#error-summary").wait_for()


def import_bad_measurements(page):
    page.get_by_label("CSV file").set_input_files(
        files=[
            {
                "name": "bad.csv",
                "mimeType": "text/csv",
                "buffer": b"indicator_id,indicator,unit,date,value,source,note,confirm\n"
                b"999999,Nothing,count,2025-02-30,x,,,\n",
            }
        ]
    )
    page.get_by_role("button", name="Import").click()
    page.locator("#error-summary").wait_for()


def open_feedback(page):
    page.locator("[data-question-feedback] summary").first.click()


def submit_place_standard_with_no_respondents(page):
    page.fill("#id_community_respondents", "0")
    page.click("button:has-text('Save the ratings')")
    page.wait_for_selector("#error-summary")


def section_url(demo: Demo, code: str = "D05") -> str:
    return reverse("assessments:section-edit", args=[demo.assessment().pk, code])


PAGES = [
    PageCheck("sign in", lambda d: reverse("login"), (ANONYMOUS,)),
    PageCheck("sign in, wrong password", lambda d: reverse("login"), (ANONYMOUS,), wrong_password),
    PageCheck("project list", lambda d: reverse("assessments:project-list"), ALL_READERS),
    PageCheck("project detail", lambda d: d.project().get_absolute_url(), ALL_READERS),
    PageCheck(
        "register a project", lambda d: reverse("assessments:project-create"), (PM, COUNCIL_ADMIN)
    ),
    PageCheck(
        "register a project, with errors",
        lambda d: reverse("assessments:project-create"),
        (PM,),
        submit_empty_project_form,
    ),
    PageCheck(
        "edit project",
        lambda d: reverse("assessments:project-edit", args=[d.project().pk]),
        (PM, COUNCIL_ADMIN),
    ),
    PageCheck("assessment overview", lambda d: d.assessment().get_absolute_url(), ALL_READERS),
    PageCheck("answer a section", section_url, (PM, CONTRIBUTOR)),
    PageCheck("answer a section, with errors", section_url, (PM,), submit_contradictory_answer),
    PageCheck("permission denied", lambda d: reverse("assessments:project-list"), (PANEL,)),
    PageCheck("not found", lambda d: "/projects/999999/", (PM, PMO)),
    # Pages of the review, community and portfolio work: checked once they are installed
    # (a URL that does not resolve yet skips its row).
    PageCheck(
        "answer-by-answer review",
        lambda d: reverse("assessments:review", args=[d.assessment().pk]),
        (REVIEWER, PM),
    ),
    PageCheck(
        "action plan",
        lambda d: reverse("assessments:action-plan", args=[d.assessment().pk]),
        (PM, REVIEWER, SRO),
    ),
    PageCheck(
        "project timeline",
        lambda d: reverse("assessments:project-timeline", args=[d.project().pk]),
        COUNCIL_READERS + (PMO,),
    ),
    PageCheck(
        "consultation",
        lambda d: reverse("assessments:consultation", args=[d.assessment().pk]),
        (PM, PANEL, REVIEWER),
    ),
    PageCheck("consultations", lambda d: reverse("assessments:consultation-list"), (PANEL,)),
    PageCheck("dashboard", lambda d: reverse("assessments:dashboard"), (PMO, SYSADMIN)),
    PageCheck("about", lambda d: reverse("assessments:about"), (ANONYMOUS, PANEL)),
    PageCheck("my work", lambda d: reverse("assessments:my-work"), COUNCIL_READERS + (PANEL,)),
    PageCheck("glossary", lambda d: reverse("assessments:glossary"), (PM, PANEL)),
    PageCheck(
        "project list, searched and sorted",
        lambda d: reverse("assessments:project-list") + "?q=GCC&status=draft&sort=-rating",
        (PM,),
    ),
    PageCheck(
        "council people",
        lambda d: reverse(
            "assessments:council-people",
            args=[d.user(COUNCIL_ADMIN).memberships.get().council_id],
        ),
        (COUNCIL_ADMIN, SYSADMIN),
    ),
    PageCheck("councils to manage", lambda d: reverse("assessments:people-home"), (SYSADMIN,)),
    PageCheck("change password", lambda d: reverse("password_change"), (PM, PANEL)),
    PageCheck("forgotten password", lambda d: reverse("password_reset"), (ANONYMOUS,)),
    PageCheck(
        "set a password, link already used",
        lambda d: reverse("password_reset_confirm", args=["MQ", "used-token"]),
        (ANONYMOUS,),
    ),
    PageCheck(
        "stage report preview",
        lambda d: reverse("assessments:stage-report-preview", args=[d.assessment().pk]),
        (PM,),
    ),
    # privacy: the public notice and the council administrator's data protection pages
    PageCheck(
        "privacy notice",
        lambda d: reverse("assessments:privacy-notice"),
        (ANONYMOUS, COUNCIL_ADMIN),
    ),
    PageCheck(
        "privacy contacts",
        lambda d: reverse("assessments:privacy-contacts", args=[d.project().council_id]),
        (COUNCIL_ADMIN,),
    ),
    PageCheck("download log", lambda d: reverse("assessments:privacy-downloads"), (COUNCIL_ADMIN,)),
    PageCheck(
        "privacy requests", lambda d: reverse("assessments:privacy-requests"), (COUNCIL_ADMIN,)
    ),
    PageCheck(
        "erase a person, confirmation",
        lambda d: reverse("assessments:privacy-erase", args=[d.user(PANEL).pk]),
        (COUNCIL_ADMIN,),
    ),
    # estate: personal API tokens (with a new token shown once) and the API documentation.
    PageCheck("API tokens, a token just made", lambda d: reverse("api-tokens"), (PM,), make_token),
    PageCheck("API documentation", lambda d: reverse("api:docs"), (PMO,)),
    # rule sets (methodology owners)
    PageCheck("methodology home", lambda d: reverse("assessments:methodology-home"), (METHOD,)),
    PageCheck("rule sets", lambda d: reverse("assessments:ruleset-list"), (METHOD,)),
    PageCheck("rule set draft", lambda d: ruleset_url(d, "ruleset-detail"), (METHOD,)),
    PageCheck(
        "rule set draft, with errors",
        lambda d: ruleset_url(d, "ruleset-detail"),
        (METHOD,),
        save_bad_bands,
    ),
    PageCheck(
        "rule set, what would change",
        lambda d: ruleset_url(d, "ruleset-compare") + "?which=all",
        (METHOD,),
    ),
    PageCheck("rule set, publish", lambda d: ruleset_url(d, "ruleset-publish"), (METHOD,)),
    PageCheck(
        "rule set, move open assessments",
        lambda d: ruleset_url(d, "ruleset-move", published=True),
        (METHOD,),
    ),
    # The catchment map's table of zones, opened (place/catchment_map.py).
    PageCheck(
        "project detail, zones on the map listed",
        lambda d: d.project().get_absolute_url(),
        (PM,),
        open_every_details,
    ),
    PageCheck(
        "consultation, areas on the map listed",
        lambda d: reverse("assessments:consultation", args=[d.assessment().pk]),
        (PANEL,),
        open_every_details,
    ),
    # qbank: the methodology owner's question bank pages (a draft with one rewording and one new
    # question), and the project manager's move onto a newer version.
    PageCheck(
        "question bank versions", lambda d: reverse("assessments:questionbank-list"), (METHOD,)
    ),
    PageCheck(
        "question bank draft",
        lambda d: reverse("assessments:questionbank-detail", args=[qbank_draft(d).pk]),
        (METHOD,),
    ),
    PageCheck(
        "question bank, edit a question",
        lambda d: reverse(
            "assessments:questionbank-question-edit",
            args=[qbank_draft(d).pk, qbank_draft(d).questions.get(code="D01-D-2").pk],
        ),
        (METHOD,),
    ),
    PageCheck(
        "question bank, add a question, with errors",
        lambda d: reverse("assessments:questionbank-question-add", args=[qbank_draft(d).pk]),
        (METHOD,),
        lambda page: submit_and_wait(page, "Add the question"),
    ),
    PageCheck(
        "question bank, reorder",
        lambda d: reverse("assessments:questionbank-reorder", args=[qbank_draft(d).pk, "D01", "D"]),
        (METHOD,),
    ),
    PageCheck(
        "question bank, preview a stage",
        lambda d: reverse(
            "assessments:questionbank-preview", args=[qbank_draft(d).pk, "OBC", "D01"]
        ),
        (METHOD,),
    ),
    PageCheck(
        "question bank, compare",
        lambda d: reverse("assessments:questionbank-compare", args=[qbank_draft(d).pk]),
        (METHOD,),
    ),
    PageCheck(
        "question bank, publish, with errors",
        lambda d: reverse("assessments:questionbank-publish", args=[qbank_draft(d).pk]),
        (METHOD,),
        lambda page: submit_and_wait(page, "Publish version 2"),
    ),
    PageCheck(
        "move onto a newer question bank",
        lambda d: reverse("assessments:questionbank-move", args=[qbank_published(d).pk]),
        (PM,),
    ),
    PageCheck("assessment overview, reworded answers to check", lambda d: qbank_moved(d), (PM,)),
    # indicators: outcome monitoring of the demo sports hub in operation.
    PageCheck(
        "outcome monitoring",
        lambda d: reverse("assessments:indicator-list", args=[d.project("GCC-SH-007").pk]),
        (PM, REVIEWER, PMO),
    ),
    PageCheck("indicator", lambda d: d.indicator().get_absolute_url(), (PM, REVIEWER)),
    PageCheck(
        "indicator, an impossible measurement refused",
        lambda d: d.indicator().get_absolute_url(),
        (PM,),
        submit_impossible_measurement,
    ),
    PageCheck(
        "add an indicator",
        lambda d: (
            reverse("assessments:indicator-create", args=[d.project("GCC-SH-007").pk])
            + "?suggestion=D01-I1"
        ),
        (PM,),
    ),
    PageCheck(
        "import measurements, a file with bad rows",
        lambda d: reverse("assessments:measurement-import", args=[d.project("GCC-SH-007").pk]),
        (PM,),
        import_bad_measurements,
    ),
    # learning from use: the methodology dashboard (read by the programme office too), one
    # question's remarks, the library of mitigations, and the feedback control opened on a form.
    PageCheck("questions in use", lambda d: reverse("assessments:learning-dashboard"), (PMO,)),
    PageCheck(
        "one question in use",
        lambda d: reverse("assessments:learning-question") + "?code=D05-E-1",
        (PMO,),
    ),
    PageCheck(
        "library of mitigations", lambda d: reverse("assessments:learning-library"), (PM, PMO)
    ),
    PageCheck("answer a section, feedback open", section_url, (CONTRIBUTOR,), open_feedback),
    # benefits: the dashboard's benefits-realisation page.
    PageCheck("benefits realisation", lambda d: reverse("assessments:dashboard-benefits"), (PMO,)),
    # place before and after: the SIMD comparison, the Place Standard compass and its entry form
    PageCheck(
        "place before and after",
        lambda d: reverse("assessments:place-change", args=[d.project("GCC-GI-021").pk]),
        (PM, REVIEWER, PMO),
    ),
    PageCheck(
        "place standard compass",
        lambda d: reverse("assessments:place-standard", args=[d.project("GCC-GI-021").pk]),
        (PM, SRO, PMO),
    ),
    PageCheck(
        "place standard ratings",
        lambda d: reverse("assessments:place-standard-edit", args=[d.assessment("GCC-GI-021").pk]),
        (PM, COUNCIL_ADMIN),
    ),
    PageCheck(
        "place standard ratings, with errors",
        lambda d: reverse("assessments:place-standard-edit", args=[d.assessment("GCC-GI-021").pk]),
        (PM,),
        submit_place_standard_with_no_respondents,
    ),
]

DESKTOP, PHONE = 1280, 320
# After a resize the page's script re-checks which tables scroll (debounced); give it time.
RESIZE_SETTLE_MS = 250


def role_id(role):
    return role or "anonymous"


@pytest.mark.parametrize("role", ROLES, ids=role_id)
def test_every_main_page_has_no_wcag_22_aa_violations(role, reference, page, sign_in_as):
    demo = seed()
    if role is not None:
        sign_in_as(demo.user(role))
    checks = [check for check in PAGES if role in check.roles]
    assert checks, f"no pages listed for {role_id(role)}"
    failures = []
    for check in checks:
        try:
            url = check.url(demo)
        except NoReverseMatch:
            continue
        # One visit per page: axe at desktop width, then the same page (in the same state)
        # narrowed to a phone, where layout-dependent problems show.
        page.set_viewport_size({"width": DESKTOP, "height": 900})
        page.goto(url)
        if check.prepare:
            check.prepare(page)
        for width in (DESKTOP, PHONE):
            if width != DESKTOP:
                page.set_viewport_size({"width": width, "height": 640})
                page.wait_for_timeout(RESIZE_SETTLE_MS)
                page_width = page.evaluate("document.documentElement.scrollWidth")
                if page_width > width:
                    failures.append(
                        f"{check.name} as {role_id(role)} ({page.url}) at {width} px: "
                        f"the page is {page_width} px wide and scrolls sideways"
                    )
            violations = axe_violations(page)
            if violations:
                failures.append(
                    describe_violations(
                        f"{check.name} as {role_id(role)} ({page.url}) at {width} px", violations
                    )
                )
    assert not failures, "axe-core found WCAG 2.2 A/AA violations:\n" + "\n".join(failures)
