from django.conf import settings
from django.db import models

from assessments.enums import Role
from assessments.models.base import TimeStamped


class Membership(TimeStamped):
    """A user's role in one council. Regional programme office viewers have no council:
    they see every council's portfolio, read-only."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    council = models.ForeignKey(
        "assessments.Council",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    role = models.CharField(max_length=20, choices=Role.choices)

    class Meta:
        ordering = ["council__name", "role"]
        constraints = [
            models.UniqueConstraint(fields=["user", "council", "role"], name="membership_unique"),
            models.CheckConstraint(
                condition=models.Q(council__isnull=False) | models.Q(role=Role.PMO_VIEWER),
                name="membership_council_required_except_pmo",
            ),
        ]

    def __str__(self):
        where = self.council.name if self.council is not None else "all councils"
        return f"{self.user} – {self.get_role_display()} ({where})"
