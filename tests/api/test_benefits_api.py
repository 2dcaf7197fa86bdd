"""The API's outcome indicators and measurements: read-only, limited to the projects the
caller may read, filterable by project and recorded in the download log."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client

from assessments.models import DownloadRecord
from tests.factories import (
    make_api_token,
    make_indicator,
    make_measurement,
    make_project,
    make_team_project,
)

pytestmark = pytest.mark.django_db


def api(user, url, **params):
    return Client(HTTP_AUTHORIZATION=f"Bearer {make_api_token(user)}").get(url, params)


@pytest.fixture
def indicators(team):
    ours = make_indicator(make_team_project(team, reference="T-001"), name="Local jobs")
    make_measurement(ours, datetime.date(2024, 7, 1), "14.5", source="Contractor return")
    theirs = make_indicator(make_project(council=team.other_council), name="Their jobs")
    make_measurement(theirs, datetime.date(2024, 7, 1), 12)
    return ours, theirs


def test_each_caller_reads_only_the_indicators_of_projects_they_may_read(team, indicators):
    ours, theirs = indicators
    rows = api(team.pm, "/api/v1/indicators/").json()["results"]
    assert [row["name"] for row in rows] == ["Local jobs"]
    assert rows[0]["determinant"] == "D01" and rows[0]["baseline_value"] == "10.0000"
    assert rows[0]["project"] == ours.project_id and rows[0]["frequency"] == "quarterly"

    measured = api(team.pm, "/api/v1/measurements/").json()["results"]
    assert [(m["indicator"], m["value"], m["source"]) for m in measured] == [
        (ours.pk, "14.5000", "Contractor return")
    ]
    assert api(team.other_pm, "/api/v1/measurements/").json()["results"][0]["indicator"] == (
        theirs.pk
    )
    assert api(team.panel, "/api/v1/indicators/").json()["count"] == 0
    names = [r["name"] for r in api(team.pmo, "/api/v1/indicators/").json()["results"]]
    assert sorted(names) == ["Local jobs", "Their jobs"]


def test_filters_and_the_download_log(team, indicators):
    ours, theirs = indicators
    pmo = team.pmo
    rows = api(pmo, "/api/v1/indicators/", project=theirs.project_id).json()["results"]
    assert [row["name"] for row in rows] == ["Their jobs"]
    rows = api(pmo, "/api/v1/measurements/", council=team.council.code).json()["results"]
    assert [row["indicator"] for row in rows] == [ours.pk]
    assert api(pmo, "/api/v1/indicators/", active="false").json()["count"] == 0
    assert DownloadRecord.objects.filter(user=pmo, kind="API: indicators").count() == 2
    assert DownloadRecord.objects.filter(user=pmo, kind="API: measurements").count() == 1


def test_writing_is_refused(team, indicators):
    client = Client(HTTP_AUTHORIZATION=f"Bearer {make_api_token(team.pm)}")
    assert client.post("/api/v1/indicators/", {"name": "x"}).status_code == 405
