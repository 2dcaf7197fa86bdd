"""The sign-in, callback and sign-out routes of single sign-on (mozilla-django-oidc's views),
each answering 404 while single sign-on is switched off. Anything that goes wrong between the
browser, CHIIA and the provider ends on a plain page that says what to do; nothing is created."""

from __future__ import annotations

import logging

import requests
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import LogoutView
from django.core.exceptions import SuspiciousOperation
from django.http import Http404
from django.shortcuts import render
from django.utils.decorators import method_decorator
from mozilla_django_oidc import views as oidc

from assessments.accounts.sso import REFUSAL_ATTRIBUTE, Refusal

log = logging.getLogger(__name__)

PROBLEM = "problem"  # a mismatched state, nonce, audience or signature
UNREACHABLE = "unreachable"
DECLINED = "declined"
MESSAGES = {
    Refusal.NO_EMAIL: "Your council account did not give CHIIA an email address, so CHIIA cannot "
    "tell who you are. Ask your council's IT service desk to add one to your account.",
    Refusal.UNVERIFIED: "Your council account's email address is not marked as verified, so "
    "CHIIA cannot rely on it. Ask your council's IT service desk to verify it.",
    Refusal.UNKNOWN: "There is no CHIIA account for your email address. Ask your council's CHIIA "
    "administrator to create one for you.",
    Refusal.AMBIGUOUS: "More than one CHIIA account has your email address. Ask your council's "
    "CHIIA administrator to merge them.",
    Refusal.INACTIVE: "Your CHIIA account is switched off. Ask your council's CHIIA "
    "administrator if you need it again.",
    PROBLEM: "The answer from your council's sign-in service did not match this sign-in (it may "
    "be old, meant for another service, or have been tampered with). Please start again.",
    UNREACHABLE: "Your council's sign-in service could not be reached. Please try again in a few "
    "minutes; if it keeps happening, tell your council's IT service desk.",
    DECLINED: "Sign-in was cancelled or declined by your council's sign-in service.",
}


def _switched_on() -> None:
    if not settings.CHIIA_OIDC_ENABLED:
        raise Http404("Single sign-on is not switched on.")


def sign_in_failed(request, reason: str):
    return render(
        request,
        "registration/sso_failed.html",
        {"message": MESSAGES.get(reason, MESSAGES[DECLINED]), "reason": reason},
        status=403 if reason in Refusal.__dict__.values() else 400,
    )


@method_decorator(login_not_required, name="dispatch")
class SignIn(oidc.OIDCAuthenticationRequestView):
    def dispatch(self, request, *args, **kwargs):
        _switched_on()
        return super().dispatch(request, *args, **kwargs)


@method_decorator(login_not_required, name="dispatch")
class Callback(oidc.OIDCAuthenticationCallbackView):
    def dispatch(self, request, *args, **kwargs):
        _switched_on()
        try:
            return super().dispatch(request, *args, **kwargs)
        except SuspiciousOperation as exc:
            log.warning("Single sign-on refused: %s", exc)
            return sign_in_failed(request, PROBLEM)
        except requests.RequestException as exc:
            log.warning("Single sign-on provider unreachable: %s", exc)
            return sign_in_failed(request, UNREACHABLE)

    def login_failure(self):
        # The provider said no (an "error" answer), the backend refused with a reason, or the
        # answer belongs to no sign-in this browser started (an old or copied link).
        default = DECLINED if "error" in self.request.GET else PROBLEM
        return sign_in_failed(self.request, getattr(self.request, REFUSAL_ATTRIBUTE, default))


def sign_out(request):
    """Django's sign-out; with single sign-on on, the library's, which then sends the browser
    to the provider's end-session endpoint (when it has one) to sign out there too."""
    if settings.CHIIA_OIDC_ENABLED:
        return oidc.OIDCLogoutView.as_view()(request)
    return LogoutView.as_view()(request)
