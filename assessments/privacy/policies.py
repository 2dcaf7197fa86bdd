"""Published retention rule versions, loaded like the rule sets: a version is stored once and never
changes; a fixture edited after its version was loaded is refused, so every retention run can
name exactly the rules it applied."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

from django.conf import settings

from assessments.models import RetentionPolicy
from assessments.privacy import rules


def load_retention_policies(directory: Path | None = None) -> int:
    """Store each retention_v*.json not yet loaded; returns how many were new."""
    directory = Path(directory or settings.CHIIA_REFERENCE_DIR)
    created = 0
    for path in sorted(directory.glob("retention_v*.json"), key=rules.version_key):
        data = json.loads(path.read_bytes())
        version, rows = str(data["version"]), data["rules"]
        rules.parse_rules(rows)
        existing = RetentionPolicy.objects.filter(version=version).first()
        if existing is not None:
            if existing.content_sha256 != rules.digest(rows):
                raise rules.RetentionRulesError(
                    f"Retention rules v{version} in fixtures differ from the ones already loaded. "
                    "Published versions never change: save the new schedule as a new version file."
                )
            continue
        RetentionPolicy.objects.create(
            version=version,
            published=datetime.date.fromisoformat(data["published"]),
            notes=data.get("notes", ""),
            rules=rows,
            content_sha256=rules.digest(rows),
        )
        created += 1
    return created


def current_policy() -> RetentionPolicy:
    """The newest published version (loaded from fixtures on first use if none is stored)."""
    policy = RetentionPolicy.objects.order_by("-published", "-id").first()
    if policy is None:
        load_retention_policies()
        policy = RetentionPolicy.objects.order_by("-published", "-id").first()
    if policy is None:
        raise rules.RetentionRulesError("No retention rules are published.")
    return policy


def current_rules() -> tuple[RetentionPolicy, dict[str, rules.Rule]]:
    policy = current_policy()
    return policy, {rule.code: rule for rule in rules.parse_rules(policy.rules)}
