"""A project's outcome indicators and their measurements travel with it in the project file:
each indicator keeps the answers and actions it tracks, its population groups, its owner and
its determinant. On import they are checked like the indicator and measurement forms check
them, and a bad link, value or date refuses the whole file. Deleting a project removes its
indicators, their measurements and their links."""

import copy
import datetime
import json

import pytest
from django.core.serializers.json import DjangoJSONEncoder

from assessments.dataops import transfer, transfer_import
from assessments.enums import Role
from assessments.models import (
    Action,
    Answer,
    CapitalProject,
    Indicator,
    LifecycleStage,
    Measurement,
    MonitoringReminder,
    PopulationGroup,
)
from tests.factories import (
    make_assessment,
    make_indicator,
    make_measurement,
    make_project,
    make_user,
)

pytestmark = pytest.mark.django_db

REFERENCE = "GCC-IND-1"


def _monitored_project(glasgow):
    """A Glasgow project with two indicators, one tracking an answer, the other an action,
    each with measurements; one owned by a council officer, with a reminder sent."""
    pm = make_user(council=glasgow, role=Role.PROJECT_MANAGER, username="pm.indicators")
    assessment = make_assessment(
        council=glasgow, reference=REFERENCE, title="Govan depot", project_manager=pm
    )
    answer = assessment.answers.order_by("pk").first()
    action = Action.objects.create(
        assessment=assessment,
        answer=answer,
        text="Recruit apprentices from the catchment",
        owner="Contractor",
        due_stage=LifecycleStage.objects.get(code="OBC"),
    )
    jobs = make_indicator(assessment.project, owner=pm, created_by=pm)
    jobs.answers.add(answer)
    jobs.population_groups.add(*PopulationGroup.objects.exclude(code__startswith="RB_")[:2])
    trips = make_indicator(
        assessment.project,
        name="Trips to the depot on foot or by bike",
        unit="count",
        baseline_value=120,
        target_value=300,
    )
    trips.actions.add(action)
    make_measurement(jobs, datetime.date(2024, 4, 1), "12.5", assessment=assessment, entered_by=pm)
    make_measurement(jobs, datetime.date(2024, 7, 1), "14")
    make_measurement(trips, datetime.date(2024, 7, 1), 150)
    MonitoringReminder.objects.create(
        indicator=jobs, kind="due", due_date=datetime.date(2024, 10, 1), sent_to="pm@example.org"
    )
    return assessment.project


def _export(project) -> dict:
    document = json.loads(json.dumps(transfer.export_project(project), cls=DjangoJSONEncoder))
    document.pop("exported_at")
    return document


def _only(document, model) -> list[dict]:
    return [o for o in document["objects"] if o["model"] == model]


def _without_import_events(document) -> dict:
    objects = [
        o
        for o in document["objects"]
        if not (o["model"] == "assessments.statuschange" and o["fields"]["event"] == "import")
    ]
    return {**document, "objects": objects}


@pytest.fixture
def admin():
    return make_user(is_superuser=True, is_staff=True, username="sysadmin")


@pytest.fixture
def exported(glasgow):
    """The project's file, and the project then removed from this instance."""
    project = _monitored_project(glasgow)
    document = _export(project)
    transfer.delete_project(project)
    return document


def _refused(document, admin, message):
    with pytest.raises(transfer.TransferError, match=message):
        transfer_import.import_project(document, user=admin)
    assert not CapitalProject.objects.filter(reference=REFERENCE).exists()
    assert not Indicator.objects.exists() and not Measurement.objects.exists()
    assert not Indicator.answers.through.objects.exists()


def test_indicators_and_measurements_round_trip_with_their_links(glasgow, admin):
    project = _monitored_project(glasgow)
    before = _export(project)
    assert before["format_version"] == 3
    assert len(_only(before, "assessments.indicator")) == 2
    assert len(_only(before, "assessments.measurement")) == 3
    assert not _only(before, "assessments.monitoringreminder"), "this instance's own emails"
    jobs = _only(before, "assessments.indicator")[0]["fields"]
    assert jobs["answers"] == [{"ref": "assessments.answer#0"}]
    assert jobs["owner"] == {"user": "pm.indicators"}
    assert jobs["determinant"] == {"natural": ["assessments.determinant", "D01"]}
    assert all("natural" in group for group in jobs["population_groups"])

    transfer.delete_project(project)
    imported = transfer_import.import_project(before, user=admin)

    after = _without_import_events(_export(imported))
    assert after == before, "re-export differs from the original export"
    jobs, trips = Indicator.objects.filter(project=imported).order_by("pk")
    assert jobs.answers.get().assessment.project_id == imported.pk
    assert trips.actions.get().assessment.project_id == imported.pk
    assert jobs.owner.username == "pm.indicators"
    assert jobs.population_groups.count() == 2
    assert [str(m.value) for m in jobs.measurements.order_by("measured_on")] == [
        "12.5000",
        "14.0000",
    ]
    assert not MonitoringReminder.objects.exists()


def test_an_owner_outside_the_projects_council_comes_in_as_no_owner(exported, admin, renfrewshire):
    make_user(council=renfrewshire, role=Role.PROJECT_MANAGER, username="elsewhere")
    document = copy.deepcopy(exported)
    _only(document, "assessments.indicator")[0]["fields"]["owner"] = {"user": "elsewhere"}
    project = transfer_import.import_project(document, user=admin)
    assert project.indicators.filter(owner__isnull=False).count() == 0


