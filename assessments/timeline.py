"""A project's history in one list: workflow events, review verdicts, overrides, justifications,
the SRO's acceptance, panel comments, replies and moderation, and every field change recorded by
django-simple-history on the project, its answers and its actions. Newest first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from .models import (
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
from .presenters import person_name
from .workflow import EVENTS

ANSWER_FIELDS = (
    "direction", "pathway", "likelihood", "severity", "duration", "reversible", "reach", "distribution",
    "evidence_strength", "evidence_notes", "covered_by", "mitigation", "mitigation_owner", "delivery_mechanism",
    "residual_likelihood", "residual_severity", "monitoring_indicator", "indicator_baseline", "notes",
    "baseline_confirmed",
)
PROJECT_FIELDS = (
    "title", "reference", "description", "project_type", "budget", "city_deal", "postcodes", "data_zones",
    "senior_responsible_officer_id", "project_manager_id", "current_stage_id",
)
ACTION_FIELDS = ("kind", "text", "owner", "due_stage_id", "funding", "status")


@dataclass
class Event:
    at: datetime
    who: str
    kind: str
    title: str
    detail: str = ""
    stage: str = ""


def _show(value) -> str:
    if value in (None, "", []):
        return "(blank)"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def _named(names: dict, value):
    return names.get(value, value) if names and not isinstance(value, (list, dict)) else value


def _choices(model) -> dict[str, dict]:
    """field name -> {stored value: label}, so the timeline reads “No impact”, not no_impact."""
    return {f.attname: {k: str(v) for k, v in f.choices} for f in model._meta.fields if f.choices}


def _field_changes(records, fields, label, stage_of=lambda record: "", labels=None, author=None):
    """Events for each historical record, comparing it with the previous record of the same row
    (or with blank values for the first one seen, as bulk-created rows have no creation record)."""
    previous: dict[int, object] = {}
    events = []
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
                changed.append(f"{name.removesuffix('_id').replace('_', ' ')}: {_show(_named(names, old))} → "
                               f"{_show(_named(names, new))}")
        if record.history_type == "+" and before is None:
            title = f"{label(record)} created"
        elif not changed:
            continue
        else:
            title = f"{label(record)} changed"
        # Changes made outside a web request have no history user; fall back on the row's own author.
        who = record.history_user or (author(record) if author else None)
        events.append(Event(record.history_date, person_name(who, "system"), "change", title, "; ".join(changed), stage_of(record)))
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
        events.append(Event(change.at, person_name(change.by, "system"), "status", title, change.note, stage[change.assessment_id]))
    for verdict in ReviewVerdict.objects.filter(assessment_id__in=ids).select_related("reviewer", "answer__question"):
        events.append(Event(verdict.at, person_name(verdict.reviewer, "system"), "verdict",
                            f"Verdict on {verdict.answer.question.code}: {verdict.get_verdict_display()}",
                            verdict.comment, stage[verdict.assessment_id]))
    for override in RatingOverride.objects.filter(assessment_id__in=ids).select_related("by", "answer__question", "determinant"):
        target = override.answer.question.code if override.answer_id else override.determinant.name
        events.append(Event(override.at, person_name(override.by, "system"), "override",
                            f"Rating of {target} overridden: tool said {override.original_value}, "
                            f"reviewer says {override.overridden_value}", override.reason, stage[override.assessment_id]))
    for item in FlagJustification.objects.filter(assessment_id__in=ids).select_related("by", "answer__question"):
        target = f" for {item.answer.question.code}" if item.answer_id else ""
        events.append(Event(item.at, person_name(item.by, "system"), "justification", f"Flag {item.flag_code} justified{target}",
                            item.justification, stage[item.assessment_id]))
    for item in ActionPlanAcceptance.objects.filter(assessment_id__in=ids).select_related("by"):
        events.append(Event(item.at, person_name(item.by, "system"), "acceptance", "Action plan accepted", item.note,
                            stage[item.assessment_id]))
    for comment in CommunityComment.objects.filter(assessment_id__in=ids).select_related("author", "hidden_by", "determinant", "group"):
        about = comment.determinant.name if comment.determinant_id else (comment.group.name if comment.group_id else "general")
        marks = "".join([" · concern" if comment.is_concern else "", " · asks for a full HIA" if comment.requests_full_hia else ""])
        events.append(Event(comment.at, person_name(comment.author, "system"), "comment", f"Panel comment on {about}{marks}",
                            comment.text, stage[comment.assessment_id]))
        if comment.hidden:
            events.append(Event(comment.hidden_at or comment.at, person_name(comment.hidden_by, "system"), "moderation",
                                "Panel comment hidden by a moderator", comment.hidden_reason, stage[comment.assessment_id]))
    for item in CommentReply.objects.filter(comment__assessment_id__in=ids).select_related("by", "comment"):
        events.append(Event(item.at, person_name(item.by, "system"), "reply", "Reply to a panel comment", item.text,
                            stage[item.comment.assessment_id]))

    codes = dict(Question.objects.filter(answers__assessment_id__in=ids).values_list("id", "code").distinct())
    answer_history = Answer.history.filter(assessment_id__in=ids).select_related("history_user", "updated_by").order_by(
        "id", "history_date", "history_id")
    in_stage = lambda record: stage.get(record.assessment_id, "")  # noqa: E731
    events += _field_changes(answer_history, ANSWER_FIELDS, lambda r: f"Answer {codes.get(r.question_id, '?')}", in_stage,
                             _choices(Answer), lambda r: r.updated_by)
    action_history = Action.history.filter(assessment_id__in=ids).select_related("history_user", "created_by").order_by(
        "id", "history_date", "history_id")
    events += _field_changes(action_history, ACTION_FIELDS, lambda r: f"Action “{r.text[:50]}”", in_stage,
                             _choices(Action), lambda r: r.created_by)
    project_history = project.history.select_related("history_user").order_by("id", "history_date", "history_id")
    events += _field_changes(project_history, PROJECT_FIELDS, lambda r: "Project details",
                             labels=_choices(CapitalProject))
    events.sort(key=lambda e: e.at, reverse=True)
    return events
