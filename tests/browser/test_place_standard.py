"""Recording a stage's Place Standard with the keyboard alone, and seeing it on the compass."""

from __future__ import annotations

from django.urls import reverse

from assessments.models import PlaceStandardRating
from tests.browser.helpers import seed
from tests.browser.test_keyboard import tab_to


def test_project_manager_changes_a_rating_by_keyboard_and_the_compass_shows_it(
    reference, page, sign_in_as
):
    demo = seed()
    project = demo.project("GCC-GI-021")
    sign_in_as(demo.user("pm.glasgow"))
    page.goto(reverse("assessments:place-standard", args=[project.pk]))
    keys = page.keyboard

    # The signed-off stage offers no change; the stage in operation does.
    tab_to(page, "Change the ratings")
    keys.press("Enter")
    page.wait_for_url("**/place-standard/")
    assert page.locator("h1").inner_text() == "Place Standard: Handover and operation stage"

    # Officers had not rated "Influence and sense of control"; give it a 6 by typing.
    focused = tab_to(page, "|rating_influence_control_officers|")
    assert focused.endswith("Influence and sense of control: officers rating")
    keys.type("6")
    assert page.evaluate("document.activeElement.value") == "6"
    tab_to(page, "Save the ratings")
    keys.press("Enter")
    page.wait_for_url(f"**/projects/{project.pk}/place-standard/")

    assert "saved" in page.locator(".alert").first.inner_text()
    title = (
        "Handover and operation, September 2025: Influence and sense of control rated 6 out of 7"
    )
    assert page.locator("svg.ps-compass title", has_text=title).count() == 1
    rating = PlaceStandardRating.objects.get(
        place_standard__assessment__project=project,
        place_standard__assessment__stage__code="OPERATION",
        theme__code="influence_control",
        group="officers",
    )
    assert rating.score == 6
