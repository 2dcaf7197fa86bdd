"""A project's history in one list: workflow events, review verdicts, overrides, justifications,
the SRO's acceptance, panel comments, replies and moderation, and every field change recorded by
django-simple-history on the project, its answers and its actions. Newest first."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db import models

from assessments.answering import editing
from assessments.models import (
    Action,
    ActionPlanAcceptance,
    Answer,
    CapitalProject,
    CommentReply,
    CommunityComment,
    FlagJustification,
    Question,
    RatingOverride,
    ReviewVerdict,
    StatusChange,
)
from assessments.presenters import person_name
from assessments.review.workflow import EVENTS

if TYPE_CHECKING:
    from django.contrib.auth.models import User

# Stored value -> label, per field name, for the fields of a model that have choices.
Labels = Mapping[str, Mapping[object, str]]

# What an answer's history shows: the fields a person answers, and the confirmation of an answer
# carried over from the last stage.
ANSWER_FIELDS = (*editing.ANSWER_FIELDS, "baseline_confirmed")
PROJECT_FIELDS = (
    "title",
    "reference",
    "description",
    "project_type",
    "budget",
    "city_deal",
    "postcodes",
    "data_zones",
    "senior_responsible_officer_id",
    "project_manager_id",
    "current_stage_id",
)
ACTION_FIELDS = (
    "kind",
    "text",
    "owner",
    "due_stage_id",
    "funding",
    "status",
    # closure: a reviewer's request marked dealt with, agreed or sent back, and what was said
    "request_state",
    "dealt_with_note",
    "sent_back_reason",
)


@dataclass
class Event:
    at: datetime
    who: str
    kind: str
    title: str
    detail: str = ""
    stage: str = ""


def _show(value: object) -> str:
    if value in (None, "", []):
        return "(blank)"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def _named(names: Mapping[object, str], value: object) -> object:
    return names.get(value, value) if names and not isinstance(value, (list, dict)) else value


def _choices(model: type[models.Model]) -> dict[str, dict[object, str]]:
    """field name -> {stored value: label}, so the timeline reads “No impact”, not no_impact."""
    return {f.attname: {k: str(v) for k, v in f.choices} for f in model._meta.fields if f.choices}


def _no_stage(record: Any) -> str:
    return ""


def _field_changes(
    records: Iterable[Any],
    fields: Iterable[str],
    label: Callable[[Any], str],
    stage_of: Callable[[Any], str] = _no_stage,
    labels: Labels | None = None,
    author: Callable[[Any], User | None] | None = None,
) -> list[Event]:
    """Events for each historical record, comparing it with the previous record of the same row
    (or with blank values for the first one seen, as bulk-created rows have no creation record).
    The records are django-simple-history's generated models, which mypy cannot see: Any."""
    previous: dict[int, object] = {}
    events: list[Event] = []
    for record in records:
        before = previous.get(record.id)
        previous[record.id] = record
        changed = []
        for name in fields:
            new = getattr(record, name)
            if before is None and isinstance(new, bool):
                continue  # a default flag on a first record is not a change anyone made
            old = getattr(before, name) if before is not None else None
            if _show(old) != _show(new):
                names = (labels or {}).get(name, {})
                changed.append(
                    f"{name.removesuffix('_id').replace('_', ' ')}: {_show(_named(names, old))} → "
                    f"{_show(_named(names, new))}"
                )
        if record.history_type == "+" and before is None:
            title = f"{label(record)} created"
        elif not changed:
            continue
        else:
            title = f"{label(record)} changed"
        # Changes made outside a web request have no history user; fall back on the row's own author.
        who = record.history_user or (author(record) if author else None)
        events.append(
            Event(
                record.history_date,
                person_name(who, "system"),
                "change",
                title,
                "; ".join(changed),
                stage_of(record),
            )
        )
    return events


