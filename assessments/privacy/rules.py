"""The retention rules as published data (fixtures/retention_v*.json), loaded like the rule sets:
a version is stored once and never changes; a fixture edited after its version was loaded is
refused, so every retention run can name exactly the rules it applied."""

from __future__ import annotations

import datetime
import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from assessments.models import RetentionPolicy

# The rules CHIIA knows how to apply (privacy.retention.HANDLERS); a fixture naming anything
# else is refused rather than silently ignored.
KNOWN_RULES = (
    "sign_in_records",
    "sessions",
    "deactivated_accounts",
    "panel_comment_identities",
    "delivered_emails",
    "download_log",
)
ACTIONS = ("delete", "anonymise")


class RetentionRulesError(Exception):
    pass


@dataclass(frozen=True)
class Rule:
    code: str
    days: int
    action: str
    what: str
    why: str

    @property
    def period(self) -> str:
        """The period as people say it: "90 days", "12 months", "2 years"."""
        if self.days % 365 == 0:
            years = self.days // 365
            return "1 year" if years == 1 else f"{years} years"
        if self.days % 30 == 0 and self.days >= 60:
            return f"{self.days // 30} months"
        return "1 day" if self.days == 1 else f"{self.days} days"


def parse_rules(rows: list[dict]) -> list[Rule]:
    rules, problems = [], []
    for row in rows:
        code = row.get("code")
        days = row.get("days")
        if code not in KNOWN_RULES:
            problems.append(f"unknown rule {code!r}")
        elif not isinstance(days, int) or isinstance(days, bool) or days < 1:
            problems.append(f"{code}: days must be a whole number of at least 1")
        elif row.get("action") not in ACTIONS:
            problems.append(f"{code}: action must be one of {', '.join(ACTIONS)}")
        else:
            rules.append(Rule(code, days, row["action"], row.get("what", ""), row.get("why", "")))
    missing = set(KNOWN_RULES) - {rule.code for rule in rules}
    if missing and not problems:
        problems.append(f"no period for {', '.join(sorted(missing))}")
    if problems:
        raise RetentionRulesError("Retention rules refused: " + "; ".join(problems))
    return rules


def _digest(rows: list[dict]) -> str:
    return hashlib.sha256(json.dumps(rows, sort_keys=True).encode()).hexdigest()


def _version_key(path: Path) -> int:
    match = re.search(r"_v(\d+)\.json$", path.name)
    return int(match.group(1)) if match else 0


def load_retention_policies(directory: Path | None = None) -> int:
    """Store each retention_v*.json not yet loaded; returns how many were new."""
    directory = Path(directory or settings.CHIIA_REFERENCE_DIR)
    created = 0
    for path in sorted(directory.glob("retention_v*.json"), key=_version_key):
        data = json.loads(path.read_bytes())
        version, rows = str(data["version"]), data["rules"]
        parse_rules(rows)
        existing = RetentionPolicy.objects.filter(version=version).first()
        if existing is not None:
            if existing.content_sha256 != _digest(rows):
                raise RetentionRulesError(
                    f"Retention rules v{version} in fixtures differ from the ones already loaded. "
                    "Published versions never change: save the new schedule as a new version file."
                )
            continue
        RetentionPolicy.objects.create(
            version=version,
            published=datetime.date.fromisoformat(data["published"]),
            notes=data.get("notes", ""),
            rules=rows,
            content_sha256=_digest(rows),
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
        raise RetentionRulesError("No retention rules are published.")
    return policy


def current_rules() -> tuple[RetentionPolicy, dict[str, Rule]]:
    policy = current_policy()
    return policy, {rule.code: rule for rule in parse_rules(policy.rules)}
