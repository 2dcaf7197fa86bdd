"""Field-level validation only; cross-question rules live in rules.py and workflow.py."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import cast

from django import forms
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.exceptions import ValidationError
from django.utils.text import Truncator

from assessments import permissions, presenters
from assessments.enums import (
    CHARACTERISED_DIRECTIONS,
    Direction,
    Distribution,
    Duration,
    EvidenceStrength,
    Likelihood,
    OtherAssessment,
    Reach,
    Role,
    Severity,
)
from assessments.models import CapitalProject, Council, LifecycleStage, Membership

# UK postcode shape (outward code, space optional, inward code).
POSTCODE_RE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?) ?([0-9][A-Z]{2})$")
DATA_ZONE_RE = re.compile(r"^S01\d{6}$")
MAX_LOCATION_CODES = 200
# Room for MAX_LOCATION_CODES codes with separators and stray spaces.
MAX_LOCATION_TEXT = 4000
# How much of the codes it could not read a message repeats: enough to find them in what was
# typed, never a whole paste of text.
SHOWN_BAD_CODES = 5
SHOWN_CODE_CHARACTERS = 12


def _bad_codes_for_message(bad: list[str]) -> str:
    shown = [Truncator(code).chars(SHOWN_CODE_CHARACTERS) for code in bad[:SHOWN_BAD_CODES]]
    more = len(bad) - len(shown)
    return ", ".join(shown) + (f" and {more} more" if more else "")


def _split_codes(raw: str) -> list[str]:
    return [part.strip().upper() for part in re.split(r"[,;\n]+", raw or "") if part.strip()]


def normalise_postcode(raw: str) -> str | None:
    match = POSTCODE_RE.match(re.sub(r"\s+", " ", raw.strip().upper()))
    return f"{match.group(1)} {match.group(2)}" if match else None


class ProjectForm(forms.ModelForm):
    postcodes_text = forms.CharField(
        label="Postcodes",
        required=False,
        max_length=MAX_LOCATION_TEXT,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="One or more postcodes in the project area, separated by commas or new lines, e.g. G40 1AT.",
    )
    data_zones_text = forms.CharField(
        label="Data zone codes",
        required=False,
        max_length=MAX_LOCATION_TEXT,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="2011 data zone codes (S01…), separated by commas or new lines.",
    )
    lock_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = CapitalProject
        fields = [
            "title",
            "council",
            "reference",
            "description",
            "project_type",
            "budget",
            "city_deal",
            "catchment_includes_neighbours",
            "senior_responsible_officer",
            "project_manager",
            "current_stage",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 5})}
        labels = {
            "budget": "Budget (£)",
            "city_deal": "City Deal project",
            "catchment_includes_neighbours": "Include neighbouring data zones in the catchment",
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        councils = permissions.project_councils(user, Council.objects.all())
        # ModelForm makes a ModelChoiceField for each foreign key; mypy only sees a Field.
        fk = {
            name: cast(forms.ModelChoiceField, self.fields[name])
            for name in (
                "council",
                "senior_responsible_officer",
                "project_manager",
                "current_stage",
            )
        }
        fk["council"].queryset = councils
        users = get_user_model().objects.filter(is_active=True).order_by("first_name", "last_name")
        fk["senior_responsible_officer"].queryset = users.filter(
            memberships__role=Role.SRO, memberships__council__in=councils
        ).distinct()
        fk["project_manager"].queryset = users.filter(
            memberships__role=Role.PROJECT_MANAGER, memberships__council__in=councils
        ).distinct()
        for name in ("senior_responsible_officer", "project_manager"):
            # Django's documented way to relabel one field's choices; mypy reads it as
            # replacing a method.
            fk[name].label_from_instance = presenters.person_name  # type: ignore[method-assign,assignment]
        fk["current_stage"].queryset = LifecycleStage.objects.order_by("order")
        self.fields["budget"].widget.attrs.update({"min": "1", "step": "0.01"})
        if self.instance.pk:
            self.fields["postcodes_text"].initial = ", ".join(self.instance.postcodes)
            self.fields["data_zones_text"].initial = ", ".join(self.instance.data_zones)
            self.fields["lock_version"].initial = self.instance.lock_version

    def clean_postcodes_text(self):
        codes: list[str] = []
        bad: list[str] = []
        for raw in _split_codes(self.cleaned_data["postcodes_text"]):
            normalised = normalise_postcode(raw)
            (codes if normalised else bad).append(normalised or raw)
        if bad:
            raise ValidationError(
                "These are not valid UK postcodes: %(bad)s. A postcode looks like G40 1AT.",
                params={"bad": _bad_codes_for_message(bad)},
            )
        if len(codes) > MAX_LOCATION_CODES:
            raise ValidationError(f"Enter at most {MAX_LOCATION_CODES} postcodes.")
        return list(dict.fromkeys(codes))

    def clean_data_zones_text(self):
        codes = _split_codes(self.cleaned_data["data_zones_text"])
        bad = [code for code in codes if not DATA_ZONE_RE.match(code)]
        if bad:
            raise ValidationError(
                "These are not 2011 data zone codes: %(bad)s. A data zone code is S01 followed by six digits.",
                params={"bad": _bad_codes_for_message(bad)},
            )
        if len(codes) > MAX_LOCATION_CODES:
            raise ValidationError(f"Enter at most {MAX_LOCATION_CODES} data zones.")
        return list(dict.fromkeys(codes))

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        for field, role in (
            ("senior_responsible_officer", Role.SRO),
            ("project_manager", Role.PROJECT_MANAGER),
        ):
            person, council = cleaned.get(field), cleaned.get("council")
            if (
                person
                and council
                and not Membership.objects.filter(user=person, council=council, role=role).exists()
            ):
                self.add_error(field, f"This person is not a {role.label.lower()} in {council}.")
        self._check_place(cleaned)
        return cleaned

    def _check_place(self, cleaned) -> None:
        """Postcodes and data zones must be in the region (place data loaded by load_place_data).
        Notes about sector fallbacks are kept for the view to show after saving."""
        from assessments.place import profile as place

        self.place_notes = []
        postcodes, zones = cleaned.get("postcodes_text"), cleaned.get("data_zones_text")
        if postcodes is None or zones is None or not place.place_data_loaded():
            return
        location = place.resolve_location(postcodes, zones)
        for error in location.postcode_errors:
            self.add_error("postcodes_text", error)
        for error in location.zone_errors:
            self.add_error("data_zones_text", error)
        self.place_notes = location.notes

    @property
    def location_changed(self) -> bool:
        """Whether the edit moves the catchment, which feeds the scores."""
        return bool(
            {"postcodes_text", "data_zones_text", "catchment_includes_neighbours"}
            & set(self.changed_data)
        )

    def save(self, commit=True):
        project = super().save(commit=False)
        project.postcodes = self.cleaned_data["postcodes_text"]
        project.data_zones = self.cleaned_data["data_zones_text"]
        if commit:
            project.save()
        return project


class SignedStateField(forms.CharField):
    """A hidden value the server put in the page, signed so it comes back as given or not at all
    (a missing or altered value cleans to None)."""

    widget = forms.HiddenInput

    def __init__(self, *, salt: str, **kwargs):
        super().__init__(required=False, strip=False, **kwargs)
        self.salt = salt

    def prepare_value(self, value):
        if value is None or isinstance(value, str):
            return value
        return signing.dumps(value, salt=self.salt, compress=True)

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        try:
            return signing.loads(value, salt=self.salt)
        except signing.BadSignature:
            return None


class KeepChoice(forms.Form):
    """Asked when this person and someone else both changed the same thing: which to keep."""

    KEEP_MINE, KEEP_THEIRS = "mine", "theirs"

    asked = forms.BooleanField(widget=forms.HiddenInput, required=False)
    keep = forms.ChoiceField(
        label="Which version do you want to keep?",
        required=False,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
        choices=[(KEEP_MINE, "Keep mine"), (KEEP_THEIRS, "Keep theirs")],
    )
    # Set by ask() on the page that asks: the conflict and its field-by-field comparison.
    conflict = None
    compare: Sequence[tuple[str, str, str]] = ()

    @property
    def asking(self) -> bool:
        return bool(self.fields["asked"].to_python(self["asked"].value()))

    def ask(self, conflict, compare: list[tuple[str, str, str]]) -> None:
        self.conflict, self.compare = conflict, compare
        cast(forms.ChoiceField, self.fields["keep"]).choices = [
            (self.KEEP_MINE, "Keep mine (as in the form below)"),
            (self.KEEP_THEIRS, f"Keep theirs (as saved now by {conflict.saved_by})"),
        ]

    def choice(self) -> str | None:
        """The person's choice if they were asked (an empty string if not chosen yet), else None."""
        return self.cleaned_data.get("keep") or "" if self.cleaned_data.get("asked") else None


