from django import forms

from assessments.api import tokens


class TokenForm(forms.Form):
    name = forms.CharField(
        max_length=100,
        label="What is the token for?",
        help_text="A name you will recognise later, for example “Power BI portfolio report”.",
    )
    lifetime_days = forms.TypedChoiceField(
        coerce=int,
        choices=[(days, f"{days} days") for days in tokens.LIFETIME_DAYS],
        initial=tokens.DEFAULT_LIFETIME_DAYS,
        label="Expires after",
    )
