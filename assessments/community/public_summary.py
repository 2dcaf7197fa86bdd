"""The stage's public summary for the community panel: written by the project manager,
approved by a public health reviewer, shown to the panel only once approved. Changing the text
withdraws the approval. Each write is atomic and refuses a save made from an out-of-date page."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from assessments import permissions
from assessments.community.readability import READING_AGE_LIMIT, reading_age
from assessments.models import PublicSummary, StageAssessment


class StaleSummary(Exception):
    """Someone else changed the summary since this page was loaded."""


@dataclass
class SummaryView:
    text: str
    version: str  # when it was last written, as the form sends it back
    reading_age: int | None
    too_hard: bool
    approved: bool
    limit: int = READING_AGE_LIMIT


def _version(summary: PublicSummary | None) -> str:
    return summary.written_at.isoformat() if summary else ""


def summary_view(assessment: StageAssessment) -> SummaryView:
    summary = PublicSummary.objects.filter(assessment=assessment).first()
    text = summary.text if summary else ""
    age = reading_age(text)
    return SummaryView(
        text=text,
        version=_version(summary),
        reading_age=age,
        too_hard=age is not None and age > READING_AGE_LIMIT,
        approved=bool(summary and summary.approved),
    )


def approved_text(assessment: StageAssessment) -> str:
    """What the panel sees: the approved summary, or nothing."""
    return (
        PublicSummary.objects.filter(assessment=assessment, approved_at__isnull=False)
        .values_list("text", flat=True)
        .first()
        or ""
    )


@transaction.atomic
def save_summary(assessment: StageAssessment, by, *, text: str, version: str) -> PublicSummary:
    if not permissions.can_write_public_summary(by, assessment):
        raise PermissionDenied
    summary = PublicSummary.objects.select_for_update().filter(assessment=assessment).first()
    if _version(summary) != version:
        raise StaleSummary
    now = timezone.now()
    if summary is None:
        return PublicSummary.objects.create(
            assessment=assessment, text=text, written_by=by, written_at=now
        )
    if summary.text != text:
        summary.text, summary.written_by, summary.written_at = text, by, now
        summary.approved_by = summary.approved_at = None
        summary.save()
    return summary


@transaction.atomic
def approve_summary(assessment: StageAssessment, by, *, version: str) -> PublicSummary:
    if not permissions.can_approve_public_summary(by, assessment):
        raise PermissionDenied
    summary = PublicSummary.objects.select_for_update().filter(assessment=assessment).first()
    if summary is None or _version(summary) != version:
        raise StaleSummary
    summary.approved_by, summary.approved_at = by, timezone.now()
    summary.save(update_fields=["approved_by", "approved_at"])
    return summary
