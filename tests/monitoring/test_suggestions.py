"""The suggested indicators shipped beside the question bank: checked without a database, and
loaded with the reference data."""

import json
from pathlib import Path

from assessments.models import IndicatorSuggestion
from assessments.monitoring.suggestions import check_rows

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
REFERENCE = json.loads((FIXTURES / "reference.json").read_text())
DETERMINANTS = {d["code"] for d in REFERENCE["determinants"]}


def test_every_determinant_has_at_least_two_valid_suggestions():
    for path in FIXTURES.glob("indicator_suggestions_v*.json"):
        rows = json.loads(path.read_text())["suggestions"]
        assert check_rows(rows, DETERMINANTS) == []
        for code in DETERMINANTS:
            assert sum(r["determinant"] == code for r in rows) >= 2, code


def test_a_broken_suggestion_is_named_with_its_problem():
    rows = [{"code": "X-1", "determinant": "D99", "unit": "furlongs"}]
    problems = check_rows(rows, DETERMINANTS)
    assert "X-1: unknown determinant 'D99'" in problems
    assert any(p.startswith("X-1: unit must be one of") for p in problems)
    assert "X-1: name is missing" in problems


def test_suggestions_are_loaded_with_the_reference_data(reference):
    jobs = IndicatorSuggestion.objects.get(code="D01-I1")
    assert jobs.determinant.code == "D01" and jobs.unit == "percent"
    assert "most deprived data zones" in jobs.name
