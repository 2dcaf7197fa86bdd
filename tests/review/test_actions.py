"""Actions with a due date and an owner in CHIIA; mitigations typed on an answer become their
action; owners are reminded before and after the due date, once each."""

import datetime

from django.core import mail
from django.urls import reverse
from django.utils import timezone

from assessments.management.commands import send_action_reminders as command
from assessments.models import Action, ActionReminder
from assessments.models.review import ActionStatus
from assessments.review import reminders
from tests.factories import answer_payload, make_team_project, start


def _save_harm(client, team, a, *, mitigation, owner=""):
    answer = a.answers.filter(question__determinant__code="D05").order_by("question__order").first()
    section = a.sections.get(determinant__code="D05")
    data = {"version": section.version}
    for other in a.answers.filter(question__determinant__code="D05"):
        data.update(answer_payload(f"a{other.pk}", direction="no_impact", reversible="yes"))
    data.update(
        answer_payload(
            f"a{answer.pk}",
            direction="negative",
            likelihood=3,
            severity=2,
            duration="long",
            reach="locality",
            reversible="yes",
            evidence_strength="moderate",
            mitigation=mitigation,
            mitigation_owner=owner,
        )
    )
    client.force_login(team.pm)
    response = client.post(reverse("assessments:section-edit", args=[a.pk, "D05"]), data)
    body = response.content.decode()
    assert response.status_code == 302, body[
        body.find("error-summary") : body.find("error-summary") + 1500
    ]
    return answer


def test_a_mitigation_on_an_answer_becomes_its_action_without_typing_it_twice(client, team):
    a = start(make_team_project(team), by=team.pm)
    answer = _save_harm(
        client, team, a, mitigation="Dust screens on the east boundary", owner="Site manager"
    )
    action = Action.objects.get(answer=answer)
    assert (action.text, action.kind, action.owner) == (
        "Dust screens on the east boundary",
        "mitigation",
        "Site manager",
    )
    assert action.owner_user == team.pm and action.from_answer
    plan = client.get(reverse("assessments:action-plan", args=[a.pk])).content.decode()
    assert "Dust screens on the east boundary" in plan and answer.question.code in plan

    _save_harm(client, team, a, mitigation="Dust screens and wheel washing", owner="Contractor")
    action.refresh_from_db()
    assert Action.objects.filter(answer=answer).count() == 1
    assert (action.text, action.owner) == ("Dust screens and wheel washing", "Contractor")

    _save_harm(client, team, a, mitigation="")
    action.refresh_from_db()
    assert action.status == ActionStatus.DROPPED


def test_an_action_has_a_due_date_and_an_owner_in_chiia(client, team):
    a = start(make_team_project(team), by=team.pm)
    client.force_login(team.pm)
    response = client.post(
        reverse("assessments:action-plan", args=[a.pk]),
        {
            "kind": "mitigation",
            "text": "Temporary crossing",
            "owner_user": team.contributor.pk,
            "owner": "",
            "due_date": "2027-03-31",
            "due_stage": a.stage.pk,
            "status": "open",
        },
    )
    assert response.status_code == 302
    action = Action.objects.get(text="Temporary crossing")
    assert action.due_date == datetime.date(2027, 3, 31)
    assert action.owner_user == team.contributor and action.owner == "Contributor Tester"
    plan = client.get(reverse("assessments:action-plan", args=[a.pk])).content.decode()
    assert "31 Mar 2027" in plan


def test_an_owner_is_needed_by_name_or_account(client, team):
    a = start(make_team_project(team), by=team.pm)
    client.force_login(team.pm)
    response = client.post(
        reverse("assessments:action-plan", args=[a.pk]),
        {"kind": "mitigation", "text": "X", "owner": "", "due_stage": a.stage.pk, "status": "open"},
    )
    assert response.status_code == 400
    assert "Name the owner, or choose an owner in CHIIA." in response.content.decode()
    assert not Action.objects.filter(text="X").exists()


def test_owners_are_reminded_before_and_after_the_due_date_once_each(
    team, django_capture_on_commit_callbacks
):
    a = start(make_team_project(team), by=team.pm)
    today = timezone.localdate()
    action = Action.objects.create(
        assessment=a,
        text="Fence the compound",
        owner="Contributor Tester",
        owner_user=team.contributor,
        due_stage=a.stage,
        due_date=today + datetime.timedelta(days=5),
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders.send_action_reminders(today).before == 1
        assert reminders.send_action_reminders(today).before == 0  # never twice
    assert [m.to for m in mail.outbox] == [["contributor.a@example.org"]]
    assert "Due soon" in mail.outbox[0].subject and "Fence the compound" in mail.outbox[0].body
    assert f"#action-{action.pk}" in mail.outbox[0].body

    later = today + datetime.timedelta(days=6)
    with django_capture_on_commit_callbacks(execute=True):
        sent = reminders.send_action_reminders(later)
        assert (sent.before, sent.after) == (0, 1)
        assert reminders.send_action_reminders(later).after == 0
    assert "Overdue" in mail.outbox[1].subject
    assert ActionReminder.objects.filter(action=action).count() == 2

    # A new due date is a new promise: it is reminded again. A finished action is not.
    Action.objects.filter(pk=action.pk).update(due_date=later + datetime.timedelta(days=2))
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders.send_action_reminders(later).before == 1
    Action.objects.filter(pk=action.pk).update(
        status=ActionStatus.DONE, due_date=later - datetime.timedelta(days=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders.send_action_reminders(later).after == 0


def test_the_daily_command_says_what_it_sent(team, capsys):
    command.Command().handle()
    assert "Reminders queued: 0 due soon, 0 overdue." in capsys.readouterr().out
