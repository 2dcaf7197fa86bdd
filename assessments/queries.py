"""Read side: one function per screen, owning select_related/prefetch_related."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from . import permissions
from .models import (
    Action,
    ActionPlanAcceptance,
    Answer,
    AnswerGroup,
    AssessmentSection,
    CapitalProject,
    ConsultationWindow,
    Council,
    Determinant,
    LifecycleStage,
    Membership,
    PopulationGroup,
    QuestionBank,
    RatingOverride,
    RuleSet,
    StageAssessment,
    StatusChange,
)


def projects_for(user) -> QuerySet[CapitalProject]:
    projects = CapitalProject.objects.select_related("council", "current_stage", "project_manager")
    if permissions.sees_all_councils(user):
        return projects
    return projects.filter(council_id__in=permissions.council_ids_with(user, permissions.READER_ROLES))


def project_detail(pk: int) -> CapitalProject:
    return get_object_or_404(
        CapitalProject.objects.select_related(
            "council", "current_stage", "project_manager", "senior_responsible_officer"
        ),
        pk=pk,
    )


def project_assessments(project: CapitalProject) -> list[StageAssessment]:
    return list(
        project.assessments.select_related("stage", "question_bank", "rule_set").order_by(
            "stage__order", "-created_at"
        )
    )


def assessment_header(pk: int) -> StageAssessment:
    return get_object_or_404(
        StageAssessment.objects.select_related(
            "project__council", "project__current_stage", "stage", "question_bank", "rule_set"
        ),
        pk=pk,
    )


@dataclass(frozen=True)
class AssessmentPageHead:
    """What the assessment page needs before it knows whether its cached copy will do: the
    council (for the permission check) and `stamp`, text that changes whenever anything the
    page shows changes."""

    pk: int
    council_id: int
    stamp: str
    viewer_memberships: list[tuple[int | None, str]]


@functools.cache
def _page_head_sql(vendor: str) -> str:
    """One query for AssessmentPageHead, in plain SQL that SQLite and PostgreSQL both accept.

    The stamp joins: the assessment's and project's updated_at, status and current stage; for
    each related table its row count (so deletions count) and newest change (updated_at where
    the table has one, else the newest id, as those rows are only ever added); how many
    consultation windows are open at the moment given as the first parameter (so a window that
    reaches its closing time changes the stamp with no write at all); the updated_at of the
    reference rows shown (so a council renamed in the admin shows at once); and the names of the
    people the page names (who moved the assessment on, who accepted the action plan), as user
    rows carry no updated_at, so a colleague renamed in the admin shows at once. Plain SQL because
    this runs on every view of the busiest page, where compiling ORM queries cost more than
    running them. The viewer's memberships come along as text ("council:role,…"), which saves
    the permission check its own round trip.

    Parameters: the current moment, the viewer's user id, the assessment id."""
    a = StageAssessment._meta.db_table
    p = CapitalProject._meta.db_table

    def text(column):
        return f"COALESCE(CAST({column} AS TEXT), '')"

    def rows(model, newest):
        return (f"(SELECT COUNT(*) || '.' || {text(f'MAX({newest})')} "
                f"FROM {model._meta.db_table} WHERE assessment_id = {a}.id)")

    def updated(model, id_column):
        return f"(SELECT {text('updated_at')} FROM {model._meta.db_table} WHERE id = {id_column})"

    windows = ConsultationWindow._meta.db_table
    parts = [
        text(f"{a}.updated_at"), f"{a}.status", text(f"{p}.updated_at"), text(f"{p}.current_stage_id"),
        rows(Answer, "updated_at"),
        rows(AssessmentSection, "updated_at"),
        rows(StatusChange, "id"),
        rows(Action, "updated_at"),
        rows(RatingOverride, "id"),
        rows(ActionPlanAcceptance, "id"),
        rows(ConsultationWindow, "id"),
        f"(SELECT COUNT(*) FROM {windows} WHERE assessment_id = {a}.id AND closed_at IS NULL "
        "AND (closes_at IS NULL OR closes_at > %s))",
        updated(Council, f"{p}.council_id"),
        updated(LifecycleStage, f"{a}.stage_id"),
        updated(LifecycleStage, f"{p}.current_stage_id"),
        updated(QuestionBank, f"{a}.question_bank_id"),
        "COALESCE(" + updated(RuleSet, f"{a}.rule_set_id") + ", '')",
    ]
    joined = "string_agg" if vendor == "postgresql" else "group_concat"
    users = get_user_model()._meta.db_table
    for model in (StatusChange, ActionPlanAcceptance):
        parts.append(f"(SELECT COALESCE({joined}(u.username || ':' || u.first_name || ':' || u.last_name, ','), '') "
                     f"FROM {model._meta.db_table} x JOIN {users} u ON u.id = x.by_id "
                     f"WHERE x.assessment_id = {a}.id)")
    stamp = " || '|' || ".join(parts)
    memberships = (f"(SELECT {joined}({text('council_id')} || ':' || role, ',') "
                   f"FROM {Membership._meta.db_table} WHERE user_id = %s)")
    return (f"SELECT {a}.id, {p}.council_id, {stamp}, {memberships} FROM {a} "
            f"JOIN {p} ON {p}.id = {a}.project_id WHERE {a}.id = %s")


