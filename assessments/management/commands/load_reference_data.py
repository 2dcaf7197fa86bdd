from django.core.management.base import BaseCommand, CommandError

from assessments.dataops.reference_data import ReferenceDataError, load_reference_data


class Command(BaseCommand):
    help = "Load councils, stages, population groups, determinants, question banks and rule sets (idempotent)."

    def handle(self, *args, **options):
        try:
            report = load_reference_data()
        except ReferenceDataError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(report.summary())
