"""Emails: who gets them, what they say, and that they leave only after the transaction commits."""

import io

from django.core import mail
from django.db import transaction

from assessments.community import consultation as community
from assessments.models import RuleSet
from assessments.review import reviewing, workflow
from tests.factories import add_harm, ready_to_submit


def _sent_to(address):
    return [m for m in mail.outbox if m.to == [address]]


def test_submission_emails_each_reviewer_of_the_council_after_commit(
    team, django_capture_on_commit_callbacks
):
    a = ready_to_submit(team)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        workflow.submit(a, team.pm)
    assert mail.outbox == []  # nothing is sent before the commit
    for callback in callbacks:
        callback()
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == ["reviewer.a@example.org", "reviewer2.a@example.org"]
    message = _sent_to("reviewer.a@example.org")[0]
    assert (
        message.subject
        == "[CHIIA] Submitted for review: T-001 Test riverside housing – Strategic Business Case"
    )
    assert "Pm Tester has submitted" in message.body
    assert f"http://127.0.0.1:8000/assessments/{a.pk}/" in message.body


def test_no_email_when_the_transaction_rolls_back(team, django_capture_on_commit_callbacks):
    a = ready_to_submit(team)
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                workflow.submit(a, team.pm)
                raise RuntimeError("something later failed")
        except RuntimeError:
            pass
    assert mail.outbox == []


def _in_review(team):
    a = ready_to_submit(team)
    workflow.submit(a, team.pm)
    workflow.start_review(a, team.reviewer)
    mail.outbox.clear()
    return a


def test_changes_requested_emails_the_project_manager(team, django_capture_on_commit_callbacks):
    a = _in_review(team)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.request_changes(a, team.reviewer, note="Please add evidence on air quality.")
    [message] = mail.outbox
    assert message.to == ["pm.a@example.org"]
    assert message.subject.startswith("[CHIIA] Changes requested: T-001")
    assert "Please add evidence on air quality." in message.body
    assert f"/assessments/{a.pk}/review/" in message.body


def test_sign_off_emails_the_project_manager_and_sro(team, django_capture_on_commit_callbacks):
    a = _in_review(team)
    workflow.approve(a, team.reviewer)
    workflow.accept_action_plan(a, team.sro)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.sign_off(a, team.reviewer)
    assert sorted(m.to[0] for m in mail.outbox) == ["pm.a@example.org", "sro.a@example.org"]
    assert all(m.subject.startswith("[CHIIA] Signed off: T-001") for m in mail.outbox)
    assert f"rule set v{RuleSet.objects.latest().version}" in mail.outbox[0].body


def test_new_panel_comment_emails_the_project_manager(team, django_capture_on_commit_callbacks):
    a = _in_review(team)
    community.open_consultation(a, team.pm)
    with django_capture_on_commit_callbacks(execute=True):
        community.add_comment(
            a, team.panel, text="Please keep the path open.", requests_full_hia=True
        )
    [message] = mail.outbox
    assert message.to == ["pm.a@example.org"]
    assert message.subject.startswith("[CHIIA] New community panel comment: T-001")
    assert "Please keep the path open." in message.body
    assert "formally asks for a full health impact assessment" in message.body


def test_overdue_actions_email_the_sro_when_the_next_stage_starts(
    team, django_capture_on_commit_callbacks
):
    a = ready_to_submit(team)
    harm = add_harm(a)
    reviewing.add_action(
        a,
        team.pm,
        answer=harm,
        kind="mitigation",
        text="Air quality monitors at the school",
        owner="Environmental health",
        due_stage=a.stage,
    )
    workflow.submit(a, team.pm)
    workflow.start_review(a, team.reviewer)
    workflow.approve(a, team.reviewer)
    workflow.accept_action_plan(a, team.sro)
    workflow.sign_off(a, team.reviewer)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        workflow.start_next_stage(a, team.pm)
    [message] = mail.outbox
    assert message.to == ["sro.a@example.org"]
    assert message.subject.startswith(
        "[CHIIA] Overdue actions: T-001 Test riverside housing – Outline Business Case"
    )
    assert (
        "Air quality monitors at the school (owner: Environmental health; was due at Strategic Business Case)"
        in message.body
    )


def test_daily_overdue_reminder_command(team, django_capture_on_commit_callbacks):
    from django.core.management import call_command

    a = ready_to_submit(team)
    harm = add_harm(a)
    reviewing.add_action(
        a,
        team.pm,
        answer=harm,
        kind="mitigation",
        text="Noise barrier",
        owner="Design",
        due_stage=a.stage,
    )
    workflow.submit(a, team.pm)
    workflow.start_review(a, team.reviewer)
    workflow.approve(a, team.reviewer)
    workflow.accept_action_plan(a, team.sro)
    workflow.sign_off(a, team.reviewer)
    workflow.start_next_stage(a, team.pm)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("notify_overdue_actions", stdout=io.StringIO())
    [message] = mail.outbox
    assert message.to == ["sro.a@example.org"] and "Noise barrier" in message.body


class _Inbox:
    """An aiosmtpd handler that keeps every message the real SMTP server accepts."""

    def __init__(self):
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"


def _smtp_mailer(port):
    return {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 5},
        }
    }


def _closed_port():
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # released on close, so nothing listens there


def test_submission_reaches_a_real_smtp_server(team, settings, django_capture_on_commit_callbacks):
    from aiosmtpd.controller import Controller

    inbox = _Inbox()
    server = Controller(inbox, hostname="127.0.0.1", port=_closed_port())
    server.start()
    try:
        settings.MAILERS = _smtp_mailer(server.port)
        a = ready_to_submit(team)
        with django_capture_on_commit_callbacks(execute=True):
            workflow.submit(a, team.pm)
    finally:
        server.stop()
    assert sorted(rcpt for e in inbox.envelopes for rcpt in e.rcpt_tos) == [
        "reviewer.a@example.org",
        "reviewer2.a@example.org",
    ]
    text = inbox.envelopes[0].content.decode()
    assert "Subject: [CHIIA] Submitted for review: T-001" in text
    assert f"/assessments/{a.pk}/" in text


def test_a_mail_relay_that_is_down_does_not_undo_or_break_a_submission(
    team, client, settings, django_capture_on_commit_callbacks, caplog
):
    from django.urls import reverse

    settings.MAILERS = _smtp_mailer(_closed_port())
    a = ready_to_submit(team)
    client.force_login(team.pm)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("assessments:transition", args=[a.pk, "submit"]),
            {"expected_status": a.status},
            follow=True,
        )
    assert response.status_code == 200
    assert "Submitted for review" in response.content.decode()
    a.refresh_from_db()
    assert a.status == "submitted"