def _membership_pairs(text: str | None) -> list[tuple[int | None, str]]:
    pairs = []
    for item in filter(None, (text or "").split(",")):
        council_id, role = item.split(":", 1)
        pairs.append((int(council_id) if council_id else None, role))
    return pairs


def assessment_page_head(pk: int, viewer) -> AssessmentPageHead:
    """The page head; also records the viewer's memberships for this request's permission
    checks (permissions.memberships), as they were read in the same query."""
    # The ORM answers "no such row" for an id outside the column's range; this hand-written
    # query would hand the number to the database driver, which fails on it instead.
    low, high = connection.ops.integer_field_range(StageAssessment._meta.pk.get_internal_type())
    if not (low is None or low <= pk) or not (high is None or pk <= high):
        raise Http404("No such assessment")
    moment = connection.ops.adapt_datetimefield_value(timezone.now())
    sql = _page_head_sql(connection.vendor)
    params = [moment, viewer.pk, pk]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and settings.CHIIA_DB_PREPARE:
            # PostgreSQL spends longer planning this query than running it, so it is prepared
            # once per database connection and only executed after that. A prepared statement
            # belongs to its session: behind a pooler in transaction mode, CHIIA_DB_PREPARE=false.
            raw = connection.connection
            if getattr(connection, "_chiia_page_head_prepared_on", None) is not raw:
                numbered = sql.replace("%s", "$1", 1).replace("%s", "$2", 1).replace("%s", "$3", 1)
                cursor.execute(f"PREPARE chiia_page_head (timestamptz, integer, bigint) AS {numbered}")
                connection._chiia_page_head_prepared_on = raw
            cursor.execute("EXECUTE chiia_page_head (%s, %s, %s)", params)
        else:
            cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:
        raise Http404("No such assessment")
    head = AssessmentPageHead(row[0], row[1], row[2], _membership_pairs(row[3]))
    permissions.remember_memberships(viewer, head.viewer_memberships)
    return head


def answers_with_groups(assessment: StageAssessment, *, determinant: Determinant | None = None) -> list[Answer]:
    answers = assessment.answers.select_related("question__determinant").prefetch_related(
        Prefetch("groups", queryset=AnswerGroup.objects.select_related("group"))
    )
    if determinant is not None:
        answers = answers.filter(question__determinant=determinant)
    return list(answers.order_by("question__determinant__order", "question__order"))


def sections(assessment: StageAssessment) -> list[AssessmentSection]:
    return list(assessment.sections.select_related("determinant", "updated_by").order_by("determinant__order"))


def population_groups() -> list[PopulationGroup]:
    return list(PopulationGroup.objects.order_by("order", "code"))
