"""What the council People page shows: the council's people with their roles there, and the
latest decisions about them. Read-only."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.db.models import Q

from assessments import permissions
from assessments.models import AccountEvent, Council, Membership
from assessments.presenters import person_name

if TYPE_CHECKING:
    from django.contrib.auth.models import User

RECENT_EVENTS = 20


@dataclass
class RoleRow:
    value: str
    label: str
    removable: bool


@dataclass
class PersonRow:
    person: User
    name: str
    roles: list[RoleRow] = field(default_factory=list)
    can_grant: bool = False
    can_deactivate: bool = False


def people_in(council: Council, viewer: User) -> list[PersonRow]:
    """Everyone with a role in the council (active accounts first), with what the viewer may do."""
    memberships = (
        Membership.objects.filter(council=council)
        .select_related("user")
        .order_by("-user__is_active", "user__last_name", "user__first_name", "user__username")
    )
    rows: dict[int, PersonRow] = {}
    for membership in memberships:
        person = membership.user
        row = rows.get(person.pk)
        if row is None:
            row = rows[person.pk] = PersonRow(person=person, name=person_name(person))
        row.roles.append(
            RoleRow(
                value=membership.role,
                label=membership.get_role_display(),
                removable=permissions.can_change_role(viewer, person, council.pk, membership.role),
            )
        )
    for row in rows.values():
        row.can_grant = permissions.can_manage_person(viewer, row.person, council.pk)
        row.can_deactivate = permissions.can_deactivate(viewer, row.person, council.pk)
    return list(rows.values())


def recent_events(council: Council) -> list[AccountEvent]:
    return list(
        AccountEvent.objects.filter(council=council).select_related("person", "by")[:RECENT_EVENTS]
    )


def person_in(council: Council, user_id: int) -> User | None:
    """A person with (or who had) a role in the council; None for anyone else."""
    return (
        get_user_model()
        .objects.filter(pk=user_id)
        .filter(Q(memberships__council=council) | Q(account_events__council=council))
        .distinct()
        .first()
    )
