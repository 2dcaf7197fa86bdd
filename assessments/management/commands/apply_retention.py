from django.core.management.base import BaseCommand, CommandError

from assessments.privacy import rules
from assessments.privacy.retention import apply_retention


class Command(BaseCommand):
    help = (
        "Apply the published retention rules: delete or anonymise what has passed its period "
        "(run daily). --dry-run only reports what would change. Each run is recorded."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Report what would change; change nothing."
        )

    def handle(self, *args, dry_run=False, **options):
        try:
            event = apply_retention(dry_run=dry_run)
        except rules.RetentionRulesError as exc:
            raise CommandError(str(exc)) from exc
        verb = "would change" if dry_run else "changed"
        self.stdout.write(f"Retention rules v{event.policy_version} {verb}:")
        for code, count in event.counts.items():
            self.stdout.write(f"  {code}: {count}")
