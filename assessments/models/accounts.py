from django.conf import settings
from django.db import models
from django.utils import timezone

from assessments.enums import Role


class AccountEventKind(models.TextChoices):
    INVITED = "invited", "Invited"
    ROLE_GRANTED = "role_granted", "Role granted"
    ROLE_REMOVED = "role_removed", "Role removed"
    DEACTIVATED = "deactivated", "Account deactivated"


class AccountEvent(models.Model):
    """The audit trail of a council administrator's decisions about people: who invited whom,
    granted or removed which role in which council, or deactivated an account, and when.
    Written only by assessments.accounts.administration, never edited."""

    council = models.ForeignKey(
        "assessments.Council", on_delete=models.PROTECT, related_name="account_events"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="account_events"
    )
    kind = models.CharField(max_length=20, choices=AccountEventKind.choices)
    role = models.CharField(max_length=20, choices=Role.choices, blank=True, default="")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["council", "-at"], name="account_event_council_at")]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.person} ({self.council})"
