"""Checks on the reference-data fixtures (pure pytest: no database, no Django)."""

import json
import re
from collections import Counter
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"

GCR_COUNCILS = {
    "S12000045": "East Dunbartonshire",
    "S12000011": "East Renfrewshire",
    "S12000049": "Glasgow City",
    "S12000018": "Inverclyde",
    "S12000050": "North Lanarkshire",
    "S12000038": "Renfrewshire",
    "S12000029": "South Lanarkshire",
    "S12000039": "West Dunbartonshire",
}
STAGE_GROUPS = {
    "STRATEGIC": "E",
    "SBC": "E",
    "OBC": "D",
    "FBC": "D",
    "DELIVERY": "C",
    "OPERATION": "O",
    "EVALUATION": "O",
}
STAGE_ORDER = ["STRATEGIC", "SBC", "OBC", "FBC", "DELIVERY", "OPERATION", "EVALUATION"]
DUTY_CODES = {"EqIA", "FSD", "CRWIA", "HIA", "EIA", "SEA", "STAG", "ICIA"}
PLACE_BASED = {"D02", "D03", "D04", "D05", "D06", "D07", "D08"}
DETERMINANTS = [f"D{i:02d}" for i in range(1, 13)]
MAX_TEXT = 250
MAX_GUIDANCE = 600


@pytest.fixture(scope="module")
def ref():
    with open(FIXTURES / "reference.json", encoding="utf-8") as f:
        return json.load(f)


@pytest.fixture(scope="module")
def bank():
    with open(FIXTURES / "question_bank_v1.json", encoding="utf-8") as f:
        return json.load(f)


@pytest.fixture(scope="module")
def groups_by_stage(ref):
    out = {}
    for s in ref["stages"]:
        out.setdefault(s["stage_group"], set()).add(s["code"])
    return out


# ------------------------------------------------------------------ reference.json


def test_reference_version(ref):
    assert ref["version"] == "1"


def test_councils(ref):
    councils = ref["councils"]
    assert len(councils) == 8
    for c in councils:
        # 2019 council area codes are "S12" + 6 digits (9 characters), e.g. S12000049
        assert re.fullmatch(r"S12\d{6}", c["code"]), c
        assert c["short_name"].strip()
    assert {c["name"] for c in councils} == set(GCR_COUNCILS.values())
    assert {c["code"]: c["name"] for c in councils} == GCR_COUNCILS


def test_stages(ref):
    stages = sorted(ref["stages"], key=lambda s: s["order"])
    assert len(stages) == 7
    assert [s["order"] for s in stages] == list(range(7))
    assert [s["code"] for s in stages] == STAGE_ORDER
    for s in stages:
        assert s["stage_group"] == STAGE_GROUPS[s["code"]], s["code"]
        for key in ("name", "decision_gated", "chia_activity", "equivalents"):
            assert s[key].strip(), (s["code"], key)


def test_duties(ref):
    codes = [d["code"] for d in ref["duties"]]
    assert len(codes) == len(set(codes))
    assert set(codes) == DUTY_CODES
    assert all(d["name"].strip() for d in ref["duties"])


def test_population_groups(ref):
    duty_codes = {d["code"] for d in ref["duties"]}
    cats = ref["population_group_categories"]
    cat_codes = [c["code"] for c in cats]
    assert sorted(cat_codes) == ["OG", "PC", "RB", "SE"]
    assert all(c["duty"] in duty_codes for c in cats)

    groups = ref["population_groups"]
    codes = [g["code"] for g in groups]
    assert len(codes) == len(set(codes)), [c for c, n in Counter(codes).items() if n > 1]
    orders = [g["order"] for g in groups]
    assert len(orders) == len(set(orders))
    for g in groups:
        assert g["category"] in cat_codes, g["code"]
        assert g["code"].startswith(g["category"] + "_"), g["code"]
        assert g["name"].strip() and g["description"].strip()
        assert g["duties"], g["code"]
        assert set(g["duties"]) <= duty_codes, g["code"]
    # every category is used, and the key groups from the model are present
    assert {g["category"] for g in groups} == set(cat_codes)
    for required in (
        "PC_AGE_CHILD",
        "PC_DISABILITY",
        "SE_AREA_DEP",
        "SE_LOW_INCOME",
        "OG_CARE_EXP",
        "RB_NEIGHBOURS",
        "RB_WORKERS",
    ):
        assert required in codes
    assert "CRWIA" in next(g for g in groups if g["code"] == "PC_AGE_CHILD")["duties"]


def test_determinants(ref):
    dets = sorted(ref["determinants"], key=lambda d: d["order"])
    assert [d["code"] for d in dets] == DETERMINANTS
    assert [d["order"] for d in dets] == list(range(1, 13))
    for d in dets:
        assert d["name"].strip() and d["plain_name"].strip() and d["description"].strip()
        assert d["place_based"] is (d["code"] in PLACE_BASED), d["code"]


# ------------------------------------------------------------------ question bank


def test_bank_header(bank):
    assert bank["version"] == "1"
    assert bank["title"]
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", bank["published"])
    assert len(bank["questions"]) >= 12 * 4 * 3


def test_every_pair_has_three_questions(bank):
    counts = Counter((q["determinant"], q["stage_group"]) for q in bank["questions"])
    missing = [(d, g) for d in DETERMINANTS for g in "EDCO" if counts[(d, g)] < 3]
    assert not missing, missing
    required = Counter(
        (q["determinant"], q["stage_group"]) for q in bank["questions"] if q["required"]
    )
    assert all(required[(d, g)] >= 1 for d in DETERMINANTS for g in "EDCO")


def test_question_codes(bank):
    codes = [q["code"] for q in bank["questions"]]
    assert len(codes) == len(set(codes)), [c for c, n in Counter(codes).items() if n > 1]
    orders = Counter((q["determinant"], q["stage_group"], q["order"]) for q in bank["questions"])
    assert all(n == 1 for n in orders.values())
    for q in bank["questions"]:
        m = re.fullmatch(r"(D\d{2})-([EDCO])-(\d+)", q["code"])
        assert m, q["code"]
        assert m.group(1) == q["determinant"], q["code"]
        assert m.group(2) == q["stage_group"], q["code"]
        assert int(m.group(3)) == q["order"], q["code"]
        assert q["determinant"] in DETERMINANTS


def test_duty_tags(bank, ref):
    duty_codes = {d["code"] for d in ref["duties"]}
    for q in bank["questions"]:
        assert q["duties"], q["code"]
        assert len(q["duties"]) == len(set(q["duties"])), q["code"]
        assert set(q["duties"]) <= duty_codes, q["code"]


def test_text_and_guidance_lengths(bank):
    for q in bank["questions"]:
        assert isinstance(q["required"], bool), q["code"]
        assert 0 < len(q["text"].strip()) <= MAX_TEXT, q["code"]
        assert 0 < len(q["guidance"].strip()) <= MAX_GUIDANCE, q["code"]


def test_hidden_stages(bank, groups_by_stage):
    hidden = [q for q in bank["questions"] if q["hidden_stages"]]
    assert len(hidden) >= 2
    for q in bank["questions"]:
        stages_in_group = groups_by_stage[q["stage_group"]]
        hs = set(q["hidden_stages"])
        assert hs <= stages_in_group, q["code"]
        assert hs != stages_in_group, q["code"]


def test_some_questions_are_optional(bank):
    assert any(not q["required"] for q in bank["questions"])
    assert sum(q["required"] for q in bank["questions"]) > len(bank["questions"]) / 2
