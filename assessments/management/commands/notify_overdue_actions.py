from django.core.management.base import BaseCommand
from django.db import transaction

from assessments.enums import FROZEN_STATUSES
from assessments.models import StageAssessment
from assessments.review import notifications
from assessments.scoring import snapshots as scoring


class Command(BaseCommand):
    help = "Email each project's senior responsible officer about open actions past their due stage (run daily)."

    def handle(self, *args, **options):
        told = 0
        live = StageAssessment.objects.exclude(status__in=FROZEN_STATUSES).select_related(
            "project", "stage"
        )
        for assessment in live:
            overdue = list(scoring.overdue_actions(assessment))
            if overdue:
                with transaction.atomic():
                    notifications.on_overdue_actions(assessment, overdue)
                told += 1
        self.stdout.write(
            f"Overdue-action reminders sent for {told} assessment{'s' if told != 1 else ''}."
        )
