"""The shared library of mitigations: entries from signed-off stages across councils, projects
named only to those who may see them, suggestions beside the mitigation field, and curation."""

import pytest
from django.urls import reverse

from assessments.models import MitigationCuration
from tests.factories import (
    add_harm,
    make_library_entry,
    make_methodology_owner,
    make_team_project,
    start,
)

LIBRARY = reverse("assessments:learning-library")


@pytest.fixture
def owner(ref):
    return make_methodology_owner()


@pytest.fixture
def harm(team):
    """A harm being recorded now, on D05, by the first council's project manager."""
    assessment = start(make_team_project(team), by=team.pm)
    return add_harm(assessment, "D05")


def suggestions(client, answer):
    return client.get(
        reverse("assessments:learning-suggestions", args=[answer.pk]), HTTP_HX_REQUEST="true"
    )


def curate(client, entry, action, **extra):
    return client.post(
        reverse("assessments:learning-curate", args=[entry.pk]), {"action": action, **extra}
    )


def test_suggestions_come_from_other_councils_signed_off_stages(client_for, team, harm):
    ours = make_library_entry(team.council, "Acoustic fencing along the site edge", title="Ours")
    theirs = make_library_entry(
        team.other_council, "Quiet hours agreed with the school", title="Their depot"
    )
    make_library_entry(team.council, "Never signed off", signed_off=False)
    make_library_entry(team.council, "About green space", determinant="D09")
    page = suggestions(client_for(team.pm), harm)
    html = page.content.decode()
    assert page.status_code == 200
    assert "Acoustic fencing" in html and "Quiet hours agreed" in html
    assert "Never signed off" not in html and "About green space" not in html
    # Named where the viewer may see the project, described otherwise.
    assert ours.assessment.project.title in html
    assert "Their depot" not in html
    assert f"project in {team.other_council.name}" in html
    # How it was rated after mitigation, and the button that copies the text.
    assert "Rated after mitigation: possible, minor (before: definite, moderate)" in html
    assert f'data-target="id_a{harm.pk}-mitigation"' in html
    assert 'data-text="Quiet hours agreed with the school"' in html
    assert theirs.pk != ours.pk


def test_hidden_never_suggested_merged_once_recommended_first(client_for, team, owner, harm):
    first = make_library_entry(team.other_council, "Wheel wash at the gate")
    repeat = make_library_entry(team.other_council, "Wheel washing at site exit")
    hidden = make_library_entry(team.other_council, "Something unhelpful")
    best = make_library_entry(team.other_council, "Construction management plan with the community")
    client = client_for(owner)
    assert curate(client, hidden, "hide").status_code == 302
    assert curate(client, repeat, "merge", into=first.pk).status_code == 302
    assert curate(client, best, "recommend").status_code == 302

    html = suggestions(client_for(team.pm), harm).content.decode()
    assert "Something unhelpful" not in html
    assert "Wheel washing at site exit" not in html
    assert html.count("Wheel wash at the gate") == 2  # the text and the button's copy
    assert "also recorded by 1 other" in html
    assert html.index("Construction management plan") < html.index("Wheel wash at the gate")
    assert "★ Recommended" in html

    listing = client_for(team.pm).get(LIBRARY).content.decode()
    assert "Something unhelpful" not in listing and "Wheel washing at site exit" not in listing
    # The owners still see what they curated out, marked, so they can undo it.
    client = client_for(owner)
    owners_view = client.get(LIBRARY).content.decode()
    assert "Something unhelpful" in owners_view and "<strong>Hidden</strong>" in owners_view
    assert curate(client, hidden, "show").status_code == 302
    assert "Something unhelpful" in client_for(team.pm).get(LIBRARY).content.decode()


