"""The comparison of two question bank versions and the move plan: pure Python, no database."""

from assessments.questionbank.diff import (
    DUTIES,
    GUIDANCE,
    MOVED,
    REWORDED,
    STAGES,
    QuestionRow,
    compare,
    move_plan,
)


def q(code, order, text="Text", **extra):
    determinant, group, _ = code.split("-")
    return QuestionRow(code, determinant, group, order, text, **extra)


PUBLISHED = [q("D01-E-1", 1, "One"), q("D01-E-2", 2, "Two"), q("D01-E-3", 3, "Three")]


def test_identical_versions_have_no_differences():
    result = compare(PUBLISHED, PUBLISHED)
    assert result.is_empty
    assert result.unchanged == 3


def test_added_removed_and_reworded_questions_are_told_apart():
    draft = [q("D01-E-1", 1, "One, said  differently"), q("D01-E-3", 2, "Three"), q("D01-E-4", 3)]
    result = compare(PUBLISHED, draft)
    assert [r.code for r in result.added] == ["D01-E-4"]
    assert [r.code for r in result.removed] == ["D01-E-2"]
    assert [(c.code, c.kinds) for c in result.changed] == [("D01-E-1", (REWORDED,))]
    # D01-E-3 went from place 3 to 2 only because D01-E-2 left: that is not a move.
    assert result.unchanged == 1


def test_only_the_question_that_changed_place_counts_as_moved():
    draft = [q("D01-E-3", 1, "Three"), q("D01-E-1", 2, "One"), q("D01-E-2", 3, "Two")]
    result = compare(PUBLISHED, draft)
    assert [(c.code, c.kinds) for c in result.changed] == [("D01-E-3", (MOVED,))]


def test_spacing_alone_is_not_a_rewording():
    draft = [q("D01-E-1", 1, "One\r\n"), *PUBLISHED[1:]]
    assert compare(PUBLISHED, draft).is_empty


def test_guidance_duty_and_stage_changes_are_listed_with_what_changed():
    before = [q("D01-E-1", 1, guidance="Look it up", duties=("FSD",))]
    after = [q("D01-E-1", 1, guidance="Ask", duties=("HIA",), hidden_stages=("SBC",))]
    (change,) = compare(before, after).changed
    assert change.kinds == (GUIDANCE, DUTIES, STAGES)
    assert change.duties_added == ["HIA"] and change.duties_removed == ["FSD"]
    assert change.labels == [
        "Guidance changed",
        "Duty tags changed",
        "Stages where it is asked changed",
    ]


def test_move_plan_keeps_flags_removes_and_adds_by_code():
    after = [q("D01-E-1", 1, "One"), q("D01-E-2", 2, "Two, reworded"), q("D01-E-9", 3, "New")]
    plan = move_plan(PUBLISHED, after)
    assert plan.kept == ["D01-E-1"]
    assert [(r.code, r.old_text, r.new_text) for r in plan.reworded] == [
        ("D01-E-2", "Two", "Two, reworded")
    ]
    assert plan.removed == ["D01-E-3"]
    assert plan.added == ["D01-E-9"]
    assert plan.changes_anything
    assert not move_plan(PUBLISHED, PUBLISHED).changes_anything
