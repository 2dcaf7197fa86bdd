import json

from django.core.management.base import BaseCommand, CommandError
from django.core.serializers.json import DjangoJSONEncoder

from assessments.dataops.transfer import export_project
from assessments.models import CapitalProject


class Command(BaseCommand):
    help = (
        "Write one project, with everything recorded about it, as a JSON file for import_project."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "project", help="Project id, or COUNCIL_CODE:REFERENCE (e.g. S12000049:GCC-HR-014)"
        )
        parser.add_argument("-o", "--output", help="File to write (default: standard output)")

    def handle(self, *args, project, output=None, **options):
        try:
            if ":" in project:
                council, reference = project.split(":", 1)
                found = CapitalProject.objects.get(council__code=council, reference=reference)
            else:
                found = CapitalProject.objects.get(pk=int(project))
        except (CapitalProject.DoesNotExist, ValueError):
            raise CommandError(f"No project {project}.") from None
        text = json.dumps(
            export_project(found), cls=DjangoJSONEncoder, indent=1, ensure_ascii=False
        )
        if output:
            with open(output, "w", encoding="utf-8") as fh:
                fh.write(text)
            self.stdout.write(f"Wrote {found} to {output}.")
        else:
            self.stdout.write(text)
