"""A council administrator's decisions about people. Each verb checks permission through
assessments.permissions, changes the account inside one transaction, and writes an AccountEvent
(the audit trail shown on the council's People page). Emails go to the task queue only after the
transaction commits, so nobody is invited to an account that was rolled back."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from assessments import permissions
from assessments.enums import Role
from assessments.models import AccountEvent, AccountEventKind, Council, Membership
from assessments.presenters import person_name
from assessments.review.notifications import deliver_email

if TYPE_CHECKING:
    from django.contrib.auth.models import User


class AccountError(Exception):
    """A request that cannot be carried out as asked; the message is for the person."""


def set_password_link(person: User) -> str:
    """A one-time link to choose a password: Django's password-reset confirmation, which stops
    working once the password is set (the token covers the password hash and last sign-in)."""
    path = reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(person.pk)),
            "token": default_token_generator.make_token(person),
        },
    )
    return settings.SITE_URL.rstrip("/") + path


def _queue_email(subject: str, body: str, to: str) -> None:
    transaction.on_commit(lambda: deliver_email.enqueue(subject, body, to))


def _record(council: Council, person: User, kind: str, by: User, role: str = "") -> None:
    AccountEvent.objects.create(council=council, person=person, kind=kind, role=role, by=by)


@transaction.atomic
def invite(
    council: Council, *, email: str, first_name: str, last_name: str, role: str, by: User
) -> User:
    """Create an account with no password and the given role, and email a set-password link.
    An address that already has an account is refused: give that person a role instead."""
    users = get_user_model()
    if not permissions.can_administer_council(by, council.pk) or role not in (
        permissions.GRANTABLE_ROLES
    ):
        raise PermissionDenied
    if users.objects.filter(email__iexact=email).exists():
        raise AccountError(
            "Someone already has an account with this email address. "
            "Find them in the list and give them a role instead."
        )
    person = users.objects.create_user(
        username=email.lower(), email=email, first_name=first_name, last_name=last_name
    )  # no password: unusable until they choose one through the link
    Membership.objects.create(user=person, council=council, role=role)
    _record(council, person, AccountEventKind.INVITED, by, role)
    body = render_to_string(
        "accounts/invitation_email.txt",
        {
            "person": person,
            "council": council,
            "role": Role(role).label,
            "inviter": person_name(by),
            "link": set_password_link(person),
            "username": person.username,
        },
    )
    _queue_email(f"You are invited to CHIIA ({council.name})", body, person.email)
    return person


@transaction.atomic
def grant_role(council: Council, person: User, role: str, *, by: User) -> None:
    if not permissions.can_change_role(by, person, council.pk, role):
        raise PermissionDenied
    _membership, created = Membership.objects.get_or_create(user=person, council=council, role=role)
    if created:
        _record(council, person, AccountEventKind.ROLE_GRANTED, by, role)


@transaction.atomic
def remove_role(council: Council, person: User, role: str, *, by: User) -> None:
    if not permissions.can_change_role(by, person, council.pk, role):
        raise PermissionDenied
    deleted, _ = Membership.objects.filter(user=person, council=council, role=role).delete()
    if deleted:
        _record(council, person, AccountEventKind.ROLE_REMOVED, by, role)


@transaction.atomic
def deactivate(council: Council, person: User, *, by: User) -> None:
    """Sign the person out of CHIIA for good: the account stays (their name stays on what they
    wrote and decided) but can no longer sign in."""
    person = get_user_model().objects.select_for_update().get(pk=person.pk)
    if not permissions.can_deactivate(by, person, council.pk):
        raise PermissionDenied
    person.is_active = False
    person.save(update_fields=["is_active"])
    _record(council, person, AccountEventKind.DEACTIVATED, by)
