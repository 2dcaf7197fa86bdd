"""The workflow: every transition, every refused transition, sign-off rules, read-only after
sign-off (including direct POSTs), carry-forward, overdue actions and re-screen."""

from decimal import Decimal

import pytest
from django.urls import reverse

from assessments.enums import AssessmentStatus as S
from assessments.models import Action, Answer, Determinant, StageAssessment, StatusChange
from assessments.models.review import ActionStatus, Verdict
from assessments.review import requests, reviewing, workflow
from assessments.scoring import snapshots as scoring
from tests.factories import (
    add_harm,
    force_status,
    make_team_project,
    make_user,
    ready_to_submit,
    start,
)

ALL = list(S)


def test_allowed_table_is_literal_and_pure():
    assert workflow.can_transition(S.DRAFT, S.SUBMITTED)
    assert workflow.can_transition(S.APPROVED, S.SIGNED_OFF)
    assert not workflow.can_transition(S.DRAFT, S.APPROVED)
    assert not workflow.can_transition(S.SUBMITTED, S.SIGNED_OFF)
    for target in ALL:
        assert not workflow.can_transition(S.SIGNED_OFF, target)
        assert not workflow.can_transition(S.SUPERSEDED, target)
    # Every non-frozen status can be superseded by a re-screen.
    for status in set(ALL) - {S.SIGNED_OFF, S.SUPERSEDED}:
        assert workflow.can_transition(status, S.SUPERSEDED)


def _to_approved(team, a):
    workflow.submit(a, team.pm)
    workflow.start_review(a, team.reviewer)
    workflow.approve(a, team.reviewer)
    return a


def test_full_loop_logs_every_change(team):
    a = ready_to_submit(team)
    workflow.submit(a, team.pm, note="Ready")
    workflow.start_review(a, team.reviewer)
    workflow.request_changes(a, team.reviewer, note="Add evidence for D05")
    workflow.submit(a, team.pm)
    workflow.start_review(a, team.reviewer)
    workflow.approve(a, team.reviewer)
    workflow.accept_action_plan(a, team.sro, note="Plan is funded")
    workflow.sign_off(a, team.reviewer)
    a.refresh_from_db()
    assert a.status == S.SIGNED_OFF
    changes = [
        (c.event, c.from_status, c.to_status, c.by.username)
        for c in a.status_changes.order_by("at", "id")
    ]
    assert changes == [
        ("submit", "draft", "submitted", "pm.a"),
        ("start_review", "submitted", "in_review", "reviewer.a"),
        ("request_changes", "in_review", "changes_requested", "reviewer.a"),
        ("submit", "changes_requested", "submitted", "pm.a"),
        ("start_review", "submitted", "in_review", "reviewer.a"),
        ("approve", "in_review", "approved", "reviewer.a"),
        ("accept_action_plan", "approved", "approved", "sro.a"),
        ("sign_off", "approved", "signed_off", "reviewer.a"),
    ]
    assert a.status_changes.get(event="request_changes").note == "Add evidence for D05"


VERB_CALLS = {
    "submit": (lambda t, a: workflow.submit(a, t.pm), {S.DRAFT, S.CHANGES_REQUESTED}),
    "start_review": (lambda t, a: workflow.start_review(a, t.reviewer), {S.SUBMITTED}),
    "request_changes": (
        lambda t, a: workflow.request_changes(a, t.reviewer, note="x"),
        {S.IN_REVIEW, S.APPROVED},
    ),
    "approve": (lambda t, a: workflow.approve(a, t.reviewer), {S.IN_REVIEW}),
    "accept_action_plan": (lambda t, a: workflow.accept_action_plan(a, t.sro), {S.APPROVED}),
    "sign_off": (lambda t, a: workflow.sign_off(a, t.reviewer), {S.APPROVED}),
    "rescreen": (
        lambda t, a: workflow.rescreen(a, t.pm, reason="scale", note="Doubled"),
        set(ALL) - {S.SIGNED_OFF, S.SUPERSEDED},
    ),
    "start_next_stage": (lambda t, a: workflow.start_next_stage(a, t.pm), {S.SIGNED_OFF}),
}


