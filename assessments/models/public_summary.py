from django.conf import settings
from django.db import models


class PublicSummary(models.Model):
    """A stage's summary for the community panel in plain words, written by the project manager
    and approved by a public health reviewer before the panel sees it. Changing the text
    withdraws the approval."""

    assessment = models.OneToOneField(
        "assessments.StageAssessment", on_delete=models.PROTECT, related_name="public_summary"
    )
    text = models.TextField(max_length=3000)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    written_at = models.DateTimeField()
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "public summaries"

    def __str__(self):
        return f"Public summary of {self.assessment_id}"

    @property
    def approved(self) -> bool:
        return self.approved_at is not None
