"""Creating assessments and saving answers, one determinant section at a time.

Saves use optimistic concurrency on the section: the form carries the section version it was
opened at and the answers as they were then. A save from an older version writes only what this
person changed since opening, keeps what others changed meanwhile, and is refused (nothing
written) only where both changed the same answer, listing those answers so the person can choose.
Status changes are not made here (see workflow.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.db.models import F

from assessments import presenters
from assessments.enums import AssessmentStatus
from assessments.models import (
    Answer,
    AnswerGroup,
    AssessmentSection,
    BankStatus,
    CapitalProject,
    Determinant,
    LifecycleStage,
    PopulationGroup,
    QuestionBank,
    StageAssessment,
)
from assessments.review.actions import sync_mitigation_action
from assessments.scoring import snapshots as scoring

ANSWER_FIELDS = (
    "direction",
    "pathway",
    "likelihood",
    "severity",
    "duration",
    "reversible",
    "reach",
    "distribution",
    "evidence_strength",
    "evidence_notes",
    "covered_by",
    "mitigation",
    "mitigation_owner",
    "delivery_mechanism",
    "residual_likelihood",
    "residual_severity",
    "monitoring_indicator",
    "indicator_baseline",
    "notes",
)


# The section's own "not relevant" reason is merged like one more answer, under this key.
REASON = "reason"
# What a save does with one answer (or the reason).
MINE = "mine"  # write this person's version
THEIRS = "theirs"  # keep the saved version: the person chose it
KEPT = "kept"  # keep the saved version: only someone else changed it since the person opened it
SAME = "same"  # both versions are already the same
CONFLICT = "conflict"  # both changed it differently: the person must choose


class AssessmentExists(Exception):
    pass


@dataclass(frozen=True)
class FieldChange:
    question_code: str
    question_text: str
    field: str
    saved_value: object
    your_value: object


@dataclass(frozen=True)
class Conflict:
    """An answer (or the reason, key REASON) that this person and someone else both changed."""

    key: int | str
    question_code: str
    saved_by: str
    changes: list[FieldChange]


@dataclass(frozen=True)
class SectionSaved:
    section: AssessmentSection
    # When the save merged with others' saves: what they changed that stayed, as (what, who).
    others_kept: tuple[tuple[str, str], ...] = ()
    # Someone else had saved the section since the person opened it (their page's version and
    # opened state stay the base for what they save next; see opened_after_saving).
    was_stale: bool = False


class StaleSection(Exception):
    """Someone else changed answers this person changed too; nothing was written.

    `saved` is the section as saved now (the base for the next attempt, see opened_state) and
    `shown` is what the form should show next: the saved answers, with this person's own
    changes on top."""

    def __init__(
        self,
        section: AssessmentSection,
        conflicts: list[Conflict],
        *,
        stale: bool,
        saved: dict,
        shown: dict,
    ):
        self.section = section
        self.conflicts = conflicts
        self.saved = saved
        self.shown = shown
        who = presenters.person_name(section.updated_by, "Someone else")
        if stale:
            message = f"{who} saved this section after you opened it."
        else:
            message = f"Choose which version to keep where you and {who} changed the same answer."
        super().__init__(message)


def current_bank() -> QuestionBank:
    """The newest published question bank: drafts are never answered."""
    return QuestionBank.objects.filter(status=BankStatus.PUBLISHED).latest("published", "id")


@transaction.atomic
def start_assessment(project: CapitalProject, stage: LifecycleStage, *, by) -> StageAssessment:
    # Lock the project so two clicks on "start" cannot create two live assessments.
    CapitalProject.objects.select_for_update().get(pk=project.pk)
    if project.assessments.filter(stage=stage).exclude(status=AssessmentStatus.SUPERSEDED).exists():
        raise AssessmentExists(f"An assessment for {stage} already exists for this project.")
    bank = current_bank()
    assessment = StageAssessment.objects.create(
        project=project,
        stage=stage,
        question_bank=bank,
        rule_set=scoring.current_rule_set(),
        created_by=by,
    )
    create_sections_and_answers(assessment)
    scoring.refresh_snapshot(assessment)
    return assessment


def create_sections_and_answers(assessment: StageAssessment) -> None:
    AssessmentSection.objects.bulk_create(
        AssessmentSection(assessment=assessment, determinant=determinant)
        for determinant in Determinant.objects.all()
    )
    questions = assessment.question_bank.questions.filter(stage_group=assessment.stage.stage_group)
    Answer.objects.bulk_create(
        Answer(assessment=assessment, question=question)
        for question in questions
        if question.asked_at(assessment.stage)
    )


def answer_values(answer: Answer) -> dict:
    """An answer as plain values (shaped as _normalise_submitted), for comparing and for forms."""
    values = {name: getattr(answer, name) for name in ANSWER_FIELDS}
    values["covered_by"] = sorted(values["covered_by"] or [])
    links = list(answer.groups.all())
    values["groups"] = sorted(link.group.code for link in links)
    values["disproportionate"] = sorted(link.group.code for link in links if link.disproportionate)
    return values


def normalise_submitted(cleaned: dict) -> dict:
    values = {name: cleaned.get(name) for name in ANSWER_FIELDS}
    for name in (
        "direction",
        "pathway",
        "duration",
        "reach",
        "distribution",
        "evidence_strength",
        "evidence_notes",
        "mitigation",
        "mitigation_owner",
        "delivery_mechanism",
        "monitoring_indicator",
        "indicator_baseline",
        "notes",
    ):
        values[name] = values[name] or ""
    values["covered_by"] = sorted(values["covered_by"] or [])
    values["reversible"] = True if values["reversible"] is None else values["reversible"]
    values["groups"] = sorted(cleaned.get("groups") or [])
    values["disproportionate"] = sorted(cleaned.get("disproportionate") or [])
    return values


def opened_state(answers: list[Answer], not_assessed_reason: str) -> dict:
    """The section as a person opens it; the form carries it back so a later save can tell what
    this person changed from what others changed meanwhile. JSON-safe."""
    return {
        "answers": {str(answer.pk): answer_values(answer) for answer in answers},
        "reason": not_assessed_reason,
    }


def _comparable(value):
    # Browsers send line breaks in text boxes as CRLF whatever was stored; the order of ticked
    # boxes carries no meaning.
    if isinstance(value, str):
        return value.replace("\r\n", "\n")
    if isinstance(value, list):
        return sorted(_comparable(item) for item in value)
    if isinstance(value, dict):
        return {key: _comparable(item) for key, item in value.items()}
    return value


def _outcome(*, stale: bool, choice: str | None, opened, saved, mine) -> str:
    """What to do with one answer. `choice` is None unless the person was asked about it."""
    if choice == THEIRS:
        return THEIRS
    saved, mine = _comparable(saved), _comparable(mine)
    if saved == mine:
        return SAME
    if choice == "":
        return CONFLICT  # asked, and not answered yet
    if not stale:
        return MINE
    if opened is None:
        return CONFLICT  # what the person opened is not known: ask rather than guess
    opened = _comparable(opened)
    if mine == opened:
        return KEPT
    if saved == opened:
        return MINE
    return CONFLICT


def _field_changes(code: str, text: str, saved: dict, mine: dict) -> list[FieldChange]:
    return [
        FieldChange(code, text, name, saved[name], mine.get(name))
        for name in saved
        if _comparable(saved[name]) != _comparable(mine.get(name))
    ]


class StaleProject(Exception):
    """Someone else saved the project after this person opened it; nothing was written."""


@transaction.atomic
def save_project(
    project: CapitalProject, *, opened_version: int, location_changed: bool
) -> CapitalProject:
    """Write an edited project only if nobody saved it since the person opened it at
    `opened_version` (raising StaleProject otherwise), then re-score its open assessments when
    the catchment moved."""
    updated = CapitalProject.objects.filter(pk=project.pk, lock_version=opened_version).update(
        lock_version=F("lock_version") + 1
    )
    if not updated:
        raise StaleProject(
            "Someone else changed this project after you opened this page. Your changes are still below; "
            "the current saved details are shown beside the form. Reload to start from the latest version."
        )
    project.lock_version = opened_version + 1
    project.save()
    if location_changed:
        scoring.rescore_after_location_change(project)
    return project


@transaction.atomic
def save_section(
    assessment: StageAssessment,
    determinant: Determinant,
    *,
    version: int,
    answers: dict[int, dict],
    not_assessed_reason: str | None,
    by,
    opened: dict | None = None,
    choices: dict | None = None,
) -> SectionSaved:
    """Write one section's answers, then re-score.

    `answers` maps answer id to the cleaned data of its AnswerForm. If the section was saved by
    someone else since `version`, only what this person changed since `opened` (opened_state of
    what they opened) is written and everything else stays as saved; where both changed the
    same answer, StaleSection is raised and nothing is written. `choices` maps the answers the
    person was asked about (ids, or REASON) to MINE, THEIRS or "" (not chosen yet). A
    `not_assessed_reason` of None leaves the reason as saved (saving one question alone)."""
    locked = StageAssessment.objects.select_for_update().get(pk=assessment.pk)
    if not locked.is_editable:
        raise scoring.FrozenAssessmentError(
            "This assessment is not open for editing at its current status."
        )
    section = (
        AssessmentSection.objects.select_for_update(of=("self",))
        .select_related("updated_by")
        .get(assessment=locked, determinant=determinant)
    )
    rows = list(
        locked.answers.filter(question__determinant=determinant)
        .select_related("question", "updated_by")
        .prefetch_related("groups__group")
    )
    stale = section.version != version
    saved = {answer.pk: answer_values(answer) for answer in rows}
    mine = {
        answer.pk: normalise_submitted(answers[answer.pk])
        for answer in rows
        if answer.pk in answers
    }
    outcomes = _outcomes(
        section,
        saved,
        mine,
        not_assessed_reason,
        stale=stale,
        opened=opened if isinstance(opened, dict) else {},
        choices=choices or {},
    )
    if CONFLICT in outcomes.values():
        raise _stale(section, rows, saved, mine, not_assessed_reason, outcomes, stale=stale)

    groups_by_code = {group.code: group for group in PopulationGroup.objects.all()}
    for answer in rows:
        if outcomes.get(answer.pk) == MINE:
            _write_answer(answer, mine[answer.pk], groups_by_code, by)
    kept = _kept_from_others(section, rows, outcomes)
    section.version += 1
    if outcomes[REASON] == MINE and not_assessed_reason is not None:
        section.not_assessed_reason = not_assessed_reason
    section.updated_by = by
    section.save(update_fields=["version", "not_assessed_reason", "updated_by", "updated_at"])
    scoring.refresh_snapshot(locked)
    return SectionSaved(section, others_kept=kept, was_stale=stale)


def opened_after_saving(opened: dict | None, answer: Answer) -> dict:
    """The opened state a page carries on after one of its questions was saved on its own: that
    answer as saved now, every other answer as the person opened it (so a later save of the
    section still keeps what others changed meanwhile)."""
    state = dict(opened) if isinstance(opened, dict) else {}
    answers = dict(state.get("answers") or {})
    answers[str(answer.pk)] = answer_values(answer)
    state["answers"] = answers
    state.setdefault("reason", "")
    return state


def _outcomes(
    section,
    saved: dict,
    mine: dict,
    reason: str | None,
    *,
    stale: bool,
    opened: dict,
    choices: dict,
) -> dict:
    """What happens to each submitted answer and to the not-relevant reason (MINE, KEPT, ...),
    judged against what the person opened and what is saved now."""
    opened_answers = opened.get("answers")
    if not isinstance(opened_answers, dict):
        opened_answers = {}
    outcomes = {
        pk: _outcome(
            stale=stale,
            choice=choices.get(pk),
            opened=opened_answers.get(str(pk)),
            saved=saved[pk],
            mine=values,
        )
        for pk, values in mine.items()
    }
    outcomes[REASON] = (
        SAME
        if reason is None
        else _outcome(
            stale=stale,
            choice=choices.get(REASON),
            opened=opened.get("reason"),
            saved=section.not_assessed_reason,
            mine=reason,
        )
    )
    return outcomes


def _kept_from_others(section, rows, outcomes: dict) -> tuple[tuple[str, str], ...]:
    """What others changed that stays as they saved it, as (what, who)."""
    kept = tuple(
        (answer.question.code, presenters.person_name(answer.updated_by, "Someone else"))
        for answer in rows
        if outcomes.get(answer.pk) == KEPT
    )
    if outcomes[REASON] == KEPT:
        kept += (
            (
                "the reason it is not relevant",
                presenters.person_name(section.updated_by, "Someone else"),
            ),
        )
    return kept


def _stale(section, rows, saved, mine, reason, outcomes, *, stale) -> StaleSection:
    conflicts = [
        Conflict(
            answer.pk,
            answer.question.code,
            presenters.person_name(answer.updated_by, "Someone else"),
            _field_changes(
                answer.question.code, answer.question.text, saved[answer.pk], mine[answer.pk]
            ),
        )
        for answer in rows
        if outcomes.get(answer.pk) == CONFLICT
    ]
    if outcomes[REASON] == CONFLICT:
        conflicts.append(
            Conflict(
                REASON,
                "",
                presenters.person_name(section.updated_by, "Someone else"),
                [FieldChange("", "", "not_assessed_reason", section.not_assessed_reason, reason)],
            )
        )
    # This person's version where they changed something, the saved one everywhere else.
    shown = {
        str(answer.pk): mine[answer.pk]
        if outcomes.get(answer.pk) in (MINE, CONFLICT)
        else saved[answer.pk]
        for answer in rows
    }
    shown_reason = reason if outcomes[REASON] in (MINE, CONFLICT) else section.not_assessed_reason
    return StaleSection(
        section,
        conflicts,
        stale=stale,
        saved=opened_state(rows, section.not_assessed_reason),
        shown={"answers": shown, "reason": shown_reason},
    )


def _write_answer(answer: Answer, values: dict, groups_by_code: dict, by) -> None:
    before = answer_values(answer)
    if before == values:
        return
    for name in ANSWER_FIELDS:
        setattr(answer, name, values[name])
    if answer.carried_from_id:
        # Saving a carried-forward answer is the person confirming or changing the baseline.
        answer.baseline_confirmed = True
    # Changing an answer to a reworded question is answering the new wording.
    answer.reworded_from = None
    answer.updated_by = by
    answer.save()
    answer.groups.all().delete()
    disproportionate = set(values["disproportionate"])
    AnswerGroup.objects.bulk_create(
        AnswerGroup(
            answer=answer, group=groups_by_code[code], disproportionate=code in disproportionate
        )
        for code in values["groups"]
    )
    sync_mitigation_action(answer, by)  # mywork: the mitigation is the action in the plan
