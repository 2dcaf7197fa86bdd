"""Loading the versioned reference data in fixtures/ into the database.

Councils, stages, population groups and determinants are upserted by code. Question banks
and rule sets are versioned: a version is loaded once, and a fixture whose content changed
after its version was loaded is refused, because assessments answered against that version
must keep exactly the questions and rules they were answered against.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import F

from assessments.models import (
    Council,
    Determinant,
    LifecycleStage,
    PopulationGroup,
    Question,
    QuestionBank,
    RuleSet,
    StageAssessment,
)
from assessments.monitoring.suggestions import load_indicator_suggestions
from assessments.placestandard.themes import load_place_standard_themes
from assessments.privacy.policies import load_retention_policies


class ReferenceDataError(Exception):
    pass


@dataclass
class LoadReport:
    created: dict[str, int] = field(default_factory=dict)
    unchanged_versions: list[str] = field(default_factory=list)

    def count(self, name: str, created: bool) -> None:
        if created:
            self.created[name] = self.created.get(name, 0) + 1

    def summary(self) -> str:
        made = ", ".join(f"{n} {name}" for name, n in sorted(self.created.items())) or "nothing new"
        return f"Reference data loaded: {made}."


def _version_key(path: Path) -> int:
    match = re.search(r"_v(\d+)\.json$", path.name)
    return int(match.group(1)) if match else 0


def _read(path: Path) -> tuple[dict, str]:
    raw = path.read_bytes()
    return json.loads(raw), hashlib.sha256(raw).hexdigest()


def _content_hash(data) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


@transaction.atomic
def load_reference_data(directory: Path | None = None) -> LoadReport:
    directory = Path(directory or settings.CHIIA_REFERENCE_DIR)
    report = LoadReport()
    reference, _ = _read(directory / "reference.json")
    _load_core(reference, report)
    for path in sorted(directory.glob("question_bank_v*.json"), key=_version_key):
        _load_question_bank(*_read(path), report)
    for path in sorted(directory.glob("ruleset_v*.json"), key=_version_key):
        _load_rule_set(_read(path)[0], report)
    report.count("retention rule versions", bool(load_retention_policies(directory)))
    if new_suggestions := load_indicator_suggestions(directory):
        report.created["suggested indicators"] = new_suggestions
    report.count("sets of 14 Place Standard themes", bool(load_place_standard_themes(directory)))
    return report


def _load_core(reference: dict, report: LoadReport) -> None:
    for row in reference["councils"]:
        _, created = Council.objects.update_or_create(
            code=row["code"],
            defaults={"name": row["name"], "short_name": row.get("short_name", "")},
        )
        report.count("councils", created)
    for row in reference["stages"]:
        _, created = LifecycleStage.objects.update_or_create(
            code=row["code"],
            defaults={
                "order": row["order"],
                "name": row["name"],
                "stage_group": row["stage_group"],
                "decision_gated": row["decision_gated"],
                "chia_activity": row.get("chia_activity", ""),
                "equivalents": row.get("equivalents", ""),
            },
        )
        report.count("stages", created)
    for order, row in enumerate(reference["population_groups"], start=1):
        _, created = PopulationGroup.objects.update_or_create(
            code=row["code"],
            defaults={
                "category": row["category"],
                "name": row["name"],
                "description": row.get("description", ""),
                "duties": row.get("duties", []),
                "order": row.get("order", order),
            },
        )
        report.count("population groups", created)
    for order, row in enumerate(reference["determinants"], start=1):
        _, created = Determinant.objects.update_or_create(
            code=row["code"],
            defaults={
                "name": row["name"],
                "plain_name": row.get("plain_name", ""),
                "description": row.get("description", ""),
                "place_based": row.get("place_based", False),
                "order": row.get("order", order),
            },
        )
        report.count("determinants", created)
    # Group and determinant names may have changed: every assessment page's cached score tables
    # show them (StageAssessment.cache_version).
    StageAssessment.objects.update(cache_version=F("cache_version") + 1)


def _load_question_bank(data: dict, file_hash: str, report: LoadReport) -> None:
    version = str(data["version"])
    digest = _content_hash(data["questions"])
    existing = QuestionBank.objects.filter(version=version).first()
    if existing is not None:
        if existing.content_sha256 != digest:
            raise ReferenceDataError(
                f"Question bank v{version} in fixtures differs from the one already loaded. "
                "Published versions never change: save the edited bank as a new version file."
            )
        report.unchanged_versions.append(f"question bank v{version}")
        return
    bank = QuestionBank.objects.create(
        version=version,
        title=data.get("title", "CHIIA question bank"),
        published=datetime.date.fromisoformat(data["published"]),
        notes=data.get("notes", ""),
        content_sha256=digest,
    )
    determinants = {d.code: d for d in Determinant.objects.all()}
    Question.objects.bulk_create(
        Question(
            bank=bank,
            code=row["code"],
            determinant=determinants[row["determinant"]],
            stage_group=row["stage_group"],
            order=row.get("order", 0),
            text=row["text"],
            guidance=row.get("guidance", ""),
            duties=row.get("duties", []),
            required=row.get("required", True),
            hidden_stages=row.get("hidden_stages", []),
        )
        for row in data["questions"]
    )
    report.count("question banks", True)
    report.created["questions"] = report.created.get("questions", 0) + len(data["questions"])


def _load_rule_set(data: dict, report: LoadReport) -> None:
    from assessments.scoring import schema

    version = str(data["version"])
    # Validate before storing: a broken rule set must never reach the scoring code.
    schema.RuleSet.from_mapping({**data["parameters"], "version": version})
    existing = RuleSet.objects.filter(version=version).first()
    if existing is not None:
        if existing.is_draft:
            raise ReferenceDataError(
                f"Rule set v{version} in fixtures has the number of a draft made in CHIIA. "
                "Give the fixture the next free version number."
            )
        if _content_hash(existing.parameters) != _content_hash(data["parameters"]):
            raise ReferenceDataError(
                f"Rule set v{version} in fixtures differs from the one already loaded. "
                "Publish changed thresholds as a new rule-set version."
            )
        report.unchanged_versions.append(f"rule set v{version}")
        return
    RuleSet.objects.create(
        version=version,
        published=datetime.date.fromisoformat(data["published"]),
        notes=data.get("notes", ""),
        parameters=data["parameters"],
    )
    report.count("rule sets", True)
