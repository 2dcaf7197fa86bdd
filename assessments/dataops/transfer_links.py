"""The parts of a project import that go beyond one record's own fields: many-to-many links
(an indicator's answers, actions and population groups) and the outcome-monitoring checks that
need two records at once (a measurement and its indicator).

Like the rest of the import (transfer_import), everything here checks the untrusted file
before anything is written, and reports each problem as a sentence for the person importing.
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.db import models
from django.utils import timezone

from assessments.dataops.transfer import NATURAL_KEYS, _label
from assessments.scoring import monitoring as rules

# A many-to-many list longer than this is not something a CHIIA form could have made.
MAX_LINKS = 500
# Population groups the indicator form never offers (the rule-based groups).
UNOFFERED_GROUP_PREFIX = "RB_"


def plan_many(model, fields: dict, items: dict, ctx: dict, where: str, *, resolve):
    """The file's many-to-many links of one record: {field name: [("ref", ref) | ("pk", pk)]}.
    Records of the project are linked by the references the export writes, and only to records
    in this same file; reference data by its code (`resolve` looks it up here)."""
    problems = ctx["problems"]
    planned: dict[str, list[tuple[str, object]]] = {}
    for f in model._meta.many_to_many:
        if f.name not in fields:
            continue
        raw, target = fields[f.name], _label(f.related_model)
        name = f"{where}, {f.name}"
        if not isinstance(raw, list) or len(raw) > MAX_LINKS:
            problems.add(name, f"must be a list of at most {MAX_LINKS} references")
            continue
        links: list[tuple[str, object]] = []
        for position, key in enumerate(raw, start=1):
            link = _link(key, target, items, ctx, resolve)
            if isinstance(link, str):
                problems.add(f"{name}, link {position}", link)
            elif link not in links:
                links.append(link)
        planned[f.name] = links
    return planned


def _link(key, target: str, items: dict, ctx: dict, resolve) -> tuple[str, object] | str:
    """One link resolved, or a sentence saying why it cannot be."""
    name = target.split(".", 1)[1]
    plain = f"an {name}" if name[0] in "aeiou" else f"a {name}"
    if not isinstance(key, dict) or len(key) != 1:
        return (
            f"must name {plain} by the reference a CHIIA export writes "
            f"(such as {target}#0), not by a database id"
        )
    ((kind, value),) = key.items()
    if target in NATURAL_KEYS:
        if kind != "natural":
            return f"must name {plain} by its code"
        found = resolve(value, target, ctx["council_code"], ctx["naturals"])
        if isinstance(found, str):
            return found
        if target == "assessments.populationgroup" and str(value[-1]).startswith(
            UNOFFERED_GROUP_PREFIX
        ):
            return f"{value[-1]} is not a group an indicator can cover"
        return "pk", found
    if kind == "ref" and isinstance(value, str) and value in items:
        if items[value]["model"] == target:
            return "ref", value
        return f"{value[:60]} is not {plain}"
    return (
        f"links to {plain} that is not in this file: an indicator can only track its own "
        "project's answers and actions"
    )


def check_monitoring(records: list, problems) -> None:
    """What the indicator and measurement forms check beyond each field: a value possible for
    the indicator's unit, a target date after the baseline, a measurement date that is neither
    in the future nor too long before the baseline, and one measurement per indicator and date."""
    indicators = {r.ref: r for r in records if r.label == "assessments.indicator"}
    measurements = [r for r in records if r.label == "assessments.measurement"]
    for ref, record in indicators.items():
        indicator = record.instance
        baseline, target = indicator.baseline_date, indicator.target_date
        if baseline and target and target <= baseline:
            problems.add(
                f"{_where(ref)}, target_date", "The target date must be after the baseline"
            )
        for name in ("baseline_value", "target_value"):
            if problem := _value_problem(indicator.unit, getattr(indicator, name)):
                problems.add(f"{_where(ref)}, {name}", problem)
    if measurements:
        _check_measurements(indicators, measurements, problems)


def _value_problem(unit, value) -> str | None:
    if unit not in rules.UNIT_RANGES or value is None:
        return None  # the field itself was already reported
    return rules.value_problem(unit, value)


def _check_measurements(indicators: dict, measurements: list, problems) -> None:
    from assessments.monitoring.queries import MonitoringRulesMissing, facts_of, monitoring_rules

    try:
        monitoring = monitoring_rules()
    except MonitoringRulesMissing:
        problems.add("File", "this instance has no rule set for outcome monitoring; load it first")
        return
    today = timezone.localdate()
    dates: dict[str, set[datetime.date]] = defaultdict(set)
    for record in measurements:
        owner = indicators.get(record.links.get("indicator_id", ""))
        if owner is None:
            continue  # its indicator link was already refused
        indicator, measurement, where = owner.instance, record.instance, _where(record.ref)
        if problem := _value_problem(indicator.unit, measurement.value):
            problems.add(f"{where}, value", problem)
        on = measurement.measured_on
        if on is None or indicator.baseline_date is None:
            continue
        if problem := rules.date_problem(facts_of(indicator), on, monitoring, today):
            problems.add(f"{where}, measured_on", problem)
        if on in dates[owner.ref]:
            problems.add(f"{where}, measured_on", f"its indicator already has a value for {on}")
        dates[owner.ref].add(on)


def _where(ref: str) -> str:
    label, index = ref.rsplit("#", 1)
    return f"{label.split('.', 1)[1].capitalize()} {int(index) + 1}"


def write_many(records: list, new_pks: dict[str, int]) -> None:
    """Create the link rows once every record exists (no signals, like the records themselves)."""
    for record in records:
        model = type(record.instance)
        for name, links in record.many.items():
            f = model._meta.get_field(name)
            assert isinstance(f, models.ManyToManyField)
            through = f.remote_field.through
            assert through is not None  # a ManyToManyField always has its through model
            source, target = f"{f.m2m_field_name()}_id", f"{f.m2m_reverse_field_name()}_id"
            rows = [
                through(**{source: new_pks[record.ref], target: new_pks[v] if k == "ref" else v})
                for k, v in links
            ]
            through._default_manager.bulk_create(rows)
