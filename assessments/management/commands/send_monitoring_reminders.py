from django.core.management.base import BaseCommand

from assessments.monitoring.reminders import send_monitoring_reminders


class Command(BaseCommand):
    help = (
        "Email each outcome indicator's owner once when a measurement falls due and once when "
        "it is overdue, and re-score open operation and evaluation stages so the overdue "
        "monitoring flag (F9) matches today. Run daily; a reminder already sent is never sent "
        "again."
    )

    def handle(self, *args, **options):
        sent = send_monitoring_reminders()
        self.stdout.write(
            f"Monitoring reminders queued: {sent.due} due soon, {sent.overdue} overdue; "
            f"{sent.rescored} stage assessments re-scored."
        )
