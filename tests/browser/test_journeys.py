"""Whole journeys in Chromium, one test each, as the people who use CHIIA would click through them.

Journeys that need pages from other parts of the product (review and sign-off, the community
panel, the programme office dashboard and reports) skip while those pages are not installed;
each names the URL it waits for.
"""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.urls import NoReverseMatch, reverse

from assessments.enums import AssessmentStatus
from assessments.models import CapitalProject
from tests.browser.helpers import fill_login_form, seed


def needs_url(name: str, *args):
    try:
        reverse(name, args=args)
    except NoReverseMatch:
        pytest.skip(f"page {name!r} is not installed on this branch")


def answer_every_section(page, *, first_answer=None):
    """From a section form, answer each determinant and 'Save and continue' to the end."""
    while True:
        heading = page.locator("h1").inner_text()
        directions = page.locator("select[name$='-direction']")
        # Choosing from each of a dozen drop-downs one by one adds nothing a person would notice
        # that select_option below does not already show; set them together, as the browser would.
        directions.evaluate_all(
            "els => els.forEach(el => { el.value = 'no_impact'; el.dispatchEvent(new Event('change', {bubbles: true})); })"
        )
        if first_answer and directions.count():
            first_answer(page.locator(".question-card").first)
            first_answer = None
        page.get_by_role("button", name="Save and continue").click()
        page.wait_for_load_state()
        assert page.locator(".alert-success").count(), f"saving {heading} failed"
        if "/section/" not in page.url:
            return


def negative_impact(card):
    card.locator("select[name$='-direction']").select_option("negative")
    card.get_by_label("How does the change affect health?").fill(
        "Construction traffic past the primary school."
    )
    card.get_by_label("Likelihood", exact=True).select_option(label="Probable")
    card.get_by_label("Severity", exact=True).select_option(label="Moderate")
    card.get_by_label("Duration").select_option("short")
    card.get_by_label("How many people").select_option("neighbourhood")
    card.locator("summary", has_text="After mitigation").click()
    card.get_by_label("Children (0–15)").first.check()
    card.get_by_label("Proposed mitigation or enhancement").fill(
        "Deliveries outside school arrival and home times."
    )
    card.get_by_label("Owner of the action").fill("Site manager")


def test_project_manager_registers_a_project_and_completes_a_stage(reference, page):
    seed()
    fill_login_form(page, "pm.glasgow", settings.CHIIA_DEMO_PASSWORD)
    page.get_by_role("link", name="Register a project").click()
    page.get_by_label("Title").fill("Govan Cross public realm")
    page.locator("#id_council").select_option(label="Glasgow City")
    page.get_by_label("Reference").fill("GCC-PR-101")
    page.get_by_label("Description").fill("New paving, lighting and seating around Govan Cross.")
    page.get_by_label("Project type").select_option("regeneration")
    page.get_by_label("Budget (£)").fill("3200000")
    page.get_by_label("Project manager").select_option(label="Aileen MacLeod")
    page.get_by_label("Senior responsible officer").select_option(label="Graham Boyle")
    page.get_by_label("Current stage").select_option(label="Strategic Business Case")
    page.get_by_label("Postcodes").fill("G51 3JW")
    page.get_by_role("button", name="Register project").click()
    page.get_by_text("registered").wait_for()
    project = CapitalProject.objects.get(reference="GCC-PR-101")
    assert page.url.endswith(project.get_absolute_url())

    page.get_by_role("button", name=re.compile(r"^Start the .* assessment")).click()
    assessment = project.assessments.get()
    assert page.url.endswith(assessment.get_absolute_url())
    page.get_by_role("link", name=re.compile(r"^Answer")).first.click()
    answer_every_section(page, first_answer=negative_impact)

    assert page.url.split("#")[0].endswith(assessment.get_absolute_url())
    assessment.refresh_from_db()
    assert assessment.completeness == 1
    assert assessment.overall_rating in {"green", "amber", "red"}
    answered = assessment.answers.exclude(direction="")
    assert answered.count() == assessment.answers.count()
    assert answered.filter(direction="negative").get().groups.count() == 1
    text = page.locator("main").inner_text()
    assert "Negative" in text and "Children (0–15)" in text

    # With the review workflow installed, completing the stage means submitting it for review.
    submit = page.get_by_role("button", name=re.compile(r"^Submit", re.I))
    if submit.count():
        submit.first.click()
        assessment.refresh_from_db()
        assert assessment.status == AssessmentStatus.SUBMITTED


