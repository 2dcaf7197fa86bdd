"""/account/tokens/: a user's own personal API tokens. A new token's secret is shown on the
response to the form that created it and nowhere else, ever."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from assessments import permissions
from assessments.api import tokens
from assessments.api.forms import TokenForm


def _page(request, form, issued=None):
    return render(
        request,
        "api/tokens.html",
        {
            "form": form,
            "issued": issued,
            "tokens": tokens.tokens_of(request.user),
            "max_tokens": tokens.MAX_LIVE_TOKENS,
        },
    )


@never_cache
def token_list(request):
    if not permissions.can_manage_own_tokens(request.user):
        raise PermissionDenied("Your account cannot hold API tokens.")
    if request.method != "POST":
        return _page(request, TokenForm())
    form = TokenForm(request.POST)
    if not form.is_valid():
        return _page(request, form)
    try:
        issued = tokens.issue(
            request.user,
            name=form.cleaned_data["name"],
            lifetime_days=form.cleaned_data["lifetime_days"],
        )
    except tokens.TokenLimitReached as exc:
        form.add_error(None, str(exc))
        return _page(request, form)
    return _page(request, TokenForm(), issued=issued)


@require_POST
def token_revoke(request, pk):
    if not permissions.can_manage_own_tokens(request.user):
        raise PermissionDenied("Your account cannot hold API tokens.")
    token = tokens.revoke(request.user, pk)
    if token is None:
        raise Http404("No such token")
    messages.success(request, f"Token “{token.name}” revoked: it no longer opens the API.")
    return redirect("api-tokens")
