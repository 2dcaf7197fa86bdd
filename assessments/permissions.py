"""Who may do what: plain predicates used by views, templates (as flags) and workflow.

Deny by default: a predicate returns True only for the roles it names. Superusers are the
platform's system administrators and may see everything, but still go through workflow rules.
"""

from __future__ import annotations

import ipaddress

from django.core.exceptions import PermissionDenied
from django.http import Http404

from assessments.enums import EDITABLE_STATUSES, FROZEN_STATUSES, AssessmentStatus, Role
from assessments.models import Action, Answer, AssessmentSection

# Council roles that may read a council's projects and their full assessments.
READER_ROLES = frozenset(
    {Role.PROJECT_MANAGER, Role.CONTRIBUTOR, Role.REVIEWER, Role.SRO, Role.COUNCIL_ADMIN}
)
PROJECT_EDITOR_ROLES = frozenset({Role.PROJECT_MANAGER, Role.COUNCIL_ADMIN})
ANSWER_EDITOR_ROLES = frozenset({Role.PROJECT_MANAGER, Role.CONTRIBUTOR})
# Headers a reverse proxy adds to a request it passes on (see can_view_service_health).
FORWARDING_HEADERS = ("HTTP_X_FORWARDED_FOR", "HTTP_FORWARDED", "HTTP_X_REAL_IP")


def memberships(user) -> list[tuple[int | None, str]]:
    """(council id, role) pairs, cached on the user object for the request."""
    if not user.is_authenticated:
        return []
    cached = getattr(user, "_chiia_memberships", None)
    if cached is None:
        cached = list(user.memberships.values_list("council_id", "role"))
        user._chiia_memberships = cached
    return cached


def roles_in(user, council_id: int | None) -> set[str]:
    return {role for cid, role in memberships(user) if cid == council_id}


def council_ids_with(user, roles) -> set[int]:
    return {cid for cid, role in memberships(user) if role in roles and cid is not None}


def is_pmo_viewer(user) -> bool:
    return any(role == Role.PMO_VIEWER for _, role in memberships(user))


def sees_all_councils(user) -> bool:
    return user.is_authenticated and (user.is_superuser or is_pmo_viewer(user))


def can_view_council(user, council_id: int) -> bool:
    """May read the council's projects and their full assessments."""
    if sees_all_councils(user):
        return True
    return bool(roles_in(user, council_id) & READER_ROLES)


def can_view_project(user, project) -> bool:
    return can_view_council(user, project.council_id)


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


def project_councils(user, councils):
    """Of the `councils` queryset, those in which the user may register or edit projects: their
    own as project manager or council administrator, every one for a system administrator."""
    if user.is_superuser:
        return councils
    return councils.filter(id__in=council_ids_with(user, PROJECT_EDITOR_ROLES))


DASHBOARD_ROLES = frozenset({Role.COUNCIL_ADMIN})


def can_view_dashboard(user) -> bool:
    """The portfolio dashboard: programme office viewers and superusers (all councils),
    council administrators (their own councils)."""
    return sees_all_councils(user) or bool(council_ids_with(user, DASHBOARD_ROLES))


def dashboard_councils(user, councils):
    """Of the `councils` queryset, those whose projects the user sees on the dashboard."""
    if sees_all_councils(user):
        return councils
    return councils.filter(id__in=council_ids_with(user, DASHBOARD_ROLES))


def can_view_service_health(user, meta) -> bool:
    """The figures behind /healthz (queue length, database type): staff, who run the service,
    and monitoring on the server itself. A request from the server's own loopback address
    counts only when it carries no forwarding header, since everything a local reverse proxy
    passes on arrives from loopback too."""
    if user.is_authenticated and (user.is_staff or user.is_superuser):
        return True
    if any(meta.get(header) for header in FORWARDING_HEADERS):
        return False
    try:
        return ipaddress.ip_address(meta.get("REMOTE_ADDR", "")).is_loopback
    except ValueError:
        return False


def can_administer_council(user, council_id: int) -> bool:
    """Council administrators of that council, and system administrators."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or Role.COUNCIL_ADMIN in roles_in(user, council_id)


def can_import_projects(user) -> bool:
    """The import page is open to anyone who administers a council; what a file may create is
    then decided per council by can_administer_council."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or bool(council_ids_with(user, {Role.COUNCIL_ADMIN}))


