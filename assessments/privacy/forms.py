from django import forms

from assessments.models import CouncilPrivacy


class CouncilPrivacyForm(forms.ModelForm):
    class Meta:
        model = CouncilPrivacy
        fields = [
            "contact_email",
            "contact_phone",
            "contact_address",
            "dpo_name",
            "dpo_email",
            "dpo_address",
            "local_note",
        ]
        widgets = {
            "contact_address": forms.Textarea(attrs={"rows": 3}),
            "dpo_address": forms.Textarea(attrs={"rows": 3}),
            "local_note": forms.Textarea(attrs={"rows": 4}),
        }


class ErasureForm(forms.Form):
    confirm = forms.BooleanField(
        label="I understand that this cannot be undone",
        error_messages={"required": "Tick the box to confirm that you understand this."},
    )
