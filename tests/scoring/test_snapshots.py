"""The rules wired to the database: snapshots, versions, and what the page shows."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from assessments.enums import AssessmentStatus, Role
from assessments.models import Answer, AnswerGroup, PopulationGroup, RuleSet, StageAssessment
from assessments.scoring import snapshots as scoring
from tests.factories import make_assessment, make_user


def set_answer(assessment, code, groups=(), **fields):
    answer = Answer.objects.get(assessment=assessment, question__code=code)
    for name, value in fields.items():
        setattr(answer, name, value)
    answer.save()
    for group_code, disproportionate in groups:
        AnswerGroup.objects.create(
            answer=answer,
            group=PopulationGroup.objects.get(code=group_code),
            disproportionate=disproportionate,
        )
    return answer


def retrofit_ventilation_harm(assessment):
    """Worked example 3: possible (2) x [moderate 2 + household 0 + long 1] = 6; x1.5 on low income = -9."""
    code = (
        assessment.answers.filter(question__determinant__code="D02")
        .order_by("question__order")[0]
        .question.code
    )
    set_answer(
        assessment,
        code,
        groups=[("SE_LOW_INCOME", True)],
        direction="negative",
        likelihood=2,
        severity=2,
        duration="long",
        reach="household",
        evidence_strength="moderate",
    )
    return code


@pytest.fixture
def assessment(glasgow):
    return make_assessment(council=glasgow, stage_code="OBC")


def current_version() -> str:
    """The newest published rule set's version, which new assessments are scored with."""
    return RuleSet.objects.latest().version


def publish_next(**changes):
    """A rule set published after every fixture version, changing these parameters."""
    current = RuleSet.objects.latest()
    return RuleSet.objects.create(
        version=str(int(current.version) + 1),
        published=datetime.date(2027, 4, 1),
        parameters={**current.parameters, **changes},
    )


def test_snapshot_records_scores_and_the_rule_set_version(assessment):
    code = retrofit_ventilation_harm(assessment)
    result = scoring.refresh_snapshot(assessment)
    stored = StageAssessment.objects.get(pk=assessment.pk)
    score = next(s for s in scoring.stored_result(stored).answers if s.key == code)
    assert (
        score.magnitude,
        score.significance,
        str(score.multiplier),
        str(score.weighted),
        str(score.band),
    ) == (
        3,
        6,
        "1.5",
        "-9.00",
        "medium",
    )
    assert stored.score_snapshot["ruleset_version"] == current_version()
    assert stored.rule_set.version == current_version()
    assert "F2" in stored.open_flags
    assert scoring.stored_result(stored) == result


def test_scores_keep_their_values_after_a_new_version_until_deliberately_rescored(assessment):
    code = retrofit_ventilation_harm(assessment)
    scoring.refresh_snapshot(assessment)
    old = current_version()
    new = publish_next(band_medium="10", band_high="20").version  # -9 would now be "low"

    scoring.refresh_snapshot(
        StageAssessment.objects.get(pk=assessment.pk)
    )  # an ordinary save: still the old version
    kept = StageAssessment.objects.get(pk=assessment.pk)
    assert kept.rule_set.version == old
    assert next(s for s in scoring.stored_result(kept).answers if s.key == code).band == "medium"

    out = StringIO()
    call_command(
        "rescore_assessments", "--rule-set", new, "--assessment", str(assessment.pk), stdout=out
    )
    moved = StageAssessment.objects.get(pk=assessment.pk)
    assert moved.rule_set.version == new
    assert next(s for s in scoring.stored_result(moved).answers if s.key == code).band == "low"
    assert f"v{old} → v{new}" in out.getvalue()


def test_signed_off_assessments_are_never_rescored(assessment):
    retrofit_ventilation_harm(assessment)
    scoring.refresh_snapshot(assessment)
    StageAssessment.objects.filter(pk=assessment.pk).update(status=AssessmentStatus.SIGNED_OFF)
    snapshot = StageAssessment.objects.get(pk=assessment.pk).score_snapshot
    old = current_version()
    new = publish_next(band_medium="10").version
    call_command("rescore_assessments", "--rule-set", new, stdout=StringIO())
    frozen = StageAssessment.objects.get(pk=assessment.pk)
    assert frozen.score_snapshot == snapshot and frozen.rule_set.version == old
    with pytest.raises(scoring.FrozenAssessmentError):
        scoring.refresh_snapshot(frozen)


def test_not_applicable_answers_change_no_score(assessment):
    retrofit_ventilation_harm(assessment)
    before = scoring.refresh_snapshot(assessment)
    for answer in assessment.answers.filter(question__determinant__code="D05"):
        answer.direction = "not_applicable"
        answer.save()
    after = scoring.refresh_snapshot(assessment)
    assert after.answers and [s for s in after.answers if s.scored] == [
        s for s in before.answers if s.scored
    ]
    assert after.overall_harm_rag == before.overall_harm_rag
    assert (
        after.completeness.applicable
        == before.completeness.applicable
        - assessment.answers.filter(question__determinant__code="D05").count()
    )


