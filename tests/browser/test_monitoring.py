"""Outcome monitoring in the browser: entering a measurement with the keyboard alone (an unusual
value confirmed before it is saved), importing a CSV file (a bad file reported row by row and
nothing saved, then a good one), and a reviewer reading the indicators and a chart's data."""

from __future__ import annotations

import datetime

from django.utils import timezone

from assessments.models import Measurement
from tests.browser.helpers import axe_violations, describe_violations, seed

FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return '';
  const label = el.labels && el.labels.length ? el.labels[0].innerText : '';
  return [el.tagName, el.getAttribute('name') || '', label || el.innerText || ''].join('|');
}"""


def focus_by_tab(page, wanted: str, limit: int = 150) -> None:
    """Tab forward until the focused element's tag|name|label contains `wanted`."""
    seen = ""
    for _ in range(limit):
        page.keyboard.press("Tab")
        seen = " ".join(page.evaluate(FOCUSED).split())
        if wanted.lower() in seen.lower():
            return
    raise AssertionError(f"could not reach {wanted!r} by keyboard (last: {seen!r})")


def _recent_day_equal_to_month() -> datetime.date:
    """The latest date up to today whose day and month are the same number (11 November): typed
    into a date field it reads the same whether the browser puts the day or the month first."""
    day = timezone.localdate()
    while day.day != day.month:
        day -= datetime.timedelta(days=1)
    return day


def test_entering_measurements_by_keyboard_with_an_unusual_value_confirmed(
    reference, page, sign_in_as
):
    demo = seed()
    sign_in_as(demo.user("pm.glasgow"))
    indicator = demo.indicator()
    before = indicator.measurements.count()
    page.goto(indicator.get_absolute_url())
    day = _recent_day_equal_to_month()

    focus_by_tab(page, "|measured_on|")
    page.keyboard.type(day.strftime("%d%m%Y"))
    focus_by_tab(page, "|value|")
    page.keyboard.type("99")
    page.keyboard.press("Enter")
    # Refused: the error summary is focused and names the jump; nothing saved.
    summary = page.locator("#error-summary")
    summary.wait_for()
    assert "99 is a large change from" in summary.inner_text()
    assert indicator.measurements.count() == before

    focus_by_tab(page, "|confirm|")
    page.keyboard.press("Space")
    page.keyboard.press("Enter")
    page.get_by_text(f"Measurement for {day.day} {day:%B %Y} saved.").wait_for()
    saved = Measurement.objects.get(indicator=indicator, measured_on=day)
    assert saved.outlier_confirmed and saved.entered_by.username == "pm.glasgow"
    # The new value is in the chart's text alternative and in its data table.
    assert "99" in page.get_by_role("table", name="Every measurement").inner_text()


def test_importing_a_file_with_bad_rows_saves_nothing_then_a_good_file(reference, page, sign_in_as):
    demo = seed()
    sign_in_as(demo.user("pm.glasgow"))
    project = demo.project("GCC-SH-007")
    visits = demo.indicator("Visits by residents of the most deprived data zones")
    before = Measurement.objects.count()
    page.goto(project.get_absolute_url())
    page.get_by_role("link", name="Indicators, measurements and progress charts").click()
    page.get_by_role("link", name="Import measurements from a CSV file").click()
    header = b"indicator_id,indicator,unit,date,value,source,note,confirm\n"
    bad = (
        header
        + (
            f"{visits.pk},Visits,percent,2026-10-31,37.5,Glasgow Life,,\n"
            f"{visits.pk},Visits,count,2026-11-30,38,Glasgow Life,,\n"
            f"{visits.pk},Visits,percent,2026-02-30,38,Glasgow Life,,\n"
        ).encode()
    )
    page.get_by_label("CSV file").set_input_files(
        files=[{"name": "visits.csv", "mimeType": "text/csv", "buffer": bad}]
    )
    page.get_by_role("button", name="Import").click()
    report = page.locator(".import-report")
    report.wait_for()
    assert "Nothing was imported" in page.locator("#error-summary").inner_text()
    rows = report.locator("tbody tr")
    assert rows.count() == 2
    assert "not this indicator" in rows.nth(0).inner_text() and "3" in rows.nth(0).inner_text()
    assert "is not a date" in rows.nth(1).inner_text()
    assert Measurement.objects.count() == before
    violations = axe_violations(page)
    assert not violations, describe_violations("import report", violations)

    good = header + f"{visits.pk},Visits,percent,2026-10-31,37.5,Glasgow Life,,\n".encode()
    page.get_by_label("CSV file").set_input_files(
        files=[{"name": "visits.csv", "mimeType": "text/csv", "buffer": good}]
    )
    page.get_by_role("button", name="Import").click()
    page.get_by_text("1 measurements imported.").wait_for()
    assert Measurement.objects.count() == before + 1


def test_reviewer_reads_statuses_and_a_charts_data_by_keyboard(reference, page, sign_in_as):
    demo = seed()
    sign_in_as(demo.user("reviewer.glasgow"))
    project = demo.project("GCC-SH-007")
    page.goto(project.get_absolute_url())
    page.get_by_role("link", name="Indicators, measurements and progress charts").click()
    summary = page.get_by_role("region", name="Every indicator with its latest measurement")
    text = summary.inner_text()
    for status in ("On track", "Off track", "Measurement overdue"):
        assert status in text
    assert page.get_by_role("link", name="Add an indicator").count() == 0
    # The chart's data opens from the keyboard.
    focus_by_tab(page, "Show the chart's data as a table")
    page.keyboard.press("Enter")
    table = page.get_by_role("table", name="Visits by residents of the most deprived data zones")
    table.wait_for()
    assert "Baseline" in table.inner_text() and "Target" in table.inner_text()
