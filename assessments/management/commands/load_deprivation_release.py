from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from assessments.place.releases import ReleaseFileError, load_release


class Command(BaseCommand):
    help = (
        "Load a later deprivation release (a new SIMD) beside SIMD 2020v2, from a CSV file with "
        "the same columns as fixtures/place/datazones.csv.gz. Checked first; nothing is stored "
        "unless every row is good."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="CSV file (plain or .gz)")
        parser.add_argument("--label", required=True, help='Its name, e.g. "SIMD 2026"')
        parser.add_argument("--year", required=True, type=int, help="Year of publication")

    def handle(self, *args, file: Path, label: str, year: int, **options):
        try:
            report = load_release(file.read_bytes(), label=label, year=year)
        except OSError as exc:
            raise CommandError(f"Cannot read {file}: {exc}") from exc
        except ReleaseFileError as exc:
            raise CommandError(
                "The release was not loaded:\n" + "\n".join(f"  {p}" for p in exc.problems)
            ) from exc
        self.stdout.write(report.summary())
