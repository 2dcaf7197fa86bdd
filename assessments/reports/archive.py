"""Signed-off reports: generated once, stored with their SHA-256, served identically for ever.

The copies are made by a background task queued when the stage is signed off
(tasks.archive_signed_off_stage), so they show the record as it stood then; a download that
comes before the worker has run makes the copy itself. The assessment row is locked while a copy
is made, so two simultaneous first requests still store exactly one copy; the second waits and
then reads the first one's bytes. An archived copy is never regenerated or replaced.
"""

from __future__ import annotations

import hashlib

from django.db import transaction
from django.utils import timezone

from assessments.enums import AssessmentStatus
from assessments.models import ArchivedReport, ReportKind, StageAssessment
from assessments.reports import context, outcomes, pdf

TEMPLATES: dict[str, str] = {
    ReportKind.STAGE: "reports/stage.html",
    ReportKind.COMMUNITY: "reports/community_summary.html",
}
ARCHIVABLE = frozenset({AssessmentStatus.SIGNED_OFF})


class NotSignedOff(Exception):
    pass


def filename_for(assessment: StageAssessment, kind: str, when) -> str:
    suffix = "community-summary" if kind == ReportKind.COMMUNITY else "stage-report"
    return f"{assessment.project.reference}-{assessment.stage.code}-{suffix}-{when:%Y-%m-%d}.pdf"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def render(assessment: StageAssessment, kind: str) -> bytes:
    report = context.build_stage_report(assessment)
    page = context.stage_template_context(report)
    page["outcomes"] = outcomes.outcome_lines(assessment, report.finalised)
    return pdf.render_pdf(TEMPLATES[kind], page)


def archived(assessment: StageAssessment, kind: str) -> ArchivedReport | None:
    return ArchivedReport.objects.filter(assessment=assessment, kind=kind).first()


def get_or_create_archive(
    assessment: StageAssessment, kind: str = ReportKind.STAGE
) -> ArchivedReport:
    """The stored copy of a signed-off stage's report, making it on first request."""
    existing = archived(assessment, kind)
    if existing is not None:
        return existing
    with transaction.atomic():
        locked = (
            StageAssessment.objects.select_for_update()
            .select_related("project", "stage", "question_bank")
            .get(pk=assessment.pk)
        )
        existing = archived(locked, kind)
        if existing is not None:
            return existing
        if locked.status not in ARCHIVABLE:
            raise NotSignedOff("Only a signed-off stage has a published report.")
        data = render(locked, kind)
        now = timezone.now()
        result = context.scoring.stored_result(locked)
        return ArchivedReport.objects.create(
            assessment=locked,
            kind=kind,
            pdf=data,
            sha256=sha256(data),
            size=len(data),
            generated_at=now,
            rule_set_version=(result.ruleset_version if result else "") or "",
            question_bank_version=locked.question_bank.version,
            filename=filename_for(locked, kind, now),
        )


def stage_pdf(
    assessment: StageAssessment, kind: str = ReportKind.STAGE
) -> tuple[bytes, str, str | None]:
    """(pdf bytes, filename, sha256 or None for a draft). Signed-off stages, and stages whose
    report was archived before they were superseded, always get the stored bytes."""
    existing = archived(assessment, kind)
    if existing is not None:
        return bytes(existing.pdf), existing.filename, existing.sha256
    if assessment.status in ARCHIVABLE:
        copy = get_or_create_archive(assessment, kind)
        return bytes(copy.pdf), copy.filename, copy.sha256
    return render(assessment, kind), filename_for(assessment, kind, timezone.localtime()), None
