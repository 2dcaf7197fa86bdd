"""Rule sets through their pages: draft, edit with checked fields, see what would change (saving
nothing), publish (then immutable), move open assessments (recorded in their timelines)."""

import io

import pytest
from django.apps import apps
from django.core import serializers
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.enums import AssessmentStatus, Role
from assessments.models import PublishedRuleSetError, RuleSet, StageAssessment, StatusChange
from assessments.review.timeline import project_timeline
from assessments.rulesets import drafting
from assessments.scoring import snapshots as scoring
from tests.factories import (
    add_small_harm,
    force_status,
    make_assessment,
    make_methodology_owner,
    make_user,
    ruleset_form_data,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner(reference):
    return make_methodology_owner()


@pytest.fixture
def small_harm(glasgow):
    assessment = make_assessment(council=glasgow, stage_code="OBC")
    add_small_harm(assessment)
    return StageAssessment.objects.get(pk=assessment.pk)


def _draft(client, owner):
    client.force_login(owner)
    response = client.post(reverse("assessments:ruleset-start"))
    assert response.status_code == 302
    return RuleSet.objects.drafts().get()


def _lower_bands(client, draft, **more):
    data = ruleset_form_data(
        draft, band_medium="5", negative_multipliers__one_priority="1.8", **more
    )
    return client.post(reverse("assessments:ruleset-detail", args=[draft.pk]), data)


def test_a_draft_starts_as_a_copy_of_the_version_in_use(client, owner):
    draft = _draft(client, owner)
    v1 = RuleSet.objects.get(version="2")
    assert (draft.version, draft.parameters, draft.based_on) == ("3", v1.parameters, v1)
    assert scoring.current_rule_set() == v1  # a draft scores nothing
    page = client.get(reverse("assessments:ruleset-detail", args=[draft.pk]))
    assert b"Medium from" in page.content and b"Environmental exposures" in page.content


def test_saving_the_form_unchanged_keeps_every_parameter(client, owner):
    draft = _draft(client, owner)
    response = client.post(
        reverse("assessments:ruleset-detail", args=[draft.pk]), ruleset_form_data(draft)
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.parameters == RuleSet.objects.get(version="2").parameters


def test_changing_a_threshold_and_a_multiplier_saves_them(client, owner):
    draft = _draft(client, owner)
    assert _lower_bands(client, draft).status_code == 302
    draft.refresh_from_db()
    assert draft.parameters["band_medium"] == "5"
    assert draft.parameters["negative_multipliers"]["one_priority"] == "1.8"


@pytest.mark.parametrize(
    "changes, field, words",
    [
        ({"band_medium": "13"}, "band_medium", "The bands must rise"),
        ({"band_low": "-1"}, "band_low", "greater than or equal to 0"),
        ({"band_high": "twelve"}, "band_high", "Enter a number"),
        (
            {"negative_multipliers__one_priority": "2.5"},
            "negative_multipliers__one_priority",
            "must not fall",
        ),
        ({"worst_off__D05": ["PC_RACE"]}, "worst_off__D05", "must be a priority group"),
        ({"f2_min_abs_w_priority": "7"}, "f2_min_abs_w_priority", "must not be more"),
    ],
)
def test_bad_values_are_refused_beside_their_field(client, owner, changes, field, words):
    draft = _draft(client, owner)
    before = draft.parameters
    response = client.post(
        reverse("assessments:ruleset-detail", args=[draft.pk]), ruleset_form_data(draft, **changes)
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors and words in " ".join(errors[field])
    assert f'href="#id_{field}"'.encode() in response.content  # the summary links to it
    draft.refresh_from_db()
    assert draft.parameters == before


def test_a_save_from_an_out_of_date_page_changes_nothing(client, owner):
    draft = _draft(client, owner)
    stale = ruleset_form_data(draft, band_high="15")
    assert _lower_bands(client, draft).status_code == 302
    response = client.post(reverse("assessments:ruleset-detail", args=[draft.pk]), stale)
    assert response.status_code == 409
    assert b"Someone saved this draft after you opened it" in response.content
    draft.refresh_from_db()
    assert (draft.parameters["band_high"], draft.parameters["band_medium"]) == ("12", "5")


def _everything() -> str:
    return "".join(
        serializers.serialize("json", model.objects.order_by("pk"))
        for model in apps.get_app_config("assessments").get_models()
    )


def test_what_would_change_shows_the_moves_and_writes_nothing(client, owner, small_harm):
    draft = _draft(client, owner)
    _lower_bands(client, draft)
    snapshot, scored_at = small_harm.score_snapshot, small_harm.scored_at
    before = _everything()
    url = reverse("assessments:ruleset-compare", args=[draft.pk])
    response = client.get(url, {"which": "chosen", "assessments": [small_harm.pk]})
    assert response.status_code == 200
    (comparison,) = response.context["comparisons"]
    assert (comparison.overall_now, comparison.overall_draft) == ("Green", "Amber")
    assert comparison.bands[0].now == "Low (-4.50)"
    assert comparison.bands[0].draft == "Medium (-5.40)"
    assert b"Amber (changed)" in response.content
    assert _everything() == before
    small_harm.refresh_from_db()
    assert (small_harm.score_snapshot, small_harm.scored_at) == (snapshot, scored_at)
    assert small_harm.rule_set.version == "2"


def test_what_would_change_reads_a_bounded_number_of_queries(client, owner, glasgow):
    draft = _draft(client, owner)
    _lower_bands(client, draft)
    for _ in range(3):
        add_small_harm(make_assessment(council=glasgow, stage_code="OBC"))
    url = reverse("assessments:ruleset-compare", args=[draft.pk])
    with CaptureQueriesContext(connection) as one:
        client.get(url, {"which": "chosen", "assessments": [StageAssessment.objects.first().pk]})
    with CaptureQueriesContext(connection) as all_three:
        client.get(url, {"which": "all"})
    per_assessment = (len(all_three) - len(one)) / 2
    assert per_assessment <= 15, [q["sql"] for q in all_three.captured_queries]


def test_publishing_records_who_and_when_and_then_nothing_changes_it(client, owner):
    draft = _draft(client, owner)
    _lower_bands(client, draft)
    draft.refresh_from_db()
    response = client.post(
        reverse("assessments:ruleset-publish", args=[draft.pk]), {"seen": drafting.stamp(draft)}
    )
    assert response.status_code == 302
    published = RuleSet.objects.get(pk=draft.pk)
    assert (published.is_draft, published.published_by) == (False, owner)
    assert published.published_at is not None
    assert scoring.current_rule_set() == published
    # The form no longer saves, and the model refuses every way of changing or deleting it.
    data = ruleset_form_data(published, band_high="20")
    client.post(reverse("assessments:ruleset-detail", args=[draft.pk]), data)
    published.refresh_from_db()
    assert published.parameters["band_high"] == "12"
    published.notes = "changed"
    with pytest.raises(PublishedRuleSetError):
        published.save()
    with pytest.raises(PublishedRuleSetError):
        published.delete()
    with pytest.raises(PublishedRuleSetError):
        RuleSet.objects.filter(pk=published.pk).update(notes="changed")
    with pytest.raises(PublishedRuleSetError):
        RuleSet.objects.filter(pk=published.pk).delete()
    assert RuleSet.objects.get(pk=published.pk).notes == ""


def test_the_admin_shows_rule_sets_read_only(client, reference):
    admin = make_user("root.admin", is_staff=True, is_superuser=True)
    client.force_login(admin)
    v1 = RuleSet.objects.get(version="2")
    change = reverse("admin:assessments_ruleset_change", args=[v1.pk])
    page = client.get(change)
    assert page.status_code == 200 and b'name="parameters"' not in page.content
    assert client.post(change, {"parameters": "{}"}).status_code == 403
    assert client.get(reverse("admin:assessments_ruleset_add")).status_code == 403
    assert client.get(reverse("admin:assessments_ruleset_delete", args=[v1.pk])).status_code == 403
    v1.refresh_from_db()
    assert v1.parameters["band_high"] == "12"


def test_moving_open_assessments_records_it_and_leaves_signed_off_ones(
    client, owner, glasgow, small_harm
):
    signed = make_assessment(council=glasgow, stage_code="OBC")
    add_small_harm(signed)
    force_status(signed, AssessmentStatus.SIGNED_OFF)
    draft = _draft(client, owner)
    _lower_bands(client, draft)
    draft.refresh_from_db()
    client.post(
        reverse("assessments:ruleset-publish", args=[draft.pk]), {"seen": drafting.stamp(draft)}
    )
    page = client.get(reverse("assessments:ruleset-move", args=[draft.pk]))
    assert small_harm in page.context["movable"] and signed not in page.context["movable"]
    response = client.post(reverse("assessments:ruleset-move", args=[draft.pk]), follow=True)
    assert b"1 overall rating(s) changed" in response.content
    small_harm.refresh_from_db()
    assert (small_harm.rule_set.version, small_harm.overall_rating) == ("3", "amber")
    signed.refresh_from_db()
    assert (signed.rule_set.version, signed.overall_rating) == ("2", "green")
    event = StatusChange.objects.get(assessment=small_harm, event=drafting.MOVE_EVENT)
    assert event.by == owner and event.from_status == event.to_status
    titles = [e.title for e in project_timeline(small_harm.project)]
    assert "Re-scored with a newly published rule set" in titles
    assert "rule set v3 (was v2); overall harm rating Green → Amber" in event.note


def test_the_command_moves_open_assessments_and_records_it(client, owner, small_harm):
    from django.core.management import call_command

    draft = _draft(client, owner)
    _lower_bands(client, draft)
    draft.refresh_from_db()
    drafting.publish(draft, by=owner, seen=drafting.stamp(draft))
    call_command("rescore_assessments", "--rule-set", "3", stdout=io.StringIO())
    event = StatusChange.objects.get(assessment=small_harm, event=drafting.MOVE_EVENT)
    assert event.by is None and "Green → Amber" in event.note


def test_the_command_will_not_move_assessments_onto_a_draft(client, owner, small_harm):
    from django.core.management import CommandError, call_command

    _draft(client, owner)
    with pytest.raises(CommandError, match="no published rule set version 3"):
        call_command("rescore_assessments", "--rule-set", "3")


ROUTES = ["ruleset-list", "ruleset-detail", "ruleset-compare", "ruleset-publish", "ruleset-move"]


@pytest.mark.parametrize("role", [r for r in Role if r != Role.METHODOLOGY_OWNER])
def test_nobody_else_drafts_compares_publishes_or_moves(client, glasgow, role):
    draft = drafting.start_draft(make_methodology_owner())
    council = None if role == Role.PMO_VIEWER else glasgow
    client.force_login(make_user(council=council, role=role))
    for name in ROUTES:
        args = [] if name == "ruleset-list" else [draft.pk]
        assert client.get(reverse(f"assessments:{name}", args=args)).status_code == 403
        assert client.post(reverse(f"assessments:{name}", args=args)).status_code == 403
    assert client.post(reverse("assessments:ruleset-start")).status_code == 403
    draft.refresh_from_db()
    assert draft.is_draft and RuleSet.objects.count() == 3


def test_a_system_administrator_cannot_publish(client, reference):
    draft = drafting.start_draft(make_methodology_owner())
    client.force_login(make_user("root.admin", is_staff=True, is_superuser=True))
    url = reverse("assessments:ruleset-publish", args=[draft.pk])
    assert client.post(url, {"seen": drafting.stamp(draft)}).status_code == 403
    with pytest.raises(drafting.RuleSetError):
        drafting.publish(
            draft, by=make_user("root.two", is_superuser=True), seen=drafting.stamp(draft)
        )
    assert RuleSet.objects.get(pk=draft.pk).is_draft


def test_an_unknown_rule_set_is_not_found(client, owner):
    client.force_login(owner)
    assert client.get(reverse("assessments:ruleset-detail", args=[99999])).status_code == 404


def test_moving_is_all_or_nothing(client, owner, glasgow, small_harm):
    broken = make_assessment(council=glasgow, stage_code="OBC")
    add_small_harm(broken)
    # An answer the rules cannot score (as if written by a bug): a reach they do not know.
    broken.answers.filter(direction="negative").update(reach="street")
    draft = _draft(client, owner)
    _lower_bands(client, draft)
    draft.refresh_from_db()
    drafting.publish(draft, by=owner, seen=drafting.stamp(draft))
    response = client.post(reverse("assessments:ruleset-move", args=[draft.pk]), follow=True)
    assert b"could not be scored" in response.content and b"Nothing was moved" in response.content
    small_harm.refresh_from_db()
    assert (small_harm.rule_set.version, small_harm.overall_rating) == ("2", "green")
    assert not StatusChange.objects.filter(event=drafting.MOVE_EVENT).exists()
