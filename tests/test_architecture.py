"""The rules modules must stay pure: no Django, no app imports, standard library only.
rules.py may import its one sibling, rules_schema.py, which obeys the same rules."""

import ast
import sys
from pathlib import Path

import pytest

APP = Path(__file__).resolve().parents[1] / "assessments"
RULES = APP / "rules.py"
RULES_SCHEMA = APP / "rules_schema.py"
PURE_MODULES = [RULES, RULES_SCHEMA]
# The only app import allowed anywhere in them: rules.py reading its own shapes.
PURE_SIBLING = "rules_schema"
FORBIDDEN_ROOTS = {"django", "assessments"}
DYNAMIC_IMPORTERS = {"__import__", "import_module"}


def imported_roots(source: str) -> list[tuple[int, str]]:
    """(line, top-level module) for every import anywhere in the source, including nested ones;
    relative imports are reported as '.'."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name.split(".")[0]) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level == 1 and node.module == PURE_SIBLING:
                continue
            found.append((node.lineno, "." if node.level else node.module.split(".")[0]))
    return found


def import_violations(source: str) -> list[str]:
    problems = [
        f"line {line}: imports {root}"
        for line, root in imported_roots(source)
        if root in FORBIDDEN_ROOTS or root == "."
    ]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call):
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name in DYNAMIC_IMPORTERS:
                problems.append(f"line {node.lineno}: dynamic import via {name}")
    return problems


@pytest.mark.parametrize("module", PURE_MODULES, ids=lambda path: path.name)
def test_rules_modules_do_not_import_django_or_the_app(module):
    assert import_violations(module.read_text()) == []


@pytest.mark.parametrize("module", PURE_MODULES, ids=lambda path: path.name)
def test_rules_modules_use_only_the_standard_library(module):
    roots = imported_roots(module.read_text())
    assert roots, "expected the module to import something from the standard library"
    assert [(line, root) for line, root in roots if root not in sys.stdlib_module_names] == []


def test_the_sibling_exception_is_exactly_rules_schema():
    assert import_violations("from .rules_schema import RuleSet") == []
    assert import_violations("from .rules_schema_extra import RuleSet") != []
    assert import_violations("from ..rules_schema import RuleSet") != []


@pytest.mark.parametrize(
    "source",
    [
        "import django",
        "from django.db import models",
        "import django.conf as conf",
        "import assessments.models",
        "from assessments import enums",
        "from . import enums",
        "from .models import Answer",
        "from .. import chiia",
        "def later():\n    from django.utils import timezone\n",
        "if False:\n    import assessments\n",
        "models = __import__('django.db')",
        "import importlib\nmod = importlib.import_module('assessments.models')",
    ],
)
def test_checker_catches_forbidden_imports(source):
    assert import_violations(source) != []


@pytest.mark.parametrize(
    "source",
    [
        "import decimal",
        "from dataclasses import dataclass",
        "from collections.abc import Mapping",
        "import djangoish",
        "from assessments_extra import x",
    ],
)
def test_checker_allows_other_imports(source):
    assert import_violations(source) == []
