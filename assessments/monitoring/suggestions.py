"""Suggested indicators per determinant, shipped as data (fixtures/indicator_suggestions_v*.json).

They are starting points copied into a project's own indicators, so they are upserted by code
rather than frozen per version: changing a suggestion changes no project's indicator. Each file
is checked whole before anything is written.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from django.db import transaction

from assessments.models import Determinant, IndicatorSuggestion
from assessments.models.monitoring import GoodDirection, IndicatorUnit, MeasurementFrequency

FIELDS = ("name", "definition", "unit", "good_direction", "data_source", "population", "frequency")
CHOICES = {
    "unit": set(IndicatorUnit.values),
    "good_direction": set(GoodDirection.values),
    "frequency": set(MeasurementFrequency.values),
}


class SuggestionFileError(ValueError):
    pass


def _version_key(path: Path) -> int:
    match = re.search(r"_v(\d+)\.json$", path.name)
    return int(match.group(1)) if match else 0


def check_rows(rows: list[dict], determinant_codes: set[str]) -> list[str]:
    """Every problem in a file's suggestions, as sentences naming the suggestion's code."""
    problems = []
    seen: set[str] = set()
    for row in rows:
        code = row.get("code", "?")
        if code in seen:
            problems.append(f"{code}: the code is used twice")
        seen.add(code)
        if row.get("determinant") not in determinant_codes:
            problems.append(f"{code}: unknown determinant {row.get('determinant')!r}")
        for name in FIELDS:
            if not str(row.get(name, "")).strip():
                problems.append(f"{code}: {name} is missing")
        for name, allowed in CHOICES.items():
            if row.get(name) not in allowed:
                problems.append(f"{code}: {name} must be one of {sorted(allowed)}")
    return problems


@transaction.atomic
def load_indicator_suggestions(directory: Path) -> int:
    """Load every suggestions file in version order; returns how many suggestions were new."""
    determinants = {d.code: d for d in Determinant.objects.all()}
    created = 0
    for path in sorted(directory.glob("indicator_suggestions_v*.json"), key=_version_key):
        data = json.loads(path.read_text(encoding="utf-8"))
        rows = data["suggestions"]
        problems = check_rows(rows, set(determinants))
        if problems:
            raise SuggestionFileError(f"{path.name}: " + "; ".join(problems))
        for order, row in enumerate(rows, start=1):
            _, made = IndicatorSuggestion.objects.update_or_create(
                code=row["code"],
                defaults={
                    **{name: row[name] for name in FIELDS},
                    "determinant": determinants[row["determinant"]],
                    "version": str(data["version"]),
                    "order": order,
                },
            )
            created += made
    return created