def navigation_flags(user) -> dict[str, bool]:
    return {
        "projects": sees_all_councils(user) or bool(council_ids_with(user, READER_ROLES)),
        "create_project": can_create_project(user),
        "admin": user.is_staff,
        "consultations": bool(panel_council_ids(user)),
        "dashboard": can_view_dashboard(user),
        "my_work": has_my_work(user),
        "people": can_manage_people(user),
        "methodology": can_manage_methodology(user),
        "mitigations": can_view_mitigation_library(user),
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


# ---------------------------------------------------------------- review, sign-off, community panel
# Each predicate names the roles (in the project's own council) and the statuses in which the
# action is allowed; anything not named is refused. workflow.py calls the same predicates, so a
# hidden button and a refused POST always agree. The status lists are the permission side only:
# workflow.ALLOWED still decides which transitions exist.

S = AssessmentStatus
OPEN_STATUSES = frozenset(set(S) - FROZEN_STATUSES)
PANEL_VISIBLE_STATUSES = frozenset(set(S) - {S.DRAFT})
CONSULTATION_STATUSES = frozenset({S.SUBMITTED, S.IN_REVIEW, S.CHANGES_REQUESTED, S.APPROVED})
ACTION_EDITOR_ROLES = frozenset({Role.PROJECT_MANAGER, Role.CONTRIBUTOR})
MODERATOR_ROLES = frozenset({Role.COUNCIL_ADMIN, Role.REVIEWER})


def _role_at(user, assessment, roles, statuses) -> bool:
    if not user.is_authenticated or assessment.status not in statuses:
        return False
    return bool(roles_in(user, assessment.project.council_id) & set(roles))


def is_author(user, assessment) -> bool:
    """Who wrote the assessment: its creator, or anyone who submitted it for review."""
    if not user.is_authenticated:
        return False
    if assessment.created_by_id == user.pk:
        return True
    return assessment.status_changes.filter(to_status=S.SUBMITTED, by=user).exists()


# The history note on an action that a reviewer's verdict created: writing down a review finding
# is reviewing, not writing the stage, so it alone does not make the reviewer one of its authors.
VERDICT_ACTION_NOTE = "Created by a review verdict"


def has_authored_stage(user, assessment) -> bool:
    """Wrote any part of the stage: created or submitted it, or created or changed any of its
    answers, sections or actions. The history rows say who made each change (history_user);
    the rows' own created_by/updated_by cover changes made outside a web request."""
    if not user.is_authenticated:
        return False
    # Asked for each button and note of the page; an assessment object lives for one request
    # (the workflow re-reads and locks its own), so the answer is kept on it.
    known = assessment.__dict__.setdefault("_chiia_writers", {})
    if user.pk not in known:
        known[user.pk] = _wrote_part(user, assessment)
    return known[user.pk]


def _wrote_part(user, assessment) -> bool:
    if is_author(user, assessment):
        return True
    for model in (Answer, AssessmentSection):
        if model.objects.filter(assessment=assessment, updated_by=user).exists():
            return True
        if model.history.filter(assessment_id=assessment.pk, history_user=user).exists():
            return True
    verdict_rows = Action.history.filter(
        assessment_id=assessment.pk, history_type="+", history_change_reason=VERDICT_ACTION_NOTE
    )
    actions = Action.objects.filter(assessment=assessment, created_by=user).exclude(
        pk__in=verdict_rows.values("id")
    )
    changes = (
        Action.history.filter(assessment_id=assessment.pk, history_user=user)
        .exclude(history_type="+", history_change_reason=VERDICT_ACTION_NOTE)
        .exclude(history_change_reason=REQUEST_ANSWER_NOTE)
    )
    return actions.exists() or changes.exists()


def barred_as_author(user, assessment) -> bool:
    """A reviewer who could approve or sign off this stage now, but wrote part of it: someone
    else must judge it."""
    judging = _role_at(user, assessment, {Role.REVIEWER}, {S.IN_REVIEW, S.APPROVED})
    return judging and has_authored_stage(user, assessment)


def can_submit(user, assessment) -> bool:
    return _role_at(user, assessment, {Role.PROJECT_MANAGER}, EDITABLE_STATUSES)


def can_start_review(user, assessment) -> bool:
    return _role_at(user, assessment, {Role.REVIEWER}, {S.SUBMITTED})


def can_review(user, assessment) -> bool:
    """Record verdicts on answers and override ratings (with a reason)."""
    return _role_at(user, assessment, {Role.REVIEWER}, {S.IN_REVIEW})


def can_request_changes(user, assessment) -> bool:
    return _role_at(user, assessment, {Role.REVIEWER}, {S.IN_REVIEW, S.APPROVED})


def can_approve(user, assessment) -> bool:
    """A public health reviewer of the council who wrote no part of the stage."""
    return _role_at(user, assessment, {Role.REVIEWER}, {S.IN_REVIEW}) and not has_authored_stage(
        user, assessment
    )


def can_accept_action_plan(user, assessment) -> bool:
    return _role_at(user, assessment, {Role.SRO}, {S.APPROVED})


def can_sign_off(user, assessment) -> bool:
    """A public health reviewer of the council who wrote no part of the stage."""
    return _role_at(user, assessment, {Role.REVIEWER}, {S.APPROVED}) and not has_authored_stage(
        user, assessment
    )


def can_rescreen(user, assessment) -> bool:
    return _role_at(user, assessment, {Role.PROJECT_MANAGER}, OPEN_STATUSES)


def can_start_next_stage(user, assessment) -> bool:
    return _role_at(user, assessment, {Role.PROJECT_MANAGER}, {S.SIGNED_OFF})


def can_manage_actions(user, assessment) -> bool:
    return _role_at(user, assessment, ACTION_EDITOR_ROLES, OPEN_STATUSES)


def can_justify_flag(user, assessment) -> bool:
    """The project team explains a flag before submitting; the reviewer while reviewing."""
    return _role_at(user, assessment, {Role.PROJECT_MANAGER}, EDITABLE_STATUSES) or _role_at(
        user, assessment, {Role.REVIEWER}, {S.IN_REVIEW, S.APPROVED}
    )


def can_confirm_baseline(user, assessment) -> bool:
    return can_edit_answers(user, assessment)


def can_open_consultation(user, assessment) -> bool:
    return _role_at(user, assessment, {Role.PROJECT_MANAGER}, CONSULTATION_STATUSES)


def can_close_consultation(user, assessment) -> bool:
    return _role_at(user, assessment, {Role.PROJECT_MANAGER}, PANEL_VISIBLE_STATUSES)


def consultation_open(assessment) -> bool:
    return any(window.is_open for window in assessment.consultation_windows.all())


def consultation_held(assessment) -> bool:
    return assessment.consultation_windows.exists()


def can_view_panel_summary(user, assessment) -> bool:
    """Panel members see the plain-language summary once a consultation has been opened, never a
    draft; the council's own staff may preview it at any time."""
    if can_view_assessment(user, assessment):
        return True
    return _role_at(
        user, assessment, {Role.PANEL_MEMBER}, PANEL_VISIBLE_STATUSES
    ) and consultation_held(assessment)


def can_read_community_summary(user, assessment) -> bool:
    """The community summary PDF carries the same findings as the consultation page, so it
    follows the same rule: never a draft, and for the panel only once a consultation is held."""
    return can_view_panel_summary(user, assessment)


def can_comment_as_panel(user, assessment) -> bool:
    return _role_at(
        user, assessment, {Role.PANEL_MEMBER}, CONSULTATION_STATUSES
    ) and consultation_open(assessment)


def can_reply_to_comment(user, assessment) -> bool:
    return _role_at(
        user, assessment, {Role.PROJECT_MANAGER}, PANEL_VISIBLE_STATUSES - FROZEN_STATUSES
    )


def can_moderate(user, assessment) -> bool:
    # Hiding abusive text must stay possible after sign-off: it changes no finding.
    return _role_at(user, assessment, MODERATOR_ROLES, PANEL_VISIBLE_STATUSES)


def can_view_timeline(user, project) -> bool:
    return can_view_project(user, project)


def can_export_actions(user, project) -> bool:
    return can_view_project(user, project)


def panel_council_ids(user) -> set[int]:
    return council_ids_with(user, {Role.PANEL_MEMBER})


# ---------------------------------------------------------------- mywork: My work page


def has_my_work(user) -> bool:
    """My work lists what waits on a council's stages, so it is for people with a council role;
    the programme office (and a system administrator with none) starts on the dashboard."""
    return user.is_authenticated and any(cid is not None for cid, _ in memberships(user))


# ---------------------------------------------------------------- people: council administrators
# A council administrator manages people in their own council only: inviting, granting and
# removing that council's roles, and deactivating accounts that belong to no other council. The
# regional programme office role has no council and stays with the system administrators, as do
# system administrators' own accounts. Nobody removes their own administrator role or deactivates
# themselves, so a council is never left without its administrator by a slip.
GRANTABLE_ROLES = (
    Role.PROJECT_MANAGER,
    Role.CONTRIBUTOR,
    Role.REVIEWER,
    Role.SRO,
    Role.PANEL_MEMBER,
    Role.COUNCIL_ADMIN,
)


def administered_council_ids(user, all_council_ids) -> list[int]:
    """The councils whose people this user manages, in the order given."""
    return [cid for cid in all_council_ids if can_administer_council(user, cid)]


def can_manage_person(user, person, council_id: int) -> bool:
    """Grant or remove this person's roles in this council."""
    return can_administer_council(user, council_id) and not person.is_superuser


def can_change_role(user, person, council_id: int, role: str) -> bool:
    if role not in GRANTABLE_ROLES or not can_manage_person(user, person, council_id):
        return False
    return not (person.pk == user.pk and role == Role.COUNCIL_ADMIN)


def can_deactivate(user, person, council_id: int) -> bool:
    """Only an account whose every role is in this council (an account shared with another
    council is that council's business too: there, remove this council's roles instead)."""
    if person.pk == user.pk or not person.is_active:
        return False
    if not can_manage_person(user, person, council_id):
        return False
    return all(cid == council_id for cid, _role in memberships(person))


def can_manage_people(user) -> bool:
    """The "People" link: anyone who administers at least one council."""
    return can_import_projects(user)


# ---------------------------------------------------------------- people: the panel's public summary
# The project manager writes it while the stage is open; a public health reviewer approves it.
# A signed-off stage's summary never changes.
def can_write_public_summary(user, assessment) -> bool:
    return _role_at(user, assessment, {Role.PROJECT_MANAGER}, OPEN_STATUSES)


def can_approve_public_summary(user, assessment) -> bool:
    return _role_at(user, assessment, {Role.REVIEWER}, OPEN_STATUSES)


# ---------------------------------------------------------------- privacy (data protection)
# Council administrators act for their council as controller: they keep its privacy contacts,
# read its download log and answer its residents' and staff's requests to see or erase their
# data. System administrators may do all of it for every council.


def privacy_council_ids(user, councils) -> set[int]:
    """Of the `councils` queryset, the ids of those whose data protection the user handles."""
    if not user.is_authenticated or not user.is_active:
        return set()
    if user.is_superuser:
        return set(councils.values_list("id", flat=True))
    return council_ids_with(user, {Role.COUNCIL_ADMIN}) & set(councils.values_list("id", flat=True))


def can_handle_privacy(user) -> bool:
    """Any of the council-side privacy pages (download log, contacts, requests)."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or bool(council_ids_with(user, {Role.COUNCIL_ADMIN}))


def _person_councils(person) -> set[int]:
    return {cid for cid in person.memberships.values_list("council_id", flat=True) if cid}


def can_produce_subject_access(user, person) -> bool:
    """A person's whole file: a system administrator, or an administrator of a council the person
    belongs to. Someone in no council (a programme office viewer, a system administrator) is
    handled by a system administrator."""
    if not can_handle_privacy(user):
        return False
    if user.is_superuser:
        return True
    if person.is_superuser:
        return False
    return bool(_person_councils(person) & council_ids_with(user, {Role.COUNCIL_ADMIN}))


def can_erase_person(user, person) -> bool:
    """Erasure reaches every council's records of the person, so a council administrator needs to
    administer every council the person belongs to; never oneself, never a system administrator."""
    if not can_handle_privacy(user) or user.pk == person.pk or person.is_superuser:
        return False
    if user.is_superuser:
        return True
    councils = _person_councils(person)
    return bool(councils) and councils <= council_ids_with(user, {Role.COUNCIL_ADMIN})


# ---------------------------------------------------------------- estate: read-only API and tokens
# The API answers with what its caller would see on the HTML pages: the same predicates and
# council sets, applied to querysets rather than single objects.


def can_use_api(user) -> bool:
    """Any active signed-in account (by session or personal token); what it then reads is
    limited per row by the querysets below."""
    return bool(user and user.is_authenticated and user.is_active)


def can_manage_own_tokens(user) -> bool:
    return can_use_api(user)


def readable_projects(user, projects):
    """Of the `projects` queryset, those can_view_project allows: every council for the
    programme office and system administrators, else the councils where the user holds a reader
    role."""
    if sees_all_councils(user):
        return projects
    return projects.filter(council_id__in=council_ids_with(user, READER_ROLES))


def readable_assessments(user, assessments):
    """Of the `assessments` queryset, those can_view_assessment allows (its project's rule)."""
    if sees_all_councils(user):
        return assessments
    return assessments.filter(project__council_id__in=council_ids_with(user, READER_ROLES))


def panel_readable_assessments(user, assessments):
    """Of the `assessments` queryset, those a panel member sees through can_view_panel_summary
    without being council staff: their councils, never a draft, a consultation held."""
    return assessments.filter(
        project__council_id__in=panel_council_ids(user),
        status__in=PANEL_VISIBLE_STATUSES,
        consultation_windows__isnull=False,
    )


# ---------------------------------------------------------------- methodology: the method's owners
# The question bank and the rule set belong to the region, not to a council. Methodology owners
# (a regional role, held with no council) draft, compare, try out and publish new versions;
# publishing is theirs alone. System administrators are not methodology owners by default: the
# method is changed by the people accountable for it, and each change names them.


def is_methodology_owner(user) -> bool:
    return (
        user.is_authenticated
        and user.is_active
        and any(role == Role.METHODOLOGY_OWNER for _, role in memberships(user))
    )


def can_manage_methodology(user) -> bool:
    """May draft, preview, compare and publish question bank and rule set versions."""
    return is_methodology_owner(user)


# ---------------------------------------------------------------- methodology: rule sets
# Drafting, comparing, publishing and moving open assessments onto a rule set are the
# methodology owners' alone: a rule set re-rates every council's projects.


def can_manage_rule_sets(user) -> bool:
    """May start and edit a draft rule set and see what it would change."""
    return can_manage_methodology(user)


def can_publish_rule_set(user, rule_set) -> bool:
    """May publish this rule set: a methodology owner, and only while it is a draft."""
    return can_manage_methodology(user) and rule_set.is_draft


def can_move_onto_rule_set(user, rule_set) -> bool:
    """May move open assessments onto this rule set: a methodology owner, once it is published."""
    return can_manage_methodology(user) and not rule_set.is_draft


# ---------------------------------------------------------------- closure: reviewers' requests
# A reviewer's request (an action of kind "review") closes in two steps: the project team marks it
# dealt with, then a public health reviewer of the council agrees (closing it) or sends it back
# with a reason. Both only while the stage is open: a signed-off stage never changes.

# The history note on an action a reviewer agreed to or sent back: answering a request is
# reviewing, not writing the stage, so it does not make the reviewer one of its authors.
REQUEST_ANSWER_NOTE = "Reviewer answered a request"


def can_mark_request_dealt_with(user, assessment) -> bool:
    return _role_at(user, assessment, ACTION_EDITOR_ROLES, OPEN_STATUSES)


def can_answer_request(user, assessment) -> bool:
    """Agree that a request is dealt with, or send it back with a reason."""
    return _role_at(user, assessment, {Role.REVIEWER}, OPEN_STATUSES)


# ---------------------------------------------------------------- questionbank: drafting and moving
# Drafting, previewing, comparing and publishing question bank versions is the methodology
# owners' alone (can_manage_methodology). Moving an assessment onto a newer version, and
# confirming answers to reworded questions, is its project team's: the people who may edit its
# answers, while the stage is open for editing (never once submitted, signed off or superseded).


def can_edit_question_bank(user, bank) -> bool:
    """May change this version: methodology owners, and only while it is a draft."""
    return can_manage_methodology(user) and bank.is_draft


def can_move_question_bank(user, assessment) -> bool:
    return can_edit_answers(user, assessment)


# ---------------------------------------------------------------- outcomes monitoring: indicators
# Indicators belong to a project, not to one stage: whoever may read the project reads its
# indicators, measurements and charts; the project's editors (project managers and council
# administrators) and its contributors define indicators and enter measurements. A measurement
# entered while a stage was live becomes part of that stage's record: once the stage is signed
# off it is frozen like the stage.

MONITORING_EDITOR_ROLES = frozenset({Role.PROJECT_MANAGER, Role.CONTRIBUTOR, Role.COUNCIL_ADMIN})


def can_view_indicators(user, project) -> bool:
    return can_view_project(user, project)


def can_define_indicators(user, project) -> bool:
    return bool(roles_in(user, project.council_id) & MONITORING_EDITOR_ROLES)


def can_enter_measurements(user, indicator) -> bool:
    return indicator.active and can_define_indicators(user, indicator.project)


def can_change_measurement(user, measurement) -> bool:
    """A measurement may be removed while the stage it was entered in is not signed off."""
    stage = measurement.assessment
    if stage is not None and stage.status in FROZEN_STATUSES:
        return False
    return can_define_indicators(user, measurement.indicator.project)


def check_indicators(user, project, *, write: bool = False) -> None:
    """404 for a project the user may not see, 403 for indicators they may not change."""
    if not can_view_indicators(user, project):
        raise Http404("No such project")
    if write and not can_define_indicators(user, project):
        raise PermissionDenied("You cannot change this project's monitoring")


# ---------------------------------------------------------------- learning: learning from use
# Anyone answering a stage may say a question is unclear or not relevant; the method's owners
# read what was said. The programme office may read the dashboard too (not change anything): it
# already sees every council's projects, so the figures tell it nothing new about any one of
# them, and it reports on how the programme as a whole is working. The shared library of
# mitigations is open to council staff who read projects, across councils (a project is named
# only to those who may see it); only the method's owners curate it.


def can_give_question_feedback(user, assessment) -> bool:
    """Mark a question unclear or not relevant: whoever may answer the stage now."""
    return user.is_active and can_edit_answers(user, assessment)


def can_view_question_learning(user) -> bool:
    """The methodology dashboard and its export: the method's owners and the programme office."""
    return (
        user.is_authenticated
        and user.is_active
        and (is_methodology_owner(user) or is_pmo_viewer(user))
    )


def can_view_mitigation_library(user) -> bool:
    return (
        user.is_authenticated
        and user.is_active
        and (
            is_methodology_owner(user)
            or sees_all_councils(user)
            or bool(council_ids_with(user, READER_ROLES))
        )
    )


def can_see_mitigation_suggestions(user, assessment) -> bool:
    """Suggestions beside the mitigation field: whoever may answer the stage now."""
    return user.is_active and can_edit_answers(user, assessment)


def can_curate_mitigations(user) -> bool:
    """Hide, merge or recommend library entries: the method's owners alone."""
    return is_methodology_owner(user)


# ---------------------------------------------------------------- place before and after
# The SIMD comparison and the Place Standard: the project's readers see them; its editors (project
# manager, council administrator) record a stage's Place Standard until the stage is signed off;
# the community panel reads the plain version wherever it may read the stage's summary.


def can_view_place_change(user, project) -> bool:
    return can_view_project(user, project)


def can_edit_place_standard(user, assessment) -> bool:
    if assessment.status in FROZEN_STATUSES:
        return False
    return can_edit_project(user, assessment.project)


def can_read_place_plain(user, assessment) -> bool:
    return can_view_panel_summary(user, assessment)