def test_every_verb_is_refused_in_every_status_it_does_not_start_from(team):
    """Refused transitions leave the status and the log untouched and say why."""
    project = make_team_project(team)
    a = start(project, by=team.pm)
    for verb, (call, allowed_from) in VERB_CALLS.items():
        for status in set(ALL) - allowed_from:
            force_status(a, status)
            before = StatusChange.objects.count()
            with pytest.raises(workflow.WorkflowError) as refused:
                call(team, a)
            assert StageAssessment.objects.get(pk=a.pk).status == status, (verb, status)
            assert StatusChange.objects.count() == before
            assert str(refused.value), (verb, status)


def test_every_allowed_verb_succeeds_from_each_start_status(team):
    """Each verb from each status it may start from, with the SRO's acceptance where sign-off needs it."""
    for n, (verb, (call, allowed_from)) in enumerate(VERB_CALLS.items()):
        for m, status in enumerate(sorted(allowed_from)):
            a = ready_to_submit(team, reference=f"V-{n}-{m}")
            force_status(a, status)
            if verb == "sign_off":
                workflow.accept_action_plan(a, team.sro)
            result = call(team, a)
            if verb in ("rescreen", "start_next_stage"):
                assert isinstance(result, StageAssessment) and result.pk != a.pk
            elif verb != "accept_action_plan":
                a.refresh_from_db()
                assert a.status != status, (verb, status)


def test_submission_refused_with_list_of_what_is_missing(team):
    a = start(make_team_project(team), by=team.pm)
    first = a.answers.filter(question__required=True).order_by("question__code").first()
    with pytest.raises(workflow.WorkflowError) as refused:
        workflow.submit(a, team.pm)
    text = refused.value.full_message
    assert "cannot be submitted yet" in text
    assert "not complete yet" in text and f"{first.question.code} (needs an answer)" in text
    a.refresh_from_db()
    assert a.status == S.DRAFT


def test_submission_needs_action_or_justification_for_mitigation_flag(team):
    a = ready_to_submit(team)
    harm = add_harm(a)
    assert "F2" in a.open_flags
    with pytest.raises(workflow.WorkflowError) as refused:
        workflow.submit(a, team.pm)
    assert "F2" in refused.value.full_message and harm.question.code in refused.value.full_message
    reviewing.justify_flag(
        a, team.pm, flag_code="F2", answer=harm, justification="Works are outside school hours only"
    )
    workflow.submit(a, team.pm)
    assert StageAssessment.objects.get(pk=a.pk).status == S.SUBMITTED


def test_an_action_resolves_the_mitigation_flag_for_submission(team):
    a = ready_to_submit(team)
    harm = add_harm(a)
    reviewing.add_action(
        a,
        team.pm,
        answer=harm,
        kind="mitigation",
        text="Dust suppression plan",
        owner="Site manager",
        due_stage=a.stage,
    )
    workflow.submit(a, team.pm)
    assert StageAssessment.objects.get(pk=a.pk).status == S.SUBMITTED


def test_only_a_mitigation_action_takes_a_harm_out_of_the_mitigation_flag(team):
    # The flag on the page and the submission check agree: an enhancement linked to a harm is
    # no mitigation, so the harm stays flagged and still needs a mitigation or a justification.
    a = ready_to_submit(team)
    harm = add_harm(a)
    reviewing.add_action(
        a,
        team.pm,
        answer=harm,
        kind="enhancement",
        text="Add a community garden",
        owner="Parks team",
        due_stage=a.stage,
    )
    a.refresh_from_db()
    assert "F2" in a.open_flags
    with pytest.raises(workflow.WorkflowError) as refused:
        workflow.submit(a, team.pm)
    assert "F2" in refused.value.full_message and harm.question.code in refused.value.full_message
    assert StageAssessment.objects.get(pk=a.pk).status == S.DRAFT


def test_author_cannot_sign_off(team):
    # The reviewer also created the assessment? No: a reviewer who submitted it on the PM's behalf
    # is an author too. Here the creator is given the reviewer role as well.
    from assessments.enums import Role
    from assessments.models import Membership

    Membership.objects.create(user=team.pm, council=team.council, role=Role.REVIEWER)
    a = _to_approved(team, ready_to_submit(team))
    workflow.accept_action_plan(a, team.sro)
    with pytest.raises(
        workflow.WorkflowError, match="another public health reviewer must sign it off"
    ):
        workflow.sign_off(a, team.pm)
    workflow.sign_off(a, team.reviewer2)
    assert StageAssessment.objects.get(pk=a.pk).status == S.SIGNED_OFF


