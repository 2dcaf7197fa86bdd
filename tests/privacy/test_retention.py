"""apply_retention: each published rule deletes or anonymises what passed its period and nothing
younger; a dry run changes nothing; every run is recorded; history tables keep no name of an
anonymised person; a signed-off stage and its published PDF stay exactly as they were."""

import datetime
import json

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth import get_user_model
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from assessments.models import (
    Answer,
    ArchivedReport,
    CommunityComment,
    DownloadRecord,
    PrivacyEvent,
    RetentionPolicy,
    StatusChange,
)
from assessments.privacy import policies, retention, rules
from tests import factories as f

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def _sign_in_rows() -> int:
    return sum(m.objects.count() for m in (AccessAttempt, AccessFailureLog, AccessLog))


def test_sign_in_records_go_after_90_days():
    f.make_sign_ins("old.user", days_ago=91)
    f.make_sign_ins("new.user", days_ago=89)
    event = retention.apply_retention()
    assert event.counts["sign_in_records"] == 3
    assert set(AccessLog.objects.values_list("username", flat=True)) == {"new.user"}
    assert _sign_in_rows() == 3


def test_sessions_ended_more_than_90_days_ago_go():
    for days in (91, 10):
        store = SessionStore()
        store["_auth_user_id"] = "1"
        store.create()
        Session.objects.filter(pk=store.session_key).update(expire_date=timezone.now() - days * DAY)
    assert retention.apply_retention().counts["sessions"] == 1
    assert Session.objects.count() == 1


def test_delivered_emails_go_after_30_days_failed_ones_stay():
    f.make_email_task("a@example.org", "Old", "Dear a", days_ago=31)
    f.make_email_task("b@example.org", "New", "Dear b", days_ago=29)
    f.make_email_task("c@example.org", "Failed", "Dear c", days_ago=31, status="FAILED")
    assert retention.apply_retention().counts["delivered_emails"] == 1
    assert set(DBTaskResult.objects.values_list("args_kwargs__args__0", flat=True)) == {
        "New",
        "Failed",
    }


def test_download_log_follows_its_own_period(team):
    old = DownloadRecord.objects.create(kind="x", path="/x", at=timezone.now() - 731 * DAY)
    new = DownloadRecord.objects.create(kind="y", path="/y", at=timezone.now() - 729 * DAY)
    retention.apply_retention()
    assert list(DownloadRecord.objects.all()) == [new]
    assert old.pk not in DownloadRecord.objects.values_list("pk", flat=True)


def test_panel_identities_leave_comments_a_set_time_after_the_consultation_closed(team):
    assessment = f.start(f.make_team_project(team), by=team.pm)
    old = f.make_panel_comment(assessment, team.panel, "Too much traffic", closed_days_ago=181)
    recent = f.make_panel_comment(assessment, team.panel, "More trees", closed_days_ago=179)
    still_open = f.make_panel_comment(assessment, team.panel, "Open window", closed_days_ago=None)
    assert retention.apply_retention().counts["panel_comment_identities"] == 1
    old.refresh_from_db()
    assert old.author is None and old.text == "Too much traffic"
    assert CommunityComment.objects.get(pk=recent.pk).author == team.panel
    assert CommunityComment.objects.get(pk=still_open.pk).author == team.panel


def test_a_deactivated_account_is_anonymised_after_a_year_history_included(team):
    leaver = f.make_user("quentin.leaver", first_name="Quentin", last_name="Marchbanks")
    assessment = f.start(f.make_team_project(team), by=team.pm)
    answer = assessment.answers.first()
    answer.mitigation_owner = "Quentin Marchbanks"
    answer.updated_by = leaver
    answer.save()  # writes a history row carrying the name
    assert Answer.history.filter(mitigation_owner__contains="Marchbanks").exists()
    get_user_model().objects.filter(pk=leaver.pk).update(
        is_active=False,
        last_login=timezone.now() - 366 * DAY,
        date_joined=timezone.now() - 900 * DAY,
    )
    recent = f.make_user("recent.leaver", is_active=False)

    assert retention.apply_retention().counts["deactivated_accounts"] == 1

    leaver.refresh_from_db()
    assert (leaver.first_name, leaver.last_name, leaver.email) == ("", "", "")
    assert leaver.username == f"erased-{leaver.pk}" and not leaver.has_usable_password()
    assert not Answer.history.filter(mitigation_owner__icontains="Marchbanks").exists()
    assert not Answer.objects.filter(mitigation_owner__icontains="Marchbanks").exists()
    recent.refresh_from_db()
    assert recent.username == "recent.leaver"


