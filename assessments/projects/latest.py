"""Which stage assessment is a project's latest: the live one (not superseded) at the furthest
stage. Kept in StageAssessment.is_latest so that every portfolio read joins on it.

Whatever creates, deletes or moves an assessment (the workflow, a project import, a restore, the
admin) saves it through the ORM, so the post_save and post_delete signals are the one place that
sees every change; scoring saves (update_fields without status or stage) cannot change which one
is latest and are skipped. Bulk inserts of synthetic data bypass signals and set the flag
themselves (dataops.scale), and `refresh_all` re-derives it for every project.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from assessments.enums import AssessmentStatus
from assessments.models import StageAssessment

# Saving only these can change which assessment is latest.
DECIDING_FIELDS = frozenset({"status", "stage", "stage_id", "project", "project_id"})
BATCH = 2000


def latest_live_id(project_id: int) -> int | None:
    """The definition: furthest stage, then newest, among assessments not superseded."""
    return (
        StageAssessment.objects.filter(project_id=project_id)
        .exclude(status=AssessmentStatus.SUPERSEDED)
        .order_by("-stage__order", "-created_at", "-pk")
        .values_list("pk", flat=True)
        .first()
    )


@transaction.atomic
def refresh(project_id: int) -> None:
    """Mark the project's latest assessment, and only it (cleared first: one per project)."""
    latest = latest_live_id(project_id)
    marked = StageAssessment.objects.filter(project_id=project_id, is_latest=True)
    if latest is not None:
        marked = marked.exclude(pk=latest)
    marked.update(is_latest=False)
    if latest is not None:
        StageAssessment.objects.filter(pk=latest, is_latest=False).update(is_latest=True)


@transaction.atomic
def refresh_all() -> None:
    """Re-derive the flag for every project at once (after a restore from an older backup)."""
    latest, seen = [], set()
    live = StageAssessment.objects.exclude(status=AssessmentStatus.SUPERSEDED).order_by(
        "project_id", "-stage__order", "-created_at", "-pk"
    )
    for pk, project_id in live.values_list("pk", "project_id").iterator():
        if project_id not in seen:
            seen.add(project_id)
            latest.append(pk)
    StageAssessment.objects.filter(is_latest=True).update(is_latest=False)
    for start in range(0, len(latest), BATCH):
        StageAssessment.objects.filter(pk__in=latest[start : start + BATCH]).update(is_latest=True)


def _saved(sender, instance, created, update_fields=None, raw=False, **kwargs) -> None:
    if raw:  # a restore or fixture load brings the flag with the row
        return
    if created or update_fields is None or DECIDING_FIELDS & set(update_fields):
        refresh(instance.project_id)


def _deleted(sender, instance, **kwargs) -> None:
    refresh(instance.project_id)


def connect() -> None:
    """Called once from the app's ready()."""
    post_save.connect(_saved, sender=StageAssessment, dispatch_uid="latest-assessment-save")
    post_delete.connect(_deleted, sender=StageAssessment, dispatch_uid="latest-assessment-delete")
