"""Report sections fed by the review and community workflow, when its models are installed.

The workflow models (Action, StatusChange, FlagJustification, RatingOverride, CommunityComment
with CommentReply) are built on another branch; each adapter is registered only if its model
exists, so the reports work before and after that code lands. Field names follow the review
branch as of its commit 5545cba; `install()` is idempotent and cheap after the first call.
"""

from __future__ import annotations

from django.apps import apps

from . import context
from .data import ActionItem, CommunityComment, Decision, SignOff

_installed = False
SIGN_OFF_EVENTS = {
    "approve": ("Public health reviewer", "Approved"),
    "accept_action_plan": ("Senior responsible officer", "Action plan accepted"),
    "sign_off": ("Public health reviewer", "Signed off"),
}


def _model(name: str):
    try:
        return apps.get_model("assessments", name)
    except LookupError:
        return None


def _name(user) -> str:
    return (user.get_full_name() or user.get_username()) if user is not None else ""


def actions(assessment) -> list[ActionItem]:
    rows = _model("Action").objects.filter(assessment=assessment).select_related("due_stage", "answer__question")
    return [
        ActionItem(text=row.text, owner=row.owner, due=row.due_stage.name, status=row.get_status_display(),
                   kind=row.get_kind_display(), about=row.answer.question.code if row.answer_id else "")
        for row in rows.order_by("created_at", "pk")
    ]


def signoffs(assessment) -> list[SignOff]:
    rows = _model("StatusChange").objects.filter(assessment=assessment, event__in=SIGN_OFF_EVENTS)
    return [
        SignOff(role=SIGN_OFF_EVENTS[row.event][0], name=_name(row.by), decision=SIGN_OFF_EVENTS[row.event][1],
                date=row.at, note=row.note)
        for row in rows.select_related("by").order_by("at", "pk")
    ]


def decisions(assessment) -> list[Decision]:
    found = []
    justifications = _model("FlagJustification")
    if justifications is not None:
        for row in justifications.objects.filter(assessment=assessment).select_related("by").order_by("at", "pk"):
            title = "Full HIA decision" if row.flag_code == "F1" else f"Flag {row.flag_code} justified"
            found.append(Decision(title=title, outcome="Not proceeding with the flagged step",
                                  reasons=row.justification, by=_name(row.by), date=row.at))
    overrides = _model("RatingOverride")
    if overrides is not None:
        for row in overrides.objects.filter(assessment=assessment).select_related("by").order_by("at", "pk"):
            found.append(Decision(title="Rating override", outcome=f"{row.original_value} → {row.overridden_value}",
                                  reasons=row.reason, by=_name(row.by), date=row.at))
    return found


def comments(assessment) -> list[CommunityComment]:
    rows = (_model("CommunityComment").objects.filter(assessment=assessment, hidden=False)
            .select_related("author", "determinant", "group").prefetch_related("replies__by").order_by("at", "pk"))
    items = []
    for row in rows:
        about = "; ".join(str(x) for x in (row.determinant, row.group) if x is not None)
        replies = list(row.replies.all())
        items.append(CommunityComment(
            author="Community panel member", text=row.text, about=about, date=row.at, concern=row.is_concern,
            hia_request=row.requests_full_hia, reply="\n\n".join(r.text for r in replies),
            reply_by=", ".join(dict.fromkeys(_name(r.by) for r in replies)),
        ))
    return items


def install() -> None:
    """Register every adapter whose model exists. Safe to call on every report."""
    global _installed
    if _installed:
        return
    _installed = True
    for section, func, model in [("actions", actions, "Action"), ("signoffs", signoffs, "StatusChange"),
                                 ("decisions", decisions, "FlagJustification"),
                                 ("comments", comments, "CommentReply")]:
        if _model(model) is not None:
            context.register(section)(func)
