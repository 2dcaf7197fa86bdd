"""Read side: one function per screen, owning select_related/prefetch_related."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from django.urls import reverse

from assessments import permissions
from assessments.answering import completeness, editing
from assessments.models import (
    Answer,
    AnswerGroup,
    AssessmentSection,
    CapitalProject,
    Determinant,
    PopulationGroup,
    StageAssessment,
)
from assessments.models.review import ReviewVerdict, Verdict
from assessments.questionbank import queries as bank_queries
from assessments.scoring import schema, snapshots


def projects_for(user) -> QuerySet[CapitalProject]:
    projects = CapitalProject.objects.select_related("council", "current_stage", "project_manager")
    if permissions.sees_all_councils(user):
        return projects
    return projects.filter(
        council_id__in=permissions.council_ids_with(user, permissions.READER_ROLES)
    )


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
    # questionbank: the newest published question bank comes in the same query, for the
    # notice that a newer version is there to move onto.
    return get_object_or_404(
        StageAssessment.objects.select_related(
            "project__council", "project__current_stage", "stage", "question_bank", "rule_set"
        ).annotate(**bank_queries.newest_published_annotations()),
        pk=pk,
    )


def answers_with_groups(
    assessment: StageAssessment, *, determinant: Determinant | None = None
) -> list[Answer]:
    answers = assessment.answers.select_related("question__determinant").prefetch_related(
        Prefetch("groups", queryset=AnswerGroup.objects.select_related("group"))
    )
    if determinant is not None:
        answers = answers.filter(question__determinant=determinant)
    return list(answers.order_by("question__determinant__order", "question__order"))


def sections(assessment: StageAssessment) -> list[AssessmentSection]:
    return list(
        assessment.sections.select_related("determinant", "updated_by").order_by(
            "determinant__order"
        )
    )


def population_groups() -> list[PopulationGroup]:
    return list(PopulationGroup.objects.order_by("order", "code"))


# ---------------------------------------------------------------- answering: what is missing,
# the reviewer's requests, carried-forward answers, the group list in order of relevance


@dataclass(frozen=True)
class MissingItem:
    """One question still to finish before the assessment can be submitted."""

    answer: Answer
    missing: list[str]
    url: str

    @property
    def label(self) -> str:
        return f"{self.answer.question.code} {self.answer.question.text}"

    @property
    def text(self) -> str:
        return f"{self.answer.question.code} (needs {', '.join(self.missing)})"


def question_url(assessment: StageAssessment, answer: Answer) -> str:
    section = reverse(
        "assessments:section-edit", args=[assessment.pk, answer.question.determinant.code]
    )
    return f"{section}#q-{answer.question.code}"


def missing_items(
    assessment: StageAssessment, *, determinant: Determinant | None = None
) -> list[MissingItem]:
    """Every question (in a section not marked as not relevant) that is required and
    unanswered, or answered only in part, with what it still needs and a link to it."""
    excused = set(
        assessment.sections.exclude(not_assessed_reason="").values_list("determinant_id", flat=True)
    )
    items = []
    for answer in answers_with_groups(assessment, determinant=determinant):
        question = answer.question
        if question.determinant_id in excused or not question.asked_at(assessment.stage):
            continue
        missing = completeness.missing_parts(
            {name: getattr(answer, name) for name in editing.ANSWER_FIELDS},
            required=question.required,
        )
        if missing:
            items.append(MissingItem(answer, missing, question_url(assessment, answer)))
    return items


def correction_requests(assessment: StageAssessment, determinant: Determinant) -> dict[int, object]:
    """Answer id -> the reviewer's latest verdict, where that verdict is "to correct"."""
    latest: dict[int, ReviewVerdict] = {}
    verdicts = (
        ReviewVerdict.objects.filter(
            assessment=assessment, answer__question__determinant=determinant
        )
        .select_related("reviewer")
        .order_by("at", "id")
    )
    for verdict in verdicts:
        latest[verdict.answer_id] = verdict
    return {pk: v for pk, v in latest.items() if v.verdict == Verdict.TO_CORRECT}


def carried_from_answers(answers: list[Answer]) -> dict[int, Answer]:
    """Answer id -> the previous stage's answer it was copied from, for the answers still to be
    confirmed."""
    ids = {
        a.carried_from_id: a.pk for a in answers if a.carried_from_id and not a.baseline_confirmed
    }
    previous = Answer.objects.filter(pk__in=ids).select_related("assessment__stage", "updated_by")
    previous = previous.prefetch_related(
        Prefetch("groups", queryset=AnswerGroup.objects.select_related("group"))
    )
    return {ids[answer.pk]: answer for answer in previous}


def project_changes_since(project: CapitalProject, since) -> list[str]:
    """What changed in the project's own record after `since`, newest first, as
    "field: old → new" lines (from the project's history)."""
    records = list(project.history.filter(history_date__gt=since).order_by("history_date"))
    before = project.history.filter(history_date__lte=since).order_by("-history_date").first()
    lines = []
    for record in records:
        if before is not None:
            for change in record.diff_against(before).changes:
                field = CapitalProject._meta.get_field(change.field)
                label = str(getattr(field, "verbose_name", change.field))
                lines.append(f"{label.capitalize()}: {_short(change.old)} → {_short(change.new)}")
        before = record
    return lines[::-1]


def _short(value) -> str:
    if value in (None, "", []):
        return "(blank)"
    if isinstance(value, list):
        value = ", ".join(str(item) for item in value)
    if isinstance(value, Decimal):
        value = f"{value:,.0f}"
    text = str(value)
    return text if len(text) <= 80 else text[:79] + "…"


def stage_closed_at(assessment: StageAssessment):
    """When the previous stage's assessment last moved (its sign-off), else when it started."""
    last = assessment.status_changes.order_by("-at").first()
    return last.at if last else assessment.created_at


def groups_by_relevance(determinant: Determinant, rule_set) -> tuple[list[str], set[str]]:
    """Population group codes with those that count as priority groups for this determinant
    first (its listed characteristics in the rule set's order, then the rest), and that set."""
    params = snapshots.rule_params(rule_set or snapshots.current_rule_set())
    codes = [group.code for group in population_groups()]
    relevant = {
        code for code in codes if schema.is_priority_group(code, determinant.code, rules=params)
    }
    listed = list(params.priority_characteristics.get(determinant.code, ()))
    first = [code for code in listed if code in relevant]
    ordered = first + [c for c in codes if c in relevant and c not in first]
    return ordered + [c for c in codes if c not in relevant], relevant