def _writer_and_reviewer(team):
    """One person holding both the contributor and the reviewer role in the council."""
    from assessments.enums import Role
    from assessments.models import Membership

    both = make_user("both.a", council=team.council, role=Role.CONTRIBUTOR)
    Membership.objects.create(user=both, council=team.council, role=Role.REVIEWER)
    return both


def _post(client, a, verb):
    url = reverse("assessments:transition", args=[a.pk, verb])
    status = StageAssessment.objects.get(pk=a.pk).status
    return client.post(url, {"expected_status": status}, follow=True).content.decode()


WROTE_PART = "You wrote part of this stage"


def _section_form(a, code, *, reason="", notes=""):
    """The section form as its page sends it: every answer as it stands ("no impact"), with
    `notes` on the first one and `reason` as the section's not-relevant reason."""
    answers = list(a.answers.filter(question__determinant__code=code).order_by("question__order"))
    version = a.sections.get(determinant__code=code).version
    data = {"version": version, "not_assessed_reason": reason}
    for answer in answers:
        data.update({f"a{answer.pk}-direction": "no_impact", f"a{answer.pk}-reversible": "yes"})
    data[f"a{answers[0].pk}-notes"] = notes
    return data


def test_someone_who_answered_a_stage_cannot_approve_or_sign_it_off(team, client):
    """A contributor who is also a reviewer answers through the section form: the Approve and
    Sign off buttons are replaced by the reason, a direct POST is refused with it and changes
    nothing, and a reviewer who wrote nothing takes each step instead."""
    both = _writer_and_reviewer(team)
    a = ready_to_submit(team)
    client.force_login(both)
    data = _section_form(a, "D05", notes="Checked with the site team: air quality is unchanged.")
    url = reverse("assessments:section-edit", args=[a.pk, "D05"])
    assert client.post(url, data).status_code == 302
    assert Answer.history.filter(assessment_id=a.pk, history_user=both).exists()

    client.force_login(team.pm)
    assert "Submitted for review" in _post(client, a, "submit")
    client.force_login(both)
    assert "Review started" in _post(client, a, "start-review")
    page = client.get(a.get_absolute_url()).content.decode()
    assert WROTE_PART in page and "another public health reviewer must approve it" in page
    assert f'action="{reverse("assessments:transition", args=[a.pk, "approve"])}"' not in page
    refused = _post(client, a, "approve")
    assert WROTE_PART in refused and "must approve it" in refused
    assert "Nothing was changed" in refused
    assert StageAssessment.objects.get(pk=a.pk).status == S.IN_REVIEW

    client.force_login(team.reviewer2)
    assert "Approved." in _post(client, a, "approve")
    client.force_login(team.sro)
    assert "Action plan accepted" in _post(client, a, "accept-action-plan")

    client.force_login(both)
    page = client.get(a.get_absolute_url()).content.decode()
    assert "another public health reviewer must sign it off" in page
    assert f'action="{reverse("assessments:transition", args=[a.pk, "sign-off"])}"' not in page
    refused = _post(client, a, "sign-off")
    assert WROTE_PART in refused and "must sign it off" in refused
    assert StageAssessment.objects.get(pk=a.pk).status == S.APPROVED
    assert not a.status_changes.filter(by=both, event__in=["approve", "sign_off"]).exists()

    client.force_login(team.reviewer)
    assert "Signed off" in _post(client, a, "sign-off")
    assert StageAssessment.objects.get(pk=a.pk).status == S.SIGNED_OFF


