"""Read side of My work: what is waiting for one person, grouped by what they have to do.

Each group is one query (plus the person's memberships, read once), so the page costs the same
number of queries however many items are waiting. The rules match the workflow's: a stage is
ready to submit when its required questions are answered (the stored completeness), an action
plan needs accepting when no acceptance is newer than both the latest approval and the plan's
last change (workflow.current_acceptance), a stage waits for sign-off once that acceptance stands.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Exists, F, Max, OuterRef, Q, QuerySet, Subquery
from django.urls import reverse
from django.utils import timezone

from assessments import permissions
from assessments.enums import EDITABLE_STATUSES, FROZEN_STATUSES, AssessmentStatus, Role
from assessments.models import (
    Action,
    ActionPlanAcceptance,
    Answer,
    AssessmentSection,
    CommentReply,
    CommunityComment,
    ConsultationWindow,
    StageAssessment,
    StatusChange,
)
from assessments.models.review import OPEN_ACTION_STATUSES, ActionKind, RequestState
from assessments.monitoring import queries as monitoring

S = AssessmentStatus
# Items listed per group; the count in the heading is always the full number.
SHOWN_PER_GROUP = 25


@dataclass
class WorkItem:
    title: str
    detail: str
    url: str
    waiting_since: datetime.datetime | None = None
    urgent: bool = False


@dataclass
class WorkGroup:
    key: str
    title: str
    hint: str
    items: list[WorkItem] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.items)

    @property
    def shown(self) -> list[WorkItem]:
        return self.items[:SHOWN_PER_GROUP]

    @property
    def more(self) -> int:
        return max(0, self.count - SHOWN_PER_GROUP)


def _name(assessment: StageAssessment) -> str:
    return f"{assessment.project.reference} {assessment.project.title}"


def _live(queryset: QuerySet[StageAssessment]) -> QuerySet[StageAssessment]:
    return queryset.select_related("project", "stage").exclude(status__in=FROZEN_STATUSES)


def _team_stages(user, roles) -> QuerySet[StageAssessment]:
    """Stages of the projects this person looks after: in the councils where they hold one of
    `roles`, the projects naming them as project manager or naming nobody."""
    councils = permissions.council_ids_with(user, roles)
    return StageAssessment.objects.filter(project__council_id__in=councils).filter(
        Q(project__project_manager=user) | Q(project__project_manager__isnull=True)
    )


def _council_stages(user, roles) -> QuerySet[StageAssessment]:
    return StageAssessment.objects.filter(
        project__council_id__in=permissions.council_ids_with(user, roles)
    )


def sections_to_answer(user) -> WorkGroup:
    group = WorkGroup("sections", "Sections to answer", "Sections with questions not yet answered.")
    councils = permissions.council_ids_with(user, permissions.ANSWER_EDITOR_ROLES)
    unanswered = Answer.objects.filter(
        assessment=OuterRef("assessment"),
        question__determinant=OuterRef("determinant"),
        direction="",
    )
    sections = (
        AssessmentSection.objects.filter(
            assessment__project__council_id__in=councils,
            assessment__status__in=EDITABLE_STATUSES,
            not_assessed_reason="",
        )
        .filter(
            Q(assessment__project__project_manager=user)
            | Q(assessment__project__project_manager__isnull=True)
            | Q(
                assessment__project__council_id__in=permissions.council_ids_with(
                    user, {Role.CONTRIBUTOR}
                )
            )
        )
        .filter(Exists(unanswered))
        .select_related("assessment__project", "assessment__stage", "determinant")
        .order_by(
            "assessment__project__reference", "assessment__stage__order", "determinant__order"
        )
    )
    by_stage: dict[int, list[AssessmentSection]] = {}
    for section in sections:
        by_stage.setdefault(section.assessment_id, []).append(section)
    for waiting in by_stage.values():
        assessment, first = waiting[0].assessment, waiting[0]
        names = [s.determinant.name for s in waiting]
        more = f" and {len(names) - 2} more" if len(names) > 2 else ""
        group.items.append(
            WorkItem(
                f"{_name(assessment)} – {assessment.stage.name}",
                f"{len(names)} section{'s' if len(names) != 1 else ''} to answer: "
                f"{'; '.join(names[:2])}{more}. The link opens the first.",
                reverse("assessments:section-edit", args=[assessment.pk, first.determinant.code]),
            )
        )
    return group


def _last_move(to_status: str):
    return Subquery(
        StatusChange.objects.filter(assessment=OuterRef("pk"), to_status=to_status)
        .exclude(from_status=to_status)
        .order_by("-at", "-id")
        .values("at")[:1]
    )


def changes_requested(user) -> WorkGroup:
    group = WorkGroup(
        "changes",
        "Changes requested",
        "A reviewer asked for changes: the review shows each verdict and comment.",
    )
    stages = (
        _live(_team_stages(user, {Role.PROJECT_MANAGER}))
        .filter(status=S.CHANGES_REQUESTED)
        .annotate(since=_last_move(S.CHANGES_REQUESTED))
        .order_by("since", "pk")
    )
    for stage in stages:
        group.items.append(
            WorkItem(
                _name(stage),
                f"{stage.stage.name}: changes requested",
                reverse("assessments:review", args=[stage.pk]),
                stage.since,
            )
        )
    return group


def stages_to_submit(user) -> WorkGroup:
    group = WorkGroup(
        "submit", "Stages to submit", "Every required question is answered: ready for review."
    )
    stages = (
        _live(_team_stages(user, {Role.PROJECT_MANAGER}))
        .filter(status__in=EDITABLE_STATUSES, completeness__gte=1)
        .order_by("project__reference", "stage__order")
    )
    for stage in stages:
        group.items.append(
            WorkItem(
                _name(stage),
                f"{stage.stage.name}: all required questions answered",
                stage.get_absolute_url() + "#workflow-title",
            )
        )
    return group


def stages_to_review(user) -> WorkGroup:
    group = WorkGroup(
        "review",
        "Stages to review",
        "Submitted stages, the longest waiting first.",
    )
    stages = (
        _live(_council_stages(user, {Role.REVIEWER}))
        .filter(status__in=[S.SUBMITTED, S.IN_REVIEW])
        .annotate(since=_last_move(S.SUBMITTED))
        .order_by("since", "pk")
    )
    for stage in stages:
        started = stage.status == S.IN_REVIEW
        group.items.append(
            WorkItem(
                _name(stage),
                f"{stage.stage.name}: {'review started' if started else 'review not started'}",
                reverse("assessments:review", args=[stage.pk])
                if started
                else stage.get_absolute_url() + "#workflow-title",
                stage.since,
            )
        )
    return group


def _approved_with_acceptance(queryset: QuerySet[StageAssessment]) -> list[tuple[Any, bool]]:
    """Approved stages, each with whether the SRO's acceptance still stands (the rule of
    workflow.current_acceptance, worked out in the same query)."""
    stages = (
        _live(queryset)
        .filter(status=S.APPROVED)
        .annotate(
            since=_last_move(S.APPROVED),
            accepted_at=Subquery(
                ActionPlanAcceptance.objects.filter(assessment=OuterRef("pk"), by__isnull=False)
                .order_by("-at", "-id")
                .values("at")[:1]
            ),
            approved_at=Subquery(
                StatusChange.objects.filter(
                    assessment=OuterRef("pk"), to_status=S.APPROVED, event="approve"
                )
                .order_by("-at")
                .values("at")[:1]
            ),
            plan_changed=Subquery(
                Action.objects.filter(assessment=OuterRef("pk"))
                .order_by()
                .values("assessment")
                .annotate(m=Max("updated_at"))
                .values("m")[:1]
            ),
        )
        .order_by("since", "pk")
    )
    result = []
    for stage in stages:
        accepted = stage.accepted_at
        current = accepted is not None and all(
            moment is None or accepted >= moment
            for moment in (stage.approved_at, stage.plan_changed)
        )
        result.append((stage, current))
    return result


def plans_to_accept(user) -> WorkGroup:
    group = WorkGroup(
        "accept",
        "Action plans to accept",
        "Approved stages whose action plan needs your acceptance before sign-off.",
    )
    councils = permissions.council_ids_with(user, {Role.SRO})
    stages = StageAssessment.objects.filter(project__council_id__in=councils).filter(
        Q(project__senior_responsible_officer=user)
        | Q(project__senior_responsible_officer__isnull=True)
    )
    for stage, accepted in _approved_with_acceptance(stages):
        if not accepted:
            group.items.append(
                WorkItem(
                    _name(stage),
                    f"{stage.stage.name}: approved, action plan not yet accepted",
                    reverse("assessments:action-plan", args=[stage.pk]) + "#accept-title",
                    stage.since,
                )
            )
    return group


def stages_to_sign_off(user) -> WorkGroup:
    group = WorkGroup(
        "sign_off",
        "Stages to sign off",
        "Approved stages whose action plan the senior responsible officer has accepted.",
    )
    for stage, accepted in _approved_with_acceptance(_council_stages(user, {Role.REVIEWER})):
        if accepted:
            group.items.append(
                WorkItem(
                    _name(stage),
                    f"{stage.stage.name}: action plan accepted",
                    stage.get_absolute_url() + "#workflow-title",
                    stage.accepted_at,
                )
            )
    return group


def actions_due(user, today: datetime.date | None = None) -> WorkGroup:
    group = WorkGroup(
        "actions",
        "Actions due or overdue",
        f"Open actions you own, or on your projects, due within {settings.CHIIA_ACTION_REMINDER_DAYS} days or past due.",
    )
    today = today or timezone.localdate()
    soon = today + datetime.timedelta(days=settings.CHIIA_ACTION_REMINDER_DAYS)
    managed = permissions.council_ids_with(user, {Role.PROJECT_MANAGER})
    carried = Action.objects.filter(carried_from=OuterRef("pk"))
    actions = (
        Action.objects.filter(status__in=OPEN_ACTION_STATUSES)
        .exclude(assessment__status=S.SUPERSEDED)
        .exclude(Exists(carried))
        .filter(
            Q(owner_user=user)
            | Q(
                owner_user__isnull=True,
                assessment__project__council_id__in=managed,
                assessment__project__project_manager=user,
            )
        )
        .filter(
            Q(due_date__lte=soon)
            # No date yet: overdue once the stage it was due by has passed.
            | Q(due_date__isnull=True, due_stage__order__lt=F("assessment__stage__order"))
        )
        .select_related("assessment__project", "assessment__stage", "due_stage")
        .order_by("due_date", "pk")
    )
    for action in actions:
        if action.due_date is None:
            overdue, when = True, f"was due by the end of {action.due_stage.name}"
        elif action.due_date < today:
            overdue, when = True, f"overdue since {action.due_date:%-d %b %Y}"
        else:
            overdue, when = False, f"due {action.due_date:%-d %b %Y}"
        group.items.append(
            WorkItem(
                action.text if len(action.text) <= 90 else action.text[:89] + "…",
                f"{_name(action.assessment)} – {when}",
                reverse("assessments:action-plan", args=[action.assessment_id])
                + f"#action-{action.pk}",
                urgent=overdue,
            )
        )
    return group


def comments_to_reply(user) -> WorkGroup:
    group = WorkGroup(
        "comments",
        "Consultation comments to reply to",
        "Community panel comments with no reply from the project team yet.",
    )
    replied = CommentReply.objects.filter(comment=OuterRef("pk"))
    stages = _team_stages(user, {Role.PROJECT_MANAGER}).exclude(
        status__in=FROZEN_STATUSES | {S.DRAFT}
    )
    comments = (
        CommunityComment.objects.filter(assessment__in=stages.values("pk"), hidden=False)
        .exclude(Exists(replied))
        .select_related("assessment__project", "assessment__stage")
        .order_by("at", "pk")
    )
    for comment in comments:
        text = comment.text if len(comment.text) <= 90 else comment.text[:89] + "…"
        group.items.append(
            WorkItem(
                f"“{text}”",
                f"{_name(comment.assessment)} – {comment.assessment.stage.name}",
                reverse("assessments:consultation", args=[comment.assessment_id])
                + f"#comment-{comment.pk}",
                comment.at,
            )
        )
    return group


def consultations_to_comment(user) -> WorkGroup:
    group = WorkGroup(
        "consultations",
        "Consultations open for your comments",
        "Projects in your area asking the community panel for its views.",
    )
    now = timezone.now()
    open_windows = ConsultationWindow.objects.filter(
        assessment=OuterRef("pk"), closed_at__isnull=True
    ).filter(Q(closes_at__isnull=True) | Q(closes_at__gt=now))
    stages = (
        _council_stages(user, {Role.PANEL_MEMBER})
        .filter(status__in=permissions.CONSULTATION_STATUSES)
        .filter(Exists(open_windows))
        .select_related("project", "stage")
        .order_by("project__reference")
    )
    for stage in stages:
        group.items.append(
            WorkItem(
                _name(stage),
                f"{stage.stage.name}: consultation open",
                reverse("assessments:consultation", args=[stage.pk]),
            )
        )
    return group


# ---------------------------------------------------------------- closure: reviewers' requests


def _requests(state: str) -> QuerySet[Action]:
    return (
        Action.objects.filter(
            kind=ActionKind.REVIEW, request_state=state, status__in=OPEN_ACTION_STATUSES
        )
        .exclude(assessment__status__in=FROZEN_STATUSES)
        .select_related("assessment__project", "assessment__stage", "answer__question")
        .order_by("updated_at", "pk")
    )


def _request_item(action: Action, detail: str) -> WorkItem:
    text = action.text if len(action.text) <= 90 else action.text[:89] + "…"
    code = f"{action.answer.question.code}: " if action.answer is not None else ""
    return WorkItem(
        f"{code}{text}",
        f"{_name(action.assessment)} – {action.assessment.stage.name}. {detail}",
        reverse("assessments:action-plan", args=[action.assessment_id]) + f"#action-{action.pk}",
        action.updated_at,
    )


def requests_sent_back(user) -> WorkGroup:
    group = WorkGroup(
        "sent_back",
        "Requests sent back to you",
        "Reviewer's requests you marked dealt with that the reviewer sent back, with their reason.",
    )
    stages = _team_stages(user, {Role.PROJECT_MANAGER})
    for action in _requests(RequestState.SENT_BACK).filter(assessment__in=stages.values("pk")):
        reason = action.sent_back_reason
        reason = reason if len(reason) <= 120 else reason[:119] + "…"
        group.items.append(_request_item(action, f"The reviewer's reason: {reason}"))
    return group


def requests_to_agree(user) -> WorkGroup:
    group = WorkGroup(
        "to_agree",
        "Requests marked dealt with, waiting for you to agree",
        "The project team says these reviewer's requests are dealt with: agree, or send one back.",
    )
    stages = _council_stages(user, {Role.REVIEWER})
    for action in _requests(RequestState.DEALT_WITH).filter(assessment__in=stages.values("pk")):
        note = action.dealt_with_note
        did = f"What they did: {note if len(note) <= 120 else note[:119] + '…'}" if note else ""
        group.items.append(_request_item(action, did or "Marked dealt with."))
    return group


def monitoring_overdue(user) -> WorkGroup:
    """Outcome indicators whose measurement is overdue (assessments.monitoring): two queries."""
    group = WorkGroup(
        "monitoring",
        "Outcome monitoring overdue",
        "Indicators you own, or on projects you manage, whose measurement is overdue.",
    )
    try:
        rows = monitoring.overdue_for(user)
    except monitoring.MonitoringRulesMissing:
        return group
    for row in rows:
        due = row.status.next_due
        group.items.append(
            WorkItem(
                row.indicator.name,
                f"{row.project.reference} {row.project.title} – measurement due {due:%-d %b %Y}"
                if due
                else row.project.title,
                row.indicator.get_absolute_url(),
                urgent=True,
            )
        )
    return group


# Which groups a role can have, in the order they are shown.
GROUPS_BY_ROLE = [
    ({Role.PROJECT_MANAGER}, changes_requested),
    ({Role.PROJECT_MANAGER}, requests_sent_back),
    ({Role.PROJECT_MANAGER}, stages_to_submit),
    ({Role.PROJECT_MANAGER, Role.CONTRIBUTOR}, sections_to_answer),
    ({Role.REVIEWER}, stages_to_review),
    ({Role.REVIEWER}, requests_to_agree),
    ({Role.SRO}, plans_to_accept),
    ({Role.REVIEWER}, stages_to_sign_off),
    ({Role.PROJECT_MANAGER}, comments_to_reply),
    ({Role.PANEL_MEMBER}, consultations_to_comment),
    ({Role.PROJECT_MANAGER, Role.CONTRIBUTOR, Role.COUNCIL_ADMIN}, monitoring_overdue),
]


def my_work(user) -> list[WorkGroup]:
    """Every group this person's roles can have (empty ones included, so the page can say that
    nothing is waiting), actions due always last but one place for everyone."""
    roles = {role for _, role in permissions.memberships(user)}
    groups = [build(user) for wanted, build in GROUPS_BY_ROLE if roles & wanted]
    groups.insert(min(2, len(groups)), actions_due(user))
    return groups