def test_an_answer_to_a_question_hidden_at_this_stage_never_counts(glasgow):
    assessment = make_assessment(council=glasgow, stage_code="OPERATION")
    hidden = next(
        q
        for q in assessment.question_bank.questions.filter(stage_group="O")
        if "OPERATION" in q.hidden_stages
    )
    # The question is not asked at this stage at all...
    assert not assessment.answers.filter(question=hidden).exists()
    # ...and even a stray row for it (e.g. imported data) is ignored by the scores.
    before = scoring.refresh_snapshot(assessment)
    Answer.objects.create(
        assessment=assessment,
        question=hidden,
        direction="negative",
        likelihood=4,
        severity=3,
        duration="long",
        reach="region",
    )
    after = scoring.refresh_snapshot(assessment)
    assert after.overall_harm_rag == before.overall_harm_rag
    assert after.completeness == before.completeness
    assert all(s.key != hidden.code or not s.scored for s in after.answers)


def test_the_assessment_page_shows_every_input_and_step_of_a_score(client, assessment, glasgow):
    code = retrofit_ventilation_harm(assessment)
    scoring.refresh_snapshot(assessment)
    client.force_login(make_user(council=glasgow, role=Role.REVIEWER))
    page = client.get(assessment.get_absolute_url()).content.decode()
    row = page[page.index(f">{code}<") :]
    row = row[: row.index("</tr>", row.index("explanation-row"))]
    for shown in (
        "Possible (2)",
        "moderate (2)",
        "long (over 5 years)",
        "People on low income (disproportionately)",
        "<td>3</td>",
        "<td>6</td>",
        "× 1.5",
        "-9.00",
        "Medium",
    ):
        assert shown in row, shown
    assert f"rule set v{current_version()}" in page
    assert (
        "(F2)" in page
        and code in page[page.index("Open flags") : page.index("Determinants of health")]
    )


AUTOMATIC = (
    "People living in deprived areas (automatic: 62% of the catchment lives in SIMD "
    "quintile 1, at or above the 50% threshold for place-based determinants)"
)


def test_the_assessment_page_names_the_automatic_deprived_area_group_and_why(client, glasgow):
    """A harm nobody tied to a priority group still counts as affecting people living in deprived
    areas when most of the catchment is in SIMD quintile 1; the row, its worked explanation and
    flag F2 all say so, with the share, so the equity index and the flag can be checked by hand."""
    from tests.factories import catchment_62_percent_in_quintile_1

    assessment = make_assessment(
        council=glasgow, stage_code="OBC", data_zones=catchment_62_percent_in_quintile_1()
    )
    first = assessment.answers.filter(question__determinant__code="D05").order_by(
        "question__order"
    )[0]
    code = first.question.code
    # possible (2) x moderate (2) = 4: under F2's general threshold of 6, over its priority one of 3
    set_answer(
        assessment,
        code,
        groups=[("RB_NEIGHBOURS", False)],
        direction="negative",
        likelihood=2,
        severity=2,
        duration="short",
        reach="household",
        evidence_strength="moderate",
    )
    scoring.refresh_snapshot(assessment)
    client.force_login(make_user(council=glasgow, role=Role.REVIEWER))
    page = client.get(assessment.get_absolute_url()).content.decode()
    row = page[page.index(f">{code}<") :]
    row = row[: row.index("</tr>", row.index("explanation-row"))]
    assert "Also counts as affecting: " + AUTOMATIC in row
    # Group names, not codes, and the rules' shorthand said in words.
    assert (
        "People living in deprived areas is affected automatically, which does not raise the "
        "equity multiplier" in row
    )
    assert (
        "counts as affecting priority group People living in deprived areas (automatic: 62% of "
        "the catchment" in row
    )
    assert "SE_AREA_DEP" not in row
    flags = page[page.index("Open flags") : page.index("Determinants of health")]
    assert "Mitigation needed for a harm" in flags
    assert (
        f"no mitigation action: {code} (through People living in deprived areas, automatic: 62% "
        "of the catchment" in flags
    )
    assert "100% of the harm falls on priority groups" in page


def test_a_mitigation_action_in_the_plan_clears_flag_f2_on_the_assessment_page(
    client, assessment, glasgow
):
    code = retrofit_ventilation_harm(assessment)
    scoring.refresh_snapshot(assessment)
    pm = make_user(council=glasgow, role=Role.PROJECT_MANAGER)
    client.force_login(pm)
    page = client.get(assessment.get_absolute_url()).content.decode()
    assert f"no mitigation action: {code}" in page

    answer = Answer.objects.get(assessment=assessment, question__code=code)
    response = client.post(
        reverse("assessments:action-plan", args=[assessment.pk]),
        {
            "answer": answer.pk,
            "kind": "mitigation",
            "owner": "Housing investment team",
            "text": "Mechanical ventilation with heat recovery",
            "due_stage": assessment.stage_id,
            "status": "open",
        },
    )
    assert response.status_code == 302
    page = client.get(assessment.get_absolute_url()).content.decode()
    assert "F2 Mitigation required" not in page and "no mitigation action" not in page

    # Dropping the action brings the flag back: only a live action counts.
    action = answer.actions.get()
    client.post(
        reverse("assessments:action-edit", args=[action.pk]),
        {
            f"a{action.pk}-answer": answer.pk,
            f"a{action.pk}-kind": "mitigation",
            f"a{action.pk}-text": action.text,
            f"a{action.pk}-owner": action.owner,
            f"a{action.pk}-due_stage": assessment.stage_id,
            f"a{action.pk}-status": "dropped",
        },
    )
    page = client.get(assessment.get_absolute_url()).content.decode()
    assert f"no mitigation action: {code}" in page