def test_a_not_relevant_reason_or_an_action_also_counts_as_writing_the_stage(team, client):
    """Writing why a determinant is not relevant, or adding an action, makes a reviewer one of the
    stage's writers, and stays so after a colleague saves the same section again; the actions a
    reviewer's own verdicts create do not."""
    both = _writer_and_reviewer(team)
    reason_only = ready_to_submit(team, reference="W-1")
    action_only = ready_to_submit(team, reference="W-2")
    client.force_login(both)
    url = reverse("assessments:section-edit", args=[reason_only.pk, "D02"])
    data = _section_form(reason_only, "D02", reason="No change to transport at this stage.")
    assert client.post(url, data).status_code == 302
    client.force_login(team.pm)
    data = _section_form(reason_only, "D02", reason="Transport is covered by the STAG appraisal.")
    assert client.post(url, data).status_code == 302
    # Only the section changed: no answer of it was touched.
    assert not Answer.history.filter(assessment_id=reason_only.pk).exists()
    client.force_login(both)
    response = client.post(
        reverse("assessments:action-plan", args=[action_only.pk]),
        {
            "kind": "enhancement",
            "text": "Local hiring clause",
            "owner": "Procurement",
            "due_stage": action_only.stage_id,
            "status": "open",
        },
    )
    assert response.status_code == 302 and action_only.actions.filter(created_by=both).exists()
    for a in (reason_only, action_only):
        workflow.submit(a, team.pm)
        workflow.start_review(a, team.reviewer)
        refused = _post(client, a, "approve")
        assert WROTE_PART in refused, a.project.reference
        assert StageAssessment.objects.get(pk=a.pk).status == S.IN_REVIEW

    # A verdict that asks for an improvement adds an action, credited to the reviewer; that is
    # reviewing, so the same reviewer still approves.
    answer = action_only.answers.order_by("question__code").first()
    client.force_login(team.reviewer)
    client.post(
        reverse("assessments:verdict", args=[action_only.pk, answer.pk]),
        {f"v{answer.pk}-verdict": "improvable", f"v{answer.pk}-comment": "Cite the SIMD ranks"},
    )
    assert action_only.actions.filter(created_by=team.reviewer, kind="review").exists()
    assert "Approved." in _post(client, action_only, "approve")


def test_sign_off_needs_current_sro_acceptance(team):
    a = _to_approved(team, ready_to_submit(team))
    with pytest.raises(workflow.WorkflowError, match="senior responsible officer has not accepted"):
        workflow.sign_off(a, team.reviewer)
    workflow.accept_action_plan(a, team.sro)
    # A change to the plan after acceptance needs a fresh acceptance.
    reviewing.add_action(
        a,
        team.pm,
        kind="enhancement",
        text="Local hiring clause",
        owner="Procurement",
        due_stage=a.stage,
    )
    with pytest.raises(workflow.WorkflowError, match="has not accepted"):
        workflow.sign_off(a, team.reviewer)
    workflow.accept_action_plan(a, team.sro)
    workflow.sign_off(a, team.reviewer)
    assert StageAssessment.objects.get(pk=a.pk).status == S.SIGNED_OFF


def test_other_council_reviewer_and_sro_are_refused(team):
    a = _to_approved(team, ready_to_submit(team))
    with pytest.raises(workflow.WorkflowError, match="permission"):
        workflow.accept_action_plan(a, team.other_sro)
    workflow.accept_action_plan(a, team.sro)
    with pytest.raises(workflow.WorkflowError, match="permission"):
        workflow.sign_off(a, team.other_reviewer)


