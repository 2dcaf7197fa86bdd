from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.db import transaction
from django.template.loader import render_to_string

from assessments.permissions import GRANTABLE_ROLES
from assessments.review.notifications import deliver_email


class SignInForm(AuthenticationForm):
    """Django's sign-in form without autofocus on the username: a focused field on load makes
    keyboard and screen-reader users start past the skip link and the page's explanation."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs.pop("autofocus", None)


class QueuedPasswordResetForm(PasswordResetForm):
    """Django's forgotten-password form, with the email handed to the task queue after the
    request commits instead of sent inside it (a slow mail relay never delays or breaks the
    page, and the page looks the same whether or not the address has an account)."""

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        subject = "".join(render_to_string(subject_template_name, context).splitlines())
        body = render_to_string(email_template_name, context)
        transaction.on_commit(lambda: deliver_email.enqueue(subject, body, to_email))


class InviteForm(forms.Form):
    email = forms.EmailField(label="Email address", max_length=254)
    first_name = forms.CharField(label="First name", max_length=150)
    last_name = forms.CharField(label="Last name", max_length=150)
    role = forms.ChoiceField(label="Role", choices=[(r.value, r.label) for r in GRANTABLE_ROLES])


class RoleForm(forms.Form):
    role = forms.ChoiceField(label="Role", choices=[(r.value, r.label) for r in GRANTABLE_ROLES])
