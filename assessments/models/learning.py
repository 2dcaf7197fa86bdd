"""Learning from use: what people answering say about the questions, and the region's shared
library of mitigations (curated entries drawn from signed-off stages)."""

from django.conf import settings
from django.db import models

from assessments.enums import ProjectType


class FeedbackKind(models.TextChoices):
    UNCLEAR = "unclear", "Unclear"
    NOT_RELEVANT = "not_relevant", "Not relevant to this kind of project"


class QuestionFeedback(models.Model):
    """One person's remark on one question while answering it. The project type, stage and
    council are copied at the time, so the dashboard filters by what the project was then,
    and the remark stays counted if the project is later renamed or re-typed."""

    question = models.ForeignKey(
        "assessments.Question", on_delete=models.PROTECT, related_name="feedback"
    )
    # The stable code and the bank version, kept beside the question for exports and filters.
    question_code = models.CharField(max_length=20, db_index=True)
    bank_version = models.CharField(max_length=20)
    assessment = models.ForeignKey(
        "assessments.StageAssessment", on_delete=models.CASCADE, related_name="question_feedback"
    )
    council = models.ForeignKey("assessments.Council", on_delete=models.PROTECT, related_name="+")
    stage = models.ForeignKey(
        "assessments.LifecycleStage", on_delete=models.PROTECT, related_name="+"
    )
    project_type = models.CharField(max_length=30, choices=ProjectType.choices)
    kind = models.CharField(max_length=20, choices=FeedbackKind.choices)
    comment = models.TextField(max_length=2000, blank=True, default="")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.question_code} v{self.bank_version}: {self.kind}"


class MitigationCuration(models.Model):
    """How the method's owners curate one library entry (a mitigation or enhancement recorded
    on an answer in a signed-off stage). The answer itself is never changed: a signed-off stage
    is frozen, so curation lives here."""

    answer = models.OneToOneField(
        "assessments.Answer", on_delete=models.CASCADE, related_name="library_curation"
    )
    hidden = models.BooleanField(default=False)
    recommended = models.BooleanField(default=False)
    # Merged entries are shown once, as the entry they were merged into.
    merged_into = models.ForeignKey(
        "assessments.Answer",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="library_merges",
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(merged_into=models.F("answer")),
                name="mitigation_not_merged_into_itself",
            ),
        ]

    def __str__(self):
        return f"library entry {self.answer_id}"