def test_verdicts_create_actions_and_to_correct_blocks_approval(team):
    a = ready_to_submit(team)
    workflow.submit(a, team.pm)
    workflow.start_review(a, team.reviewer)
    answers = list(a.answers.order_by("question__code")[:3])
    reviewing.record_verdict(a, answers[0], team.reviewer, verdict=Verdict.ACCEPTABLE)
    reviewing.record_verdict(
        a, answers[1], team.reviewer, verdict=Verdict.IMPROVABLE, comment="Cite the SIMD ranks"
    )
    reviewing.record_verdict(
        a,
        answers[2],
        team.reviewer,
        verdict=Verdict.TO_CORRECT,
        comment="This is a harm",
        override_band="medium",
        override_reason="Next to a school",
    )
    actions = {x.answer_id: x for x in Action.objects.filter(assessment=a)}
    assert set(actions) == {answers[1].pk, answers[2].pk}
    assert actions[answers[2].pk].due_stage == a.stage
    assert actions[answers[1].pk].due_stage.order == a.stage.order + 1
    override = a.rating_overrides.get()
    assert (override.original_value, override.overridden_value) == ("not scored", "medium")
    with pytest.raises(workflow.WorkflowError, match="Say what"):
        reviewing.record_verdict(a, answers[0], team.reviewer, verdict=Verdict.IMPROVABLE)
    with pytest.raises(workflow.WorkflowError, match="to correct"):
        workflow.approve(a, team.reviewer)
    workflow.request_changes(a, team.reviewer, note="See verdicts")
    with pytest.raises(workflow.WorkflowError, match="only while the assessment is in review"):
        reviewing.record_verdict(a, answers[0], team.reviewer, verdict=Verdict.ACCEPTABLE)
    # After the project team's correction, a new verdict replaces the old one; the request it
    # raised closes once the team marks it dealt with and the reviewer agrees.
    workflow.submit(a, team.pm)
    workflow.start_review(a, team.reviewer)
    reviewing.record_verdict(a, answers[2], team.reviewer, verdict=Verdict.ACCEPTABLE)
    with pytest.raises(workflow.WorkflowError, match="requests due now are open"):
        workflow.approve(a, team.reviewer)
    requests.mark_dealt_with(actions[answers[2].pk], team.pm, note="Now a harm")
    requests.agree(actions[answers[2].pk], team.reviewer)
    workflow.approve(a, team.reviewer)


def test_override_needs_a_reason(team):
    a = ready_to_submit(team)
    workflow.submit(a, team.pm)
    workflow.start_review(a, team.reviewer)
    answer = a.answers.first()
    with pytest.raises(workflow.WorkflowError, match="reason"):
        reviewing.override_rating(a, team.reviewer, answer=answer, value="high", reason=" ")


def _signed_off(team, **kwargs):
    a = _to_approved(team, ready_to_submit(team, **kwargs))
    workflow.accept_action_plan(a, team.sro)
    workflow.sign_off(a, team.reviewer)
    a.refresh_from_db()
    return a


def test_signed_off_keeps_snapshot_rule_set_and_bank(team):
    a = _signed_off(team)
    snapshot, rule_set, bank = a.score_snapshot, a.rule_set_id, a.question_bank_id
    assert snapshot and rule_set and bank
    with pytest.raises(scoring.FrozenAssessmentError):
        scoring.refresh_snapshot(a)
    a.refresh_from_db()
    assert (a.score_snapshot, a.rule_set_id, a.question_bank_id) == (snapshot, rule_set, bank)


def test_signed_off_is_read_only_to_direct_posts(team, client):
    a = _signed_off(team)
    answer = a.answers.select_related("question__determinant").first()
    before = Answer.objects.get(pk=answer.pk).direction
    client.force_login(team.pm)
    code = answer.question.determinant.code
    response = client.post(reverse("assessments:section-edit", args=[a.pk, code]), {"version": 99})
    assert response.status_code == 403
    response = client.post(
        reverse("assessments:action-plan", args=[a.pk]),
        {
            "kind": "mitigation",
            "text": "x",
            "owner": "y",
            "due_stage": a.stage_id,
            "status": "open",
        },
    )
    assert response.status_code == 403
    for verb in ["submit", "request-changes", "approve", "sign-off"]:
        client.post(reverse("assessments:transition", args=[a.pk, verb]), {"note": "x"})
    client.post(reverse("assessments:rescreen", args=[a.pk]), {"reason": "scale", "note": "x"})
    client.post(
        reverse("assessments:justify-flag", args=[a.pk]), {"flag_code": "F2", "justification": "x"}
    )
    client.post(reverse("assessments:confirm-baseline", args=[a.pk]))
    client.force_login(team.reviewer)
    client.post(
        reverse("assessments:verdict", args=[a.pk, answer.pk]),
        {f"v{answer.pk}-verdict": "acceptable"},
    )
    a.refresh_from_db()
    assert a.status == S.SIGNED_OFF
    assert Answer.objects.get(pk=answer.pk).direction == before
    assert not a.actions.exists() and not a.verdicts.exists() and not a.flag_justifications.exists()
    assert StageAssessment.objects.filter(project=a.project).count() == 1


