"""Loading a later deprivation release (a new SIMD) beside the baseline SIMD 2020v2.

The file has the same columns as the vendored data zone file (fixtures/place/datazones.csv.gz,
plain or gzip-compressed; columns it does not need are ignored). It is checked like form input
before anything is stored: every row must name a data zone the site knows, once, with whole
numbers and ranks in range, and the file must cover every known zone. Any problem refuses the
whole file with a per-row report; a good file is stored in one transaction as its own release,
leaving the baseline and every other release as they were.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import transaction

from assessments.models import DataZone, DeprivationFigure, DeprivationRelease

SCOTLAND_ZONES = 6976
DOMAIN_COLUMNS = {
    "income_rank": "income_domain_rank",
    "employment_rank": "employment_domain_rank",
    "health_rank": "health_domain_rank",
    "education_rank": "education_domain_rank",
    "access_rank": "access_domain_rank",
    "crime_rank": "crime_domain_rank",
    "housing_rank": "housing_domain_rank",
}
REQUIRED_COLUMNS = (
    "dz_code",
    "total_population",
    "simd_rank",
    "simd_decile",
    "simd_quintile",
    *DOMAIN_COLUMNS.values(),
    "most_deprived_15pc",
)
MAX_PROBLEMS_SHOWN = 50


class ReleaseFileError(Exception):
    """The file was refused; `problems` says why, row by row."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems[:3]))
        self.problems = problems


@dataclass
class ReleaseLoadReport:
    release: DeprivationRelease
    loaded: bool
    notes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        what = "loaded" if self.loaded else "already loaded, nothing to do"
        return f"{self.release.label} {what}: {self.release.data_zones} data zones."


def _text(raw: bytes) -> str:
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    return raw.decode("utf-8-sig")


def _whole(value: str, low: int, high: int) -> int | None:
    try:
        number = int(value.strip())
    except ValueError:
        return None
    return number if low <= number <= high else None


def _rank(value: str) -> Decimal | None:
    try:
        number = Decimal(value.strip())
    except InvalidOperation:
        return None
    if not number.is_finite() or not 1 <= number <= SCOTLAND_ZONES:
        return None
    return number.quantize(Decimal("0.1"))


def _check_row(row: dict, known: set[str]) -> tuple[dict | None, list[str]]:
    """One row -> the figure's fields, or the reasons it cannot be used."""
    problems = []
    code = (row.get("dz_code") or "").strip()
    if code not in known:
        problems.append(f"data zone {code or '(blank)'} is not one of this site's data zones")
    values: dict = {"zone_code": code}
    checks = {
        "population": ("total_population", 0, 100_000, "a whole number of residents"),
        "simd_rank": ("simd_rank", 1, SCOTLAND_ZONES, f"a whole number from 1 to {SCOTLAND_ZONES}"),
        "decile": ("simd_decile", 1, 10, "a whole number from 1 to 10"),
        "quintile": ("simd_quintile", 1, 5, "a whole number from 1 to 5"),
    }
    for name, (column, low, high, wanted) in checks.items():
        values[name] = _whole(row.get(column) or "", low, high)
        if values[name] is None:
            problems.append(f"{column} is {row.get(column)!r}, not {wanted}")
    for name, column in DOMAIN_COLUMNS.items():
        values[name] = _rank(row.get(column) or "")
        if values[name] is None:
            problems.append(
                f"{column} is {row.get(column)!r}, not a rank from 1 to {SCOTLAND_ZONES}"
            )
    flag = (row.get("most_deprived_15pc") or "").strip()
    if flag not in {"0", "1"}:
        problems.append(f"most_deprived_15pc is {flag!r}, not 0 or 1")
    values["most_deprived_15pc"] = flag == "1"
    if (
        values["decile"]
        and values["quintile"]
        and (values["decile"] + 1) // 2 != values["quintile"]
    ):
        problems.append(f"decile {values['decile']} does not fall in quintile {values['quintile']}")
    return (None if problems else values), problems


def check_release_file(raw: bytes) -> list[dict]:
    """Every row's figures, or ReleaseFileError listing every problem (line numbers as a
    spreadsheet shows them, the header being line 1)."""
    try:
        reader = csv.DictReader(io.StringIO(_text(raw)))
        header = reader.fieldnames or []
    except (UnicodeDecodeError, OSError, EOFError, csv.Error) as exc:
        raise ReleaseFileError([f"The file is not a readable CSV file ({exc})."]) from exc
    missing = [column for column in REQUIRED_COLUMNS if column not in header]
    if missing:
        raise ReleaseFileError([f"The file has no column {column}." for column in missing])
    known = set(DataZone.objects.values_list("code", flat=True))
    if not known:
        raise ReleaseFileError(["Load the baseline place data (load_place_data) first."])
    figures: list[dict] = []
    problems: list[str] = []
    seen: dict[str, int] = {}
    for line, row in enumerate(reader, start=2):
        values, row_problems = _check_row(row, known)
        code = (row.get("dz_code") or "").strip()
        if code in seen:
            row_problems.append(f"data zone {code} is listed again (first on line {seen[code]})")
        seen.setdefault(code, line)
        problems += [f"Line {line}: {problem}." for problem in row_problems]
        if values and not row_problems:
            figures.append(values)
    absent = sorted(known - set(seen))
    if absent:
        problems.append(
            f"{len(absent)} of this site's data zones are missing from the file, "
            f"for example {', '.join(absent[:5])}."
        )
    if problems:
        shown = problems[:MAX_PROBLEMS_SHOWN]
        if len(problems) > MAX_PROBLEMS_SHOWN:
            shown.append(f"… and {len(problems) - MAX_PROBLEMS_SHOWN} more problems.")
        raise ReleaseFileError(shown)
    return figures


def load_release(raw: bytes, *, label: str, year: int) -> ReleaseLoadReport:
    """Store a checked release file as the release `label`. The same file again does nothing;
    a different file under a label already used is refused (a correction is a new release)."""
    label = label.strip()
    if not label:
        raise ReleaseFileError(["Give the release a name, for example “SIMD 2026”."])
    if not 2000 <= year <= 2100:
        raise ReleaseFileError([f"The year {year} is not a publication year (2000 to 2100)."])
    digest = hashlib.sha256(raw).hexdigest()
    same_file = DeprivationRelease.objects.filter(content_sha256=digest).first()
    if same_file:
        return ReleaseLoadReport(same_file, loaded=False)
    if DeprivationRelease.objects.filter(label=label).exists():
        raise ReleaseFileError(
            [f"A different file is already loaded as {label}. Load a correction under a new name."]
        )
    figures = check_release_file(raw)
    with transaction.atomic():
        release = DeprivationRelease.objects.create(
            label=label, year=year, content_sha256=digest, data_zones=len(figures)
        )
        DeprivationFigure.objects.bulk_create(
            [DeprivationFigure(release=release, **values) for values in figures], batch_size=1000
        )
    return ReleaseLoadReport(release, loaded=True)
