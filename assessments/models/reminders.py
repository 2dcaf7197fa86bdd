"""What the daily action reminders have sent, so that a second run on the same day (or a rerun
after a failure) never emails an owner twice about the same due date."""

from django.db import models
from django.utils import timezone


class ReminderKind(models.TextChoices):
    BEFORE = "before", "Due soon"
    AFTER = "after", "Overdue"


class ActionReminder(models.Model):
    action = models.ForeignKey(
        "assessments.Action", on_delete=models.CASCADE, related_name="reminders"
    )
    kind = models.CharField(max_length=10, choices=ReminderKind.choices)
    # The due date the reminder was about: moving the date makes a new reminder due.
    due_date = models.DateField()
    sent_to = models.EmailField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["sent_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["action", "kind", "due_date"], name="one_reminder_per_due_date"
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} reminder for action {self.action_id}"
