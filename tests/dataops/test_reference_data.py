import json
import shutil

import pytest
from django.conf import settings

from assessments.dataops.reference_data import ReferenceDataError, load_reference_data
from assessments.models import (
    Council,
    Determinant,
    LifecycleStage,
    PopulationGroup,
    Question,
    QuestionBank,
    RuleSet,
)
from tests.factories import make_assessment


def test_reference_data_has_the_region_and_the_model(reference):
    assert Council.objects.count() == 8
    assert set(Council.objects.values_list("code", flat=True)) == {
        "S12000045",
        "S12000011",
        "S12000049",
        "S12000018",
        "S12000050",
        "S12000038",
        "S12000029",
        "S12000039",
    }
    assert list(LifecycleStage.objects.values_list("code", flat=True)) == [
        "STRATEGIC",
        "SBC",
        "OBC",
        "FBC",
        "DELIVERY",
        "OPERATION",
        "EVALUATION",
    ]
    assert Determinant.objects.count() == 12
    assert set(PopulationGroup.objects.values_list("category", flat=True)) == {
        "PC",
        "SE",
        "OG",
        "RB",
    }
    assert QuestionBank.objects.filter(version="1").exists()
    assert RuleSet.objects.filter(version="1").exists()


def test_every_determinant_has_at_least_three_questions_in_every_stage_group(reference):
    bank = QuestionBank.objects.get(version="1")
    for determinant in Determinant.objects.all():
        for group in "EDCO":
            assert bank.questions.filter(determinant=determinant, stage_group=group).count() >= 3, (
                determinant,
                group,
            )


def test_loading_twice_changes_nothing(reference):
    counts = [
        model.objects.count()
        for model in (Council, LifecycleStage, PopulationGroup, Determinant, Question, RuleSet)
    ]
    report = load_reference_data()
    assert report.created == {}
    assert [
        model.objects.count()
        for model in (Council, LifecycleStage, PopulationGroup, Determinant, Question, RuleSet)
    ] == counts


@pytest.fixture
def fixture_copy(tmp_path):
    for path in settings.CHIIA_REFERENCE_DIR.glob("*.json"):
        shutil.copy(path, tmp_path / path.name)
    return tmp_path


def test_an_edited_published_question_bank_is_refused(reference, fixture_copy):
    path = fixture_copy / "question_bank_v1.json"
    bank = json.loads(path.read_text())
    bank["questions"][0]["text"] = "Reworded after publication?"
    path.write_text(json.dumps(bank))
    with pytest.raises(ReferenceDataError, match="new version"):
        load_reference_data(fixture_copy)
    assert (
        Question.objects.get(bank__version="1", code=bank["questions"][0]["code"]).text
        != "Reworded after publication?"
    )


def test_a_new_bank_version_never_changes_an_existing_assessments_questions(glasgow, fixture_copy):
    assessment = make_assessment(council=glasgow)
    before = list(
        assessment.answers.values_list(
            "question__code", "question__text", "question__bank__version"
        )
    )
    bank = json.loads((fixture_copy / "question_bank_v1.json").read_text())
    bank["version"] = "2"
    bank["published"] = "2027-01-15"
    for question in bank["questions"]:
        question["text"] = "Version 2: " + question["text"]
    (fixture_copy / "question_bank_v2.json").write_text(json.dumps(bank))

    load_reference_data(fixture_copy)

    assessment.refresh_from_db()
    assert assessment.question_bank.version == "1"
    assert (
        list(
            assessment.answers.values_list(
                "question__code", "question__text", "question__bank__version"
            )
        )
        == before
    )
    newer = make_assessment(council=glasgow)
    assert newer.question_bank.version == "2"
    assert newer.answers.first().question.text.startswith("Version 2: ")
