"""The review, action plan, export and timeline pages as people use them."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from assessments.community import consultation as community
from assessments.models import Action, Determinant, ReviewVerdict
from assessments.review import reviewing, workflow
from tests.factories import add_harm, ready_to_submit


def _in_review(team):
    a = ready_to_submit(team)
    workflow.submit(a, team.pm)
    workflow.start_review(a, team.reviewer)
    return a


def test_reviewer_records_a_verdict_with_override_through_the_page(team, client):
    a = _in_review(team)
    answer = a.answers.order_by("question__code").first()
    client.force_login(team.reviewer)
    page = client.get(reverse("assessments:review", args=[a.pk])).content.decode()
    assert answer.question.code in page and "Record verdict" in page
    response = client.post(
        reverse("assessments:verdict", args=[a.pk, answer.pk]),
        {
            f"v{answer.pk}-verdict": "to_correct",
            f"v{answer.pk}-comment": "This is a harm, not no impact",
            f"v{answer.pk}-override_band": "high",
            f"v{answer.pk}-override_reason": "Beside a primary school",
        },
    )
    assert response.status_code == 302
    assert ReviewVerdict.objects.get().verdict == "to_correct"
    assert Action.objects.get().text == "This is a harm, not no impact"
    page = client.get(reverse("assessments:review", args=[a.pk])).content.decode()
    assert "tool <strong>not scored</strong>, reviewer <strong>high</strong>" in page
    detail = client.get(a.get_absolute_url()).content.decode()
    assert "Beside a primary school" in detail  # both values on the assessment page too


def test_verdict_form_errors_are_reported(team, client):
    a = _in_review(team)
    answer = a.answers.first()
    client.force_login(team.reviewer)
    response = client.post(
        reverse("assessments:verdict", args=[a.pk, answer.pk]),
        {f"v{answer.pk}-verdict": "improvable"},
        follow=True,
    )
    assert "not recorded" in response.content.decode()
    assert not ReviewVerdict.objects.exists()


def test_project_manager_adds_and_updates_actions(team, client):
    a = ready_to_submit(team)
    harm = add_harm(a)
    client.force_login(team.pm)
    response = client.post(
        reverse("assessments:action-plan", args=[a.pk]),
        {
            "answer": harm.pk,
            "kind": "mitigation",
            "text": "Wheel wash and dust monitors",
            "owner": "Contractor",
            "due_stage": a.stage_id,
            "funding": "Contract sum",
            "status": "open",
        },
    )
    assert response.status_code == 302
    action = Action.objects.get()
    response = client.post(
        reverse("assessments:action-edit", args=[action.pk]),
        {
            f"a{action.pk}-answer": harm.pk,
            f"a{action.pk}-kind": "mitigation",
            f"a{action.pk}-text": action.text,
            f"a{action.pk}-owner": "Contractor",
            f"a{action.pk}-due_stage": a.stage_id,
            f"a{action.pk}-funding": "Contract sum",
            f"a{action.pk}-status": "in_progress",
        },
    )
    action.refresh_from_db()
    assert action.status == "in_progress"
    page = client.get(reverse("assessments:action-plan", args=[a.pk])).content.decode()
    assert "Wheel wash and dust monitors" in page and "In progress" in page


def test_panel_member_and_other_council_cannot_post_actions(team, client):
    a = ready_to_submit(team)
    for user in (team.panel, team.other_pm, team.sro):
        client.force_login(user)
        response = client.post(reverse("assessments:action-plan", args=[a.pk]), {"text": "x"})
        assert response.status_code in (403, 404)
    assert not Action.objects.exists()


def test_justification_through_the_page(team, client):
    a = ready_to_submit(team)
    harm = add_harm(a)
    client.force_login(team.pm)
    client.post(
        reverse("assessments:justify-flag", args=[a.pk]),
        {
            "flag_code": "F2",
            "answer_code": harm.question.code,
            "justification": "Temporary and monitored",
        },
    )
    assert a.flag_justifications.get().answer == harm
    workflow.submit(a, team.pm)


@pytest.mark.parametrize(
    "data, field, message",
    [
        (
            {"flag_code": "F2", "justification": "j" * 4001},
            "justification",
            "at most 4000 characters (it has 4001)",
        ),
        (
            {"flag_code": "F2", "justification": ""},
            "justification",
            "Write why this flag does not need more action.",
        ),
        (
            {"flag_code": "F10", "justification": "Monitored"},
            "flag_code",
            "Choose one of the flags F1 to F9.",
        ),
        (
            {"flag_code": "F2", "answer_code": "D99-X-9", "justification": "Monitored"},
            "answer_code",
            "There is no question D99-X-9 in this assessment.",
        ),
    ],
)
def test_a_refused_justification_says_what_is_wrong_next_to_the_field(
    team, client, data, field, message
):
    a = ready_to_submit(team)
    client.force_login(team.pm)
    response = client.post(reverse("assessments:justify-flag", args=[a.pk]), data)
    assert response.status_code == 400
    assert message in " ".join(response.context["justification_form"].errors[field])
    body = response.content.decode()
    assert "Choose a flag and write the justification" not in body
    summary = body.split('id="error-summary"')[1].split("</ul>")[0]
    assert f'href="#id_{field}"' in summary and message in summary
    assert f'id="id_{field}_error"' in body  # the message by the field, which points to it
    assert not a.flag_justifications.exists()


def test_action_plan_exports(team, client):
    a = ready_to_submit(team)
    harm = add_harm(a)
    reviewing.add_action(
        a,
        team.pm,
        answer=harm,
        kind="mitigation",
        text="=HYPERLINK(bad)",
        owner="Site",
        due_stage=a.stage,
        funding="£20k",
    )
    client.force_login(team.pmo)
    response = client.get(reverse("assessments:action-export", args=[a.project_id, "csv"]))
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:5] == ["Stage", "Assessment status", "Question", "Kind", "Action"]
    assert (
        rows[1][2] == harm.question.code
        and rows[1][4] == "'=HYPERLINK(bad)"
        and rows[1][7] == "£20k"
    )
    response = client.get(reverse("assessments:action-export", args=[a.project_id, "xlsx"]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A1"].value == "Stage" and sheet["F2"].value == "Site"
    client.force_login(team.other_pm)
    assert (
        client.get(reverse("assessments:action-export", args=[a.project_id, "csv"])).status_code
        == 404
    )


def test_timeline_shows_status_changes_verdicts_comments_and_field_changes(team, client):
    a = ready_to_submit(team)
    client.force_login(team.pm)
    answer = a.answers.order_by("question__code").first()
    answer.direction, answer.pathway = "positive", "More green space"
    answer.likelihood, answer.severity, answer.reach, answer.duration = 3, 1, "locality", "long"
    answer.save()
    workflow.submit(a, team.pm, note="First submission")
    workflow.start_review(a, team.reviewer)
    reviewing.record_verdict(
        a, answer, team.reviewer, verdict="improvable", comment="Name the park"
    )
    community.open_consultation(a, team.pm)
    comment = community.add_comment(a, team.panel, text="Lovely idea")
    community.reply(comment, team.pm, text="Thanks: the park is named in the plan")
    project = a.project
    project.title = "Riverside homes and park"
    project.save()
    page = client.get(reverse("assessments:project-timeline", args=[a.project_id])).content.decode()
    for text in [
        "Submitted for review",
        "First submission",
        "Verdict on",
        "Name the park",
        "Panel comment",
        "Lovely idea",
        "Reply to a panel comment",
        "Community consultation opened",
        f"Answer {answer.question.code} changed",
        "More green space",
        "Project details changed",
        "Riverside homes and park",
    ]:
        assert text in page, text
    assert page.index("Project details changed") < page.index(
        "Submitted for review"
    )  # newest first
    assert "Reviewer Tester" in page and "Panel Tester" in page  # who did it


def test_carried_forward_answers_are_listed_and_confirmed_from_the_page(team, client):
    a = ready_to_submit(team, stage="STRATEGIC")
    workflow.submit(a, team.pm)
    new = workflow.rescreen(a, team.pm, reason="scale", note="Twice the homes")
    client.force_login(team.pm)
    page = client.get(new.get_absolute_url()).content.decode()
    code = (
        new.answers.filter(carried_from__isnull=False)
        .order_by("question__code")
        .first()
        .question.code
    )
    assert "carried forward from the previous stage must be confirmed" in page and code in page
    # Not the whole stage in one click: each section is confirmed from its own page.
    client.post(reverse("assessments:confirm-baseline", args=[new.pk]))
    assert workflow.unconfirmed_baseline(new)
    for determinant in Determinant.objects.all():
        client.post(
            reverse("assessments:confirm-baseline", args=[new.pk]),
            {"determinant": determinant.code},
        )
    assert not workflow.unconfirmed_baseline(new)
    assert (
        "carried forward from the previous stage must be confirmed"
        not in client.get(new.get_absolute_url()).content.decode()
    )


def test_section_page_names_carried_forward_answers_and_confirms_them(team, client):
    a = ready_to_submit(team, stage="STRATEGIC")
    workflow.submit(a, team.pm)
    new = workflow.rescreen(a, team.pm, reason="location", note="Moved to the other bank")
    answer = (
        new.answers.filter(carried_from__isnull=False)
        .select_related("question__determinant")
        .first()
    )
    determinant = answer.question.determinant
    client.force_login(team.pm)
    page = client.get(
        reverse("assessments:section-edit", args=[new.pk, determinant.code])
    ).content.decode()
    assert (
        "Answers carried forward from the previous stage" in page and answer.question.code in page
    )
    client.post(
        reverse("assessments:confirm-baseline", args=[new.pk]), {"determinant": determinant.code}
    )
    assert not new.answers.filter(
        question__determinant=determinant, baseline_confirmed=False
    ).exists()
    assert new.answers.filter(baseline_confirmed=False).exists()  # other sections still to confirm
