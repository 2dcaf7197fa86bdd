"""Personal API tokens: a signed-in user creates one in CHIIA to let a tool such as Power BI
read the API as them. Only a digest of the secret is stored; the secret is shown once."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100, help_text="What the token is for, e.g. Power BI")
    # The first part of the token as typed, stored in clear to find the row without scanning
    # every digest; the rest of the token is the secret, of which only the SHA-256 is kept.
    prefix = models.CharField(max_length=16, unique=True)
    digest = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    def is_usable_at(self, moment) -> bool:
        return self.revoked_at is None and self.expires_at > moment

    @property
    def is_usable(self) -> bool:
        return self.is_usable_at(timezone.now())