def test_admin_cannot_change_a_signed_off_assessment(team, client):
    a = _signed_off(team)
    client.force_login(team.sysadmin)
    response = client.post(
        reverse("admin:assessments_stageassessment_change", args=[a.pk]), {"status": "draft"}
    )
    assert response.status_code in (302, 403)
    assert StageAssessment.objects.get(pk=a.pk).status == S.SIGNED_OFF


def _admin_change_project(client, project, **changes):
    """Post the admin's change form for a project as its page fills it, with `changes`."""
    url = reverse("admin:assessments_capitalproject_change", args=[project.pk])
    form = client.get(url).context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = field.prepare_value(form[name].value())
        data[name] = "" if value is None else value
    response = client.post(url, {**data, **changes})
    assert response.status_code == 302, response.context["adminform"].form.errors
    project.refresh_from_db()
    return project


def _pdf_text(content: bytes) -> str:
    import io

    from pypdf import PdfReader

    return " ".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(content)).pages)


def test_an_admin_edit_of_the_project_leaves_a_signed_off_stage_as_it_was(
    team, client, django_capture_on_commit_callbacks
):
    """After a stage is signed off (before the worker stored its report) and the next stage has
    begun, a system administrator renames the project, multiplies its budget and moves it in the
    admin. The signed-off stage keeps its flags and ratings (no re-screen flag F7) and its
    reports describe the project as it was signed off; the admin follows the app's own rules:
    the open stage is re-scored for the new place, and a project form opened before the edit is
    refused as stale instead of overwriting it."""
    import re

    a = _signed_off(team)
    frozen = (a.open_flags, a.overall_rating, a.equity_index, a.score_snapshot, a.scored_at)
    following = workflow.start_next_stage(a, team.pm)
    scored_before = following.scored_at
    client.force_login(team.pm)
    edit_url = reverse("assessments:project-edit", args=[a.project_id])
    stale_form = client.get(edit_url).context["form"]

    client.force_login(team.sysadmin)
    project = _admin_change_project(
        client,
        a.project,
        title="Renamed riverside homes",
        budget="5000000",
        postcodes='["G51 3XX"]',
    )
    assert (project.title, project.budget) == ("Renamed riverside homes", Decimal("5000000"))
    assert scoring.material_changes(a), "for an open stage this edit would be a material change"

    a.refresh_from_db()
    assert (a.open_flags, a.overall_rating, a.equity_index, a.score_snapshot, a.scored_at) == frozen
    assert "F7" not in a.open_flags
    assert StageAssessment.objects.get(pk=following.pk).scored_at > scored_before

    client.force_login(team.reviewer)
    page = client.get(a.get_absolute_url()).content.decode()
    assert "Re-screen" not in page and "material change" not in page
    response = client.get(reverse("assessments:stage-report-pdf", args=[a.pk]))
    assert response.status_code == 200
    text = _pdf_text(response.content)
    assert "£1,000,000" in text and "£5,000,000" not in text
    assert "Test riverside housing" in text and "Renamed" not in text and "G51 3XX" not in text
    preview = client.get(reverse("assessments:stage-report-preview", args=[a.pk])).content.decode()
    assert "£1,000,000" in preview and "Renamed" not in preview
    # The project report is about the project now, and each signed-off stage as it was signed off.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("assessments:project-report-request", args=[project.pk]))
    job = project.report_jobs.get()
    text = _pdf_text(
        client.get(
            reverse("assessments:project-report-download", args=[project.pk, job.pk])
        ).content
    )
    assert "Renamed riverside homes" in text
    signed_off_chapter = re.split(r"Strategic Business Case\s+assessment", text)[-1]
    signed_off_chapter = re.split(r"Outline Business Case\s+assessment", signed_off_chapter)[0]
    assert "£1,000,000" in signed_off_chapter and "£5,000,000" not in signed_off_chapter

    client.force_login(team.pm)
    data = {name: stale_form[name].value() for name in stale_form.fields}
    data = {name: "" if value is None else value for name, value in data.items()}
    response = client.post(edit_url, {**data, "title": "My older title"})
    assert response.status_code == 409
    project.refresh_from_db()
    assert project.title == "Renamed riverside homes"


