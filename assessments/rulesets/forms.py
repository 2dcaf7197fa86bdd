"""The rule-set form: every scoring parameter as a field with a plain label and help, grouped in
sections. Numbers are number fields, population groups and determinants are ticked by name, and
the checks are the scoring schema's own (`schema.parameter_problems`), shown beside the field
they concern.

A section is a title, a sentence and a function that makes its fields from the reference data;
adding a kind of parameter means adding one more entry to SECTIONS. Parameters the form has no
field for are kept as they were, so a newer kind of parameter is never dropped by saving."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django import forms

from assessments.enums import (
    Distribution,
    Duration,
    EvidenceStrength,
    Likelihood,
    PopulationCategory,
    Reach,
    Severity,
)
from assessments.models import Determinant, LifecycleStage, PopulationGroup
from assessments.rulesets import queries
from assessments.scoring import schema

SEP = "__"  # field name of one key of a mapping parameter: "reach_points__locality"


@dataclass(frozen=True)
class Reference:
    """The reference data the fields offer, read once per form."""

    determinants: list[tuple[str, str]]
    stages: list[tuple[int, str]]
    groups: list[tuple[str, str]]  # every group that can be a priority group (no role-based ones)
    characteristics: list[tuple[str, str]]  # protected characteristics (PC_*)
    stage_codes: list[tuple[str, str]]  # (code, name), for parameters that name stages by code

    @classmethod
    def load(cls) -> Reference:
        groups = PopulationGroup.objects.exclude(category=PopulationCategory.ROLE)
        stages = list(LifecycleStage.objects.order_by("order"))
        return cls(
            determinants=[(d.code, d.name) for d in Determinant.objects.order_by("order")],
            stages=[(s.order, s.name) for s in stages],
            stage_codes=[(s.code, s.name) for s in stages],
            groups=[(g.code, g.name) for g in groups],
            characteristics=[
                (g.code, g.name) for g in groups if g.category == PopulationCategory.PROTECTED
            ],
        )


def _dec(label: str, help_text: str, *, max_value: Decimal | None = None) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        help_text=help_text,
        min_value=Decimal("0"),
        max_value=max_value,
        max_digits=6,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
    )


def _int(label: str, help_text: str, *, max_value: int = 99) -> forms.IntegerField:
    return forms.IntegerField(label=label, help_text=help_text, min_value=0, max_value=max_value)


def _choice(label: str, help_text: str, choices: list[tuple[Any, str]]) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(label=label, help_text=help_text, choices=choices, coerce=int)


def _ticks(label: str, help_text: str, choices: list[tuple[str, str]]) -> forms.Field:
    return forms.MultipleChoiceField(
        label=label,
        help_text=help_text,
        choices=choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


Fields = list[tuple[str, forms.Field]]


def _bands(ref: Reference) -> Fields:
    return [
        (
            "band_high",
            _dec("High from", "An impact whose weighted score is at least this is High."),
        ),
        ("band_medium", _dec("Medium from", "At least this, and below High, is Medium.")),
        (
            "band_low",
            _dec("Low from", "At least this, and below Medium, is Low; less is Negligible."),
        ),
    ]


def _magnitude(ref: Reference) -> Fields:
    fields: Fields = [
        (
            "magnitude_cap",
            _int("Highest magnitude", "Magnitude never goes above this.", max_value=9),
        ),
        (
            "irreversible_points",
            _int("Added when not reversible", "Points added to magnitude for a lasting change."),
        ),
    ]
    fields += [
        (f"reach_points{SEP}{key}", _int(f"Added for reach: {label}", "Points added to magnitude."))
        for key, label in Reach.choices
    ]
    fields += [
        (
            f"duration_points{SEP}{key}",
            _int(f"Added for duration: {label}", "Points added to magnitude."),
        )
        for key, label in Duration.choices
    ]
    return fields


NEGATIVE_LABELS = {
    "default": ("Harm: no priority group", "Multiplier for a harm falling on no priority group."),
    "one_priority": (
        "Harm: one priority group",
        "For a harm falling disproportionately on one priority group.",
    ),
    "intersecting": (
        "Harm: intersecting priority groups",
        "For a harm falling on several priority groups at once.",
    ),
    "worst_off": (
        "Harm: a group already worst off",
        "For a harm on a group already worst off for that determinant.",
    ),
}


def _multipliers(ref: Reference) -> Fields:
    fields: Fields = [
        (f"negative_multipliers{SEP}{key}", _dec(label, help_text))
        for key, (label, help_text) in NEGATIVE_LABELS.items()
    ]
    fields.append(
        (
            "intersecting_min_groups",
            _int("Groups that count as intersecting", "How many priority groups at once."),
        )
    )
    fields += [
        (f"positive_multipliers{SEP}{key}", _dec(f"Benefit: {label}", "Multiplier for a benefit."))
        for key, label in Distribution.choices
    ]
    return fields


def _serious_harm(ref: Reference) -> Fields:
    help_text = "A harm at least this severe and this likely is rated High whatever its score."
    return [
        (
            "override_min_severity",
            _choice("Severity at least", help_text, [c for c in Severity.choices if c[0] > 0]),
        ),
        ("override_min_likelihood", _choice("Likelihood at least", help_text, Likelihood.choices)),
    ]


def _priority_groups(ref: Reference) -> Fields:
    categories = [
        (f"{value}_", label)
        for value, label in PopulationCategory.choices
        if value in (PopulationCategory.SOCIO_ECONOMIC, PopulationCategory.HIGHER_RISK)
    ]
    return [
        (
            "priority_prefixes",
            _ticks(
                "Always priority groups",
                "Every group in a ticked category counts as a priority group for every "
                "determinant. Protected characteristics are chosen per determinant below.",
                categories,
            ),
        ),
        (
            "deprived_area_code",
            forms.ChoiceField(
                label="The deprived-area group",
                help_text="Counted automatically for place-based determinants when enough of "
                "the catchment lives in the most deprived areas.",
                choices=ref.groups,
            ),
        ),
        (
            "deprived_area_share_threshold",
            _dec(
                "Share of the catchment that counts",
                "Between 0 and 1: 0.5 means half the catchment in SIMD quintile 1.",
                max_value=Decimal("1"),
            ),
        ),
        (
            "place_based_determinants",
            _ticks(
                "Place-based determinants",
                "Where the deprived-area rule applies.",
                ref.determinants,
            ),
        ),
    ]


def _per_determinant(ref: Reference) -> Fields:
    fields: Fields = []
    for code, name in ref.determinants:
        fields.append(
            (
                f"priority_characteristics{SEP}{code}",
                _ticks(
                    f"{name}: protected characteristics that are priority groups",
                    "",
                    ref.characteristics,
                ),
            )
        )
        fields.append(
            (
                f"worst_off{SEP}{code}",
                _ticks(f"{name}: groups already worst off", "", ref.groups),
            )
        )
    return fields


def _flags(ref: Reference) -> Fields:
    stage = ref.stages
    return [
        ("red_min_priority_mediums", _int("Red from this many Medium harms on priority groups", "In one determinant.")),
        ("f1_max_stage_order", _choice("Full HIA (F1): recommended up to stage", "Later stages are past the decision.", stage)),
        ("f1_min_medium_count", _int("Full HIA (F1): Medium harms that call for one", "Counted across the assessment.")),
        ("f1_min_determinants", _int("Full HIA (F1): across at least this many determinants", "")),
        ("f1_uncertain_share", _dec("Full HIA (F1): share answered uncertain", "Between 0 and 1: 0.3 means 30%.", max_value=Decimal("1"))),
        ("f2_min_abs_w", _dec("Mitigation required (F2): from this weighted harm", "")),
        ("f2_min_abs_w_priority", _dec("Mitigation required (F2): on a priority group, from", "No more than the figure above.")),
        ("f4_min_significance", _int("Evidence gap (F4): from this raw significance", "Likelihood times magnitude.")),
        ("evidence_gap_levels", _ticks("Evidence gap (F4): evidence that counts as a gap", "", list(EvidenceStrength.choices))),
        ("f6_min_stage_order", _choice("Monitoring indicator needed (F6): from stage", "", stage)),
        ("gate_residual_min_stage_order", _choice("Gate on the rating after mitigation from stage", "Earlier stages gate on the rating before mitigation.", stage)),
        ("equity_index_highlight", _dec("Highlight the equity index above", "Between 0 and 1.", max_value=Decimal("1"))),
        ("rescreen_budget_change", _dec("Re-screen (F7): budget change that calls for one", "0.2 means a change of more than 20%.")),
    ]  # fmt: skip


FREQUENCY_LABELS = {
    "monthly": "Monthly",
    "quarterly": "Quarterly",
    "six_monthly": "Every six months",
    "annual": "Yearly",
}


def _monitoring(ref: Reference) -> Fields:
    """How outcome indicators are judged (scoring/monitoring.py): a section of its own."""
    m = f"monitoring{SEP}"
    fields: Fields = [
        (
            f"{m}frequency_days{SEP}{key}",
            _int(
                f"Days between measurements: {label}",
                "A measurement is due this long after the last.",
                max_value=999,
            ),
        )
        for key, label in FREQUENCY_LABELS.items()
    ]
    fields += [
        (f"{m}grace_days", _int("Days of grace", "After the due date, before a missing measurement is overdue.", max_value=365)),
        (f"{m}reminder_days_before", _int("Remind the owner this many days before", "An email before a measurement is due.", max_value=365)),
        (f"{m}on_track_tolerance", _dec("On track within", "A share of the planned change: 0.10 lets the latest value trail the line from baseline to target by 10% of it.", max_value=Decimal("1"))),
        (f"{m}outlier_change_share", _dec("Ask to confirm a jump of more than", "A share: 1.0 asks when a value moves by more than the planned change or the previous value.", max_value=Decimal("100"))),
        (f"{m}max_years_before_baseline", _int("Earliest measurement, in years before the baseline", "Older dates are refused as mistakes.")),
        (f"{m}flag_stages", _ticks("Overdue monitoring (F9): raised at stages", "", ref.stage_codes)),
        (f"{m}flag_min_overdue", _int("Overdue monitoring (F9): from this many overdue indicators", "")),
    ]  # fmt: skip
    return fields


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    intro: str
    fields: Callable[[Reference], Fields]
    # Shown only for rule sets that have this (optional) parameter.
    only_with: str = ""


SECTIONS: tuple[Section, ...] = (
    Section("bands", "Bands", "Where each band of an impact's weighted score starts.", _bands),
    Section("magnitude", "Magnitude", "Points that make an impact's magnitude.", _magnitude),
    Section(
        "multipliers",
        "Equity multipliers",
        "How much more an impact counts when it falls on priority groups.",
        _multipliers,
    ),
    Section("serious-harm", "Serious harm", "When a harm is High regardless.", _serious_harm),
    Section("priority", "Priority groups", "Who counts as a priority group.", _priority_groups),
    Section(
        "determinants",
        "Per determinant",
        "For each determinant, which protected characteristics are priority groups and which "
        "groups are already worst off (a worst-off group must also be a priority group).",
        _per_determinant,
    ),
    Section(
        "flags", "Ratings and flags", "When a rating turns red and each flag is raised.", _flags
    ),
    Section(
        "monitoring",
        "Outcome monitoring",
        "When an indicator's measurement is due and overdue, when it is on track, and when "
        "overdue monitoring raises a flag.",
        _monitoring,
        only_with="monitoring",
    ),
)

# Where a check across several parameters is shown, and what it says in plain words.
CROSS_CHECKS: dict[str, str | tuple[str, str]] = {
    "band_medium": "The bands must rise: Low from more than 0, below Medium, below High.",
    "negative_multipliers": (
        "negative_multipliers__one_priority",
        "Harm multipliers must not fall as the harm falls on more priority groups: no priority "
        "group (above 0) ≤ one group ≤ both intersecting groups and a worst-off group.",
    ),
    "positive_multipliers": (
        "positive_multipliers__even",
        "Benefit multipliers must rise: better-off (above 0) ≤ evenly ≤ priority groups.",
    ),
    "intersecting_min_groups": "Intersecting means at least 2 groups.",
    "magnitude_cap": "The highest magnitude must be at least 1.",
    "f1_uncertain_share": "Give a share above 0 and at most 1.",
    "f2_min_abs_w_priority": "This must not be more than the figure for any harm.",
}


class RuleSetForm(forms.Form):
    notes = forms.CharField(
        label="What changed and why",
        help_text="Shown with the version; say which parameters you changed and on what evidence.",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        required=False,
    )
    seen = forms.CharField(widget=forms.HiddenInput)

    def __init__(
        self, *args, parameters: dict[str, Any], reference: Reference | None = None, **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.base = parameters
        ref = self.reference = reference or Reference.load()
        self.sections: list[tuple[Section, list[str]]] = []
        for section in SECTIONS:
            if section.only_with and section.only_with not in parameters:
                continue
            names = []
            for name, field in section.fields(ref):
                self.fields[name] = field
                self.initial.setdefault(name, _initial(parameters, name))
                names.append(name)
            self.sections.append((section, names))

    def fieldsets(self) -> Iterator[tuple[Section, list[forms.BoundField]]]:
        for section, names in self.sections:
            yield section, [self[name] for name in names]

    def determinant_rows(self) -> list[dict[str, Any]]:
        """Per determinant, its two lists and a summary of what is ticked, for a collapsed row
        that opens by itself when one of its lists has an error."""
        rows = []
        for code, name in self.reference.determinants:
            characteristics = self[f"priority_characteristics{SEP}{code}"]
            worst_off = self[f"worst_off{SEP}{code}"]
            ticked = [len(field.value() or []) for field in (characteristics, worst_off)]
            rows.append(
                {
                    "code": code,
                    "name": name,
                    "fields": (characteristics, worst_off),
                    "summary": f"{ticked[0]} protected characteristic{'s' if ticked[0] != 1 else ''}"
                    f" as priority groups, {ticked[1]} group{'s' if ticked[1] != 1 else ''} "
                    "already worst off",
                    "open": bool(characteristics.errors or worst_off.errors),
                }
            )
        return rows

    def parameters(self) -> dict[str, Any]:
        """The cleaned fields as rule-set parameters, over the parameters the draft had."""
        out: dict[str, Any] = dict(self.base)
        data = self.cleaned_data
        for name in (n for _, names in self.sections for n in names):
            if name not in data:
                continue
            value = _stored(data[name])
            if name.startswith(f"worst_off{SEP}") and not value:
                out["worst_off"] = dict(out.get("worst_off") or {})
                out["worst_off"].pop(name.split(SEP, 1)[1], None)
            else:
                _put(out, name.split(SEP), value)
        return out

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        for problem in schema.parameter_problems(self.parameters()):
            self._show(problem)
        return cleaned

    def _show(self, problem: schema.Problem) -> None:
        target: str | None = SEP.join(filter(None, (problem.parameter, problem.key)))
        message = problem.message
        cross = CROSS_CHECKS.get(problem.parameter)
        if isinstance(cross, tuple):
            target, message = cross
        elif cross:
            message = cross
        elif problem.parameter == "worst_off":
            message = (
                "Each group ticked here must be a priority group for this determinant: tick it "
                "under protected characteristics as well, or untick it here."
            )
        if target not in self.fields:
            target = None  # a parameter without a field (kept from an older file): say so above
        self.add_error(target, message)


def _initial(parameters: dict[str, Any], name: str) -> Any:
    value: Any = parameters
    for part in name.split(SEP):
        value = (value or {}).get(part)
    if name.split(SEP)[0] in ("worst_off", "priority_characteristics"):
        return list(value or [])
    return value


def _put(out: dict[str, Any], path: list[str], value: Any) -> None:
    """Set out[a][b]...= value, copying each mapping on the way so the draft's own is untouched."""
    head, *rest = path
    if not rest:
        out[head] = value
        return
    inner = dict(out.get(head) or {})
    _put(inner, rest, value)
    out[head] = inner


