from django.conf import settings
from django.db import models

from assessments.enums import REGIONAL_ROLES, Role
from assessments.models.base import TimeStamped


class Membership(TimeStamped):
    """A user's role in one council. The regional roles have no council: programme office viewers
    see every council's portfolio, read-only; methodology owners draft and publish the method."""

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
                condition=models.Q(council__isnull=False)
                | models.Q(role__in=sorted(REGIONAL_ROLES)),
                name="membership_council_required_except_regional",
            ),
        ]

    def __str__(self):
        where = self.council.name if self.council is not None else "all councils"
        return f"{self.user} – {self.get_role_display()} ({where})"