def switch_user(context, sign_in_as, page, user):
    context.clear_cookies()
    sign_in_as(user)


def answered_assessment(reference: str = "GCC-HR-014"):
    """A demo assessment with every question answered 'no impact' (nothing blocks submission)."""
    from assessments.models import StageAssessment
    from assessments.scoring import snapshots as scoring

    assessment = StageAssessment.objects.filter(project__reference=reference).latest("created_at")
    assessment.answers.update(direction="no_impact", likelihood=None, severity=None)
    scoring.refresh_snapshot(assessment)
    return assessment


def press(page, name: str, *, timeout: float | None = None):
    page.get_by_role("button", name=name, exact=True).click(timeout=timeout)
    page.wait_for_load_state()


def test_reviewer_requests_changes_manager_responds_reviewer_signs_off(
    reference, page, context, sign_in_as
):
    needs_url("assessments:transition", 1, "submit")
    demo = seed()
    assessment = answered_assessment()
    url = assessment.get_absolute_url()

    switch_user(context, sign_in_as, page, demo.user("pm.glasgow"))
    page.goto(url)
    press(page, "Submit for review")
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.SUBMITTED

    switch_user(context, sign_in_as, page, demo.user("reviewer.glasgow"))
    page.goto(url)
    press(page, "Start review")
    page.get_by_label("What needs to change (required)").fill(
        "Say how construction noise near the school is managed."
    )
    press(page, "Request changes")
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.CHANGES_REQUESTED

    switch_user(context, sign_in_as, page, demo.user("pm.glasgow"))
    page.goto(url)
    assert (
        "Say how construction noise near the school is managed."
        in page.locator("main").inner_text()
    )
    page.goto(reverse("assessments:section-edit", args=[assessment.pk, "D05"]))
    page.locator("textarea[name$='-notes']").first.fill(
        "Noise limits and school-hours working are in the contract."
    )
    page.get_by_role("button", name="Save and return to overview").click()
    page.get_by_text("Saved").first.wait_for()
    press(page, "Submit for review")
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.SUBMITTED

    switch_user(context, sign_in_as, page, demo.user("reviewer.glasgow"))
    page.goto(url)
    press(page, "Start review")
    press(page, "Approve")
    switch_user(context, sign_in_as, page, demo.user("sro.glasgow"))
    # The SRO accepts where the plan is read: the action plan page.
    page.goto(reverse("assessments:action-plan", args=[assessment.pk]))
    press(page, "Accept the action plan")
    switch_user(context, sign_in_as, page, demo.user("reviewer.glasgow"))
    page.goto(url)
    # Signing off renders and stores the stage's report chapters before the page answers: on a
    # loaded machine that alone has taken more than the default 10 s.
    press(page, "Sign off", timeout=60_000)
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.SIGNED_OFF
    assert "signed off and read-only" in page.locator("main").inner_text()


def test_panel_member_comments_and_gets_a_reply(reference, page, context, sign_in_as):
    needs_url("assessments:consultation", 1)
    from assessments.review import workflow

    demo = seed()
    assessment = answered_assessment()
    workflow.submit(assessment, demo.user("pm.glasgow"))
    consultation = reverse("assessments:consultation", args=[assessment.pk])

    switch_user(context, sign_in_as, page, demo.user("pm.glasgow"))
    page.goto(consultation)
    press(page, "Open the consultation")

    switch_user(context, sign_in_as, page, demo.user("panel.glasgow"))
    page.goto(consultation)
    page.get_by_label("Your comment").fill(
        "The scaffolding blocks the pavement to the school gate."
    )
    page.get_by_label("This is a significant concern").check()
    press(page, "Send comment")
    assert (
        "The scaffolding blocks the pavement to the school gate."
        in page.locator("main").inner_text()
    )

    switch_user(context, sign_in_as, page, demo.user("pm.glasgow"))
    page.goto(consultation)
    page.get_by_label(re.compile("Your reply")).first.fill(
        "We will keep a protected walkway open at all times."
    )
    press(page, "Reply")

    switch_user(context, sign_in_as, page, demo.user("panel.glasgow"))
    page.goto(consultation)
    text = page.locator("main").inner_text()
    assert "The scaffolding blocks the pavement to the school gate." in text
    assert "We will keep a protected walkway open at all times." in text


