import json

from django.core.management.base import BaseCommand, CommandError

from assessments.transfer import TransferError, import_project


class Command(BaseCommand):
    help = "Recreate a project from a file written by export_project (reference data must already be loaded)."

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file, **options):
        try:
            with open(file, encoding="utf-8") as fh:
                document = json.load(fh)
            project = import_project(document)
        except (OSError, ValueError, KeyError, TransferError) as exc:
            raise CommandError(f"Import failed: {exc}") from exc
        self.stdout.write(f"Imported {project} as project {project.pk}.")
