"""Defining indicators and entering measurements through the pages, as the team would."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from assessments.enums import AssessmentStatus
from assessments.models import Determinant, Indicator, Measurement
from tests.factories import make_indicator, make_measurement, make_team_project, start


@pytest.fixture
def project(team):
    return make_team_project(team, stage="OPERATION")


@pytest.fixture
def jobs(project):
    return make_indicator(project, owner=None)


def _measure(client, indicator, **data):
    payload = {"measured_on": "2025-04-01", "value": "14", "source": "Returns", "note": ""}
    return client.post(indicator.get_absolute_url(), {**payload, **data})


def test_manager_adds_an_indicator_from_a_suggestion(client_for, team, project):
    client = client_for(team.pm)
    url = reverse("assessments:indicator-create", args=[project.pk])
    page = client.get(url + "?suggestion=D01-I2").content.decode()
    assert "Apprenticeships started by people from priority groups" in page
    response = client.post(
        url + "?suggestion=D01-I2",
        {
            "determinant": Determinant.objects.get(code="D01").pk,
            "name": "Apprenticeships started by people from priority groups",
            "definition": "Apprenticeships started by care-experienced young people.",
            "unit": "count",
            "good_direction": "higher",
            "data_source": "Contractor returns",
            "population": "Apprentices from priority groups",
            "baseline_value": "0",
            "baseline_date": "2024-01-01",
            "target_value": "12",
            "target_date": "2027-01-01",
            "frequency": "quarterly",
            "owner": team.pm.pk,
        },
    )
    indicator = Indicator.objects.get(project=project)
    assert response.url == indicator.get_absolute_url()
    assert (indicator.suggestion_code, indicator.owner, indicator.created_by) == (
        "D01-I2",
        team.pm,
        team.pm,
    )


def test_target_before_baseline_and_impossible_target_are_refused_by_the_field(
    client_for, team, project
):
    response = client_for(team.pm).post(
        reverse("assessments:indicator-create", args=[project.pk]),
        {
            "determinant": Determinant.objects.get(code="D01").pk,
            "name": "Jobs",
            "definition": "Share of jobs",
            "unit": "percent",
            "good_direction": "higher",
            "data_source": "Returns",
            "population": "Residents",
            "baseline_value": "10",
            "baseline_date": "2026-01-01",
            "target_value": "130",
            "target_date": "2025-01-01",
            "frequency": "quarterly",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200 and not Indicator.objects.exists()
    assert "The target date must be after the baseline date" in page
    assert "Must be at most 100 for this unit" in page
    assert 'href="#id_target_date"' in page


def test_entering_a_measurement_shows_on_the_chart_and_table(client_for, team, jobs):
    client = client_for(team.contributor)
    response = _measure(client, jobs)
    assert response.status_code == 302
    page = client.get(jobs.get_absolute_url()).content.decode()
    assert "<svg" in page and "<desc" in page
    assert "1 measurement, from 1 April 2025" in page
    assert "<td>1 Apr 2025</td><td>Measurement</td>" in page
    assert Measurement.objects.get().entered_by == team.contributor


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"value": "140"}, "Must be at most 100 for this unit"),
        ({"measured_on": "2099-01-01"}, "The date is in the future"),
        ({"measured_on": "2025-02-30"}, "Enter a valid date"),
    ],
)
def test_impossible_values_and_dates_are_refused_by_the_field(
    client_for, team, jobs, data, message
):
    response = _measure(client_for(team.pm), jobs, **data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Measurement.objects.exists()


def test_unusual_value_is_saved_only_once_confirmed(client_for, team, jobs):
    client = client_for(team.pm)
    make_measurement(jobs, datetime.date(2025, 1, 1), "12")
    first = _measure(client, jobs, value="95")
    assert first.status_code == 400 and "large change from 12" in first.content.decode()
    assert 'name="confirm"' in first.content.decode() and Measurement.objects.count() == 1
    second = _measure(client, jobs, value="95", confirm="on")
    assert second.status_code == 302
    assert Measurement.objects.get(value=Decimal("95")).outlier_confirmed


def test_second_value_for_a_date_is_refused(client_for, team, jobs):
    make_measurement(jobs, datetime.date(2025, 4, 1), "13")
    response = _measure(client_for(team.pm), jobs)
    assert "There is already a measurement for 1 April 2025" in response.content.decode()


def test_readers_see_but_cannot_enter(client_for, team, jobs):
    client = client_for(team.reviewer)
    page = client.get(jobs.get_absolute_url()).content.decode()
    assert jobs.name in page and "Save the measurement" not in page
    assert _measure(client, jobs).status_code == 403
    create = reverse("assessments:indicator-create", args=[jobs.project_id])
    assert client.get(create).status_code == 403
    assert client_for(team.other_pm).get(jobs.get_absolute_url()).status_code == 404


def test_measurement_of_a_signed_off_stage_is_frozen(client_for, team, project, jobs):
    stage = start(project, "OPERATION", by=team.pm)
    m = make_measurement(jobs, datetime.date(2025, 1, 1), "12", assessment=stage)
    client = client_for(team.pm)
    delete = reverse("assessments:measurement-delete", args=[m.pk])
    type(stage).objects.filter(pk=stage.pk).update(status=AssessmentStatus.SIGNED_OFF)
    assert client.post(delete).status_code == 403
    type(stage).objects.filter(pk=stage.pk).update(status=AssessmentStatus.DRAFT)
    assert client.post(delete).status_code == 302 and not Measurement.objects.exists()


def test_stale_indicator_edit_never_overwrites(client_for, team, jobs):
    client = client_for(team.pm)
    url = reverse("assessments:indicator-edit", args=[jobs.pk])
    form = client.get(url).context["form"]
    data = {
        name: value
        for name, value in form.initial.items()
        if name not in {"answers", "actions", "population_groups"} and value is not None
    }
    Indicator.objects.filter(pk=jobs.pk).update(name="Changed by someone else", lock_version=2)
    response = client.post(url, {**data, "name": "My change", "lock_version": 1, "active": "on"})
    assert response.status_code == 409
    assert Indicator.objects.get(pk=jobs.pk).name == "Changed by someone else"


def test_project_page_links_to_monitoring(client_for, team, project, jobs):
    page = client_for(team.pm).get(project.get_absolute_url()).content.decode()
    assert reverse("assessments:indicator-list", args=[project.pk]) in page
    listing = client_for(team.pm).get(reverse("assessments:indicator-list", args=[project.pk]))
    assert (
        jobs.name in listing.content.decode() and "Measurement overdue" in listing.content.decode()
    )
