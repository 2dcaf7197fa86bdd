"""The complete permission matrix: every role (and another council's people, the regional
viewer, the system administrator and anonymous visitors) × every action × every assessment
status. EXPECTED lists everything that is allowed; everything else must be refused."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from assessments import permissions as p
from assessments.enums import AssessmentStatus as S
from assessments.models import ConsultationWindow, LifecycleStage, StageAssessment
from assessments.models.reference import QuestionBank
from tests.factories import make_team_project

ALL = frozenset(S)
FROZEN = frozenset({S.SIGNED_OFF, S.SUPERSEDED})
OPEN = ALL - FROZEN
EDITABLE = frozenset({S.DRAFT, S.CHANGES_REQUESTED})
NOT_DRAFT = ALL - {S.DRAFT}
CONSULT = frozenset({S.SUBMITTED, S.IN_REVIEW, S.CHANGES_REQUESTED, S.APPROVED})

READERS = ("pm", "contributor", "reviewer", "sro", "admin", "pmo", "sysadmin")
ROLES = READERS + (
    "panel",
    "other_pm",
    "other_contributor",
    "other_reviewer",
    "other_sro",
    "other_panel",
    "other_admin",
    "anonymous",
)

ASSESSMENT_ACTIONS = {
    "view_assessment": p.can_view_assessment,
    "edit_answers": p.can_edit_answers,
    "submit": p.can_submit,
    "start_review": p.can_start_review,
    "review": p.can_review,
    "request_changes": p.can_request_changes,
    "approve": p.can_approve,
    "accept_action_plan": p.can_accept_action_plan,
    "sign_off": p.can_sign_off,
    "rescreen": p.can_rescreen,
    "start_next_stage": p.can_start_next_stage,
    "manage_actions": p.can_manage_actions,
    "justify_flag": p.can_justify_flag,
    "confirm_baseline": p.can_confirm_baseline,
    "open_consultation": p.can_open_consultation,
    "close_consultation": p.can_close_consultation,
    "view_panel_summary": p.can_view_panel_summary,
    "comment_as_panel": p.can_comment_as_panel,
    "reply_to_comment": p.can_reply_to_comment,
    "moderate": p.can_moderate,
}
PROJECT_ACTIONS = {
    "view_project": p.can_view_project,
    "view_timeline": p.can_view_timeline,
    "export_actions": p.can_export_actions,
    "edit_project": p.can_edit_project,
    "start_assessment": p.can_start_assessment,
}

# action -> {role: statuses in which it is allowed}. Anything missing is refused.
EXPECTED = {
    "view_assessment": dict.fromkeys(READERS, ALL),
    "edit_answers": {"pm": EDITABLE, "contributor": EDITABLE},
    "submit": {"pm": EDITABLE},
    "start_review": {"reviewer": {S.SUBMITTED}},
    "review": {"reviewer": {S.IN_REVIEW}},
    "request_changes": {"reviewer": {S.IN_REVIEW, S.APPROVED}},
    "approve": {"reviewer": {S.IN_REVIEW}},
    "accept_action_plan": {"sro": {S.APPROVED}},
    "sign_off": {"reviewer": {S.APPROVED}},
    "rescreen": {"pm": OPEN},
    "start_next_stage": {"pm": {S.SIGNED_OFF}},
    "manage_actions": {"pm": OPEN, "contributor": OPEN},
    "justify_flag": {"pm": EDITABLE, "reviewer": {S.IN_REVIEW, S.APPROVED}},
    "confirm_baseline": {"pm": EDITABLE, "contributor": EDITABLE},
    "open_consultation": {"pm": CONSULT},
    "close_consultation": {"pm": NOT_DRAFT},
    "view_panel_summary": {**dict.fromkeys(READERS, ALL), "panel": NOT_DRAFT},
    "comment_as_panel": {"panel": CONSULT},
    "reply_to_comment": {"pm": NOT_DRAFT - FROZEN},
    "moderate": {"admin": NOT_DRAFT, "reviewer": NOT_DRAFT},
    # Project-level: the same in every status.
    "view_project": dict.fromkeys(READERS, ALL),
    "view_timeline": dict.fromkeys(READERS, ALL),
    "export_actions": dict.fromkeys(READERS, ALL),
    "edit_project": {"pm": ALL, "admin": ALL},
    "start_assessment": {"pm": ALL},
}


@pytest.fixture
def world(team):
    """One project with an assessment in every status (each at its own stage), consultation
    windows open on every non-draft one, written by the project manager."""
    project = make_team_project(team)
    bank = QuestionBank.objects.get()
    stages = list(LifecycleStage.objects.order_by("order"))
    assessments = {}
    for stage, status in zip(stages, list(S), strict=False):
        a = StageAssessment.objects.create(
            project=project, stage=stage, question_bank=bank, status=status, created_by=team.pm
        )
        if status != S.DRAFT:
            ConsultationWindow.objects.create(assessment=a, opened_by=team.pm)
        assessments[status] = a
    users = {role: getattr(team, role) for role in ROLES if role != "anonymous"}
    users["anonymous"] = AnonymousUser()
    return project, assessments, users


def test_expected_table_covers_every_action():
    assert set(EXPECTED) == set(ASSESSMENT_ACTIONS) | set(PROJECT_ACTIONS)
    for grants in EXPECTED.values():
        assert set(grants) <= set(ROLES)


def test_permission_matrix(world):
    project, assessments, users = world
    wrong = []
    checked = 0
    for action, expected in EXPECTED.items():
        for role in ROLES:
            for status, assessment in assessments.items():
                if action in ASSESSMENT_ACTIONS:
                    got = ASSESSMENT_ACTIONS[action](users[role], assessment)
                else:
                    got = PROJECT_ACTIONS[action](users[role], project)
                want = status in expected.get(role, ())
                checked += 1
                if got != want:
                    wrong.append(f"{action} by {role} when {status}: got {got}, expected {want}")
    assert checked == len(EXPECTED) * len(ROLES) * len(S)
    assert not wrong, "\n".join(wrong)


def test_panel_sees_nothing_before_a_consultation_is_held(team, client):
    """The panel's summary page is hidden until a consultation is held; once it has closed the
    summary stays readable but takes no more comments."""
    project = make_team_project(team)
    bank = QuestionBank.objects.get()
    a = StageAssessment.objects.create(
        project=project,
        stage=project.current_stage,
        question_bank=bank,
        status=S.IN_REVIEW,
        created_by=team.pm,
    )
    summary, add_comment = (
        reverse(f"assessments:{name}", args=[a.pk]) for name in ("consultation", "comment-add")
    )
    client.force_login(team.panel)

    assert client.get(summary).status_code == 404
    assert client.post(add_comment, {"text": "Too early"}).status_code == 404

    window = ConsultationWindow.objects.create(assessment=a, opened_by=team.pm)
    page = client.get(summary).content.decode()
    assert "Ways it could harm health" in page and "Tell the project team what you think" in page

    window.closed_at = window.opened_at
    window.save()
    page = client.get(summary).content.decode()
    assert (
        "Ways it could harm health" in page and "Tell the project team what you think" not in page
    )
    client.post(add_comment, {"text": "Too late"})
    assert not a.community_comments.exists()


PAGES = ["assessment-detail", "review", "action-plan", "consultation"]
# role -> pages they may open on a submitted assessment with a consultation open.
PAGE_ACCESS = {**{role: set(PAGES) for role in READERS}, "panel": {"consultation"}}


def test_pages_follow_the_matrix(world, client):
    project, assessments, users = world
    a = assessments[S.SUBMITTED]
    wrong = []
    for role in ROLES:
        client.logout()
        if role != "anonymous":
            client.force_login(users[role])
        for page in PAGES:
            response = client.get(reverse(f"assessments:{page}", args=[a.pk]))
            allowed = page in PAGE_ACCESS.get(role, ())
            if role == "anonymous":
                ok = response.status_code == 302 and "/accounts/login/" in response["Location"]
            else:
                ok = (
                    (response.status_code == 200) if allowed else response.status_code in (403, 404)
                )
            if not ok:
                wrong.append(f"{role} GET {page}: {response.status_code}")
        response = client.get(reverse("assessments:project-timeline", args=[project.pk]))
        timeline_ok = role in READERS
        if role != "anonymous" and (response.status_code == 200) != timeline_ok:
            wrong.append(f"{role} GET timeline: {response.status_code}")
    assert not wrong, "\n".join(wrong)


def test_panel_cannot_open_a_draft_consultation_page(world, client):
    project, assessments, users = world
    client.force_login(users["panel"])
    assert (
        client.get(reverse("assessments:consultation", args=[assessments[S.DRAFT].pk])).status_code
        == 404
    )
    assert (
        client.get(
            reverse("assessments:assessment-detail", args=[assessments[S.SUBMITTED].pk])
        ).status_code
        == 404
    )
