"""Shared helpers for the browser tests: demo data lookup, signing in through the form and the
axe-core accessibility check."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model

from assessments.dataops.demo import seed_demo
from assessments.models import CapitalProject, StageAssessment

AXE_JS = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
# WCAG 2.2 level A and AA, including the success criteria added in 2.1 and 2.2.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]


@dataclass
class Demo:
    """The demo data set (manage.py seed_demo), looked up by the names people see."""

    def user(self, username: str):
        return get_user_model().objects.get(username=username)

    def project(self, reference: str = "GCC-HR-014") -> CapitalProject:
        return CapitalProject.objects.get(reference=reference)

    def assessment(self, reference: str = "GCC-HR-014") -> StageAssessment:
        return StageAssessment.objects.filter(project__reference=reference).latest("created_at")

    def indicator(self, name: str = "Adults meeting physical activity guidance"):
        from assessments.models import Indicator

        return Indicator.objects.get(project__reference="GCC-SH-007", name=name)


def seed() -> Demo:
    seed_demo()
    return Demo()


@cache
def axe_source() -> str:
    if not AXE_JS.exists():
        raise FileNotFoundError(
            f"{AXE_JS} is missing: run `make install` (npm ci installs axe-core)"
        )
    return AXE_JS.read_text(encoding="utf-8")


def axe_violations(page) -> list[dict]:
    """Run axe-core in the page; return its WCAG 2.2 A/AA violations.

    The script is evaluated through the DevTools protocol, which the page's CSP does not
    govern, so the site's strict policy stays on while axe runs."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(axe_source())
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        AXE_TAGS,
    )
    return result["violations"]


def describe_violations(where: str, violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        targets = [json.dumps(node["target"]) for node in violation["nodes"][:5]]
        lines.append(
            f"{where}: {violation['id']} ({violation['impact']}): {violation['help']}\n"
            f"    {violation['helpUrl']}\n    at " + "\n    at ".join(targets)
        )
        for node in violation["nodes"][:2]:
            lines.append("    " + node.get("failureSummary", "").replace("\n", "\n    "))
    return "\n".join(lines)


def fill_login_form(page, username: str, password: str):
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
