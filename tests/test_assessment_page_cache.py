"""The assessment page caches its scores and answer tables; nobody may ever see a stale copy."""

import pytest
from django.urls import reverse

from assessments.enums import AssessmentStatus, Role
from assessments.models import AssessmentSection
from tests.factories import answer_payload, make_assessment, make_user, ready_to_submit


@pytest.fixture
def people(glasgow):
    return {
        "manager": make_user(council=glasgow, role=Role.PROJECT_MANAGER),
        "reviewer": make_user(council=glasgow, role=Role.REVIEWER),
    }


@pytest.fixture
def assessment(glasgow, people):
    return make_assessment(council=glasgow, by=people["manager"])


def save_d05(client, assessment, mitigation):
    section = AssessmentSection.objects.get(assessment=assessment, determinant__code="D05")
    answers = list(assessment.answers.filter(question__determinant__code="D05").order_by("question__order"))
    data = {"version": section.version, "then": "overview", "not_assessed_reason": ""}
    for index, answer in enumerate(answers):
        values = {"direction": "no_impact", "reversible": "yes"}
        if index == 0:
            values = {"direction": "negative", "likelihood": 3, "severity": 2, "duration": "long",
                      "reach": "locality", "reversible": "yes", "mitigation": mitigation, "mitigation_owner": "Site team"}
        data.update(answer_payload(f"a{answer.pk}", **values))
    response = client.post(reverse("assessments:section-edit", args=[assessment.pk, "D05"]), data)
    assert response.status_code == 302


def test_a_saved_answer_shows_at_once_on_the_cached_page(client_for, assessment, people):
    client = client_for(people["manager"])
    url = assessment.get_absolute_url()
    assert "Night-time working ban" not in client.get(url).content.decode()
    save_d05(client, assessment, "Night-time working ban")
    page = client.get(url).content.decode()
    assert "Night-time working ban" in page
    save_d05(client, assessment, "Acoustic fencing instead")
    page = client.get(url).content.decode()
    assert "Acoustic fencing instead" in page and "Night-time working ban" not in page


def test_each_person_sees_their_own_actions_not_a_copy_cached_for_someone_else(client, assessment, people):
    url = assessment.get_absolute_url()
    edit_link = reverse("assessments:section-edit", args=[assessment.pk, "D05"])
    client.force_login(people["manager"])
    assert edit_link in client.get(url).content.decode()
    client.force_login(people["reviewer"])
    assert edit_link not in client.get(url).content.decode()
    client.force_login(people["manager"])
    assert edit_link in client.get(url).content.decode()


def test_a_status_change_refreshes_the_cached_page(client_for, assessment, people):
    client = client_for(people["manager"])
    url = assessment.get_absolute_url()
    edit_link = reverse("assessments:section-edit", args=[assessment.pk, "D05"])
    assert edit_link in client.get(url).content.decode()
    assessment.status = AssessmentStatus.SUBMITTED
    assessment.save()
    assert edit_link not in client.get(url).content.decode()


# The whole page is cached per viewer (views.caching.cached_page); each test below changes one
# thing the page shows, by whatever route it changes in real use, and looks for it at once.

import re
from datetime import timedelta

from django.test import Client
from django.utils import timezone

from assessments import community, reviewing, workflow
from assessments.models import ConsultationWindow, Council


def _page(client, assessment):
    response = client.get(assessment.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def test_a_new_action_shows_at_once(team):
    a = ready_to_submit(team)
    client = Client()
    client.force_login(team.pm)
    assert "Action plan (0 open)" in _page(client, a)
    reviewing.add_action(a, team.pm, kind="mitigation", text="Quiet construction hours", owner="Site team",
                         due_stage=a.stage)
    assert "Action plan (1 open)" in _page(client, a)


def test_a_consultation_that_reaches_its_closing_time_stops_showing_as_open(team):
    a = ready_to_submit(team)
    workflow.submit(a, team.pm)
    community.open_consultation(a, team.pm, closes_at=timezone.now() + timedelta(hours=1))
    client = Client()
    client.force_login(team.pm)
    assert "Community consultation (open)" in _page(client, a)
    # Time passing, without any write through the app.
    ConsultationWindow.objects.filter(assessment=a).update(closes_at=timezone.now() - timedelta(minutes=1))
    assert "Community consultation (open)" not in _page(client, a)


def test_a_council_renamed_in_the_admin_shows_at_once(team):
    a = ready_to_submit(team)
    client = Client()
    client.force_login(team.pm)
    assert "Renamed Council" not in _page(client, a)
    council = Council.objects.get(pk=team.council.pk)
    council.name = "Renamed Council"
    council.save()
    assert "Renamed Council" in _page(client, a)


def test_each_browser_gets_forms_that_work_with_its_own_csrf_cookie(team):
    a = ready_to_submit(team)
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first.force_login(team.pm)
    second.force_login(team.pm)
    first_token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', _page(first, a)).group(1)
    second_page = _page(second, a)
    second_token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', second_page).group(1)
    assert second_token != first_token
    response = second.post(reverse("assessments:transition", args=[a.pk, "submit"]),
                           {"csrfmiddlewaretoken": second_token, "expected_status": a.status})
    assert response.status_code == 302
    a.refresh_from_db()
    assert a.status == AssessmentStatus.SUBMITTED


def test_a_one_off_message_is_shown_once_and_never_cached(team):
    a = ready_to_submit(team)
    client = Client()
    client.force_login(team.pm)
    _page(client, a)
    response = client.post(reverse("assessments:transition", args=[a.pk, "submit"]),
                           {"expected_status": a.status}, follow=True)
    assert "Submitted for review." in response.content.decode()
    assert "Submitted for review." not in _page(client, a)


def test_a_changed_display_name_shows_in_the_header_at_once(team):
    a = ready_to_submit(team)
    client = Client()
    client.force_login(team.pm)
    assert "Signed in as Pm Tester" in _page(client, a)
    team.pm.first_name = "Priya"
    team.pm.save()
    assert "Signed in as Priya Tester" in _page(client, a)


def test_a_role_taken_away_takes_the_page_away_at_once(team):
    a = ready_to_submit(team)
    client = Client()
    client.force_login(team.contributor)
    _page(client, a)
    team.contributor.memberships.all().delete()
    assert client.get(a.get_absolute_url()).status_code == 404


def test_a_colleague_renamed_shows_at_once_in_the_history_and_the_plan_acceptance(team):
    a = ready_to_submit(team)
    workflow.submit(a, team.pm)
    workflow.start_review(a, team.reviewer)
    workflow.approve(a, team.reviewer)
    workflow.accept_action_plan(a, team.sro)
    client = Client()
    client.force_login(team.pm)
    page = _page(client, a)
    assert "Marguerite" not in page and "Ishbel" not in page
    # Renamed through the admin (a plain save), by someone other than the viewer.
    team.reviewer.first_name = "Marguerite"
    team.reviewer.save()
    team.sro.first_name = "Ishbel"
    team.sro.save()
    page = _page(client, a)
    assert re.search(r"by Marguerite \w+", page)
    assert re.search(r"Action plan accepted by Ishbel \w+", page)
