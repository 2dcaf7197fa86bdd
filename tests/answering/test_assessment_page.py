"""The assessment page shows every change at once, by whatever route it was made, and reads a
small number of queries that does not grow with the assessment."""

import json
import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from assessments.community import consultation as community
from assessments.dataops.reference_data import load_reference_data
from assessments.enums import AssessmentStatus, Role
from assessments.models import (
    AssessmentSection,
    ConsultationWindow,
    Council,
    Determinant,
    PopulationGroup,
)
from assessments.review import reviewing, workflow
from tests.factories import add_harm, answer_payload, make_assessment, make_user, ready_to_submit


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
    answers = list(
        assessment.answers.filter(question__determinant__code="D05").order_by("question__order")
    )
    data = {"version": section.version, "then": "overview", "not_assessed_reason": ""}
    for index, answer in enumerate(answers):
        values = {"direction": "no_impact", "reversible": "yes"}
        if index == 0:
            values = {
                "direction": "negative",
                "likelihood": 3,
                "severity": 2,
                "duration": "long",
                "reach": "locality",
                "reversible": "yes",
                "mitigation": mitigation,
                "mitigation_owner": "Site team",
            }
        data.update(answer_payload(f"a{answer.pk}", **values))
    response = client.post(reverse("assessments:section-edit", args=[assessment.pk, "D05"]), data)
    assert response.status_code == 302


def test_a_saved_answer_shows_at_once(client_for, assessment, people):
    client = client_for(people["manager"])
    url = assessment.get_absolute_url()
    assert "Night-time working ban" not in client.get(url).content.decode()
    save_d05(client, assessment, "Night-time working ban")
    page = client.get(url).content.decode()
    assert "Night-time working ban" in page
    save_d05(client, assessment, "Acoustic fencing instead")
    page = client.get(url).content.decode()
    assert "Acoustic fencing instead" in page and "Night-time working ban" not in page


def test_each_person_sees_their_own_actions(client, assessment, people):
    url = assessment.get_absolute_url()
    edit_link = reverse("assessments:section-edit", args=[assessment.pk, "D05"])
    client.force_login(people["manager"])
    assert edit_link in client.get(url).content.decode()
    client.force_login(people["reviewer"])
    assert edit_link not in client.get(url).content.decode()
    client.force_login(people["manager"])
    assert edit_link in client.get(url).content.decode()


def test_a_status_change_shows_at_once(client_for, assessment, people):
    client = client_for(people["manager"])
    url = assessment.get_absolute_url()
    edit_link = reverse("assessments:section-edit", args=[assessment.pk, "D05"])
    assert edit_link in client.get(url).content.decode()
    assessment.status = AssessmentStatus.SUBMITTED
    assessment.save()
    assert edit_link not in client.get(url).content.decode()


# Each test below changes one thing the page shows, by whatever route it changes in real use, and
# looks for it on the next view.


