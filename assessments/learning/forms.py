from django import forms

from assessments.enums import ProjectType
from assessments.learning import curation
from assessments.learning.queries import LIBRARY_DIRECTIONS, Scope
from assessments.models import Council, Determinant, FeedbackKind, LifecycleStage


class FeedbackForm(forms.Form):
    kind = forms.ChoiceField(
        label="What is wrong with this question?",
        choices=FeedbackKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether the question is unclear or not relevant."},
    )
    comment = forms.CharField(
        label="Comment (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


def _styled(form: forms.Form) -> None:
    """Bootstrap's classes, so each field fits its column (down to a 320 px screen)."""
    for field in form.fields.values():
        css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
        field.widget.attrs.setdefault("class", css)


class DashboardFilterForm(forms.Form):
    project_type = forms.ChoiceField(
        label="Project type", required=False, choices=[("", "All types"), *ProjectType.choices]
    )
    stage = forms.ModelChoiceField(
        label="Stage",
        required=False,
        queryset=LifecycleStage.objects.order_by("order"),
        empty_label="All stages",
    )
    council = forms.ModelChoiceField(
        label="Council",
        required=False,
        queryset=Council.objects.order_by("name"),
        empty_label="All councils",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _styled(self)

    def scope(self) -> Scope:
        # A filter that does not make sense is left out (its field says so); the others apply.
        if not self.is_bound:
            return Scope()
        self.is_valid()  # fills cleaned_data with the fields that are valid
        data = self.cleaned_data
        stage, council = data.get("stage"), data.get("council")
        return Scope(
            project_type=data.get("project_type") or None,
            stage_id=stage.pk if stage else None,
            council_id=council.pk if council else None,
        )


class LibrarySearchForm(forms.Form):
    q = forms.CharField(label="Search", required=False, max_length=200)
    determinant = forms.ModelChoiceField(
        label="Determinant",
        required=False,
        queryset=Determinant.objects.order_by("order"),
        empty_label="All determinants",
    )
    kind = forms.ChoiceField(
        label="Kind",
        required=False,
        choices=[("", "Mitigations and enhancements"), *LIBRARY_DIRECTIONS.items()],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _styled(self)


class CurationForm(forms.Form):
    action = forms.ChoiceField(choices=[(a, a) for a in curation.ACTIONS])
    into = forms.IntegerField(
        label="Same as entry number",
        required=False,
        min_value=1,
        error_messages={"invalid": "Give an entry number, such as 42."},
    )
