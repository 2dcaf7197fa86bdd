"""Report work done in the background.

Full project reports run to a hundred pages or more: `request_project_report` records a
ReportJob and enqueues `generate_project_report`; the status page reads the job row.
`archive_signed_off_stage` stores a stage's published reports as soon as it is signed off, and
its chapter of the project report (stitch.py), so later project reports reuse it.
With the database backend (django_tasks_db) `manage.py db_worker` runs the tasks; tests use
the immediate backend, which runs them at once.
"""

from __future__ import annotations

import hashlib
import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.tasks import task
from django.utils import timezone

from assessments.models import (
    CapitalProject,
    ReportJob,
    ReportJobStatus,
    ReportKind,
    StageAssessment,
)
from assessments.reports import archive, project_report, stitch

logger = logging.getLogger(__name__)


def _update(job_id: int, **fields) -> None:
    ReportJob.objects.filter(pk=job_id).update(updated_at=timezone.now(), **fields)


@task
def generate_project_report(job_id: int) -> str:
    job = ReportJob.objects.select_related("project").get(pk=job_id)
    if job.is_finished:
        return job.status
    _update(job_id, status=ReportJobStatus.RUNNING, progress=5, step="Gathering the assessments")
    try:
        report = project_report.build_project_report(
            job.project,
            progress=lambda pct, step: _update(job_id, progress=5 + pct // 2, step=step),
        )
        _update(job_id, progress=50, step="Laying out the pages")
        # Signed-off stages' chapters come from the store; only the rest is laid out.
        result = stitch.render_stitched(report)
    except Exception as exc:  # the job row must say it failed, whatever went wrong
        logger.exception("Project report %s failed", job_id)
        _update(
            job_id,
            status=ReportJobStatus.FAILED,
            error=f"{type(exc).__name__}: {exc}"[:2000],
            finished_at=timezone.now(),
        )
        return ReportJobStatus.FAILED
    now = timezone.now()
    _update(
        job_id,
        status=ReportJobStatus.DONE,
        progress=100,
        step="Ready",
        pdf=result.pdf,
        sha256=hashlib.sha256(result.pdf).hexdigest(),
        pages=result.pages,
        finished_at=now,
        filename=f"{job.project.reference}-project-report-{timezone.localtime(now):%Y-%m-%d}.pdf",
    )
    return ReportJobStatus.DONE


def fail_if_stalled(job: ReportJob) -> ReportJob:
    """A job whose worker died would stay queued or "being generated" for ever. Once it has made
    no progress for CHIIA_REPORT_JOB_STALE_SECONDS it is recorded as failed, so the reader is told
    and can try again. The update matches only a job still unfinished and still stale, so progress
    written by a live worker in the meantime wins."""
    now = timezone.now()
    limit = settings.CHIIA_REPORT_JOB_STALE_SECONDS
    cutoff = now - timedelta(seconds=limit)
    if job.is_finished or job.updated_at >= cutoff:
        return job
    unfinished = [ReportJobStatus.QUEUED, ReportJobStatus.RUNNING]
    last = job.step or job.get_status_display()
    still_stale = ReportJob.objects.filter(pk=job.pk, status__in=unfinished, updated_at__lt=cutoff)
    stalled = still_stale.update(
        status=ReportJobStatus.FAILED,
        finished_at=now,
        updated_at=now,
        error=f"No progress for {limit} seconds (last: {last}); the worker has probably stopped.",
    )
    if stalled:
        logger.warning("Project report %s made no progress for %s s; marked failed", job.pk, limit)
    job.refresh_from_db(fields=["status", "progress", "step", "error", "finished_at", "updated_at"])
    return job


def request_project_report(project: CapitalProject, *, by) -> ReportJob:
    job = ReportJob.objects.create(project=project, requested_by=by)
    # Enqueue only once the job row is committed, so a worker never looks for a missing row.
    transaction.on_commit(lambda: generate_project_report.enqueue(job.pk))
    return job


@task
def archive_signed_off_stage(assessment_id: int) -> list[str]:
    """Store the stage report and the community summary of a newly signed-off stage, so the
    published copies show the record as it stood at sign-off rather than at the first download.
    Idempotent: `get_or_create_archive` locks the row and never replaces a stored copy, and a
    download that comes first makes the copy itself."""
    assessment = StageAssessment.objects.get(pk=assessment_id)
    stored = []
    for kind in (ReportKind.STAGE, ReportKind.COMMUNITY):
        try:
            stored.append(archive.get_or_create_archive(assessment, kind).sha256)
        except archive.NotSignedOff:  # re-opened by a later verb before the worker got here
            logger.info("Assessment %s is no longer signed off; nothing archived", assessment_id)
            return stored
    # Its chapter of the project report, so project reports lay out only the live stages. The
    # published copies are already stored; a chapter that fails here is rendered by the next
    # project report instead, so the failure is logged, not raised.
    try:
        stitch.render_chapter_for(assessment)
    except Exception:
        logger.exception(
            "Could not store the project report chapter of assessment %s", assessment_id
        )
    return stored


def archive_after_sign_off(assessment: StageAssessment) -> None:
    """Called by workflow.sign_off inside its transaction; the task is queued only on commit."""
    transaction.on_commit(lambda: archive_signed_off_stage.enqueue(assessment.pk))
