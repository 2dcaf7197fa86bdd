"""Moving an open assessment onto a newer question bank version: the project team's deliberate
step. Unchanged answers stay, reworded ones are flagged to confirm, removed ones go to the
history, new questions arrive unanswered; signed-off stages never move."""

import pytest

from assessments.enums import AssessmentStatus
from assessments.models import Answer, StatusChange
from assessments.questionbank import drafting, moving
from assessments.review import workflow
from assessments.review.timeline import project_timeline
from tests.factories import (
    answer_everything,
    force_status,
    make_bank_version,
    make_methodology_owner,
    make_team_project,
    start,
)

pytestmark = pytest.mark.django_db

NEW_WORDING = (
    "Could the scheme push up what households nearby pay to live there, such as rents, fares, "
    "parking, service charges or energy bills?"
)
NEW_QUESTION = "Would the scheme change how far local people must travel to reach a food bank?"


@pytest.fixture
def assessment(team):
    assessment = start(make_team_project(team), by=team.pm)
    answer_everything(assessment, direction="no_impact")
    Answer.objects.filter(assessment=assessment, question__code="D01-E-2").update(
        direction="negative", pathway="Rents rise near the new station."
    )
    return assessment


@pytest.fixture
def v2(reference):
    """Version 2: D01-E-2 reworded, D01-E-3 replaced by a new code, one question added."""
    owner = make_methodology_owner()
    draft = drafting.start_draft(owner)
    question = draft.questions.get(code="D01-E-3")
    values = {name: getattr(question, name) for name in drafting.EDITABLE_FIELDS}
    drafting.edit_question(
        question, {**values, "text": "A narrower question"}, meaning_changed=True, by=owner
    )
    drafting.publish(draft, notes="Draft for the move tests", by=owner)
    return make_bank_version(
        owner, reword={"D01-E-2": NEW_WORDING}, add=[("D01", "E", NEW_QUESTION)]
    )


def _move(assessment, target, by):
    return moving.move_assessment(
        assessment, from_bank_id=assessment.question_bank_id, to_bank_id=target.pk, by=by
    )


def test_the_move_keeps_flags_removes_and_adds_answers(team, assessment, v2):
    v1_id = assessment.question_bank_id
    answers_before = assessment.answers.count()
    done = _move(assessment, v2, team.pm)
    assessment.refresh_from_db()
    assert assessment.question_bank == v2
    assert [r.code for r in done.plan.reworded] == ["D01-E-2"]
    assert done.plan.removed == ["D01-E-3"]
    assert set(done.plan.added) == {"D01-E-5", "D01-E-6"}

    reworded = assessment.answers.get(question__code="D01-E-2")
    assert reworded.pathway == "Rents rise near the new station."
    assert reworded.question.text == NEW_WORDING
    assert reworded.reworded_from.bank_id == v1_id
    kept = assessment.answers.get(question__code="D01-E-1")
    assert (kept.direction, kept.reworded_from) == ("no_impact", None)
    assert kept.question.bank == v2
    new = assessment.answers.get(question__code="D01-E-6")
    assert new.direction == "" and new.question.text == NEW_QUESTION
    assert assessment.answers.count() == answers_before + 1
    removed = Answer.history.filter(history_type="-", question__code="D01-E-3").get()
    assert removed.assessment_id == assessment.pk and removed.direction == "no_impact"


def test_the_move_is_in_the_timeline_with_what_it_did(team, assessment, v2):
    _move(assessment, v2, team.pm)
    event = StatusChange.objects.get(assessment=assessment, event=moving.EVENT)
    assert event.by == team.pm and event.from_status == event.to_status
    assert "version 1 to version 3" in event.note and "D01-E-3 (No impact)" in event.note
    titles = [e.title for e in project_timeline(assessment.project)]
    assert "Moved onto a newer question bank version" in titles


def test_a_repeated_confirmation_changes_nothing(team, assessment, v2):
    _move(assessment, v2, team.pm)
    again = moving.move_assessment(
        assessment, from_bank_id=v2.based_on.based_on_id, to_bank_id=v2.pk, by=team.pm
    )
    assert again.already
    assert StatusChange.objects.filter(assessment=assessment, event=moving.EVENT).count() == 1


def test_a_move_to_a_version_no_longer_newest_is_refused(team, assessment, v2):
    older = v2.based_on  # published, but v2 is newer
    with pytest.raises(moving.MoveRefused):
        moving.move_assessment(
            assessment, from_bank_id=assessment.question_bank_id, to_bank_id=older.pk, by=team.pm
        )
    assessment.refresh_from_db()
    assert assessment.question_bank.version == "1"


@pytest.mark.parametrize(
    "status", [AssessmentStatus.SIGNED_OFF, AssessmentStatus.SUBMITTED, AssessmentStatus.IN_REVIEW]
)
def test_a_stage_not_open_for_editing_never_moves(team, assessment, v2, status):
    force_status(assessment, status)
    with pytest.raises(workflow.WorkflowError):
        _move(assessment, v2, team.pm)
    assessment.refresh_from_db()
    assert assessment.question_bank.version == "1"


@pytest.mark.parametrize("who", ["reviewer", "sro", "other_pm", "pmo", "sysadmin"])
def test_only_the_project_team_moves_it(team, assessment, v2, who):
    with pytest.raises(workflow.WorkflowError):
        _move(assessment, v2, getattr(team, who))


def test_reworded_answers_must_be_confirmed_before_submitting(team, assessment, v2):
    _move(assessment, v2, team.pm)
    assessment.answers.filter(direction="").update(direction="no_impact")  # the new questions
    with pytest.raises(workflow.WorkflowError) as refused:
        workflow.submit(assessment, team.pm)
    assert "reworded questions still to confirm or change: D01-E-2" in refused.value.full_message
    answer = assessment.answers.get(question__code="D01-E-2")
    assert moving.confirm_reworded(assessment, answer.pk, by=team.pm) is not None
    assert moving.confirm_reworded(assessment, answer.pk, by=team.pm) is None  # second click
    answer.refresh_from_db()
    assert answer.reworded_from is None and answer.direction == "negative"
