from django.core.management.base import BaseCommand

from assessments.place.loading import load_place_data


class Command(BaseCommand):
    help = "Load the SIMD 2020v2 data zones, geography and postcode lookup for Glasgow City Region (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="Reload even if this version is already loaded"
        )

    def handle(self, *args, force=False, **options):
        self.stdout.write(load_place_data(force=force).summary())
