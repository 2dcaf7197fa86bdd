import time

from django.core.management.base import BaseCommand

from assessments.dataops.scale import seed_scale


class Command(BaseCommand):
    help = "Create N synthetic projects with complete, scored assessments (for load testing the dashboard)."

    def add_arguments(self, parser):
        parser.add_argument("--projects", type=int, required=True)
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, projects, seed, **options):
        started = time.monotonic()
        made = seed_scale(projects, seed=seed)
        self.stdout.write(
            f"Created {made} synthetic projects in {time.monotonic() - started:.1f} s."
        )
