"""The assessment page caches its scores and answer tables; nobody may ever see a stale copy."""

import pytest
from django.urls import reverse

from assessments.enums import AssessmentStatus, Role
from assessments.models import AssessmentSection
from tests.factories import answer_payload, make_assessment, make_user


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
