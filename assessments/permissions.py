"""Who may do what: plain predicates used by views, templates (as flags) and workflow.

Deny by default: a predicate returns True only for the roles it names. Superusers are the
platform's system administrators and may see everything, but still go through workflow rules.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from .enums import EDITABLE_STATUSES, Role

# Council roles that may read a council's projects and their full assessments.
READER_ROLES = frozenset(
    {Role.PROJECT_MANAGER, Role.CONTRIBUTOR, Role.REVIEWER, Role.SRO, Role.COUNCIL_ADMIN}
)
PROJECT_EDITOR_ROLES = frozenset({Role.PROJECT_MANAGER, Role.COUNCIL_ADMIN})
ANSWER_EDITOR_ROLES = frozenset({Role.PROJECT_MANAGER, Role.CONTRIBUTOR})


def _memberships(user) -> list[tuple[int | None, str]]:
    """(council id, role) pairs, cached on the user object for the request."""
    if not user.is_authenticated:
        return []
    cached = getattr(user, "_chiia_memberships", None)
    if cached is None:
        cached = list(user.memberships.values_list("council_id", "role"))
        user._chiia_memberships = cached
    return cached


def roles_in(user, council_id: int | None) -> set[str]:
    return {role for cid, role in _memberships(user) if cid == council_id}


def council_ids_with(user, roles) -> set[int]:
    return {cid for cid, role in _memberships(user) if role in roles and cid is not None}


def is_pmo_viewer(user) -> bool:
    return any(role == Role.PMO_VIEWER for _, role in _memberships(user))


def sees_all_councils(user) -> bool:
    return user.is_authenticated and (user.is_superuser or is_pmo_viewer(user))


def can_view_project(user, project) -> bool:
    if sees_all_councils(user):
        return True
    return bool(roles_in(user, project.council_id) & READER_ROLES)


def can_create_project(user) -> bool:
    return bool(council_ids_with(user, PROJECT_EDITOR_ROLES))


def can_edit_project(user, project) -> bool:
    return bool(roles_in(user, project.council_id) & PROJECT_EDITOR_ROLES)


def can_start_assessment(user, project) -> bool:
    return bool(roles_in(user, project.council_id) & {Role.PROJECT_MANAGER})


def can_view_assessment(user, assessment) -> bool:
    return can_view_project(user, assessment.project)


def can_edit_answers(user, assessment) -> bool:
    """Answers change only while the assessment is with the project team."""
    if assessment.status not in EDITABLE_STATUSES:
        return False
    return bool(roles_in(user, assessment.project.council_id) & ANSWER_EDITOR_ROLES)


def can_view_dashboard(user) -> bool:
    """The portfolio dashboard: programme office viewers and superusers (all councils),
    council administrators (their own councils)."""
    return sees_all_councils(user) or bool(council_ids_with(user, {Role.COUNCIL_ADMIN}))


def navigation_flags(user) -> dict[str, bool]:
    return {
        "projects": sees_all_councils(user) or bool(council_ids_with(user, READER_ROLES)),
        "create_project": can_create_project(user),
        "admin": user.is_staff,
        "dashboard": can_view_dashboard(user),
    }


def check_project(user, project, *, write: bool = False) -> None:
    """404 for a project the user may not see (so its existence is not revealed),
    403 for one they may see but not change."""
    if not can_view_project(user, project):
        raise Http404("No such project")
    if write and not can_edit_project(user, project):
        raise PermissionDenied("You cannot change this project")


def check_assessment(user, assessment, *, write: bool = False) -> None:
    if not can_view_assessment(user, assessment):
        raise Http404("No such assessment")
    if write and not can_edit_answers(user, assessment):
        raise PermissionDenied("This assessment cannot be changed by you at its current status")
