"""Drafting and publishing question bank versions: published ones never change, drafts are
never answered, and every step names who took it."""

import pytest
from django.core.exceptions import PermissionDenied

from assessments.answering import editing
from assessments.enums import Role
from assessments.models import (
    BankStatus,
    PublishedBankError,
    Question,
    QuestionBank,
    QuestionBankChange,
)
from assessments.questionbank import drafting
from assessments.questionbank.forms import QuestionEditForm
from tests.factories import make_assessment, make_bank_version, make_methodology_owner, make_user

pytestmark = pytest.mark.django_db

REWORDED = (
    "Could the scheme push up what households nearby pay to live there, such as rents, fares, "
    "parking, service charges or energy bills?"
)


@pytest.fixture
def owner(reference):
    return make_methodology_owner()


def test_a_draft_copies_the_published_version_and_is_numbered_next(owner):
    v1 = QuestionBank.objects.get(version="1")
    draft = drafting.start_draft(owner)
    assert (draft.version, draft.status, draft.based_on) == ("2", BankStatus.DRAFT, v1)
    assert draft.questions.count() == v1.questions.count()
    assert drafting.start_draft(owner) == draft  # a second click opens the same draft
    assert QuestionBankChange.objects.get(bank=draft).by == owner


def test_only_methodology_owners_draft(reference, glasgow):
    pm = make_user("pm.draft", council=glasgow, role=Role.PROJECT_MANAGER)
    with pytest.raises(PermissionDenied):
        drafting.start_draft(pm)
    assert not QuestionBank.objects.filter(status=BankStatus.DRAFT).exists()


def test_a_published_question_cannot_be_edited_or_deleted(reference):
    question = QuestionBank.objects.get(version="1").questions.get(code="D01-E-2")
    question.text = "Changed behind the loader's back"
    with pytest.raises(PublishedBankError):
        question.save()
    with pytest.raises(PublishedBankError):
        question.delete()
    with pytest.raises(PublishedBankError):
        Question.objects.filter(code="D01-E-2").update(text="Bulk change")
    with pytest.raises(PublishedBankError):
        QuestionBank.objects.get(version="1").delete()
    assert Question.objects.get(code="D01-E-2").text != "Bulk change"


def test_a_published_bank_cannot_be_resaved(owner):
    bank = make_bank_version(owner)
    bank.notes = "Quietly changed"
    with pytest.raises(PublishedBankError):
        bank.save()


def test_the_edit_form_refuses_a_published_question(owner):
    question = QuestionBank.objects.get(version="1").questions.get(code="D01-E-2")
    form = QuestionEditForm(
        {"text": "New", "guidance": "Some guidance", "required": "on"}, question=question
    )
    assert not form.is_valid()
    assert "published" in form.non_field_errors()[0]


def test_the_edit_form_says_what_is_wrong_by_the_field(owner):
    draft = drafting.start_draft(owner)
    question = draft.questions.get(code="D01-E-2")
    form = QuestionEditForm(
        {"text": "", "guidance": "x" * 601, "hidden_stages": ["STRATEGIC", "SBC"]},
        question=question,
    )
    assert not form.is_valid()
    assert form.errors["text"] == ["Enter the question."]
    assert "600" in form.errors["guidance"][0]
    assert "never asked" in form.errors["hidden_stages"][0]


def test_rewording_keeps_the_code_and_a_changed_meaning_gets_a_new_one(owner):
    draft = drafting.start_draft(owner)
    question = draft.questions.get(code="D01-E-2")
    values = {name: getattr(question, name) for name in drafting.EDITABLE_FIELDS}
    kept = drafting.edit_question(
        question, {**values, "text": REWORDED}, meaning_changed=False, by=owner
    )
    assert kept.code == "D01-E-2"
    replaced = drafting.edit_question(
        draft.questions.get(code="D01-E-3"),
        {**values, "text": "A different question"},
        meaning_changed=True,
        by=owner,
    )
    assert replaced.code == "D01-E-5"  # v1 has D01-E-1..4; the retired D01-E-3 is never reused
    assert not draft.questions.filter(code="D01-E-3").exists()
    actions = list(draft.changes.values_list("action", "question_code"))
    assert ("edited", "D01-E-2") in actions and ("retired", "D01-E-3") in actions


def test_reorder_numbers_the_questions_in_the_order_given(owner):
    draft = drafting.start_draft(owner)
    ids = list(
        draft.questions.filter(determinant__code="D01", stage_group="E")
        .order_by("order")
        .values_list("pk", flat=True)
    )
    moved = drafting.reorder(draft, {ids[0]: 3, ids[1]: 1, ids[2]: 2, ids[3]: 4}, by=owner)
    assert moved == 3
    codes = list(
        draft.questions.filter(determinant__code="D01", stage_group="E")
        .order_by("order")
        .values_list("code", flat=True)
    )
    assert codes == ["D01-E-2", "D01-E-3", "D01-E-1", "D01-E-4"]


def test_publishing_is_refused_while_a_determinant_has_too_few_questions(owner):
    draft = drafting.start_draft(owner)
    for question in draft.questions.filter(determinant__code="D12", stage_group="O")[:2]:
        drafting.retire_question(question, by=owner)
    with pytest.raises(drafting.DraftError, match="D12"):
        drafting.publish(draft, notes="Too few", by=owner)
    draft.refresh_from_db()
    assert draft.is_draft


def test_new_assessments_use_the_newest_published_version_never_a_draft(owner, glasgow):
    draft = drafting.start_draft(owner)
    assert editing.current_bank().version == "1"
    assert make_assessment(council=glasgow).question_bank.version == "1"
    drafting.publish(draft, notes="Version 2", by=owner)
    draft.refresh_from_db()
    assert (draft.status, draft.published_by) == (BankStatus.PUBLISHED, owner)
    assert make_assessment(council=glasgow).question_bank == draft
    published = draft.changes.get(action="published")
    assert (published.by, published.note) == (owner, "Version 2")
    with pytest.raises(PublishedBankError):
        drafting.add_question(draft, {}, by=owner)
