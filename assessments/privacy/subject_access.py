"""Subject access: everything CHIIA holds about one person, as sections of rows that the JSON file
and the PDF both show. Only what the person is or did is included: the records they wrote, the
history entries of their changes, their sign-ins, the emails sent to them, the files they took.
Other people appear in none of it (an email's text names colleagues, so only its subject and
dates are given; a moderator's reason for hiding a comment is left out)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.db.models import QuerySet
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from assessments.models import (
    Action,
    ActionPlanAcceptance,
    Answer,
    AssessmentSection,
    CapitalProject,
    CommentReply,
    CommunityComment,
    ConsultationWindow,
    DownloadRecord,
    FlagJustification,
    Membership,
    PrivacyEvent,
    RatingOverride,
    ReviewVerdict,
    StageAssessment,
    StatusChange,
)
from assessments.privacy.erasure import EMAIL_TASK


@dataclass
class Section:
    title: str
    rows: list[dict] = field(default_factory=list)


def _where(assessment) -> str:
    return f"{assessment.project.reference} – {assessment.stage.name}"


def _account(person) -> Section:
    return Section(
        "Account",
        [
            {
                "user name": person.username,
                "first name": person.first_name,
                "last name": person.last_name,
                "email": person.email,
                "can sign in": person.is_active,
                "account created": person.date_joined,
                "last sign-in": person.last_login,
                "system administrator": person.is_superuser,
            }
        ],
    )


def _roles(person) -> Section:
    rows = [
        {"council": str(m.council) if m.council else "All councils", "role": m.get_role_display()}
        for m in Membership.objects.filter(user=person).select_related("council")
    ]
    return Section("Roles", rows)


def _projects(person) -> Section:
    rows = []
    for project in CapitalProject.objects.filter(
        project_manager=person
    ) | CapitalProject.objects.filter(senior_responsible_officer=person):
        part = "project manager" if project.project_manager_id == person.pk else "senior officer"
        rows.append({"project": f"{project.reference} {project.title}", "your part": part})
    for project in CapitalProject.objects.filter(created_by=person):
        rows.append({"project": f"{project.reference} {project.title}", "your part": "registered"})
    return Section("Projects you are named on", rows)


def _answers(person) -> Section:
    answers = Answer.objects.filter(updated_by=person).select_related(
        "question", "assessment__project", "assessment__stage"
    )
    rows = [
        {
            "stage": _where(a.assessment),
            "question": a.question.code,
            "direction": a.get_direction_display(),
            "pathway": a.pathway,
            "evidence notes": a.evidence_notes,
            "mitigation": a.mitigation,
            "notes": a.notes,
            "last changed": a.updated_at,
        }
        for a in answers
    ]
    sections = AssessmentSection.objects.filter(updated_by=person).select_related(
        "determinant", "assessment__project", "assessment__stage"
    )
    rows += [
        {
            "stage": _where(s.assessment),
            "section": str(s.determinant),
            "reason not assessed": s.not_assessed_reason,
            "last changed": s.updated_at,
        }
        for s in sections
    ]
    return Section("Answers you last changed", rows)


def _written(person) -> Section:
    rows: list[dict] = []
    related = ("assessment__project", "assessment__stage")
    for c in CommunityComment.objects.filter(author=person).select_related(*related):
        rows.append(
            {
                "what": "community panel comment",
                "stage": _where(c.assessment),
                "text": c.text,
                "significant concern": c.is_concern,
                "asked for a full HIA": c.requests_full_hia,
                "hidden by a moderator": c.hidden,
                "at": c.at,
            }
        )
    simple: list[tuple[QuerySet[Any], str, str]] = [
        (CommentReply.objects.filter(by=person), "reply to a panel comment", "text"),
        (ReviewVerdict.objects.filter(reviewer=person), "review verdict", "comment"),
        (RatingOverride.objects.filter(by=person), "rating override", "reason"),
        (FlagJustification.objects.filter(by=person), "flag justification", "justification"),
        (ActionPlanAcceptance.objects.filter(by=person), "action plan acceptance", "note"),
        (StatusChange.objects.filter(by=person), "workflow step", "note"),
    ]
    for queryset, what, column in simple:
        prefix = "comment__assessment" if queryset.model is CommentReply else "assessment"
        for row in queryset.select_related(f"{prefix}__project", f"{prefix}__stage"):
            assessment = row.comment.assessment if isinstance(row, CommentReply) else row.assessment
            event = f" ({row.event})" if isinstance(row, StatusChange) else ""
            rows.append(
                {
                    "what": what + event,
                    "stage": _where(assessment),
                    "text": getattr(row, column),
                    "at": row.at,
                }
            )
    rows += _started(person)
    rows.sort(key=lambda row: row["at"])
    return Section("What you wrote or decided", rows)


def _started(person) -> list[dict]:
    """Actions, consultations and assessments the person started."""
    rows: list[dict] = []
    related = ("assessment__project", "assessment__stage")
    for action in Action.objects.filter(created_by=person).select_related(*related):
        rows.append(
            {
                "what": "action",
                "stage": _where(action.assessment),
                "text": action.text,
                "at": action.created_at,
            }
        )
    for window in ConsultationWindow.objects.filter(opened_by=person).select_related(*related):
        rows.append(
            {
                "what": "consultation opened",
                "stage": _where(window.assessment),
                "text": "",
                "at": window.opened_at,
            }
        )
    for assessment in StageAssessment.objects.filter(created_by=person).select_related(
        "project", "stage"
    ):
        rows.append(
            {
                "what": "assessment started",
                "stage": _where(assessment),
                "text": "",
                "at": assessment.created_at,
            }
        )
    return rows


def _history(person) -> Section:
    rows = []
    kinds = {"+": "created", "~": "changed", "-": "deleted"}
    for model in (StageAssessment, AssessmentSection, Answer, Action, CapitalProject):
        history = model.history.filter(history_user=person)  # type: ignore[attr-defined]
        for entry in history.values("id", "history_type", "history_date", "history_change_reason"):
            rows.append(
                {
                    "record": f"{model._meta.verbose_name} {entry['id']}",
                    "change": kinds.get(entry["history_type"], entry["history_type"]),
                    "reason": entry["history_change_reason"] or "",
                    "at": entry["history_date"],
                }
            )
    rows.sort(key=lambda row: row["at"])
    return Section("History entries of your changes", rows)


def _sign_ins(person) -> Section:
    rows = []
    for model, what in (
        (AccessLog, "signed in"),
        (AccessFailureLog, "failed sign-in"),
        (AccessAttempt, "sign-in attempts being counted"),
    ):
        for row in model.objects.filter(username=person.username):
            rows.append(
                {
                    "what": what,
                    "address": row.ip_address,
                    "browser": row.user_agent,
                    "at": row.attempt_time,
                }
            )
    rows.sort(key=lambda row: row["at"])
    return Section("Sign-ins", rows)


def _emails(person) -> Section:
    rows = []
    if person.email:
        tasks = DBTaskResult.objects.filter(task_path__endswith=EMAIL_TASK).order_by("enqueued_at")
        for task in tasks:
            args = task.args_kwargs.get("args", [])
            to = args[2] if len(args) > 2 else task.args_kwargs.get("kwargs", {}).get("to")
            if to == person.email:
                subject = args[0] if args else task.args_kwargs.get("kwargs", {}).get("subject")
                rows.append(
                    {
                        "subject": subject,
                        "to": to,
                        "queued": task.enqueued_at,
                        "sent": task.finished_at,
                        "state": task.status,
                    }
                )
    return Section("Emails sent to you", rows)


def _downloads(person) -> Section:
    rows = [
        {"file": d.kind, "of": d.label, "address": d.ip_address, "at": d.at}
        for d in DownloadRecord.objects.filter(user=person).order_by("at")
    ]
    return Section("Files you downloaded", rows)


def _requests(person) -> Section:
    rows = [
        {"what": e.get_kind_display(), "at": e.at}
        for e in PrivacyEvent.objects.filter(subject_id=person.pk).order_by("at")
    ]
    return Section("Earlier requests about your data", rows)


def subject_access(person) -> dict:
    sections = [
        build(person)
        for build in (
            _account,
            _roles,
            _projects,
            _answers,
            _written,
            _history,
            _sign_ins,
            _emails,
            _downloads,
            _requests,
        )
    ]
    return {
        "produced": timezone.now(),
        "about": "Everything CHIIA holds about one person, for a subject access request "
        "(UK GDPR article 15).",
        "sections": [{"title": s.title, "rows": s.rows} for s in sections],
    }