def test_dry_run_reports_and_changes_nothing_and_each_run_is_recorded(team):
    f.make_sign_ins("old.user", days_ago=200)
    f.make_email_task("a@example.org", "Old", "Dear a", days_ago=40)
    event = retention.apply_retention(dry_run=True)
    assert event.dry_run and event.counts["sign_in_records"] == 3
    assert event.counts["delivered_emails"] == 1
    assert _sign_in_rows() == 3 and DBTaskResult.objects.count() == 1
    real = retention.apply_retention()
    assert not real.dry_run and real.policy_version == "1"
    assert _sign_in_rows() == 0
    assert PrivacyEvent.objects.filter(kind="retention").count() == 2


def test_the_command_says_what_it_would_change(capsys):
    f.make_sign_ins("old.user", days_ago=100)
    call_command("apply_retention", "--dry-run")
    out = capsys.readouterr().out
    assert "would change" in out and "sign_in_records: 3" in out
    assert _sign_in_rows() == 3
    call_command("apply_retention")
    assert _sign_in_rows() == 0


def test_a_signed_off_stage_and_its_published_pdf_stay_byte_identical(team, client_for):
    project = f.make_report_project(pm=team.pm, council=team.council, reference="GCC-KEEP")
    assessment = f.sign_off(
        f.fill_answers(f.start(project, "STRATEGIC", by=team.pm), by=team.pm, limit=3)
    )
    f.make_panel_comment(assessment, team.panel, "Please keep the trees", closed_days_ago=400)
    url = reverse("assessments:stage-report-pdf", args=[assessment.pk])
    published = client_for(team.reviewer).get(url).content
    decisions = list(StatusChange.objects.filter(assessment=assessment).values())
    answers = list(Answer.objects.filter(assessment=assessment).values())
    # Years later, with every period passed and the project manager's account switched off:
    get_user_model().objects.filter(pk=team.pm.pk).update(is_active=False)
    retention.apply_retention(now=timezone.now() + 3 * 365 * DAY)

    reader = Client()  # every session has passed its period too
    reader.force_login(team.reviewer)
    assert reader.get(url).content == published
    assert bytes(ArchivedReport.objects.get(assessment=assessment, kind="stage").pdf) == published
    assert list(StatusChange.objects.filter(assessment=assessment).values()) == decisions
    assert list(Answer.objects.filter(assessment=assessment).values()) == answers
    assert CommunityComment.objects.get(assessment=assessment).text == "Please keep the trees"


def test_published_rules_never_change(tmp_path, settings):
    policies.current_policy()  # the fixture's version 1 is loaded
    data = json.loads((settings.CHIIA_REFERENCE_DIR / "retention_v1.json").read_text())
    data["rules"][0]["days"] = 9
    (tmp_path / "retention_v1.json").write_text(json.dumps(data))
    with pytest.raises(rules.RetentionRulesError, match="never change"):
        policies.load_retention_policies(tmp_path)
    assert RetentionPolicy.objects.get(version="1").rules[0]["days"] == 90


def test_a_new_version_takes_over_and_unknown_rules_are_refused(tmp_path, settings):
    data = json.loads((settings.CHIIA_REFERENCE_DIR / "retention_v1.json").read_text())
    data.update(version="2", published="2027-01-01")
    data["rules"][0]["days"] = 60
    (tmp_path / "retention_v2.json").write_text(json.dumps(data))
    policies.load_retention_policies(tmp_path)
    policy, by_code = policies.current_rules()
    assert policy.version == "2" and by_code["sign_in_records"].days == 60
    data.update(version="3")
    data["rules"].append({"code": "everything", "days": 1, "action": "delete"})
    (tmp_path / "retention_v3.json").write_text(json.dumps(data))
    with pytest.raises(rules.RetentionRulesError, match="unknown rule"):
        policies.load_retention_policies(tmp_path)


def test_the_daily_task_applies_the_rules():
    from assessments.privacy.tasks import apply_retention_daily

    f.make_sign_ins("old.user", days_ago=120)
    result = apply_retention_daily.enqueue()
    assert result.return_value["sign_in_records"] == 3
    assert _sign_in_rows() == 0
    assert PrivacyEvent.objects.filter(kind="retention", dry_run=False).count() == 1