def test_programme_office_filters_the_dashboard_and_downloads_a_pdf_and_a_csv(
    reference, page, sign_in_as
):
    needs_url("assessments:dashboard")
    needs_url("assessments:stage-report-pdf", 1)
    demo = seed()
    glasgow, renfrew = demo.project("GCC-HR-014"), demo.project("REN-TR-031")
    sign_in_as(demo.user("pmo"))
    page.goto(reverse("assessments:dashboard"))
    page.locator("#id_council").select_option(label="Glasgow City")
    page.get_by_role("button", name="Apply").click()
    page.wait_for_url(re.compile(r"council="))
    listed = page.locator("main").inner_text()
    assert glasgow.title in listed and renfrew.title not in listed

    # The CSV link carries the filter: only Glasgow's projects are in the file.
    csv_url = page.get_by_role("link", name="CSV", exact=True).get_attribute("href")
    download = page.request.get(csv_url)
    assert download.ok and download.headers["content-type"].startswith("text/csv")
    csv_text = download.text()
    assert glasgow.reference in csv_text and renfrew.reference not in csv_text

    page.goto(demo.assessment("GCC-HR-014").get_absolute_url())
    pdf_link = page.get_by_role("link", name=re.compile("PDF", re.I))
    pdf_url = (
        pdf_link.first.get_attribute("href")
        if pdf_link.count()
        else reverse("assessments:stage-report-pdf", args=[demo.assessment("GCC-HR-014").pk])
    )
    pdf = page.request.get(pdf_url)
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")


def open_as(browser, live_server, problems, user):
    """A separate browser (own cookies) signed in as `user`, for two people working at once."""
    from django.test import Client

    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    ctx = browser.new_context(
        base_url=live_server.url, locale="en-GB", viewport={"width": 1280, "height": 900}
    )
    ctx.set_default_timeout(10_000)
    ctx.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
    page = ctx.new_page()
    problems.watch(page)
    return ctx, page


def card(page, answer):
    return page.locator(f"#q-{answer.question.code}")


@pytest.mark.parametrize("both_change_x", [False, True], ids=["different-answers", "same-answer"])
def test_two_people_save_one_section_and_neither_loses_the_others_answers(
    reference, browser, live_server, page, sign_in_as, page_problems, both_change_x
):
    demo = seed()
    assessment = demo.assessment("GCC-HR-014")
    assert assessment.is_editable
    url = reverse("assessments:section-edit", args=[assessment.pk, "D05"])
    x, y = assessment.answers.filter(question__determinant__code="D05").order_by("question__order")[
        :2
    ]

    sign_in_as(demo.user("pm.glasgow"))  # Aileen, in this test's own browser context
    tariq_context, tariq = open_as(
        browser, live_server, page_problems, demo.user("contributor.glasgow")
    )
    try:
        page.goto(url)
        tariq.goto(url)
        card(tariq, x).get_by_label("Notes").fill(
            "Tariq: the school gate survey is in the evidence folder."
        )
        tariq.get_by_role("button", name="Save and return to overview").click()
        tariq.get_by_text("Saved").first.wait_for()
    finally:
        tariq_context.close()

    card(page, y).get_by_label("Notes").fill("Aileen: no change to green space access.")
    if both_change_x:
        card(page, x).get_by_label("Notes").fill("Aileen: survey still to come.")
    page.get_by_role("button", name="Save and return to overview").click()
    page.wait_for_load_state()

    if both_change_x:
        # Asked about X only, with the keyboard: focus starts on the summary, whose link leads
        # to X's choice; the arrow key picks "Keep theirs" and Enter saves.
        summary = page.locator("#error-summary")
        assert "Not saved yet" in summary.inner_text()
        assert page.locator(".keep-choice").count() == 1
        assert card(page, x).locator(".keep-choice").count() == 1
        assert "Tariq: the school gate survey" in card(page, x).locator(".keep-choice").inner_text()
        assert page.evaluate("() => document.activeElement.id") == "error-summary"
        page.keyboard.press("Tab")
        assert page.evaluate("() => document.activeElement.textContent").startswith(x.question.code)
        page.keyboard.press("Enter")
        assert "Keep mine" in page.evaluate("() => document.activeElement.labels[0].textContent")
        page.keyboard.press("ArrowDown")
        assert "Keep theirs" in page.evaluate("() => document.activeElement.labels[0].textContent")
        page.keyboard.press("Enter")
        page.wait_for_load_state()

    page.get_by_text("Saved").first.wait_for()
    x.refresh_from_db()
    y.refresh_from_db()
    assert x.notes == "Tariq: the school gate survey is in the evidence folder."
    assert y.notes == "Aileen: no change to green space access."
    if not both_change_x:
        assert (
            f"were kept: {x.question.code} (by Tariq Hussain)" in page.locator("main").inner_text()
        )
