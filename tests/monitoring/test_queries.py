"""Indicators with their latest measurement and status, read in a fixed number of queries."""

import datetime

from assessments.monitoring import queries
from assessments.scoring.monitoring import Status
from tests.factories import make_indicator, make_measurement, make_project

TODAY = datetime.date(2026, 2, 1)


def test_rows_carry_latest_measurement_and_status(glasgow, django_assert_num_queries):
    project = make_project(council=glasgow, stage_code="OPERATION")
    jobs = make_indicator(project)
    make_measurement(jobs, datetime.date(2023, 6, 1), "8")  # before the baseline: not "latest"
    make_measurement(jobs, datetime.date(2025, 10, 1), "12")
    make_measurement(jobs, datetime.date(2026, 1, 1), "19.5")
    make_indicator(
        project,
        name="Apprentices from priority groups",
        unit="count",
        baseline_value=0,
        target_value=12,
    )
    with django_assert_num_queries(2):
        rows = queries.indicator_rows([project], today=TODAY)
    by_name = {row.indicator.name: row for row in rows}
    jobs_row = by_name[jobs.name]
    assert jobs_row.status.latest.value == 19.5
    assert jobs_row.status.status == Status.ON_TRACK
    # Nothing entered for the apprentices since January 2024: far past due.
    assert by_name["Apprentices from priority groups"].status.status == Status.NO_DATA_DUE


def test_query_count_does_not_grow_with_projects(glasgow, django_assert_num_queries):
    projects = [make_project(council=glasgow, stage_code="OPERATION") for _ in range(5)]
    for project in projects:
        indicator = make_indicator(project)
        make_measurement(indicator, datetime.date(2025, 12, 1), "18")
    with django_assert_num_queries(2):
        rows = queries.indicator_rows(projects, today=TODAY)
    assert len(rows) == 5 and {r.project.council_id for r in rows} == {glasgow.pk}
