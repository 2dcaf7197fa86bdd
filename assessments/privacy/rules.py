"""The retention rules as published data (fixtures/retention_v*.json): what a version may say and
how its content is fingerprinted. Pure Python, like the scoring rules; privacy.policies loads and
stores the versions."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

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


def digest(rows: list[dict]) -> str:
    return hashlib.sha256(json.dumps(rows, sort_keys=True).encode()).hexdigest()


def version_key(path: Path) -> int:
    match = re.search(r"_v(\d+)\.json$", path.name)
    return int(match.group(1)) if match else 0
