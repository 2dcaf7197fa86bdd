"""Creating assessments and saving answers, one determinant section at a time.

Saves use optimistic concurrency on the section: the form carries the section version it was
opened at; a save with an older version is refused with the list of what changed, and nothing
is written. Status changes are not made here (see workflow.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from . import scoring
from .enums import AssessmentStatus
from .models import (
    Answer,
    AnswerGroup,
    AssessmentSection,
    CapitalProject,
    Determinant,
    LifecycleStage,
    PopulationGroup,
    QuestionBank,
    StageAssessment,
)

ANSWER_FIELDS = (
    "direction", "pathway", "likelihood", "severity", "duration", "reversible", "reach", "distribution",
    "evidence_strength", "evidence_notes", "covered_by", "mitigation", "mitigation_owner", "delivery_mechanism",
    "residual_likelihood", "residual_severity", "monitoring_indicator", "indicator_baseline", "notes",
)


class AssessmentExists(Exception):
    pass


@dataclass(frozen=True)
class FieldChange:
    question_code: str
    question_text: str
    field: str
    saved_value: str
    your_value: str


class StaleSection(Exception):
    """Someone else saved this section after the form was opened."""

    def __init__(self, section: AssessmentSection, changes: list[FieldChange]):
        self.section = section
        self.changes = changes
        who = section.updated_by.get_full_name() if section.updated_by else "someone else"
        super().__init__(f"{who or 'Someone else'} saved this section after you opened it.")


def current_bank() -> QuestionBank:
    return QuestionBank.objects.latest("published", "id")


@transaction.atomic
def start_assessment(project: CapitalProject, stage: LifecycleStage, *, by) -> StageAssessment:
    # Lock the project so two clicks on "start" cannot create two live assessments.
    CapitalProject.objects.select_for_update().get(pk=project.pk)
    if project.assessments.filter(stage=stage).exclude(status=AssessmentStatus.SUPERSEDED).exists():
        raise AssessmentExists(f"An assessment for {stage} already exists for this project.")
    bank = current_bank()
    assessment = StageAssessment.objects.create(
        project=project, stage=stage, question_bank=bank, rule_set=scoring.current_rule_set(), created_by=by
    )
    create_sections_and_answers(assessment)
    scoring.refresh_snapshot(assessment)
    return assessment


def create_sections_and_answers(assessment: StageAssessment) -> None:
    AssessmentSection.objects.bulk_create(
        AssessmentSection(assessment=assessment, determinant=determinant) for determinant in Determinant.objects.all()
    )
    questions = assessment.question_bank.questions.filter(stage_group=assessment.stage.stage_group)
    Answer.objects.bulk_create(
        Answer(assessment=assessment, question=question)
        for question in questions
        if question.asked_at(assessment.stage)
    )


def _display(value) -> str:
    if value in (None, "", []):
        return "(blank)"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def _answer_values(answer: Answer) -> dict:
    values = {name: getattr(answer, name) for name in ANSWER_FIELDS}
    links = list(answer.groups.all())
    values["groups"] = sorted(link.group.code for link in links)
    values["disproportionate"] = sorted(link.group.code for link in links if link.disproportionate)
    return values


def _normalise_submitted(cleaned: dict) -> dict:
    values = {name: cleaned.get(name) for name in ANSWER_FIELDS}
    for name in ("direction", "pathway", "duration", "reach", "distribution", "evidence_strength",
                 "evidence_notes", "mitigation", "mitigation_owner", "delivery_mechanism",
                 "monitoring_indicator", "indicator_baseline", "notes"):
        values[name] = values[name] or ""
    values["covered_by"] = sorted(values["covered_by"] or [])
    values["reversible"] = True if values["reversible"] is None else values["reversible"]
    values["groups"] = sorted(cleaned.get("groups") or [])
    values["disproportionate"] = sorted(cleaned.get("disproportionate") or [])
    return values


def describe_changes(answers: list[Answer], submitted: dict[int, dict]) -> list[FieldChange]:
    """Differences between what is saved now and what the person is trying to save."""
    changes = []
    for answer in answers:
        mine = _normalise_submitted(submitted.get(answer.pk, {}))
        saved = _answer_values(answer)
        for name, saved_value in saved.items():
            if saved_value != mine.get(name):
                changes.append(
                    FieldChange(answer.question.code, answer.question.text, name, _display(saved_value),
                                _display(mine.get(name)))
                )
    return changes


@transaction.atomic
def save_section(
    assessment: StageAssessment,
    determinant: Determinant,
    *,
    version: int,
    answers: dict[int, dict],
    not_assessed_reason: str,
    by,
) -> AssessmentSection:
    """Write one section's answers if nobody saved it since `version`; then re-score.

    `answers` maps answer id to the cleaned data of its AnswerForm."""
    locked = StageAssessment.objects.select_for_update().get(pk=assessment.pk)
    if not locked.is_editable:
        raise scoring.FrozenAssessmentError("This assessment is not open for editing at its current status.")
    section = AssessmentSection.objects.select_for_update(of=("self",)).select_related("updated_by").get(
        assessment=locked, determinant=determinant
    )
    rows = list(
        locked.answers.filter(question__determinant=determinant)
        .select_related("question")
        .prefetch_related("groups__group")
    )
    if section.version != version:
        raise StaleSection(section, describe_changes(rows, answers))
    groups_by_code = {group.code: group for group in PopulationGroup.objects.all()}
    for answer in rows:
        if answer.pk in answers:
            _write_answer(answer, _normalise_submitted(answers[answer.pk]), groups_by_code, by)
    section.version += 1
    section.not_assessed_reason = not_assessed_reason
    section.updated_by = by
    section.save(update_fields=["version", "not_assessed_reason", "updated_by", "updated_at"])
    scoring.refresh_snapshot(locked)
    return section


def _write_answer(answer: Answer, values: dict, groups_by_code: dict, by) -> None:
    before = _answer_values(answer)
    if before == values:
        return
    for name in ANSWER_FIELDS:
        setattr(answer, name, values[name])
    if answer.carried_from_id:
        # Saving a carried-forward answer is the person confirming or changing the baseline.
        answer.baseline_confirmed = True
    answer.updated_by = by
    answer.save()
    answer.groups.all().delete()
    disproportionate = set(values["disproportionate"])
    AnswerGroup.objects.bulk_create(
        AnswerGroup(answer=answer, group=groups_by_code[code], disproportionate=code in disproportionate)
        for code in values["groups"]
    )
