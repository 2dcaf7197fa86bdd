"""Data protection records: who downloaded what, each council's privacy contacts, the published
retention rules, and the log of what retention, subject access and erasure did."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from assessments.models.base import TimeStamped


class DownloadRecord(models.Model):
    """One file handed to someone (a report, an export, a subject-access file): who, what, when
    and from which address. Appended by privacy.downloads.records_download, never edited; removed
    only by the retention rule "download_log"."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The council whose data the file holds; empty for a file spanning councils (the dashboard).
    council = models.ForeignKey(
        "assessments.Council", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(max_length=60)
    label = models.CharField(max_length=300, blank=True, default="")
    path = models.CharField(max_length=500)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.kind} {self.label} at {self.at:%Y-%m-%d %H:%M}"


class CouncilPrivacy(TimeStamped):
    """The controller's details printed on the council's privacy notice, kept by the council's
    administrators. Blank fields fall back to a line telling the reader to ask the council."""

    council = models.OneToOneField(
        "assessments.Council", on_delete=models.CASCADE, related_name="privacy"
    )
    contact_email = models.EmailField("Council contact email", blank=True, default="")
    contact_phone = models.CharField("Council contact phone", max_length=40, blank=True, default="")
    contact_address = models.TextField(
        "Council postal address", max_length=500, blank=True, default=""
    )
    dpo_name = models.CharField(
        "Data protection officer (name or title)", max_length=150, blank=True, default=""
    )
    dpo_email = models.EmailField("Data protection officer email", blank=True, default="")
    dpo_address = models.TextField(
        "Data protection officer postal address", max_length=500, blank=True, default=""
    )
    local_note = models.TextField(
        "Anything else residents and staff should know (optional)",
        max_length=2000,
        blank=True,
        default="",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self):
        return f"Privacy contacts of {self.council}"


class RetentionPolicy(models.Model):
    """One published version of the retention rules (fixtures/retention_v*.json). Like a rule set
    it is added, never edited: each retention run names the version it applied."""

    version = models.CharField(max_length=20, unique=True)
    published = models.DateField()
    notes = models.TextField(blank=True, default="")
    rules = models.JSONField()
    content_sha256 = models.CharField(max_length=64)

    class Meta:
        ordering = ["-published", "-id"]
        verbose_name_plural = "retention policies"

    def __str__(self):
        return f"Retention rules v{self.version}"


class PrivacyEventKind(models.TextChoices):
    RETENTION = "retention", "Retention rules applied"
    SUBJECT_ACCESS = "subject_access", "Subject access file produced"
    ERASURE = "erasure", "Personal data erased"


class PrivacyEvent(models.Model):
    """What a retention run, a subject-access request or an erasure did. Names no one: the person
    concerned is kept as an account number, so the record survives their own erasure."""

    kind = models.CharField(max_length=20, choices=PrivacyEventKind.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    subject_id = models.PositiveIntegerField(null=True, blank=True)
    council = models.ForeignKey(
        "assessments.Council", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    dry_run = models.BooleanField(default=False)
    policy_version = models.CharField(max_length=20, blank=True, default="")
    counts = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.get_kind_display()} at {self.at:%Y-%m-%d %H:%M}"
