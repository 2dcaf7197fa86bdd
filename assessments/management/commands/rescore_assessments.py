from django.core.management.base import BaseCommand, CommandError

from assessments.enums import FROZEN_STATUSES
from assessments.models import RuleSet, StageAssessment
from assessments.rulesets import drafting
from assessments.scoring import snapshots as scoring


class Command(BaseCommand):
    help = (
        "Deliberately re-score open assessments with a rule-set version (default: the latest). "
        "Signed-off and superseded assessments always keep the scores they were signed off with."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--rule-set", dest="version", help="Rule-set version to use (default: latest)"
        )
        parser.add_argument(
            "--assessment", type=int, action="append", help="Only this assessment id (repeatable)"
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Report what would change without saving"
        )

    def handle(self, *args, version=None, assessment=None, dry_run=False, **options):
        try:
            rule_set = (
                RuleSet.objects.published().get(version=version)
                if version
                else scoring.current_rule_set()
            )
        except RuleSet.DoesNotExist as exc:
            raise CommandError(f"There is no published rule set version {version}.") from exc
        targets = StageAssessment.objects.exclude(status__in=FROZEN_STATUSES).select_related(
            "stage", "rule_set"
        )
        if assessment:
            targets = targets.filter(pk__in=assessment)
        changed = 0
        for item in targets:
            before = item.overall_rating
            was = item.rule_set.version if item.rule_set else "-"
            if dry_run:
                after = str(scoring.evaluate(item, rule_set).overall_harm_rag)
            elif item.rule_set_id == rule_set.pk:
                after = str(scoring.rescore_with(item, rule_set).overall_harm_rag)
            else:
                # Moving onto another version is recorded in the assessment's timeline.
                drafting.move_onto(rule_set, by=None, assessment_ids=[item.pk])
                item.refresh_from_db()
                after = item.overall_rating
            changed += before != after
            self.stdout.write(
                f"{item}: rule set v{was} → v{rule_set.version}; overall {before or '-'} → {after}"
            )
        self.stdout.write(
            f"{targets.count()} assessment(s) {'checked' if dry_run else 're-scored'}; {changed} overall rating(s) changed."
        )
