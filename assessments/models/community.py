"""Community panel: consultation windows, comments and the project team's replies.
Nothing is deleted: moderation hides a comment and records why."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class ConsultationWindow(models.Model):
    assessment = models.ForeignKey(
        "assessments.StageAssessment", on_delete=models.PROTECT, related_name="consultation_windows"
    )
    # Empty only on a window imported from another instance: its people are not accounts here.
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField(default=timezone.now)
    closes_at = models.DateTimeField(
        null=True, blank=True, help_text="Planned closing time, if any"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["opened_at", "id"]

    def __str__(self):
        return f"Consultation on {self.assessment_id} from {self.opened_at:%d %b %Y}"

    def is_open_at(self, moment) -> bool:
        return self.closed_at is None and (self.closes_at is None or self.closes_at > moment)

    @property
    def is_open(self) -> bool:
        return self.is_open_at(timezone.now())


class CommunityComment(models.Model):
    assessment = models.ForeignKey(
        "assessments.StageAssessment", on_delete=models.PROTECT, related_name="community_comments"
    )
    window = models.ForeignKey(
        ConsultationWindow, on_delete=models.PROTECT, related_name="comments"
    )
    determinant = models.ForeignKey(
        "assessments.Determinant", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    group = models.ForeignKey(
        "assessments.PopulationGroup",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    text = models.TextField(max_length=4000)
    is_concern = models.BooleanField(
        default=False, help_text="A significant concern about the project"
    )
    requests_full_hia = models.BooleanField(
        default=False, help_text="A formal request for a full HIA"
    )
    # Empty only on a comment imported from another instance.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    hidden = models.BooleanField(default=False)
    hidden_reason = models.TextField(max_length=2000, blank=True, default="")
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    hidden_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self):
        return self.text[:60]


class CommentReply(models.Model):
    """The project team's answer to a comment: shown beside it ("you said, we did")."""

    comment = models.ForeignKey(CommunityComment, on_delete=models.PROTECT, related_name="replies")
    text = models.TextField(max_length=4000)
    # Empty only on a reply imported from another instance (its text says who, there).
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]
        verbose_name_plural = "comment replies"

    def __str__(self):
        return self.text[:60]
