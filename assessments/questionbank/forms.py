"""Forms for drafting a question bank version: one question, a new question, the order of one
determinant's questions, and publishing."""

from __future__ import annotations

from typing import cast

from django import forms

from assessments.enums import OtherAssessment, StageGroup
from assessments.models import Determinant, Question
from assessments.questionbank.queries import stages_in_group

# The same limits the published fixtures are checked against.
MAX_TEXT = 250
MAX_GUIDANCE = 600
DUTY_CHOICES = [*OtherAssessment.choices, ("HIA", "Health Impact Assessment")]
PUBLISHED_REFUSAL = (
    "This version is published: nothing in it can change. Start a new draft instead."
)


def _stage_choices(stage_group: str):
    return [(stage.code, stage.name) for stage in stages_in_group(stage_group)]


class QuestionFields(forms.Form):
    """What a methodology owner writes for one question."""

    text = forms.CharField(
        label="Question",
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=f"As the project manager reads it. At most {MAX_TEXT} characters.",
        error_messages={"required": "Enter the question."},
    )
    guidance = forms.CharField(
        label="Guidance",
        max_length=MAX_GUIDANCE,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=f"How to answer it well and where to look. At most {MAX_GUIDANCE} characters.",
        error_messages={"required": "Enter guidance: every question needs some."},
    )
    duties = forms.MultipleChoiceField(
        label="Duties the answer can feed",
        choices=DUTY_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    required = forms.BooleanField(
        label="Required (clear this for an optional deeper question)", required=False
    )
    hidden_stages = forms.MultipleChoiceField(
        label="Do not ask it at these stages",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="The question is asked at every other stage of its stage group.",
    )

    def __init__(self, *args, stage_group: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.stage_choices = _stage_choices(stage_group)
        cast(forms.ChoiceField, self.fields["hidden_stages"]).choices = self.stage_choices

    def clean_text(self):
        return " ".join(self.cleaned_data["text"].split())

    def clean_guidance(self):
        return self.cleaned_data["guidance"].strip()

    def clean(self):
        cleaned = super().clean() or {}
        hidden = cleaned.get("hidden_stages") or []
        if hidden and len(hidden) == len(self.stage_choices):
            self.add_error(
                "hidden_stages",
                "A question hidden at every stage is never asked: retire it instead.",
            )
        return cleaned


class QuestionEditForm(QuestionFields):
    meaning_changed = forms.BooleanField(
        label="The meaning changes: retire this code and give the question a new one",
        required=False,
        help_text=(
            "Leave this clear for a rewording that keeps the meaning: answers already given "
            "carry over, flagged for the project manager to confirm."
        ),
    )

    def __init__(self, *args, question: Question, **kwargs):
        self.question = question
        kwargs.setdefault(
            "initial",
            {
                "text": question.text,
                "guidance": question.guidance,
                "duties": list(question.duties),
                "required": question.required,
                "hidden_stages": list(question.hidden_stages),
            },
        )
        super().__init__(*args, stage_group=question.stage_group, **kwargs)

    def clean(self):
        cleaned = super().clean()
        if not self.question.bank.is_draft:
            raise forms.ValidationError(PUBLISHED_REFUSAL)
        return cleaned


class NewQuestionForm(QuestionFields):
    determinant = forms.ModelChoiceField(
        label="Determinant of health",
        queryset=Determinant.objects.all(),
        empty_label=None,
    )
    stage_group = forms.ChoiceField(label="Stage group", choices=StageGroup.choices)
    field_order = ["determinant", "stage_group", "text", "guidance", "duties", "required"]

    def __init__(self, *args, bank, stage_group: str = StageGroup.EARLY, **kwargs):
        self.bank = bank
        data = args[0] if args else kwargs.get("data")
        if data is not None and data.get("stage_group") in StageGroup.values:
            stage_group = data.get("stage_group")
        kwargs.setdefault("initial", {"required": True, "stage_group": stage_group})
        super().__init__(*args, stage_group=stage_group, **kwargs)
        # Which stages a new question skips is chosen once it exists, in its own stage group.
        del self.fields["hidden_stages"]

    def clean(self):
        cleaned = super().clean()
        cleaned["hidden_stages"] = []
        if not self.bank.is_draft:
            raise forms.ValidationError(PUBLISHED_REFUSAL)
        return cleaned


class PositionForm(forms.Form):
    question = forms.IntegerField(widget=forms.HiddenInput)
    position = forms.IntegerField(
        label="Position",
        min_value=1,
        max_value=99,
        error_messages={
            "required": "Enter a position number.",
            "min_value": "Enter a position of 1 or more.",
            "max_value": "Enter a position of 99 or less.",
        },
    )


class BasePositionFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        seen: dict[int, int] = {}
        for form in self.forms:
            position = form.cleaned_data.get("position")
            if position in seen:
                form.add_error("position", "Two questions cannot share a position.")
            seen[position] = form.cleaned_data.get("question")


PositionFormSet = forms.formset_factory(
    PositionForm, formset=BasePositionFormSet, extra=0, min_num=1, validate_min=True
)


class PublishForm(forms.Form):
    notes = forms.CharField(
        label="What changed in this version",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Shown with the version to everyone who looks at it.",
        error_messages={"required": "Say what changed in this version."},
    )
    confirm = forms.BooleanField(
        label="I understand this version can never change once published",
        error_messages={"required": "Tick the box to confirm you want to publish."},
    )


class MoveForm(forms.Form):
    """Carries the versions the project manager saw, so a repeated or stale confirmation is
    recognised rather than acted on twice."""

    from_bank = forms.IntegerField(widget=forms.HiddenInput)
    to_bank = forms.IntegerField(widget=forms.HiddenInput)