def test_next_stage_carries_answers_forward_unconfirmed_and_open_actions(team):
    a = ready_to_submit(team, stage="STRATEGIC")
    harm = add_harm(a)
    reviewing.add_action(
        a,
        team.pm,
        answer=harm,
        kind="mitigation",
        text="Dust plan",
        owner="Site",
        due_stage=a.stage,
    )
    reviewing.add_action(
        a,
        team.pm,
        kind="enhancement",
        text="Finished already",
        owner="Site",
        due_stage=a.stage,
        status=ActionStatus.DONE,
    )
    a = _to_approved(team, a)
    workflow.accept_action_plan(a, team.sro)
    workflow.sign_off(a, team.reviewer)
    new = workflow.start_next_stage(a, team.pm)
    assert new.stage.code == "SBC" and new.carried_from_id == a.pk
    assert new.project.current_stage.code == "SBC"
    carried = Answer.objects.get(assessment=new, question=harm.question)
    assert carried.carried_from_id == harm.pk and not carried.baseline_confirmed
    assert (carried.direction, carried.likelihood, carried.severity) == ("negative", 4, 2)
    assert list(carried.groups.values_list("group__code", flat=True)) == ["SE_AREA_DEP"]
    moved = new.actions.get()
    assert (
        moved.text == "Dust plan"
        and moved.carried_from.assessment_id == a.pk
        and moved.answer_id == carried.pk
    )
    # Overdue: due at STRATEGIC, now at SBC.
    assert "F8" in new.open_flags
    # Never silently: submission lists the answers still to confirm.
    with pytest.raises(workflow.WorkflowError, match="carried forward"):
        workflow.submit(new, team.pm)
    with pytest.raises(workflow.WorkflowError, match="one section at a time"):
        workflow.confirm_baseline(new, team.pm)
    assert (
        sum(
            workflow.confirm_baseline(new, team.pm, determinant=determinant)
            for determinant in Determinant.objects.all()
        )
        == new.answers.filter(carried_from__isnull=False).count()
    )
    assert not workflow.unconfirmed_baseline(new)


def test_next_stage_refused_unless_signed_off_and_current(team):
    a = ready_to_submit(team)
    with pytest.raises(workflow.WorkflowError):
        workflow.start_next_stage(a, team.pm)
    a = _signed_off(team, reference="T-2")
    workflow.start_next_stage(a, team.pm)
    with pytest.raises(workflow.WorkflowError, match="moved on"):
        workflow.start_next_stage(a, team.pm)


def test_last_stage_has_no_next_stage(team):
    a = _signed_off(team, stage="EVALUATION")
    with pytest.raises(workflow.WorkflowError, match="last stage"):
        workflow.start_next_stage(a, team.pm)


def test_rescreen_supersedes_and_reopens_the_stage(team):
    a = ready_to_submit(team)
    workflow.submit(a, team.pm)
    new = workflow.rescreen(a, team.pm, reason="population", note="Route now passes a care home")
    a.refresh_from_db()
    assert a.status == S.SUPERSEDED
    assert new.status == S.DRAFT and new.stage_id == a.stage_id and new.carried_from_id == a.pk
    assert new.answers.filter(carried_from__isnull=False, baseline_confirmed=False).exists()
    assert "care home" in a.status_changes.get(event="rescreen").note
    assert new.status_changes.get(event="rescreen_created")
    with pytest.raises(workflow.WorkflowError):
        workflow.submit(a, team.pm)


def test_rescreen_for_budget_needs_a_change_beyond_the_rule_set_threshold(team):
    a = ready_to_submit(team, budget="1000000")
    project = a.project
    project.budget = Decimal("1100000")
    project.save()
    with pytest.raises(workflow.WorkflowError, match="more than 20%"):
        workflow.rescreen(a, team.pm, reason="budget", note="Tender prices")
    project.budget = Decimal("1300000")
    project.save()
    scoring.refresh_snapshot(a)
    a.refresh_from_db()
    assert "F7" in a.open_flags
    new = workflow.rescreen(a, team.pm, reason="budget", note="Tender prices")
    assert "F7" not in new.open_flags