def test_an_indicator_tracking_another_projects_answer_is_refused(exported, admin, glasgow):
    other = make_assessment(council=glasgow, reference="GCC-OTHER")
    foreign = other.answers.order_by("pk").first()
    document = copy.deepcopy(exported)
    indicator = _only(document, "assessments.indicator")[0]["fields"]
    # However it is written, a link to an answer that is not in the file is refused.
    indicator["answers"] = [{"ref": "assessments.answer#999"}]
    _refused(document, admin, "answers, link 1: links to an answer that is not in this file")
    indicator["answers"] = [{"missing": "assessments.answer"}]
    _refused(document, admin, "not in this file")
    assert Answer.objects.get(pk=foreign.pk).indicators.count() == 0


def test_a_link_given_as_a_database_id_is_refused(exported, admin):
    answer_id = Answer.objects.order_by("pk").values_list("pk", flat=True).first()
    document = copy.deepcopy(exported)
    _only(document, "assessments.indicator")[1]["fields"]["actions"] = [answer_id or 1]
    _refused(document, admin, "Indicator 2, actions, link 1: must name an action by the reference")


def test_a_link_to_a_record_of_another_kind_is_refused(exported, admin):
    document = copy.deepcopy(exported)
    _only(document, "assessments.indicator")[0]["fields"]["answers"] = [
        {"ref": "assessments.action#0"}
    ]
    _refused(document, admin, "assessments.action#0 is not an answer")


def test_a_measurement_with_an_impossible_date_is_refused(exported, admin):
    document = copy.deepcopy(exported)
    measurements = _only(document, "assessments.measurement")
    measurements[0]["fields"]["measured_on"] = "2024-02-30"
    _refused(document, admin, "Measurement 1, measured_on")
    future = datetime.date.today() + datetime.timedelta(days=400)
    measurements[0]["fields"]["measured_on"] = future.isoformat()
    _refused(document, admin, "Measurement 1, measured_on: The date is in the future")
    measurements[0]["fields"]["measured_on"] = "1990-01-01"
    _refused(document, admin, "years before the baseline")


def test_values_impossible_for_the_unit_are_refused(exported, admin):
    document = copy.deepcopy(exported)
    _only(document, "assessments.measurement")[0]["fields"]["value"] = "140"
    _only(document, "assessments.indicator")[1]["fields"]["target_value"] = "300.5"
    with pytest.raises(transfer.TransferError) as refused:
        transfer_import.import_project(document, user=admin)
    problems = "\n".join(refused.value.problems)
    assert "Measurement 1, value: Must be at most 100" in problems
    assert "Indicator 2, target_value: A count must be a whole number" in problems
    assert not CapitalProject.objects.filter(reference=REFERENCE).exists()


def test_the_models_own_checks_apply(exported, admin):
    document = copy.deepcopy(exported)
    indicator = _only(document, "assessments.indicator")[0]["fields"]
    indicator["target_date"] = indicator["baseline_date"]
    indicator["unit"] = "furlongs"
    with pytest.raises(transfer.TransferError) as refused:
        transfer_import.import_project(document, user=admin)
    problems = "\n".join(refused.value.problems)
    assert "Indicator 1, unit" in problems
    assert "Indicator 1, target_date: The target date must be after the baseline" in problems
    assert not Indicator.objects.exists()


def test_two_measurements_for_one_date_are_refused(exported, admin):
    document = copy.deepcopy(exported)
    first, second = _only(document, "assessments.measurement")[:2]
    second["fields"]["measured_on"] = first["fields"]["measured_on"]
    _refused(document, admin, "already has a value for 2024-04-01")


def test_an_unknown_or_unoffered_population_group_is_refused(exported, admin):
    document = copy.deepcopy(exported)
    groups = _only(document, "assessments.indicator")[0]["fields"]["population_groups"]
    groups[0] = {"natural": ["assessments.populationgroup", "NOPE"]}
    _refused(document, admin, "this instance has no assessments.populationgroup NOPE")
    rule_based = PopulationGroup.objects.filter(code__startswith="RB_").first()
    if rule_based is not None:
        groups[0] = {"natural": ["assessments.populationgroup", rule_based.code]}
        _refused(document, admin, "is not a group an indicator can cover")


def test_deleting_a_project_removes_its_indicators_measurements_and_links(glasgow):
    project = _monitored_project(glasgow)
    other = make_assessment(council=glasgow, reference="GCC-KEEP")
    kept = make_indicator(other.project)
    kept.answers.add(other.answers.order_by("pk").first())
    transfer.delete_project(project)
    assert not CapitalProject.objects.filter(reference=REFERENCE).exists()
    assert list(Indicator.objects.all()) == [kept]
    assert not Measurement.objects.exists() and not MonitoringReminder.objects.exists()
    assert Indicator.answers.through.objects.get().indicator_id == kept.pk
    assert not Indicator.actions.through.objects.exists()
    assert not Indicator.population_groups.through.objects.exists()


def test_the_admin_refuses_to_delete_a_project_with_indicators_and_says_why(client, glasgow):
    """The admin's delete is the product's other way to remove a project: it refuses, leaving
    the project, its indicators and their measurements whole, rather than failing or orphaning
    them. With stages it refuses for them; without any, the indicators themselves protect it."""
    project = _monitored_project(glasgow)
    bare = make_project(council=glasgow, reference="GCC-BARE")
    make_indicator(bare, name="Homes within 800 m of a bus stop")
    client.force_login(make_user(is_superuser=True, is_staff=True, username="sysadmin"))
    for refused, reason in ((project, "stage assessment"), (bare, "Homes within 800 m")):
        url = f"/admin/assessments/capitalproject/{refused.pk}/delete/"
        page = client.post(url, {"post": "yes"}).content.decode()
        assert "Cannot delete capital project" in page and reason in page
    assert CapitalProject.objects.filter(pk__in=[project.pk, bare.pk]).count() == 2
    assert Indicator.objects.count() == 3 and Measurement.objects.count() == 3
