from __future__ import annotations

from django import forms


class PublicSummaryForm(forms.Form):
    text = forms.CharField(
        label="Summary for the community panel",
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Plain words, short sentences: what the project is, who it could help or harm, "
        "and what the team will do about it. Aim for a reading age of 12 or under.",
        error_messages={"required": "Write the summary before you save it."},
    )
    version = forms.CharField(widget=forms.HiddenInput, required=False)


class ApproveSummaryForm(forms.Form):
    version = forms.CharField(widget=forms.HiddenInput)
