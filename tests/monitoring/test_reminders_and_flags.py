"""Overdue monitoring reaches people: reminder emails (never twice), My work, and flag F9 at the
operation and evaluation stages."""

import datetime

from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from assessments.models import MonitoringReminder, StageAssessment
from assessments.scoring import snapshots as scoring
from tests.factories import make_indicator, make_measurement, make_team_project, start

TODAY = timezone.localdate()


def _overdue_indicator(team, stage="OPERATION", reference="T-001", **fields):
    project = make_team_project(team, stage=stage, reference=reference)
    # Quarterly from a baseline a year ago, nothing measured: overdue (92 days + 30 grace).
    indicator = make_indicator(
        project,
        owner=team.contributor,
        baseline_date=TODAY - datetime.timedelta(days=365),
        target_date=TODAY + datetime.timedelta(days=1000),
        **fields,
    )
    return project, indicator


def test_owner_is_reminded_once_of_an_overdue_measurement(team, django_capture_on_commit_callbacks):
    _, indicator = _overdue_indicator(team)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_monitoring_reminders", stdout=None)
        call_command("send_monitoring_reminders", stdout=None)
    [message] = mail.outbox
    assert message.to == ["contributor.a@example.org"]
    assert message.subject.startswith("[CHIIA] Overdue: measurement of Construction jobs")
    assert reverse("assessments:indicator-detail", args=[indicator.pk]) in message.body
    assert MonitoringReminder.objects.get().kind == "overdue"


def test_due_soon_reminder_then_a_new_one_after_a_measurement(
    team, django_capture_on_commit_callbacks
):
    project = make_team_project(team, stage="OPERATION")
    # Last measured 85 days ago, quarterly: due in 7 days, inside the 14-day reminder window.
    indicator = make_indicator(
        project, owner=team.pm, baseline_date=TODAY - datetime.timedelta(days=400)
    )
    make_measurement(indicator, TODAY - datetime.timedelta(days=85), "12")
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_monitoring_reminders")
    assert [m.subject.split(":")[0] for m in mail.outbox] == ["[CHIIA] Due soon"]
    make_measurement(indicator, TODAY - datetime.timedelta(days=1), "13")
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_monitoring_reminders")
    assert len(mail.outbox) == 1  # the next measurement is three months away


def test_overdue_monitoring_is_on_my_work(client_for, team):
    _, indicator = _overdue_indicator(team)
    page = client_for(team.contributor).get(reverse("assessments:my-work")).content.decode()
    group = page[page.index('id="monitoring"') :]
    assert indicator.name in group and indicator.get_absolute_url() in group
    other = client_for(team.other_contributor).get(reverse("assessments:my-work"))
    assert indicator.name not in other.content.decode()


def test_flag_f9_at_operation_not_at_delivery(team):
    operating, _ = _overdue_indicator(team)
    building, _ = _overdue_indicator(team, stage="DELIVERY", reference="T-002")
    a = start(operating, "OPERATION", by=team.pm)
    b = start(building, "DELIVERY", by=team.pm)
    result = scoring.refresh_snapshot(StageAssessment.objects.get(pk=a.pk))
    f9 = result.flag("F9")
    assert f9 is not None and f9.title == "Overdue monitoring"
    assert "Construction jobs filled by residents" in f9.reason
    assert scoring.refresh_snapshot(StageAssessment.objects.get(pk=b.pk)).flag("F9") is None


def test_measurement_clears_f9_on_the_next_daily_run(team, django_capture_on_commit_callbacks):
    project, indicator = _overdue_indicator(team)
    a = start(project, "OPERATION", by=team.pm)
    scoring.refresh_snapshot(StageAssessment.objects.get(pk=a.pk))
    assert "F9" in StageAssessment.objects.get(pk=a.pk).open_flags
    make_measurement(indicator, TODAY, "12")
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_monitoring_reminders")
    assert "F9" not in StageAssessment.objects.get(pk=a.pk).open_flags


def test_entering_the_overdue_measurement_clears_f9_at_once(client_for, team):
    project, indicator = _overdue_indicator(team)
    a = start(project, "OPERATION", by=team.pm)
    scoring.refresh_snapshot(StageAssessment.objects.get(pk=a.pk))
    assert "F9" in StageAssessment.objects.get(pk=a.pk).open_flags
    response = client_for(team.contributor).post(
        indicator.get_absolute_url(), {"measured_on": TODAY.isoformat(), "value": "11"}
    )
    assert response.status_code == 302
    assert "F9" not in StageAssessment.objects.get(pk=a.pk).open_flags
