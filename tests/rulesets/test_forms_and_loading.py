"""The rule-set form against the scoring schema, and versions loaded from fixtures beside drafts."""

import pytest

from assessments.dataops.reference_data import ReferenceDataError, load_reference_data
from assessments.models import RuleSet
from assessments.rulesets import drafting
from assessments.rulesets.forms import RuleSetForm
from assessments.scoring import schema
from assessments.scoring import snapshots as scoring
from tests.factories import make_assessment, make_methodology_owner, ruleset_form_data

pytestmark = pytest.mark.django_db


def test_schema_names_the_parameter_of_each_problem(reference):
    params = dict(RuleSet.objects.get(version="1").parameters)
    params["band_low"] = "seven"
    assert [p.parameter for p in schema.parameter_problems(params)] == ["band_low"]
    params["band_low"] = "7"
    params["worst_off"] = {**params["worst_off"], "D05": ["PC_RACE"]}
    problems = schema.parameter_problems(params)
    assert {(p.parameter, p.key) for p in problems} == {("band_medium", ""), ("worst_off", "D05")}


def test_a_parameter_the_form_does_not_know_is_kept(reference):
    """A newer kind of parameter (from a later file) survives a save through this form."""
    v1 = RuleSet.objects.get(version="1")
    draft = RuleSet(version="x", parameters={**v1.parameters, "future_setting": {"due": 3}})
    form = RuleSetForm(ruleset_form_data(v1), parameters=draft.parameters)
    form.is_valid()  # the schema refuses the unknown key, naming it above the form
    assert form.parameters()["future_setting"] == {"due": 3}
    assert "unknown parameter" in " ".join(form.non_field_errors())


def test_the_monitoring_section_is_edited_field_by_field(reference):
    """Rule set v2's outcome-monitoring thresholds have their own fields; a change to one keeps
    the others, and a broken one is named at its field."""
    v2 = RuleSet.objects.get(version="2")
    form = RuleSetForm(ruleset_form_data(v2, monitoring__grace_days=45), parameters=v2.parameters)
    assert form.is_valid(), form.errors
    saved = form.parameters()["monitoring"]
    assert saved["grace_days"] == 45
    assert saved["frequency_days"] == v2.parameters["monitoring"]["frequency_days"]
    assert (
        schema.RuleSet.from_mapping({"version": "x", **form.parameters()}).monitoring.grace_days
        == 45
    )
    broken = RuleSetForm(
        ruleset_form_data(v2, monitoring__flag_min_overdue=0), parameters=v2.parameters
    )
    assert not broken.is_valid()
    assert "at least 1" in " ".join(broken.errors["monitoring__flag_min_overdue"])


def test_a_rule_set_without_monitoring_gets_no_monitoring_fields(reference):
    v1 = RuleSet.objects.get(version="1")
    assert not any(
        name.startswith("monitoring") for name in RuleSetForm(parameters=v1.parameters).fields
    )


def test_fixtures_still_load_beside_a_draft_which_scores_nothing(reference):
    newest = RuleSet.objects.published().latest().version
    drafting.start_draft(make_methodology_owner())
    report = load_reference_data()
    assert report.created == {}
    assert scoring.current_rule_set().version == newest
    assert make_assessment().rule_set.version == newest


def test_a_fixture_with_a_draft_s_number_is_refused(reference, tmp_path, settings):
    import json
    import shutil

    for path in settings.CHIIA_REFERENCE_DIR.glob("*.json"):
        shutil.copy(path, tmp_path / path.name)
    draft = drafting.start_draft(make_methodology_owner())
    raw = json.loads((tmp_path / "ruleset_v1.json").read_text())
    (tmp_path / f"ruleset_v{draft.version}.json").write_text(
        json.dumps({**raw, "version": draft.version})
    )
    with pytest.raises(ReferenceDataError, match="number of a draft"):
        load_reference_data(tmp_path)
    assert RuleSet.objects.get(version=draft.version).is_draft