# What to say when a positive or negative impact lacks one of its required fields (each label
# read differently in a sentence: "how many people" could not simply be slotted in).
IMPACT_FIELD_MISSING = {
    "likelihood": "Choose how likely this impact is.",
    "severity": "Choose how severe this impact is.",
    "duration": "Choose how long this impact lasts.",
    "reach": "Choose how many people this impact reaches.",
}


class AnswerForm(KeepChoice):
    """One question's impact record. Extra fields apply only to positive, negative or uncertain answers."""

    direction = forms.ChoiceField(
        label="Impact on health",
        choices=[("", "Not answered yet"), *Direction.choices],
        required=False,
    )
    pathway = forms.CharField(
        label="How does the change affect health?",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    likelihood = forms.TypedChoiceField(
        label="Likelihood",
        choices=[("", "—"), *Likelihood.choices],
        coerce=int,
        empty_value=None,
        required=False,
    )
    severity = forms.TypedChoiceField(
        label="Severity",
        choices=[("", "—"), *Severity.choices],
        coerce=int,
        empty_value=None,
        required=False,
    )
    duration = forms.ChoiceField(
        label="Duration", choices=[("", "—")] + Duration.choices, required=False
    )
    reversible = forms.TypedChoiceField(
        label="Reversible?",
        choices=[("yes", "Yes"), ("no", "No")],
        coerce=lambda v: v == "yes",
        # Django takes any empty value; django-stubs allows only str or None.
        initial="yes",
        required=False,
        empty_value=True,  # type: ignore[arg-type]
    )
    reach = forms.ChoiceField(
        label="How many people", choices=[("", "—")] + Reach.choices, required=False
    )
    groups = forms.MultipleChoiceField(
        label="Population groups affected", required=False, widget=forms.CheckboxSelectMultiple
    )
    disproportionate = forms.MultipleChoiceField(
        label="Of those, affected disproportionately",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    distribution = forms.ChoiceField(
        label="Who gains or loses most?", choices=[("", "—")] + Distribution.choices, required=False
    )
    evidence_strength = forms.ChoiceField(
        label="Strength of evidence", choices=[("", "—")] + EvidenceStrength.choices, required=False
    )
    evidence_notes = forms.CharField(
        label="Evidence and sources",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    covered_by = forms.MultipleChoiceField(
        label="Already covered by another assessment",
        choices=OtherAssessment.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    mitigation = forms.CharField(
        label="Proposed mitigation or enhancement",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    mitigation_owner = forms.CharField(label="Owner of the action", required=False, max_length=200)
    delivery_mechanism = forms.CharField(
        label="How the benefit is secured (e.g. contract clause)", required=False, max_length=300
    )
    residual_likelihood = forms.TypedChoiceField(
        label="Likelihood after mitigation",
        choices=[("", "—"), *Likelihood.choices],
        coerce=int,
        empty_value=None,
        required=False,
    )
    residual_severity = forms.TypedChoiceField(
        label="Severity after mitigation",
        choices=[("", "—"), *Severity.choices],
        coerce=int,
        empty_value=None,
        required=False,
    )
    monitoring_indicator = forms.CharField(
        label="Monitoring indicator", required=False, max_length=300
    )
    indicator_baseline = forms.CharField(label="Indicator baseline", required=False, max_length=300)
    notes = forms.CharField(
        label="Notes", required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )

    IMPACT_FIELDS = (
        "pathway",
        "likelihood",
        "severity",
        "duration",
        "reach",
        "groups",
        "disproportionate",
        "distribution",
        "evidence_strength",
        "evidence_notes",
        "covered_by",
        "mitigation",
        "mitigation_owner",
        "delivery_mechanism",
        "residual_likelihood",
        "residual_severity",
        "monitoring_indicator",
        "indicator_baseline",
    )
    REQUIRED_FOR_IMPACT = ("likelihood", "severity", "duration", "reach")

    def __init__(self, *args, group_choices, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["groups"]).choices = group_choices
        cast(forms.ChoiceField, self.fields["disproportionate"]).choices = group_choices

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        direction = cleaned.get("direction") or ""
        if direction not in CHARACTERISED_DIRECTIONS:
            for name in self.IMPACT_FIELDS:
                if cleaned.get(name) not in (None, "", []):
                    self.add_error(
                        name,
                        "Only give this for a positive, negative or uncertain impact. "
                        "Choose the impact first, or clear this field.",
                    )
        elif direction in (Direction.POSITIVE, Direction.NEGATIVE):
            for name in self.REQUIRED_FOR_IMPACT:
                if cleaned.get(name) in (None, ""):
                    self.add_error(name, IMPACT_FIELD_MISSING[name])
        disproportionate = set(cleaned.get("disproportionate") or [])
        missing = disproportionate - set(cleaned.get("groups") or [])
        if missing:
            self.add_error(
                "disproportionate", "Tick these groups as affected too, or untick them here."
            )
        if cleaned.get("mitigation") and not cleaned.get("mitigation_owner"):
            self.add_error("mitigation_owner", "Say who owns this action.")
        if (cleaned.get("residual_likelihood") is None) != (
            cleaned.get("residual_severity") is None
        ):
            self.add_error(
                "residual_severity",
                "Give both the likelihood and the severity after mitigation, or neither.",
            )
        return cleaned


class SectionMetaForm(KeepChoice):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    # The answers as this person opened them (editing.opened_state).
    opened = SignedStateField(salt="assessments.section-opened")
    not_assessed_reason = forms.CharField(
        label="If this determinant is not relevant at this stage, say why",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


def _shown_value(field, value, group_names: dict) -> str:
    if value in (None, "", []):
        return "(blank)"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    # Population groups come from the database, so their field has no choices of its own.
    names = dict(getattr(field, "choices", None) or []) or (
        group_names if isinstance(field, forms.MultipleChoiceField) else {}
    )
    items = value if isinstance(value, list) else [value]
    return ", ".join(str(names.get(item, item)) for item in items)


def compare_rows(changes, group_names: dict) -> list[tuple[str, str, str]]:
    """(field label, saved value, this person's value) for each field two versions differ in,
    worded as the section form words them."""
    fields = {**AnswerForm.base_fields, **SectionMetaForm.base_fields}
    rows = []
    for change in changes:
        field = fields[change.field]
        rows.append(
            (
                str(field.label),
                _shown_value(field, change.saved_value, group_names),
                _shown_value(field, change.your_value, group_names),
            )
        )
    return rows
