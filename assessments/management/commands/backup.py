from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from assessments.dataops.backup import BackupError, backup, default_path


class Command(BaseCommand):
    help = (
        "Write every CHIIA record to a compressed JSON file that `manage.py restore` loads into an empty "
        "database. For production PostgreSQL use pg_dump as well (docs/deploy.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "path", nargs="?", help="Output file (.json.gz); default backups/chiia-<time>.json.gz"
        )

    def handle(self, *args, path=None, **options):
        target = Path(path) if path else default_path(Path(settings.BASE_DIR) / "backups")
        try:
            report = backup(target)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"Backed up {report.summary()}"))
