from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from assessments.dataops.backup import BackupError, restore


class Command(BaseCommand):
    help = "Load a file written by `manage.py backup` into an empty, migrated database (run `migrate` first)."

    def add_arguments(self, parser):
        parser.add_argument("path", help="Backup file written by manage.py backup")
        parser.add_argument(
            "--flush",
            action="store_true",
            help="Delete everything already in this database first (irreversible)",
        )

    def handle(self, *args, path, flush=False, **options):
        try:
            report = restore(Path(path), flush=flush)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"Restored {report.summary()}"))
