"""Forms of outcomes monitoring: an indicator's definition, one measurement, a CSV file."""

from __future__ import annotations

from typing import cast

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q

from assessments.enums import Direction
from assessments.models import Action, Answer, Indicator, PopulationGroup
from assessments.monitoring.csv_import import MAX_BYTES
from assessments.presenters import person_name
from assessments.scoring import monitoring as rules

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class IndicatorForm(forms.ModelForm):
    lock_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Indicator
        fields = [
            "determinant",
            "name",
            "definition",
            "unit",
            "good_direction",
            "data_source",
            "population",
            "population_groups",
            "baseline_value",
            "baseline_date",
            "target_value",
            "target_date",
            "frequency",
            "owner",
            "answers",
            "actions",
            "active",
        ]
        labels = {
            "good_direction": "Direction of good",
            "population": "Population covered",
            "population_groups": "Population groups covered (optional)",
            "owner": "Owner (gets the reminders)",
            "answers": "Impacts this indicator tracks (optional)",
            "actions": "Actions this indicator tracks (optional)",
            "active": "Still measured",
            "frequency": "How often it is measured",
        }
        help_texts = {
            "baseline_value": "The value before the project made a difference",
            "target_value": "The value the project aims for",
            "active": "Untick to retire the indicator: it keeps its measurements and stops "
            "falling due",
        }
        widgets = {
            "definition": forms.Textarea(attrs={"rows": 3}),
            "baseline_date": DATE_INPUT,
            "target_date": DATE_INPUT,
            "population_groups": forms.CheckboxSelectMultiple,
            "answers": forms.CheckboxSelectMultiple,
            "actions": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.project = project
        if not self.instance.pk:
            self.fields["active"].widget = forms.HiddenInput()
        elif not self.is_bound:
            self.initial["lock_version"] = self.instance.lock_version
        # ModelForm makes a model choice field for each relation; mypy only sees a Field.
        choice = {
            name: cast(forms.ModelChoiceField, self.fields[name])
            for name in ("population_groups", "owner", "answers", "actions")
        }
        choice["population_groups"].queryset = PopulationGroup.objects.exclude(
            code__startswith="RB_"
        )
        choice["owner"].queryset = (
            get_user_model()
            .objects.filter(is_active=True, memberships__council_id=project.council_id)
            .distinct()
            .order_by("first_name", "last_name", "username")
        )
        choice["answers"].queryset = (
            Answer.objects.filter(
                assessment__project=project,
                direction__in=[Direction.POSITIVE, Direction.NEGATIVE, Direction.UNCERTAIN],
            )
            .exclude(assessment__status="superseded")
            .select_related("question", "assessment__stage")
            .order_by("assessment__stage__order", "question__code")
        )
        choice["actions"].queryset = (
            Action.objects.filter(assessment__project=project)
            .filter(~Q(assessment__status="superseded"))
            .select_related("assessment__stage")
            .order_by("assessment__stage__order", "id")
        )
        for name, label in (
            ("owner", person_name),
            ("answers", _answer_label),
            ("actions", _action_label),
        ):
            choice[name].label_from_instance = label  # type: ignore[method-assign,assignment]

    def clean(self):
        data = super().clean() or {}
        baseline, target = data.get("baseline_date"), data.get("target_date")
        if baseline and target and target <= baseline:
            self.add_error("target_date", "The target date must be after the baseline date")
        unit = data.get("unit")
        for name in ("baseline_value", "target_value"):
            value = data.get(name)
            if unit and value is not None and (problem := rules.value_problem(unit, value)):
                self.add_error(name, problem)
        return data


def _answer_label(answer: Answer) -> str:
    return (
        f"{answer.assessment.stage.name} · {answer.question.code}: "
        f"{answer.get_direction_display().lower()} – {answer.question.text[:120]}"
    )


def _action_label(action: Action) -> str:
    return f"{action.assessment.stage.name} · {action.get_kind_display()}: {action.text[:120]}"


class MeasurementForm(forms.Form):
    measured_on = forms.DateField(
        label="Date measured",
        widget=DATE_INPUT,
        help_text="The date the value describes, e.g. the last day of the quarter",
    )
    value = forms.DecimalField(max_digits=16, decimal_places=4, label="Value")
    source = forms.CharField(max_length=300, required=False, label="Source (optional)")
    note = forms.CharField(
        max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2}), label="Note"
    )
    confirm = forms.BooleanField(
        required=False, label="I have checked this figure and its unit: it is right"
    )

    def __init__(self, *args, indicator: Indicator, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["value"].help_text = f"In the indicator's unit: {indicator.get_unit_display()}"
        # The confirmation box is offered only once the value was found unusual.
        self.needs_confirmation = False
        self.fields["confirm"].widget = forms.HiddenInput()

    def ask_to_confirm(self) -> None:
        self.needs_confirmation = True
        self.fields["confirm"].widget = forms.CheckboxInput()


class MeasurementImportForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        help_text="Fill in the template, save it as CSV (UTF-8) and choose it here. "
        f"At most {MAX_BYTES // (1024 * 1024)} MB.",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".csv"):
            raise forms.ValidationError("Choose a .csv file (save the spreadsheet as CSV UTF-8)")
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB: split it"
            )
        return upload