def _page(client, assessment):
    response = client.get(assessment.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def test_a_new_action_shows_at_once(team):
    a = ready_to_submit(team)
    client = Client()
    client.force_login(team.pm)
    assert "Action plan (0 open)" in _page(client, a)
    reviewing.add_action(
        a,
        team.pm,
        kind="mitigation",
        text="Quiet construction hours",
        owner="Site team",
        due_stage=a.stage,
    )
    assert "Action plan (1 open)" in _page(client, a)


def test_a_consultation_that_reaches_its_closing_time_stops_showing_as_open(team):
    a = ready_to_submit(team)
    workflow.submit(a, team.pm)
    community.open_consultation(a, team.pm, closes_at=timezone.now() + timedelta(hours=1))
    client = Client()
    client.force_login(team.pm)
    assert "Community consultation (open)" in _page(client, a)
    # Time passing, without any write through the app.
    ConsultationWindow.objects.filter(assessment=a).update(
        closes_at=timezone.now() - timedelta(minutes=1)
    )
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


def _rename_in_the_admin(model, code: str, name: str) -> None:
    """Rename a reference row through the admin's change form, as a system administrator does."""
    row = model.objects.get(code=code)
    admin = Client()
    admin.force_login(
        get_user_model().objects.create_superuser("admin.x", "admin@example.org", None)
    )
    fields = {
        f.name: getattr(row, f.name) for f in model._meta.fields if f.editable and f.name != "id"
    }
    data = {
        name_: json.dumps(value) if isinstance(value, (list, dict)) else value
        for name_, value in fields.items()
        if not isinstance(value, bool) or value
    }
    data["name"] = name
    url = reverse(f"admin:assessments_{model._meta.model_name}_change", args=[row.pk])
    response = admin.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert model.objects.get(code=code).name == name


@pytest.mark.parametrize(
    "model, code, shown",
    [
        (
            PopulationGroup,
            "SE_AREA_DEP",
            "Groups: {}",
        ),  # on the harm add_harm records for the group
        (Determinant, "D05", "D05 {}"),
    ],
)
def test_a_group_or_determinant_renamed_in_the_admin_shows_at_once(team, model, code, shown):
    a = ready_to_submit(team)
    add_harm(a, "D05")
    client = Client()
    client.force_login(team.pm)
    assert shown.format("Renamed in the admin") not in _page(client, a)
    _rename_in_the_admin(model, code, "Renamed in the admin")
    assert shown.format("Renamed in the admin") in _page(client, a)


def test_reloading_the_reference_data_shows_changed_names_at_once(team):
    a = ready_to_submit(team)
    client = Client()
    client.force_login(team.pm)
    Determinant.objects.filter(code="D05").update(name="Renamed determinant")
    assert "D05 Renamed determinant" in _page(client, a)
    # The loader puts the published name back, and the page shows it.
    load_reference_data()
    page = _page(client, a)
    assert "D05 Renamed determinant" not in page
    assert f"D05 {Determinant.objects.get(code='D05').name}" in page


def test_each_browser_gets_forms_that_work_with_its_own_csrf_cookie(team):
    a = ready_to_submit(team)
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first.force_login(team.pm)
    second.force_login(team.pm)
    first_token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', _page(first, a)).group(1)
    second_page = _page(second, a)
    second_token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', second_page).group(1)
    assert second_token != first_token
    response = second.post(
        reverse("assessments:transition", args=[a.pk, "submit"]),
        {"csrfmiddlewaretoken": second_token, "expected_status": a.status},
    )
    assert response.status_code == 302
    a.refresh_from_db()
    assert a.status == AssessmentStatus.SUBMITTED


def test_a_one_off_message_is_shown_once_and_never_cached(team):
    a = ready_to_submit(team)
    client = Client()
    client.force_login(team.pm)
    _page(client, a)
    response = client.post(
        reverse("assessments:transition", args=[a.pk, "submit"]),
        {"expected_status": a.status},
        follow=True,
    )
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


# The page's queries, counted on the second view (the first stores the session in the cache).
# Several of them are the workflow's own submission checks, which grey out "Submit for review"
# with their reasons while the project manager looks at a draft (review/availability.py).
PAGE_QUERIES = 15


def test_the_page_reads_the_same_few_queries_however_much_the_assessment_holds(
    team, django_assert_max_num_queries
):
    small = ready_to_submit(team, reference="T-SMALL")
    large = ready_to_submit(team, reference="T-LARGE")
    # One mitigated harm on the small one too, so both raise the same flags: what differs is
    # only how much each holds.
    for assessment, code in [(small, "D01")] + [(large, c) for c in ("D01", "D03", "D05", "D07")]:
        harm = add_harm(assessment, code)
        reviewing.add_action(
            assessment,
            team.pm,
            kind="mitigation",
            text=f"Mitigate {code}",
            owner="Site team",
            due_stage=assessment.stage,
            answer=harm,
        )
    client = Client()
    client.force_login(team.pm)
    counts = []
    for assessment in (small, large):
        _page(client, assessment)
        with django_assert_max_num_queries(PAGE_QUERIES) as captured:
            _page(client, assessment)
        counts.append(len(captured))
    assert counts[0] == counts[1] > 3


def test_a_benefit_is_never_shown_in_the_harm_colours(client, team):
    from tests.factories import add_benefit

    assessment = ready_to_submit(team)
    benefit = add_benefit(assessment)
    client.force_login(team.pm)
    page = client.get(assessment.get_absolute_url()).content.decode()
    row = page[page.index(benefit.question.text) :]
    band = re.search(r'<span class="band (band-[a-z]+)">', row)
    assert band and band.group(1) == "band-benefit"
