"""Emails about the review loop. Each is written while the transaction is open (so it describes
what was just decided) and sent only after the transaction commits, so nobody is told about a
change that was rolled back. Each message (one per person, so addresses are never shared) is
handed to the task queue rather than sent inside the request: a mail relay that is down or slow
then never turns a decision that has already been saved into an error page, and with the
database queue a message that could not be sent stays on record as a failed task."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.db import transaction
from django.tasks import task
from django.urls import reverse

from assessments.enums import Role
from assessments.presenters import person_name

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from assessments.models import Action, CapitalProject, CommunityComment, StageAssessment


def _link(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _members(council_id: int, role: str) -> list[User]:
    return list(
        get_user_model()
        .objects.filter(memberships__council_id=council_id, memberships__role=role, is_active=True)
        .exclude(email="")
        .distinct()
        .order_by("username")
    )


def _project_person(project: CapitalProject, field: str, role: str) -> list[User]:
    person: User | None = getattr(project, field)
    if person is not None and person.is_active and person.email:
        return [person]
    return _members(project.council_id, role)


def _what(assessment: StageAssessment) -> str:
    project = assessment.project
    return f"{project.reference} {project.title} – {assessment.stage.name}"


@task
def deliver_email(subject: str, body: str, to: str) -> None:
    EmailMessage(subject=subject, body=body, to=[to]).send(fail_silently=False)


def _send_later(subject: str, body: str, people: Iterable[User]) -> None:
    addresses = sorted({person.email for person in people})

    def enqueue() -> None:
        for address in addresses:
            deliver_email.enqueue(f"[CHIIA] {subject}", body, address)

    if addresses:
        transaction.on_commit(enqueue)


def _body(greeting_to: str, lines: list[str], path: str) -> str:
    return (
        "\n\n".join(
            [
                f"Dear {greeting_to},",
                *lines,
                f"Open it in CHIIA: {_link(path)}",
                "This message was sent by CHIIA, the Glasgow City Region health inequalities impact "
                "assessment tool.",
                f"How CHIIA uses your personal data: {_link(reverse('assessments:privacy-notice'))}",
            ]
        )
        + "\n"
    )


def on_submitted(assessment: StageAssessment, by: User) -> None:
    people = _members(assessment.project.council_id, Role.REVIEWER)
    _send_later(
        f"Submitted for review: {_what(assessment)}",
        _body(
            "public health reviewer",
            [
                f"{person_name(by, 'Someone')} has submitted the {assessment.stage.name} assessment of "
                f"{assessment.project.title} ({assessment.project.council.name}) for review.",
                f"Overall harm rating: {assessment.overall_rating or 'not rated'}. "
                f"Open flags: {', '.join(assessment.open_flags) or 'none'}.",
            ],
            assessment.get_absolute_url(),
        ),
        people,
    )


def on_changes_requested(assessment: StageAssessment, by: User, note: str) -> None:
    people = _project_person(assessment.project, "project_manager", Role.PROJECT_MANAGER)
    _send_later(
        f"Changes requested: {_what(assessment)}",
        _body(
            "project manager",
            [
                f"{person_name(by, 'Someone')} has reviewed the {assessment.stage.name} assessment of {assessment.project.title} "
                "and asked for changes:",
                note,
                "The reviewer's verdicts and the resulting actions are on the review and action plan pages.",
            ],
            reverse("assessments:review", args=[assessment.pk]),
        ),
        people,
    )


def on_signed_off(assessment: StageAssessment, by: User) -> None:
    project = assessment.project
    people = _project_person(project, "project_manager", Role.PROJECT_MANAGER) + _project_person(
        project, "senior_responsible_officer", Role.SRO
    )
    _send_later(
        f"Signed off: {_what(assessment)}",
        _body(
            "colleague",
            [
                f"{person_name(by, 'Someone')} has signed off the {assessment.stage.name} assessment of {project.title}.",
                f"It is now read-only and keeps its scores (rule set v{assessment.rule_set.version if assessment.rule_set else '?'}, "
                f"question bank v{assessment.question_bank.version}). Overall harm rating: "
                f"{assessment.overall_rating or 'not rated'}.",
            ],
            assessment.get_absolute_url(),
        ),
        people,
    )


def on_new_comment(assessment: StageAssessment, comment: CommunityComment) -> None:
    people = _project_person(assessment.project, "project_manager", Role.PROJECT_MANAGER)
    about = (
        comment.determinant.name
        if comment.determinant is not None
        else comment.group.name
        if comment.group is not None
        else "the project in general"
    )
    marks = [
        text
        for on, text in (
            (comment.is_concern, "It is marked as a significant concern."),
            (comment.requests_full_hia, "It formally asks for a full health impact assessment."),
        )
        if on
    ]
    _send_later(
        f"New community panel comment: {_what(assessment)}",
        _body(
            "project manager",
            [
                f"A community panel member commented on the {assessment.stage.name} assessment of "
                f"{assessment.project.title}, about {about}:",
                comment.text,
                *marks,
                "Please reply on the consultation page: your reply is shown beside the comment.",
            ],
            reverse("assessments:consultation", args=[assessment.pk]),
        ),
        people,
    )


def on_overdue_actions(assessment: StageAssessment, actions: Iterable[Action]) -> None:
    people = _project_person(assessment.project, "senior_responsible_officer", Role.SRO)
    lines = [
        f"- {action.text} (owner: {action.owner}; was due at {action.due_stage.name})"
        for action in actions
    ]
    _send_later(
        f"Overdue actions: {_what(assessment)}",
        _body(
            "senior responsible officer",
            [
                f"{len(lines)} action{'s' if len(lines) != 1 else ''} from earlier stages of {assessment.project.title} "
                f"{'are' if len(lines) != 1 else 'is'} still open past the stage it was due by:",
                "\n".join(lines),
            ],
            reverse("assessments:action-plan", args=[assessment.pk]),
        ),
        people,
    )


# ---------------------------------------------------------------- mywork: action reminders


def on_action_reminder(action: Action, *, overdue: bool) -> None:
    """One owner's reminder that an action is due soon or has passed its due date."""
    person = action.owner_user
    if person is None or not person.email:
        return
    assessment = action.assessment
    when = f"{action.due_date:%-d %B %Y}" if action.due_date else action.due_stage.name
    _send_later(
        f"{'Overdue' if overdue else 'Due soon'}: action on {_what(assessment)}",
        _body(
            person_name(person),
            [
                f"An action you own on the {assessment.stage.name} assessment of "
                f"{assessment.project.title} {'was due on' if overdue else 'is due on'} {when}:",
                action.text,
                "Please update its status on the action plan once it is done "
                "(or say there why it cannot be).",
            ],
            reverse("assessments:action-plan", args=[assessment.pk]) + f"#action-{action.pk}",
        ),
        [person],
    )