def test_stale_status_is_refused_with_a_clear_message(team):
    a = ready_to_submit(team)
    workflow.submit(a, team.pm)
    workflow.start_review(a, team.reviewer)
    workflow.approve(a, team.reviewer)
    with pytest.raises(workflow.WorkflowError) as refused:
        workflow.request_changes(a, team.reviewer2, note="Wait", expected_status=S.IN_REVIEW)
    assert "while you were looking at it" in str(refused.value)
    assert "Approved" in str(refused.value)


def test_transition_view_shows_refusal_as_message(team, client):
    a = start(make_team_project(team), by=team.pm)
    client.force_login(team.pm)
    response = client.post(
        reverse("assessments:transition", args=[a.pk, "submit"]),
        {"expected_status": "draft"},
        follow=True,
    )
    assert response.status_code == 200
    assert "cannot be submitted yet" in response.content.decode()
    assert StageAssessment.objects.get(pk=a.pk).status == S.DRAFT


def test_workflow_panel_buttons_follow_permissions(team, client):
    a = ready_to_submit(team)
    client.force_login(team.pm)
    page = client.get(a.get_absolute_url()).content.decode()
    assert "Submit for review" in page and "Start review" not in page
    client.force_login(team.reviewer)
    page = client.get(a.get_absolute_url()).content.decode()
    assert "Submit for review" not in page
    workflow.submit(a, team.pm)
    page = client.get(a.get_absolute_url()).content.decode()
    assert "Start review" in page


def _status_writes(tree) -> list[int]:
    """Lines that write a `status` field whatever the variable is called: an attribute assignment,
    setattr, a queryset update or bulk_update, or a save listing it in update_fields.
    (An action's status is edited through its model form, a different field on a different model.)"""
    import ast

    def names_status(node) -> bool:
        return isinstance(node, (ast.List, ast.Tuple, ast.Set)) and any(
            isinstance(item, ast.Constant) and item.value == "status" for item in node.elts
        )

    def job_status(value) -> bool:
        # A report job's or an action's own status, always written as a ReportJobStatus or
        # ActionStatus member.
        return isinstance(value, ast.Attribute) and getattr(value.value, "id", "") in (
            "ReportJobStatus",
            "ActionStatus",
        )

    found = []
    for node in ast.walk(tree):
        targets = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, (ast.AugAssign, ast.AnnAssign)):
            targets = [node.target]
        if any(isinstance(t, ast.Attribute) and t.attr == "status" for t in targets) and not (
            job_status(node.value)
        ):
            found.append(node.lineno)
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        if (
            called == "setattr"
            and len(node.args) > 1
            and getattr(node.args[1], "value", None) == "status"
        ):
            found.append(node.lineno)
        if (
            called in ("update", "update_or_create")
            and isinstance(func, ast.Attribute)
            and any(k.arg == "status" and not job_status(k.value) for k in node.keywords)
        ):
            found.append(node.lineno)
        if called == "bulk_update" and any(names_status(arg) for arg in node.args[1:]):
            found.append(node.lineno)
        if any(k.arg == "update_fields" and names_status(k.value) for k in node.keywords):
            found.append(node.lineno)
    return found


def test_only_workflow_py_changes_an_assessment_status():
    """No module but workflow.py writes a `status` field, under any variable name (tests may force
    one for set-up). Report jobs have a status of their own, written as ReportJobStatus members."""
    import ast
    from pathlib import Path

    app = Path(workflow.__file__).parent
    offenders = [
        f"{path.relative_to(app)}:{line}"
        for path in sorted(app.rglob("*.py"))
        if path.name != "workflow.py" and "migrations" not in path.parts
        for line in _status_writes(ast.parse(path.read_text()))
    ]
    assert offenders == []


def test_admin_offers_no_way_to_change_or_delete_audit_rows(team, client):
    a = _signed_off(team)
    change = a.status_changes.first()
    client.force_login(team.sysadmin)
    assert client.get(reverse("admin:assessments_statuschange_changelist")).status_code == 200
    response = client.post(
        reverse("admin:assessments_statuschange_delete", args=[change.pk]), {"post": "yes"}
    )
    assert response.status_code == 403
    response = client.post(
        reverse("admin:assessments_statuschange_change", args=[change.pk]), {"note": "rewritten"}
    )
    assert response.status_code == 403
    change.refresh_from_db()
    assert change.note == "" and StatusChange.objects.filter(pk=change.pk).exists()
