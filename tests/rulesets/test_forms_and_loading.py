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


def test_schema_names_the_parameter_of_each_problem():
    params = dict(RuleSet.objects.get(version="1").parameters)
    params["band_low"] = "seven"
    assert [p.parameter for p in schema.parameter_problems(params)] == ["band_low"]
    params["band_low"] = "7"
    params["worst_off"] = {**params["worst_off"], "D05": ["PC_RACE"]}
    problems = schema.parameter_problems(params)
    assert {(p.parameter, p.key) for p in problems} == {("band_medium", ""), ("worst_off", "D05")}


def test_a_parameter_the_form_does_not_know_is_kept(reference):
    """A newer kind of parameter (say, monitoring settings) survives a save through this form."""
    v1 = RuleSet.objects.get(version="1")
    draft = RuleSet(version="x", parameters={**v1.parameters, "monitoring": {"due": 3}})
    form = RuleSetForm(ruleset_form_data(v1), parameters=draft.parameters)
    form.is_valid()  # the schema refuses the unknown key, naming it above the form
    assert form.parameters()["monitoring"] == {"due": 3}
    assert "unknown parameter" in " ".join(form.non_field_errors())


def test_fixtures_still_load_beside_a_draft_which_scores_nothing(reference):
    drafting.start_draft(make_methodology_owner())
    report = load_reference_data()
    assert report.created == {}
    assert scoring.current_rule_set().version == "1"
    assert make_assessment().rule_set.version == "1"


def test_a_fixture_with_a_draft_s_number_is_refused(reference, tmp_path, settings):
    import json
    import shutil

    for path in settings.CHIIA_REFERENCE_DIR.glob("*.json"):
        shutil.copy(path, tmp_path / path.name)
    raw = json.loads((tmp_path / "ruleset_v1.json").read_text())
    (tmp_path / "ruleset_v2.json").write_text(json.dumps({**raw, "version": "2"}))
    drafting.start_draft(make_methodology_owner())
    with pytest.raises(ReferenceDataError, match="number of a draft"):
        load_reference_data(tmp_path)
    assert RuleSet.objects.get(version="2").is_draft
