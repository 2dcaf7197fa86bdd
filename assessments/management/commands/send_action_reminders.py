from django.core.management.base import BaseCommand

from assessments.review.reminders import send_action_reminders


class Command(BaseCommand):
    help = (
        "Email action owners once before an action's due date (CHIIA_ACTION_REMINDER_DAYS ahead) "
        "and once after it passes. Run daily; a reminder already sent is never sent again."
    )

    def handle(self, *args, **options):
        sent = send_action_reminders()
        self.stdout.write(f"Reminders queued: {sent.before} due soon, {sent.after} overdue.")
