from decimal import Decimal

import pytest
from django.urls import reverse

from assessments.enums import Role
from assessments.models import CapitalProject, LifecycleStage
from tests.factories import make_project, make_user


@pytest.fixture
def manager(glasgow):
    return make_user(
        council=glasgow, role=Role.PROJECT_MANAGER, first_name="Aileen", last_name="MacLeod"
    )


@pytest.fixture
def sro(glasgow):
    return make_user(council=glasgow, role=Role.SRO, first_name="Graham", last_name="Boyle")


def project_form(glasgow, manager, sro, **overrides):
    data = {
        "title": "Bridgeton cycle hub",
        "council": glasgow.pk,
        "reference": "GCC-AT-101",
        "description": "Secure cycle parking, repair workshop and loan bikes next to Bridgeton station.",
        "project_type": "transport",
        "budget": "1250000",
        "city_deal": "on",
        "postcodes_text": "g40 1hx, G403BL",
        "data_zones_text": "S01010046",
        "senior_responsible_officer": sro.pk,
        "project_manager": manager.pk,
        "current_stage": LifecycleStage.objects.get(code="SBC").pk,
    }
    data.update(overrides)
    return data


def test_anonymous_visitors_are_sent_to_sign_in(client, reference):
    response = client.get(reverse("assessments:project-list"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_manager_registers_a_project_with_normalised_location(client_for, glasgow, manager, sro):
    response = client_for(manager).post(
        reverse("assessments:project-create"), project_form(glasgow, manager, sro)
    )
    project = CapitalProject.objects.get(reference="GCC-AT-101")
    assert response.status_code == 302
    assert response.url == project.get_absolute_url()
    assert project.postcodes == ["G40 1HX", "G40 3BL"]
    assert project.data_zones == ["S01010046"]
    assert project.budget == Decimal("1250000")
    assert project.city_deal is True
    assert project.created_by == manager


@pytest.mark.parametrize(
    "field,value,message",
    [
        ("postcodes_text", "G40 1HX, NOT A CODE", "not valid UK postcodes: NOT A CODE"),
        ("data_zones_text", "S0101004", "not 2011 data zone codes: S0101004"),
        ("budget", "-10", "greater than or equal to 1"),
        ("budget", "90000000000", "less than or equal to 5000000000"),
        ("budget", "lots", "Enter a number"),
        ("title", "x" * 201, "at most 200 characters"),
        ("description", "y" * 5001, "at most 5000 characters"),
        ("reference", "GCC-AT\n101", "Use only letters, digits, hyphens (-) and full stops (.)"),
        ("reference", 'GCC-"AT"-101', "Use only letters, digits, hyphens (-) and full stops (.)"),
        ("reference", "GCC;AT 101", "Use only letters, digits, hyphens (-) and full stops (.)"),
        ("reference", "-1+1", "starting with a letter or digit"),
    ],
)
def test_invalid_project_input_is_explained_next_to_the_field_and_nothing_is_saved(
    client_for, glasgow, manager, sro, field, value, message
):
    response = client_for(manager).post(
        reverse("assessments:project-create"), project_form(glasgow, manager, sro, **{field: value})
    )
    assert response.status_code == 200
    assert message in response.context["form"].errors[field][0]
    assert 'id="error-summary"' in response.content.decode()
    assert not CapitalProject.objects.filter(reference="GCC-AT-101").exists()


def test_project_manager_sees_only_their_councils_projects(
    client_for, glasgow, renfrewshire, manager
):
    mine = make_project(council=glasgow, title="Our project")
    theirs = make_project(council=renfrewshire, title="Their project")
    client = client_for(manager)
    listing = client.get(reverse("assessments:project-list"))
    assert list(listing.context["projects"]) == [mine]
    assert client.get(theirs.get_absolute_url()).status_code == 404
    assert client.get(reverse("assessments:project-edit", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("assessments:assessment-start", args=[theirs.pk])).status_code == 404
    assert not theirs.assessments.exists()


def test_manager_cannot_register_a_project_for_another_council(
    client_for, glasgow, renfrewshire, manager, sro
):
    response = client_for(manager).post(
        reverse("assessments:project-create"),
        project_form(glasgow, manager, sro, council=renfrewshire.pk),
    )
    assert "council" in response.context["form"].errors
    assert not CapitalProject.objects.exists()


def test_a_stale_project_edit_is_refused_and_keeps_both_versions(client, glasgow, manager, sro):
    from django.test import Client

    project = make_project(council=glasgow, title="Original title")
    colleague = make_user(council=glasgow, role=Role.COUNCIL_ADMIN)
    opened_version = project.lock_version
    colleague_client = Client()
    colleague_client.force_login(colleague)
    colleague_client.post(
        reverse("assessments:project-edit", args=[project.pk]),
        project_form(
            glasgow,
            manager,
            sro,
            title="Colleague's title",
            reference=project.reference,
            lock_version=opened_version,
        ),
    )
    client.force_login(manager)
    response = client.post(
        reverse("assessments:project-edit", args=[project.pk]),
        project_form(
            glasgow,
            manager,
            sro,
            title="My title",
            reference=project.reference,
            lock_version=opened_version,
        ),
    )
    project.refresh_from_db()
    assert response.status_code == 409
    assert project.title == "Colleague's title"
    body = response.content.decode()
    assert "Someone else changed this project" in body
    assert 'value="My title"' in body  # my unsaved work is still in the form
    assert "Colleague&#x27;s title" in body  # and theirs is shown beside it


@pytest.mark.parametrize("typed", ["GCC-AT\n101", 'GCC-"AT"-101', "GCC-AT-101\r\nX-Injected: 1"])
def test_editing_a_project_refuses_a_reference_that_would_break_downloads(
    client_for, glasgow, manager, sro, typed
):
    project = make_project(council=glasgow, title="Original title", reference="GCC-OK-1")
    response = client_for(manager).post(
        reverse("assessments:project-edit", args=[project.pk]),
        project_form(
            glasgow,
            manager,
            sro,
            title="New title",
            reference=typed,
            lock_version=project.lock_version,
        ),
    )
    assert response.status_code == 200
    message = "Use only letters, digits, hyphens (-) and full stops (.)"
    assert message in response.context["form"].errors["reference"][0]
    assert (
        'href="#id_reference"' in response.content.decode()
    )  # the error summary links to the field
    project.refresh_from_db()
    assert (project.reference, project.title) == ("GCC-OK-1", "Original title")


@pytest.mark.parametrize(
    "field, good, bad",
    [
        ("postcodes_text", "G40 1HX", "G40" + "Z" * 3000),
        ("data_zones_text", "S01010046", "S01" + "9" * 3000),
    ],
)
def test_an_oversize_invalid_code_is_not_repeated_back_in_full(
    client_for, glasgow, manager, sro, field, good, bad
):
    response = client_for(manager).post(
        reverse("assessments:project-create"),
        project_form(glasgow, manager, sro, **{field: f"{good}, {bad}"}),
    )
    assert response.status_code == 200
    message = response.context["form"].errors[field][0]
    assert len(message) < 200, message
    assert bad[:10] in message  # enough of it to find the mistake
    summary = response.content.decode().split('id="error-summary"')[1].split("</div>")[0]
    assert bad[:20] not in summary
    assert not CapitalProject.objects.exists()


def test_a_paste_far_longer_than_any_list_of_codes_is_refused_by_its_length(
    client_for, glasgow, manager, sro
):
    response = client_for(manager).post(
        reverse("assessments:project-create"),
        project_form(glasgow, manager, sro, postcodes_text="Q" * 20000),
    )
    assert response.status_code == 200
    message = response.context["form"].errors["postcodes_text"][0]
    assert "at most 4000 characters" in message and "Q" * 100 not in message
    assert not CapitalProject.objects.exists()


def test_the_admin_refuses_such_a_reference_too(admin_client, glasgow):
    project = make_project(council=glasgow, title="Original title", reference="GCC-OK-2")
    url = reverse("admin:assessments_capitalproject_change", args=[project.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = field.prepare_value(form[name].value())
        if value is not None and not (isinstance(value, bool) and not value):
            data[name] = value
    data["reference"] = 'GCC-"OK"\n2'
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "Use only letters, digits, hyphens (-) and full stops (.)" in str(
        response.context["adminform"].form.errors["reference"]
    )
    project.refresh_from_db()
    assert project.reference == "GCC-OK-2"
    # The same form with a good reference saves, so the refusal above was about the reference.
    data["reference"] = "GCC-OK.3"
    assert admin_client.post(url, data).status_code == 302
    project.refresh_from_db()
    assert project.reference == "GCC-OK.3"