def project_timeline(project: CapitalProject) -> list[Event]:
    assessments = {a.pk: a for a in project.assessments.select_related("stage")}
    ids = list(assessments)
    stage = {pk: a.stage.name for pk, a in assessments.items()}
    events: list[Event] = []

    for change in StatusChange.objects.filter(assessment_id__in=ids).select_related("by"):
        title = EVENTS.get(change.event, (change.event,))[0]
        if change.changed_status:
            title += f" ({change.get_from_status_display()} → {change.get_to_status_display()})"
        events.append(
            Event(
                change.at,
                person_name(change.by, "system"),
                "status",
                title,
                change.note,
                stage[change.assessment_id],
            )
        )
    for verdict in ReviewVerdict.objects.filter(assessment_id__in=ids).select_related(
        "reviewer", "answer__question"
    ):
        events.append(
            Event(
                verdict.at,
                person_name(verdict.reviewer, "system"),
                "verdict",
                f"Verdict on {verdict.answer.question.code}: {verdict.get_verdict_display()}",
                verdict.comment,
                stage[verdict.assessment_id],
            )
        )
    for override in RatingOverride.objects.filter(assessment_id__in=ids).select_related(
        "by", "answer__question", "determinant"
    ):
        if override.answer is not None:
            target = override.answer.question.code
        else:
            # The database refuses an override with neither (constraint override_has_target).
            assert override.determinant is not None
            target = override.determinant.name
        events.append(
            Event(
                override.at,
                person_name(override.by, "system"),
                "override",
                f"Rating of {target} overridden: tool said {override.original_value}, "
                f"reviewer says {override.overridden_value}",
                override.reason,
                stage[override.assessment_id],
            )
        )
    for justified in FlagJustification.objects.filter(assessment_id__in=ids).select_related(
        "by", "answer__question"
    ):
        target = f" for {justified.answer.question.code}" if justified.answer is not None else ""
        events.append(
            Event(
                justified.at,
                person_name(justified.by, "system"),
                "justification",
                f"Flag {justified.flag_code} justified{target}",
                justified.justification,
                stage[justified.assessment_id],
            )
        )
    for accepted in ActionPlanAcceptance.objects.filter(assessment_id__in=ids).select_related("by"):
        events.append(
            Event(
                accepted.at,
                person_name(accepted.by, "system"),
                "acceptance",
                "Action plan accepted",
                accepted.note,
                stage[accepted.assessment_id],
            )
        )
    for comment in CommunityComment.objects.filter(assessment_id__in=ids).select_related(
        "author", "hidden_by", "determinant", "group"
    ):
        about = (
            comment.determinant.name
            if comment.determinant is not None
            else comment.group.name
            if comment.group is not None
            else "general"
        )
        marks = "".join(
            [
                " · concern" if comment.is_concern else "",
                " · asks for a full HIA" if comment.requests_full_hia else "",
            ]
        )
        events.append(
            Event(
                comment.at,
                person_name(comment.author, "system"),
                "comment",
                f"Panel comment on {about}{marks}",
                comment.text,
                stage[comment.assessment_id],
            )
        )
        if comment.hidden:
            events.append(
                Event(
                    comment.hidden_at or comment.at,
                    person_name(comment.hidden_by, "system"),
                    "moderation",
                    "Panel comment hidden by a moderator",
                    comment.hidden_reason,
                    stage[comment.assessment_id],
                )
            )
    replies = CommentReply.objects.filter(comment__assessment_id__in=ids).select_related(
        "by", "comment"
    )
    for reply in replies:
        events.append(
            Event(
                reply.at,
                person_name(reply.by, "system"),
                "reply",
                "Reply to a panel comment",
                reply.text,
                stage[reply.comment.assessment_id],
            )
        )

    codes = dict(
        Question.objects.filter(answers__assessment_id__in=ids).values_list("id", "code").distinct()
    )
    answer_history = (
        Answer.history.filter(assessment_id__in=ids)
        .select_related("history_user", "updated_by")
        .order_by("id", "history_date", "history_id")
    )
    in_stage = lambda record: stage.get(record.assessment_id, "")  # noqa: E731
    events += _field_changes(
        answer_history,
        ANSWER_FIELDS,
        lambda r: f"Answer {codes.get(r.question_id, '?')}",
        in_stage,
        _choices(Answer),
        lambda r: r.updated_by,
    )
    action_history = (
        Action.history.filter(assessment_id__in=ids)
        .select_related("history_user", "created_by")
        .order_by("id", "history_date", "history_id")
    )
    events += _field_changes(
        action_history,
        ACTION_FIELDS,
        lambda r: f"Action “{r.text[:50]}”",
        in_stage,
        _choices(Action),
        lambda r: r.created_by,
    )
    project_history = project.history.select_related("history_user").order_by(
        "id", "history_date", "history_id"
    )
    events += _field_changes(
        project_history,
        PROJECT_FIELDS,
        lambda r: "Project details",
        labels=_choices(CapitalProject),
    )
    events.sort(key=lambda e: e.at, reverse=True)
    return events
