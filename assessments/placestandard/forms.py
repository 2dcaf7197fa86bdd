"""The Place Standard form: when and with how many people, and 28 ratings (14 themes by the
community and by officers), each 1–7 or not rated."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from assessments.models import PlaceStandardAssessment, RespondentGroup
from assessments.placestandard.editing import Entry

SCORE_CHOICES = [("", "Not rated")] + [(str(n), str(n)) for n in range(1, 8)]


def rating_field_name(theme_code: str, group: str) -> str:
    return f"rating_{theme_code}_{group}"


class PlaceStandardForm(forms.Form):
    held_on = forms.DateField(
        label="When were the ratings gathered?",
        help_text="For example 14/03/2026",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    community_respondents = forms.IntegerField(
        label="How many community members took part?", min_value=0, max_value=100_000, initial=0
    )
    officer_respondents = forms.IntegerField(
        label="How many officers took part?", min_value=0, max_value=10_000, initial=0
    )
    notes = forms.CharField(
        label="Notes (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="How the ratings were gathered, for example a street survey or a workshop.",
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, data=None, *, themes, record: PlaceStandardAssessment | None = None):
        initial: dict = {}
        if record is not None:
            initial.update(
                held_on=record.held_on,
                community_respondents=record.community_respondents,
                officer_respondents=record.officer_respondents,
                notes=record.notes,
                version=record.version,
            )
            for rating in record.ratings.all():
                initial[rating_field_name(rating.theme.code, rating.group)] = str(rating.score)
        super().__init__(data, initial=initial)
        self.themes = themes
        for theme in themes:
            for group, group_label in RespondentGroup.choices:
                self.fields[rating_field_name(theme.code, group)] = forms.TypedChoiceField(
                    label=f"{theme.name}: {group_label.lower()} rating",
                    choices=SCORE_CHOICES,
                    coerce=int,
                    empty_value=None,
                    required=False,
                    widget=forms.Select(attrs={"class": "form-select ps-score"}),
                )

    def clean_held_on(self):
        held_on = self.cleaned_data["held_on"]
        if held_on > timezone.localdate():
            raise forms.ValidationError("The ratings cannot have been gathered in the future.")
        return held_on

    def clean(self):
        cleaned = super().clean() or {}
        for group, field in (
            ("community", "community_respondents"),
            ("officers", "officer_respondents"),
        ):
            rated = any(cleaned.get(rating_field_name(t.code, group)) for t in self.themes)
            if rated and cleaned.get(field) == 0:
                self.add_error(
                    field,
                    f"There are {group} ratings, so say how many people gave them (at least 1).",
                )
        return cleaned

    def rows(self):
        """One row per theme with its two rating fields, for the table the template draws."""
        return [
            {
                "theme": theme,
                "fields": [self[rating_field_name(theme.code, g)] for g in RespondentGroup.values],
            }
            for theme in self.themes
        ]

    def entry(self) -> Entry:
        data = self.cleaned_data
        return Entry(
            held_on=data["held_on"],
            community_respondents=data["community_respondents"],
            officer_respondents=data["officer_respondents"],
            notes=data["notes"],
            ratings={
                (t.code, g): data.get(rating_field_name(t.code, g))
                for t in self.themes
                for g in RespondentGroup.values
            },
        )
