"""Report sections fed by the review and community workflow: actions, sign-offs, review
decisions and community comments, read from the workflow's own records. The report builders in
context.py call each function here directly.
"""

from __future__ import annotations

import re

from assessments.community.public_summary import approved_text
from assessments.models import Action, FlagJustification, RatingOverride, StatusChange
from assessments.models import CommunityComment as CommentRow
from assessments.presenters import person_name
from assessments.reports.data import ActionItem, CommunityComment, Decision, SignOff

SIGN_OFF_EVENTS = {
    "approve": ("Public health reviewer", "Approved"),
    "accept_action_plan": ("Senior responsible officer", "Action plan accepted"),
    "sign_off": ("Public health reviewer", "Signed off"),
}


def actions(assessment) -> list[ActionItem]:
    rows = Action.objects.filter(assessment=assessment).select_related(
        "due_stage", "answer__question"
    )
    return [
        ActionItem(
            text=row.text,
            owner=row.owner,
            due=row.due_stage.name,
            status=row.get_status_display(),
            kind=row.get_kind_display(),
            about=row.answer.question.code if row.answer is not None else "",
        )
        for row in rows.order_by("created_at", "pk")
    ]


def signoffs(assessment) -> list[SignOff]:
    rows = StatusChange.objects.filter(assessment=assessment, event__in=SIGN_OFF_EVENTS)
    return [
        SignOff(
            role=SIGN_OFF_EVENTS[row.event][0],
            name=person_name(row.by),
            decision=SIGN_OFF_EVENTS[row.event][1],
            date=row.at,
            note=row.note,
        )
        for row in rows.select_related("by").order_by("at", "pk")
    ]


def decisions(assessment) -> list[Decision]:
    found = []
    justifications = FlagJustification.objects.filter(assessment=assessment).select_related("by")
    for row in justifications.order_by("at", "pk"):
        title = "Full HIA decision" if row.flag_code == "F1" else f"Flag {row.flag_code} justified"
        found.append(
            Decision(
                title=title,
                outcome="Not proceeding with the flagged step",
                reasons=row.justification,
                by=person_name(row.by),
                date=row.at,
            )
        )
    overrides = RatingOverride.objects.filter(assessment=assessment).select_related("by")
    for override in overrides.order_by("at", "pk"):
        found.append(
            Decision(
                title="Rating override",
                outcome=f"{override.original_value} → {override.overridden_value}",
                reasons=override.reason,
                by=person_name(override.by),
                date=override.at,
            )
        )
    return found


def comments(assessment) -> list[CommunityComment]:
    rows = (
        CommentRow.objects.filter(assessment=assessment, hidden=False)
        .select_related("author", "determinant", "group")
        .prefetch_related("replies__by")
        .order_by("at", "pk")
    )
    items = []
    for row in rows:
        about = "; ".join(str(x) for x in (row.determinant, row.group) if x is not None)
        replies = list(row.replies.all())
        items.append(
            CommunityComment(
                author="Community panel member",
                text=row.text,
                about=about,
                date=row.at,
                concern=row.is_concern,
                hia_request=row.requests_full_hia,
                reply="\n\n".join(r.text for r in replies),
                reply_by=", ".join(dict.fromkeys(person_name(r.by) for r in replies)),
            )
        )
    return items


def public_summary(assessment) -> list[str]:
    """The approved public summary in paragraphs (a blank line starts a new one; single line
    breaks inside a paragraph read as spaces), or nothing while none is approved."""
    text = approved_text(assessment).replace("\r\n", "\n")
    return [" ".join(part.split()) for part in re.split(r"\n\s*\n", text) if part.strip()]
