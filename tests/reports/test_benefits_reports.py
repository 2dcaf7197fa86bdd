"""Outcome indicators in the stage report and the community summary: a table with baseline,
target, measurements and status, and for residents a plain sentence on what was promised and
what has been measured so far. Both stay valid PDF/UA."""

import datetime
import io
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from pypdf import PdfReader

from assessments.enums import Role
from assessments.models import Indicator
from assessments.reports.outcomes import _sentences, value_text
from assessments.scoring.monitoring import Status, StatusResult
from tests import factories as f
from tests.reports import pdfua

pytestmark = pytest.mark.django_db


def _text(data: bytes) -> str:
    pages = PdfReader(io.BytesIO(data)).pages
    return re.sub(r"\s+", " ", " ".join(page.extract_text() or "" for page in pages))


@pytest.fixture
def pm(glasgow):
    return f.make_user("pm.outcomes", council=glasgow, role=Role.PROJECT_MANAGER)


@pytest.fixture
def measured(pm):
    project = f.make_report_project(pm=pm, council=pm.memberships.get().council)
    assessment = f.fill_answers(f.start(project, "STRATEGIC", by=pm), by=pm)
    indicator = f.make_indicator(project)
    f.make_measurement(indicator, datetime.date(2025, 3, 31), 18)
    f.make_measurement(indicator, datetime.date(2026, 3, 31), 22)
    f.make_indicator(project, name="Retired measure", active=False)
    return assessment


def test_community_summary_says_what_was_promised_and_measured(measured, client_for, pm):
    url = reverse("assessments:community-summary-pdf", args=[measured.pk])
    data = client_for(pm).get(url).content
    text = _text(data)
    assert "What was promised, and what has happened so far" in text
    assert (
        "We promised that construction jobs filled by residents of SIMD quintile 1 zones "
        "would rise from 10% to 30% by January 2028." in text
    )
    assert "By March 2026, it was 22%" in text
    assert "Retired measure" not in text
    pdfua.assert_pdf_ua(data)


def test_stage_report_lists_each_indicator_with_its_measurements(measured, client_for, pm):
    data = client_for(pm).get(reverse("assessments:stage-report-pdf", args=[measured.pk])).content
    text = _text(data)
    assert "Outcome indicators and their measurements" in text
    assert "31 March 2025: 18%" in text and "31 March 2026: 22%" in text
    assert "10% (1 January 2024)" in text and "30% (1 January 2028)" in text
    pdfua.assert_pdf_ua(data)


def test_no_indicators_leaves_the_summary_as_it_was(client_for, pm):
    project = f.make_report_project(pm=pm, council=pm.memberships.get().council)
    assessment = f.start(project, "STRATEGIC", by=pm)
    url = reverse("assessments:community-summary-pdf", args=[assessment.pk])
    assert "What was promised" not in _text(client_for(pm).get(url).content)


@pytest.mark.parametrize(
    ("unit", "value", "text"),
    [("percent", "22.50", "22.5%"), ("pounds", "1500", "£1,500"), ("count", "40", "40")],
)
def test_values_are_written_with_their_unit(unit, value, text):
    assert value_text(unit, Decimal(value)) == text


def test_a_fall_that_is_overdue_is_said_plainly():
    indicator = Indicator(
        name="Minutes to the nearest GP by bus",
        unit="minutes",
        baseline_value=Decimal(35),
        target_value=Decimal(20),
        target_date=datetime.date(2027, 6, 1),
    )
    overdue = StatusResult(
        Status.NO_DATA_DUE, "Measurement overdue", "", None, None, None, None, False, True
    )
    promise, measured = _sentences(indicator, overdue)
    assert promise == (
        "We promised that minutes to the nearest GP by bus would fall from 35 minutes to "
        "20 minutes by June 2027."
    )
    assert measured == "Nothing has been measured since then yet. A newer measurement is overdue."
