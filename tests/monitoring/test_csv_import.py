"""Measurements from a CSV file: every row checked, nothing partial written, a per-row report."""

import datetime
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessments.models import Measurement
from assessments.monitoring import csv_import
from tests.factories import make_indicator, make_measurement, make_team_project

HEADER = "indicator_id,indicator,unit,date,value,source,note,confirm\n"


@pytest.fixture
def project(team):
    return make_team_project(team, stage="OPERATION")


@pytest.fixture
def jobs(project):
    # A daily count from 1998 to 2026 gives room for 10,000 dated rows.
    return make_indicator(
        project,
        name="Visits",
        unit="count",
        baseline_value=100,
        baseline_date=datetime.date(1999, 1, 1),
        target_value=200,
        target_date=datetime.date(2030, 1, 1),
        frequency="monthly",
    )


def _upload(client, project, text, name="measurements.csv"):
    return client.post(
        reverse("assessments:measurement-import", args=[project.pk]),
        {"file": SimpleUploadedFile(name, text.encode(), content_type="text/csv")},
    )


def test_template_lists_each_indicator_with_its_unit(client_for, team, project, jobs):
    response = client_for(team.pm).get(
        reverse("assessments:measurement-template", args=[project.pk])
    )
    lines = response.content.decode().splitlines()
    assert lines[0] == HEADER.strip()
    assert lines[1].startswith(f"{jobs.pk},Visits,count,")


def test_good_file_is_written_whole(client_for, team, project, jobs):
    text = HEADER + "".join(
        f"{jobs.pk},Visits,count,2025-0{m}-01,{100 + m},Counter,,\n" for m in range(1, 7)
    )
    response = _upload(client_for(team.pm), project, text)
    assert response.status_code == 302
    assert Measurement.objects.filter(indicator=jobs, entered_via="csv").count() == 6


def test_ten_thousand_rows_with_some_bad_ones_write_nothing_and_report_each(
    client_for, team, project, jobs
):
    start = datetime.date(1999, 1, 2)
    rows = []
    for i in range(10_000):
        day = start + datetime.timedelta(days=i)
        value, unit, date = str(100 + i % 7), "count", day.isoformat()
        if i == 17:
            unit = "percent"  # the wrong unit
        elif i == 4_000:
            date = "2025-02-30"  # a day that does not exist
        elif i == 6_500:
            value = "12.5"  # a count must be whole
        elif i == 9_998:
            date = "2099-01-01"  # the future
        rows.append(f"{jobs.pk},Visits,{unit},{date},{value},,,\n")
    began = time.perf_counter()
    response = _upload(client_for(team.pm), project, HEADER + "".join(rows))
    elapsed = time.perf_counter() - began
    page = response.content.decode()
    assert response.status_code == 400 and not Measurement.objects.exists()
    assert "Nothing was imported" in page and "4 of 10,000 rows have a problem" in page
    assert "<td>19</td>" in page and "is not this indicator&#x27;s unit" in page
    assert "<td>4002</td>" in page and "“2025-02-30” is not a date" in page
    assert "<td>6502</td>" in page and "A count must be a whole number" in page
    assert "<td>10000</td>" in page and "The date is in the future" in page
    assert elapsed < 20, elapsed


def test_duplicates_within_the_file_and_with_stored_values_are_reported(
    client_for, team, project, jobs
):
    make_measurement(jobs, datetime.date(2025, 1, 1), "101")
    text = HEADER + (
        f"{jobs.pk},Visits,count,2025-01-01,102,,,\n"
        f"{jobs.pk},Visits,count,2025-02-01,103,,,\n"
        f"{jobs.pk},Visits,count,01/02/2025,104,,,\n"
    )
    page = _upload(client_for(team.pm), project, text).content.decode()
    assert page.count("There is already a measurement") == 2
    assert Measurement.objects.count() == 1


def test_unusual_rows_need_yes_in_the_confirm_column(client_for, team, project, jobs):
    text = HEADER + f"{jobs.pk},Visits,count,2025-01-01,900,,,\n"
    page = _upload(client_for(team.pm), project, text).content.decode()
    assert "write yes in the confirm column" in page and not Measurement.objects.exists()
    confirmed = HEADER + f"{jobs.pk},Visits,count,2025-01-01,900,,,yes\n"
    assert _upload(client_for(team.pm), project, confirmed).status_code == 302
    assert Measurement.objects.get().outlier_confirmed


def test_another_projects_indicator_cannot_be_written(client_for, team, project, jobs):
    other = make_indicator(make_team_project(team, reference="T-002"))
    text = HEADER + f"{other.pk},Jobs,percent,2025-01-01,12,,,\n"
    page = _upload(client_for(team.pm), project, text).content.decode()
    assert f"No indicator of this project has the id “{other.pk}”" in page
    assert not Measurement.objects.exists()


@pytest.mark.parametrize(
    ("text", "name", "message"),
    [
        ("a,b\n1,2\n", "m.csv", "missing: indicator_id, unit, date, value"),
        (HEADER, "m.csv", "no rows under its header"),
        (HEADER, "m.xlsx", "Choose a .csv file"),
    ],
)
def test_wrong_files_are_refused_with_a_reason(
    client_for, team, project, jobs, text, name, message
):
    page = _upload(client_for(team.pm), project, text, name).content.decode()
    assert message in page


def test_too_many_rows_are_refused(team, project, jobs, settings):
    report = csv_import.ImportReport()
    text = HEADER + f"{jobs.pk},Visits,count,2025-01-01,1,,,\n" * (csv_import.MAX_ROWS + 1)
    assert csv_import._read_rows(text.encode(), report) is None
    assert "more than 20,000 rows" in report.file_problem