def _stored(value: Any) -> Any:
    """Decimals are stored as strings (as in the fixtures), so they read back exactly."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (list, tuple)):
        return list(value)
    return value


class AssessmentChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.project.title} – {obj.stage.name} ({obj.project.council.name})"


class SampleForm(forms.Form):
    """Which open assessments to try a rule set on: all of them (up to the limit, most recently
    changed first) or those ticked."""

    which = forms.ChoiceField(
        label="Try it on",
        choices=[
            ("all", f"All open assessments (the {queries.MAX_SAMPLE} most recently changed)"),
            ("chosen", "Only the assessments I tick"),
        ],
        initial="all",
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    assessments = AssessmentChoices(
        label="Open assessments",
        queryset=queries.open_assessments(),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        help_text=f"Up to {queries.MAX_SAMPLE}.",
    )

    def clean(self):
        cleaned = super().clean() or {}
        chosen = cleaned.get("assessments") or []
        if cleaned.get("which") == "chosen":
            if not chosen:
                self.add_error("assessments", "Tick at least one assessment, or choose all.")
            elif len(chosen) > queries.MAX_SAMPLE:
                self.add_error("assessments", f"Tick at most {queries.MAX_SAMPLE} assessments.")
        return cleaned

    def sample(self) -> list:
        if self.cleaned_data["which"] == "chosen":
            return list(self.cleaned_data["assessments"])
        return list(queries.open_assessments()[: queries.MAX_SAMPLE])