def test_merging_into_another_determinant_or_itself_is_refused(client_for, team, owner):
    noise = make_library_entry(team.other_council, "Noise barrier")
    green = make_library_entry(team.other_council, "Pocket park", determinant="D09")
    client = client_for(owner)
    response = curate(client, noise, "merge", into=green.pk)
    assert "about the same determinant" in client.get(response.url).content.decode()
    response = curate(client, noise, "merge", into=noise.pk)
    assert "cannot be merged into itself" in client.get(response.url).content.decode()
    response = curate(client, noise, "merge", into=999999)
    assert "no library entry number 999999" in client.get(response.url).content.decode()
    assert not MitigationCuration.objects.filter(merged_into__isnull=False).exists()


def test_the_library_searches_by_words_question_and_kind(client_for, team):
    make_library_entry(team.other_council, "Night-time deliveries banned")
    make_library_entry(team.other_council, "Pocket park", determinant="D09")
    client = client_for(team.reviewer)
    html = client.get(LIBRARY, {"q": "deliveries"}).content.decode()
    assert "Night-time deliveries banned" in html and "Pocket park" not in html
    html = client.get(LIBRARY, {"kind": "positive"}).content.decode()
    assert "No entries match." in html


@pytest.mark.parametrize(
    "who", ["pm", "reviewer", "sro", "admin", "contributor", "pmo", "sysadmin"]
)
def test_council_staff_and_the_programme_office_read_the_library(client_for, team, who):
    assert client_for(getattr(team, who)).get(LIBRARY).status_code == 200


def test_panel_members_do_not_open_the_library(client_for, team):
    assert client_for(team.panel).get(LIBRARY).status_code == 403


def test_methodology_owner_reads_the_library_without_project_names(client_for, team, owner):
    make_library_entry(team.council, "Noise barrier", title="Secret riverside scheme")
    html = client_for(owner).get(LIBRARY).content.decode()
    assert "Noise barrier" in html and "Secret riverside scheme" not in html


@pytest.mark.parametrize("who", ["pm", "reviewer", "admin", "pmo", "sysadmin"])
def test_only_the_methods_owners_curate(client_for, team, who):
    entry = make_library_entry(team.council, "Noise barrier")
    assert curate(client_for(getattr(team, who)), entry, "hide").status_code == 403
    assert not MitigationCuration.objects.exists()


def test_only_signed_off_entries_can_be_curated(client_for, team, owner):
    draft = make_library_entry(team.council, "Draft idea", signed_off=False)
    assert curate(client_for(owner), draft, "recommend").status_code == 404


@pytest.mark.parametrize(
    ("who", "status"),
    [("reviewer", 403), ("pmo", 403), ("other_pm", 404), ("panel", 404)],
)
def test_suggestions_are_for_people_answering_the_stage(client_for, team, harm, who, status):
    assert suggestions(client_for(getattr(team, who)), harm).status_code == status


def test_signed_out_visitors_are_sent_to_sign_in(client, team, harm):
    for url in (LIBRARY, reverse("assessments:learning-suggestions", args=[harm.pk])):
        response = client.get(url)
        assert response.status_code == 302 and "login" in response.url


def test_the_section_form_has_the_suggestions_slot_for_harms(client_for, team, harm):
    html = (
        client_for(team.pm)
        .get(reverse("assessments:section-edit", args=[harm.assessment_id, "D05"]))
        .content.decode()
    )
    assert 'id="suggest-' in html and 'hx-trigger="learning-harm once"' in html
    assert reverse("assessments:learning-suggestions", args=[harm.pk]) in html


def test_entries_merged_into_one_that_is_merged_move_with_it(client_for, team, owner):
    first = make_library_entry(team.other_council, "Wheel wash at the gate")
    second = make_library_entry(team.other_council, "Wheel washing at the exit")
    third = make_library_entry(team.other_council, "Washing lorry wheels")
    client = client_for(owner)
    curate(client, third, "merge", into=second.pk)
    curate(client, second, "merge", into=first.pk)
    assert set(
        MitigationCuration.objects.filter(merged_into=first).values_list("answer_id", flat=True)
    ) == {second.pk, third.pk}
    listing = client_for(team.pm).get(LIBRARY).content.decode()
    assert "also recorded by 2 others" in listing
    assert "Washing lorry wheels" not in listing and "Wheel washing at the exit" not in listing
