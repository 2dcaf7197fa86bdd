"""Community panel: consultation windows, comments, replies ("you said, we did") and moderation.

Windows and comments never change an assessment's status, but every write locks the assessment,
re-checks permission, and is logged; panel comments feed flag F1 through the scoring context.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from assessments import permissions
from assessments.enums import FROZEN_STATUSES
from assessments.models import CommentReply, CommunityComment, ConsultationWindow, StageAssessment
from assessments.review import notifications
from assessments.review.workflow import WorkflowError, begin, lock, log
from assessments.scoring import snapshots as scoring


def _refresh_if_open(locked: StageAssessment) -> None:
    if locked.status not in FROZEN_STATUSES:
        scoring.refresh_snapshot(locked)


def open_window(assessment: StageAssessment) -> ConsultationWindow | None:
    now = timezone.now()
    return next((w for w in assessment.consultation_windows.all() if w.is_open_at(now)), None)


@transaction.atomic
def open_consultation(assessment, by, *, closes_at=None) -> ConsultationWindow:
    locked = begin(
        assessment, by, event="open_consultation", permission=permissions.can_open_consultation
    )
    if open_window(locked):
        raise WorkflowError("A consultation is already open on this stage.")
    if closes_at is not None and closes_at <= timezone.now():
        raise WorkflowError("The closing date must be in the future.")
    window = ConsultationWindow.objects.create(assessment=locked, opened_by=by, closes_at=closes_at)
    until = (
        f" until {timezone.localtime(closes_at):%d %b %Y %H:%M}" if closes_at else " until closed"
    )
    log(
        locked,
        by,
        "open_consultation",
        from_status=locked.status,
        note=f"Open to the community panel{until}.",
    )
    return window


@transaction.atomic
def close_consultation(assessment, by) -> ConsultationWindow:
    locked = begin(
        assessment, by, event="close_consultation", permission=permissions.can_close_consultation
    )
    window = open_window(locked)
    if window is None:
        raise WorkflowError("No consultation is open on this stage.")
    window.closed_at, window.closed_by = timezone.now(), by
    window.save(update_fields=["closed_at", "closed_by"])
    log(locked, by, "close_consultation", from_status=locked.status)
    return window


@transaction.atomic
def add_comment(
    assessment,
    by,
    *,
    text: str,
    determinant=None,
    group=None,
    is_concern=False,
    requests_full_hia=False,
) -> CommunityComment:
    locked = lock(assessment)
    if not permissions.can_comment_as_panel(by, locked):
        raise WorkflowError(
            "Comments can be made only by community panel members while a consultation is open."
        )
    if not text.strip():
        raise WorkflowError("Write your comment.")
    window = open_window(locked)
    if window is None:  # the consultation closed between the permission check and now
        raise WorkflowError(
            "Comments can be made only by community panel members while a consultation is open."
        )
    comment = CommunityComment.objects.create(
        assessment=locked,
        window=window,
        determinant=determinant,
        group=group,
        text=text.strip(),
        is_concern=is_concern,
        requests_full_hia=requests_full_hia,
        author=by,
    )
    _refresh_if_open(locked)
    notifications.on_new_comment(locked, comment)
    return comment


@transaction.atomic
def reply(comment: CommunityComment, by, *, text: str) -> CommentReply:
    locked = lock(comment.assessment)
    if not permissions.can_reply_to_comment(by, locked):
        raise WorkflowError("Only the council's project manager can reply, and not after sign-off.")
    if not text.strip():
        raise WorkflowError("Write your reply.")
    return CommentReply.objects.create(comment=comment, text=text.strip(), by=by)


@transaction.atomic
def hide_comment(comment: CommunityComment, by, *, reason: str) -> CommunityComment:
    """Moderation: the comment stays in the database and the record says who hid it and why."""
    locked = lock(comment.assessment)
    if not permissions.can_moderate(by, locked):
        raise WorkflowError(
            "Only the council administrator or a public health reviewer can moderate comments."
        )
    if not reason.strip():
        raise WorkflowError("Give the reason for hiding this comment.")
    comment = CommunityComment.objects.select_for_update().get(pk=comment.pk)
    if comment.hidden:
        raise WorkflowError("This comment is already hidden.")
    comment.hidden, comment.hidden_reason, comment.hidden_by, comment.hidden_at = (
        True,
        reason.strip(),
        by,
        timezone.now(),
    )
    comment.save(update_fields=["hidden", "hidden_reason", "hidden_by", "hidden_at"])
    _refresh_if_open(locked)
    return comment


# ---------------------------------------------------------------- read side


@dataclass
class Impact:
    determinant: str
    direction: str
    band: str
    pathway: str
    groups: list[str]
    mitigation: str


# Group descriptions written for staff that use the index's own terms, said plainly for the panel.
PANEL_GROUP_MEANINGS = {
    "SE_AREA_DEP": "People who live in the neighbourhoods that are among the most deprived in "
    "Scotland: where more people are on low incomes, out of work or in poor health.",
}


@dataclass
class PanelSummary:
    assessment: StageAssessment
    harms: list[Impact] = field(default_factory=list)
    benefits: list[Impact] = field(default_factory=list)
    mitigations: list = field(default_factory=list)
    # Every group named above, with what the name means in everyday words (several are the
    # Equality Act's or the Fairer Scotland Duty's own terms).
    group_explanations: list[tuple[str, str]] = field(default_factory=list)


def panel_summary(assessment: StageAssessment) -> PanelSummary:
    """Plain language: the main impacts (medium or high first, by size), who they affect and what is
    planned about them. Scores are from the stored snapshot."""
    result = scoring.stored_result(assessment)
    scores = {s.key: s for s in result.answers} if result else {}
    summary = PanelSummary(assessment)
    answers = (
        assessment.answers.filter(direction__in=["positive", "negative"])
        .select_related("question__determinant")
        .prefetch_related("groups__group")
    )
    ranked = sorted(
        answers,
        key=lambda a: -abs(scores[a.question.code].weighted) if a.question.code in scores else 0,
    )
    for answer in ranked:
        score = scores.get(answer.question.code)
        band = str(score.band) if score and score.band else ""
        impact = Impact(
            determinant=answer.question.determinant.plain_name or answer.question.determinant.name,
            direction=answer.direction,
            band=band,
            pathway=answer.pathway,
            groups=[link.group.name for link in answer.groups.all()],
            mitigation=answer.mitigation,
        )
        (summary.harms if answer.direction == "negative" else summary.benefits).append(impact)
    described = {
        link.group.name: PANEL_GROUP_MEANINGS.get(link.group.code, link.group.description)
        for answer in ranked
        for link in answer.groups.all()
    }
    summary.group_explanations = sorted(described.items())
    summary.mitigations = list(
        assessment.actions.exclude(status="dropped")
        .filter(kind__in=["mitigation", "enhancement"])
        .select_related("due_stage")
    )
    return summary


def comments_for(assessment: StageAssessment, *, include_hidden: bool):
    comments = assessment.community_comments.select_related(
        "determinant", "group", "author", "hidden_by"
    ).prefetch_related("replies__by")
    return list(comments if include_hidden else comments.filter(hidden=False))


def consultations_for_panel(user):
    """Assessments a panel member may see: their councils, not drafts, a consultation held."""
    return (
        StageAssessment.objects.filter(
            project__council_id__in=permissions.panel_council_ids(user),
            status__in=permissions.PANEL_VISIBLE_STATUSES,
            consultation_windows__isnull=False,
        )
        .distinct()
        .select_related("project__council", "stage")
        .prefetch_related("consultation_windows")
        .order_by("project__title", "stage__order")
    )


@dataclass
class ConsultationState:
    """Where the consultation stands, in the three states a resident can tell apart: not opened
    yet, open (until when), or closed (on which date)."""

    state: str  # "not_opened", "open" or "closed"
    closes_at: object = None
    closed_at: object = None


def consultation_state(assessment: StageAssessment) -> ConsultationState:
    windows = list(assessment.consultation_windows.all())
    now = timezone.now()
    current = next((w for w in windows if w.is_open_at(now)), None)
    if current is not None:
        return ConsultationState("open", closes_at=current.closes_at)
    if not windows:
        return ConsultationState("not_opened")
    last = windows[-1]
    return ConsultationState("closed", closed_at=last.closed_at or last.closes_at)
