"""Forms for review, the action plan and the community panel (field validation only: the rules
about who may do what and when live in permissions.py and workflow.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django import forms

from assessments import presenters
from assessments.enums import RAG_WORDS
from assessments.models import Action, Determinant, LifecycleStage, PopulationGroup
from assessments.models.review import OPEN_ACTION_STATUSES, ActionStatus, Verdict
from assessments.review.actions import action_owner_choices
from assessments.review.reviewing import BANDS, RAGS, closes_request_alone
from assessments.review.workflow import MaterialChange

if TYPE_CHECKING:
    from assessments.models import Answer, StageAssessment


class Styled(forms.BaseForm):
    """Bootstrap classes on every widget, so templates can render fields as they are. Mixed in
    before Form or ModelForm."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(
                widget, (forms.CheckboxInput, forms.RadioSelect, forms.CheckboxSelectMultiple)
            ):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            elif isinstance(widget, forms.HiddenInput):
                continue
            else:
                css = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()


class TransitionForm(forms.Form):
    note = forms.CharField(
        label="Note (optional)",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    # The status the person saw: if it moved on meanwhile, the action is refused, not replayed.
    expected_status = forms.CharField(widget=forms.HiddenInput, required=False)


class RescreenForm(TransitionForm):
    reason = forms.ChoiceField(
        label="What changed?", choices=MaterialChange.CHOICES, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label="Describe the change", max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )


class VerdictForm(Styled, forms.Form):
    verdict = forms.ChoiceField(label="Verdict", choices=Verdict.choices, widget=forms.RadioSelect)
    comment = forms.CharField(
        label="Comment (required for improvable or to correct: it becomes an action)",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    override_band = forms.ChoiceField(
        label="Your rating of the band, if different from the tool's",
        required=False,
        choices=[("", "Keep the tool's band")] + [(b, b.capitalize()) for b in BANDS],
    )
    override_reason = forms.CharField(
        label="Reason for your rating", required=False, max_length=4000
    )

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        if (
            cleaned.get("verdict") in (Verdict.IMPROVABLE, Verdict.TO_CORRECT)
            and not cleaned.get("comment", "").strip()
        ):
            self.add_error("comment", "Say what should be improved or corrected.")
        if cleaned.get("override_band") and not cleaned.get("override_reason", "").strip():
            self.add_error("override_reason", "Give the reason for your rating.")
        return cleaned


class DeterminantOverrideForm(Styled, forms.Form):
    determinant = forms.ModelChoiceField(
        queryset=Determinant.objects.all(), widget=forms.HiddenInput
    )
    value = forms.ChoiceField(label="Your harm rating", choices=[(r, RAG_WORDS[r]) for r in RAGS])
    reason = forms.CharField(label="Reason", max_length=4000)


def _answer_label(answer: Answer) -> str:
    return f"{answer.question.code} {answer.question.text[:60]}"


def _determinant_label(determinant: Determinant) -> str:
    return determinant.plain_name or determinant.name


# ModelForm[Action] cannot be written here: Django's class is not subscriptable at run time.
class ActionForm(Styled, forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Action
        fields = [
            "answer",
            "kind",
            "text",
            "owner_user",
            "owner",
            "due_date",
            "due_stage",
            "funding",
            "status",
        ]
        labels = {
            "text": "Action",
            "owner_user": "Owner in CHIIA (gets reminders)",
            "owner": "Owner (person or team, also outside the council)",
            "due_date": "Due date (optional)",
            "due_stage": "Due by the end of",
            "answer": "For question (optional)",
        }
        widgets = {
            "text": forms.Textarea(attrs={"rows": 2}),
            "due_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args: Any, assessment: StageAssessment, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # ModelForm makes a ModelChoiceField for each foreign key.
        answer = cast("forms.ModelChoiceField[Answer]", self.fields["answer"])
        answer.queryset = assessment.answers.select_related("question").order_by("question__code")
        # Relabelling one field's choices by setting label_from_instance on it is what Django's
        # documentation shows; mypy reads it as replacing a method (here and in CommentForm).
        answer.label_from_instance = _answer_label  # type: ignore[method-assign,assignment]
        due_stage = cast("forms.ModelChoiceField[LifecycleStage]", self.fields["due_stage"])
        due_stage.queryset = LifecycleStage.objects.order_by("order")
        # mywork: an owner in CHIIA is one of the project's council's people.
        owner_user = cast("forms.ModelChoiceField[Any]", self.fields["owner_user"])
        owner_user.queryset = action_owner_choices(assessment)
        owner_user.label_from_instance = presenters.person_name  # type: ignore[method-assign,assignment]
        self.fields["owner"].required = False
        self.fields["owner"].help_text = "Left blank, the CHIIA owner's name is used."
        if self.instance.pk and closes_request_alone(self.instance, ActionStatus.DONE):
            # closure: a reviewer's request is closed by the reviewer agreeing, not from here.
            status = cast("forms.ChoiceField", self.fields["status"])
            status.choices = [
                (value, label)
                for value, label in ActionStatus.choices
                if value in OPEN_ACTION_STATUSES
            ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        person = cleaned.get("owner_user")
        if not cleaned.get("owner"):
            if person is None:
                self.add_error("owner", "Name the owner, or choose an owner in CHIIA.")
            else:
                cleaned["owner"] = presenters.person_name(person)
        return cleaned


class JustificationForm(Styled, forms.Form):
    flag_code = forms.ChoiceField(
        label="Flag",
        choices=[(code, f"{name} ({code})") for code, name in presenters.FLAG_NAMES.items()],
        error_messages={
            "required": "Choose the flag you are justifying.",
            "invalid_choice": "Choose one of the flags F1 to F9.",
        },
    )
    answer_code = forms.CharField(
        label="Question code (leave blank for the whole flag)", required=False, max_length=20
    )
    justification = forms.CharField(
        label="Justification",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Write why this flag does not need more action."},
    )

    def __init__(self, *args: Any, assessment: StageAssessment, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.assessment = assessment

    def clean_answer_code(self) -> Answer | None:
        """The answer the code names in this assessment (None for the whole flag)."""
        code = self.cleaned_data["answer_code"].strip().upper()
        if not code:
            return None
        answer = self.assessment.answers.filter(question__code=code).first()
        if answer is None:
            raise forms.ValidationError(
                "There is no question %(code)s in this assessment.", params={"code": code}
            )
        return answer


class ConsultationOpenForm(Styled, forms.Form):
    closes_at = forms.DateTimeField(
        label="Closes at (optional)",
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"],
    )


class CommentForm(Styled, forms.Form):
    determinant = forms.ModelChoiceField(
        label="About which part of health (optional)",
        queryset=Determinant.objects.all(),
        required=False,
        empty_label="The project in general",
    )
    group = forms.ModelChoiceField(
        label="About which group of people (optional)",
        queryset=PopulationGroup.objects.all(),
        required=False,
        empty_label="No particular group",
    )
    text = forms.CharField(
        label="Your comment",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Write your comment before you send it."},
    )
    is_concern = forms.BooleanField(label="This is a significant concern", required=False)
    requests_full_hia = forms.BooleanField(
        label="I formally ask for a full health impact assessment of this project", required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast("forms.ModelChoiceField[Determinant]", self.fields["determinant"])
        field.label_from_instance = _determinant_label  # type: ignore[method-assign,assignment]


class ReplyForm(Styled, forms.Form):
    text = forms.CharField(
        label="Your reply (“you said, we did”)",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class HideForm(Styled, forms.Form):
    reason = forms.CharField(label="Reason for hiding", max_length=2000)


class RequestStepForm(forms.Form):
    """closure: one step on a reviewer's request (review/requests.py)."""

    note = forms.CharField(required=False, max_length=4000)
    # The request's state the person saw: if it moved on meanwhile, the step is refused.
    seen_state = forms.CharField(required=False, max_length=20)
    back = forms.ChoiceField(
        required=False, choices=[("plan", "action plan"), ("review", "review page")]
    )
