"""The council People page: a council administrator invites people, grants and removes roles in
their own council, and deactivates accounts. Each POST view: load, check, bind, call the domain
(assessments.accounts.administration), redirect back with a message."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from assessments import permissions
from assessments.accounts import administration, queries
from assessments.accounts.forms import InviteForm, RoleForm
from assessments.enums import Role
from assessments.models import Council
from assessments.presenters import person_name

if TYPE_CHECKING:
    from django.contrib.auth.models import User


class AuthenticatedRequest(HttpRequest):
    """LoginRequiredMiddleware has turned away anyone not signed in: `user` is a real user."""

    user: User


def _council(request: AuthenticatedRequest, council_id: int) -> Council:
    council = get_object_or_404(Council, pk=council_id)
    if not permissions.can_administer_council(request.user, council.pk):
        raise Http404  # another council's people are not this administrator's business
    return council


def _person(council: Council, user_id: int):
    person = queries.person_in(council, user_id)
    if person is None:
        raise Http404
    return person


def people_home(request: AuthenticatedRequest) -> HttpResponse:
    """One council: straight to its page; several (a system administrator): a list."""
    councils = Council.objects.order_by("name")
    ids = permissions.administered_council_ids(request.user, [c.pk for c in councils])
    if not ids:
        raise PermissionDenied
    if len(ids) == 1:
        return redirect("assessments:council-people", council_id=ids[0])
    return render(
        request, "accounts/council_list.html", {"councils": [c for c in councils if c.pk in ids]}
    )


def council_people(
    request: AuthenticatedRequest, council_id: int, invite_form=None
) -> HttpResponse:
    council = _council(request, council_id)
    return render(
        request,
        "accounts/people.html",
        {
            "council": council,
            "people": queries.people_in(council, request.user),
            "events": queries.recent_events(council),
            "invite_form": invite_form or InviteForm(),
            "role_choices": RoleForm.base_fields["role"].choices,  # type: ignore[attr-defined]
        },
        status=400 if invite_form is not None else 200,
    )


@require_POST
def invite(request: AuthenticatedRequest, council_id: int) -> HttpResponse:
    council = _council(request, council_id)
    form = InviteForm(request.POST)
    if form.is_valid():
        try:
            person = administration.invite(council, by=request.user, **form.cleaned_data)
        except administration.AccountError as error:
            form.add_error("email", str(error))
        else:
            messages.success(
                request,
                f"Invitation sent to {person.email}. They choose a password through the link "
                "in the email; the link works once.",
            )
            return redirect("assessments:council-people", council_id=council.pk)
    return council_people(request, council.pk, invite_form=form)


@require_POST
def grant_role(request: AuthenticatedRequest, council_id: int, user_id: int) -> HttpResponse:
    council = _council(request, council_id)
    person = _person(council, user_id)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose a role to give.")
    else:
        administration.grant_role(council, person, form.cleaned_data["role"], by=request.user)
        role = Role(form.cleaned_data["role"]).label
        messages.success(request, f"{person_name(person)} is now a {role.lower()}.")
    return redirect("assessments:council-people", council_id=council.pk)


@require_POST
def remove_role(request: AuthenticatedRequest, council_id: int, user_id: int) -> HttpResponse:
    council = _council(request, council_id)
    person = _person(council, user_id)
    form = RoleForm(request.POST)
    if not form.is_valid():
        raise PermissionDenied
    administration.remove_role(council, person, form.cleaned_data["role"], by=request.user)
    role = Role(form.cleaned_data["role"]).label
    messages.success(request, f"{person_name(person)} is no longer a {role.lower()}.")
    return redirect("assessments:council-people", council_id=council.pk)


@require_POST
def deactivate(request: AuthenticatedRequest, council_id: int, user_id: int) -> HttpResponse:
    council = _council(request, council_id)
    person = _person(council, user_id)
    administration.deactivate(council, person, by=request.user)
    messages.success(request, f"{person_name(person)} can no longer sign in.")
    return redirect("assessments:council-people", council_id=council.pk)
