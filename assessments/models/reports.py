"""Stored report files: the archived copy of a signed-off stage report, and background jobs
that build full project reports."""

from django.conf import settings
from django.db import models

from assessments.models.base import TimeStamped


class ReportKind(models.TextChoices):
    STAGE = "stage", "Stage report"
    COMMUNITY = "community", "Community summary"


class ArchivedReport(models.Model):
    """The one published copy of a signed-off stage's report. Written once, never updated:
    the bytes and their SHA-256 are what was published, whatever changes in code or data later."""

    assessment = models.ForeignKey(
        "assessments.StageAssessment", on_delete=models.PROTECT, related_name="archived_reports"
    )
    kind = models.CharField(max_length=20, choices=ReportKind.choices)
    pdf = models.BinaryField()
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    generated_at = models.DateTimeField()
    rule_set_version = models.CharField(max_length=20, blank=True, default="")
    question_bank_version = models.CharField(max_length=20, blank=True, default="")
    filename = models.CharField(max_length=200)

    class Meta:
        ordering = ["-generated_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "kind"], name="archived_report_once_per_kind"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} – {self.assessment} ({self.sha256[:12]})"


class ReportJobStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Being generated"
    DONE = "done", "Ready"
    FAILED = "failed", "Failed"


class ReportJob(TimeStamped):
    """A project report generated in the background; the status page polls this row."""

    project = models.ForeignKey(
        "assessments.CapitalProject", on_delete=models.CASCADE, related_name="report_jobs"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(
        max_length=10, choices=ReportJobStatus.choices, default=ReportJobStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(default=0, help_text="Per cent done")
    step = models.CharField(max_length=200, blank=True, default="")
    error = models.TextField(blank=True, default="")
    pdf = models.BinaryField(null=True, blank=True)
    sha256 = models.CharField(max_length=64, blank=True, default="")
    pages = models.PositiveIntegerField(null=True, blank=True)
    filename = models.CharField(max_length=200, blank=True, default="")
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"Project report for {self.project} ({self.get_status_display()})"

    @property
    def is_finished(self) -> bool:
        return self.status in {ReportJobStatus.DONE, ReportJobStatus.FAILED}
