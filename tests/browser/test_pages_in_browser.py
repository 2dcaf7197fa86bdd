"""Behaviour only a real browser shows: the CSP header and its absence of violations, the
progressive-enhancement JavaScript, focus management after errors and htmx swaps, and hostile
text staying text."""

from __future__ import annotations

import re

from django.urls import reverse

from tests.browser.helpers import seed

FOCUSED = "() => { const el = document.activeElement; return el ? (el.id || el.tagName) : null; }"


def test_csp_header_is_strict_and_pages_raise_no_violations(
    reference, page, sign_in_as, page_problems
):
    demo = seed()
    sign_in_as(demo.user("pm.glasgow"))
    for url in [
        reverse("assessments:project-list"),
        demo.project().get_absolute_url(),
        demo.assessment().get_absolute_url(),
        reverse("assessments:section-edit", args=[demo.assessment().pk, "D02"]),
    ]:
        response = page.goto(url)
        policy = response.headers["content-security-policy"]
        assert "script-src 'self'" in policy and "style-src 'self'" in policy
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
        page.wait_for_load_state("networkidle")
    # The page fixture fails the test if any CSP violation or script error was reported.
    assert page_problems.report() == []


def test_impact_fields_appear_only_for_positive_negative_or_uncertain(reference, page, sign_in_as):
    demo = seed()
    sign_in_as(demo.user("pm.glasgow"))
    page.goto(reverse("assessments:section-edit", args=[demo.assessment().pk, "D09"]))
    card = page.locator(".question-card").first
    direction = card.locator("select[name$='-direction']")
    likelihood = card.locator("select[name$='-likelihood']")
    for value, visible in [
        ("no_impact", False),
        ("positive", True),
        ("not_applicable", False),
        ("negative", True),
        ("", False),
        ("uncertain", True),
    ]:
        direction.select_option(value)
        assert likelihood.is_visible() is visible, value
        assert likelihood.is_enabled() is visible, value
    # The notes field applies to every answer.
    direction.select_option("no_impact")
    assert card.locator("textarea[name$='-notes']").is_visible()


def test_error_summary_takes_focus_and_its_links_move_focus_to_the_field(
    reference, page, sign_in_as
):
    demo = seed()
    sign_in_as(demo.user("pm.glasgow"))
    page.goto(reverse("assessments:project-create"))
    page.get_by_label("Title").fill("x" * 10)
    page.get_by_role("button", name="Register project").click()
    page.locator("#error-summary").wait_for()
    assert page.evaluate(FOCUSED) == "error-summary"
    page.keyboard.press("Tab")
    first_link = page.evaluate("() => document.activeElement.getAttribute('href')")
    assert first_link.startswith("#id_")
    page.keyboard.press("Enter")
    assert "#" + page.evaluate(FOCUSED) == first_link
    # The field says it is invalid and points at its message.
    field = page.locator(first_link)
    assert field.get_attribute("aria-invalid") == "true"
    assert f"{first_link[1:]}_error" in field.get_attribute("aria-describedby")


def test_focus_moves_to_the_error_summary_after_an_htmx_swap(reference, page, sign_in_as):
    demo = seed()
    sign_in_as(demo.user("pm.glasgow"))
    page.goto(reverse("assessments:project-create"))
    page.wait_for_function("() => window.htmx !== undefined")
    # Turn the ordinary form into an htmx form, as a page fragment update would (evaluated
    # through DevTools: the page's CSP still forbids inline script).
    page.evaluate(
        """() => {
          const form = document.querySelector('form[method=post]:not([action])');
          form.setAttribute('hx-post', location.pathname);
          form.setAttribute('hx-select', '.col-lg-8');
          form.setAttribute('hx-target', 'closest .col-lg-8');
          form.setAttribute('hx-swap', 'outerHTML');
          htmx.process(form);
        }"""
    )
    page.get_by_label("Title").focus()
    with page.expect_request(lambda request: request.headers.get("hx-request") == "true"):
        page.keyboard.press("Enter")
    page.locator("#error-summary").wait_for()
    page.wait_for_function(
        "() => document.activeElement && document.activeElement.id === 'error-summary'"
    )
    assert page.url.endswith(reverse("assessments:project-create"))


def test_hostile_text_is_shown_as_text_and_never_runs(reference, page, sign_in_as, page_problems):
    from assessments.models import CapitalProject

    demo = seed()
    sign_in_as(demo.user("pm.glasgow"))
    hostile = "<img src=x onerror=alert(1)><script>alert(2)</script>\u202eevil\u200d👩‍⚕️ e\u0301"
    project = demo.project()
    CapitalProject.objects.filter(pk=project.pk).update(title=hostile, description=hostile)
    for url in [
        reverse("assessments:project-list"),
        project.get_absolute_url(),
        demo.assessment().get_absolute_url(),
    ]:
        page.goto(url)
        page.wait_for_load_state("networkidle")
        assert page.locator("img[src=x]").count() == 0
        assert hostile in page.locator("main").inner_text()
    assert page_problems.dialogs == []
    assert re.search("alert", " ".join(page_problems.errors)) is None


def test_report_status_updates_in_place_and_stops_polling_when_done(reference, page, sign_in_as):
    from assessments.models import ReportJob, ReportJobStatus

    demo = seed()
    sign_in_as(demo.user("pm.glasgow"))
    job = ReportJob.objects.create(
        project=demo.project(),
        requested_by=demo.user("pm.glasgow"),
        progress=30,
        step="Gathering the assessments",
        status=ReportJobStatus.RUNNING,
    )
    progress_url = reverse("assessments:project-report-progress", args=[job.project_id, job.pk])
    polls = []
    page.on(
        "request",
        lambda request: polls.append(request.url) if request.url.endswith(progress_url) else None,
    )
    page.goto(reverse("assessments:project-report-status", args=[job.project_id, job.pk]))
    live = page.locator("[aria-live=polite]:not(#busy-announcer)")
    assert "Gathering the assessments" in live.inner_text()
    page.evaluate("() => { window.notReloaded = true; }")

    ReportJob.objects.filter(pk=job.pk).update(
        status=ReportJobStatus.DONE, progress=100, pages=12, sha256="0" * 64, filename="report.pdf"
    )
    live.get_by_text("The report is ready: 12 pages.").wait_for()
    assert page.evaluate("() => window.notReloaded") is True  # swapped in place, not reloaded
    seen = len(polls)
    page.wait_for_timeout(4_000)
    assert seen >= 1 and len(polls) == seen  # a finished job's fragment carries no trigger


def test_a_long_unbroken_run_of_user_text_stays_on_a_phone_screen(reference, page, sign_in_as):
    """A justification pasted as one 4,000-character run (a URL, a mistake) once made the action
    plan 38,000 px wide on a 390 px phone; it now breaks where it must."""
    from assessments.review import reviewing

    demo = seed()
    pm = demo.user("pm.glasgow")
    assessment = demo.assessment()
    reviewing.justify_flag(assessment, pm, flag_code="F2", answer=None, justification="x" * 4000)
    sign_in_as(pm)
    page.set_viewport_size({"width": 390, "height": 900})
    for url in [
        reverse("assessments:action-plan", args=[assessment.pk]),
        reverse("assessments:project-timeline", args=[assessment.project_id]),
        assessment.get_absolute_url(),
    ]:
        page.goto(url)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, url
