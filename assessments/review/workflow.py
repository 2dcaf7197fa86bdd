"""The only code that changes an assessment's status.

Every verb runs in one transaction with the assessment row locked (SELECT ... FOR UPDATE on
PostgreSQL), re-reads the status, checks that the person may act and that the transition exists
in ALLOWED, recomputes and stores the score snapshot, changes the status and appends a
StatusChange row. Emails go out only after the transaction commits. A refusal raises
WorkflowError with a message written for the person who clicked.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone

from assessments import permissions, presenters
from assessments.answering import editing
from assessments.answering import queries as answering_queries
from assessments.enums import FROZEN_STATUSES
from assessments.enums import AssessmentStatus as S
from assessments.models import (
    Action,
    ActionPlanAcceptance,
    Answer,
    AnswerGroup,
    CapitalProject,
    LifecycleStage,
    StageAssessment,
    StatusChange,
)
from assessments.models.review import OPEN_ACTION_STATUSES, ActionKind, ReviewVerdict, Verdict
from assessments.reports import tasks as report_tasks
from assessments.review import notifications
from assessments.scoring import flags, schema
from assessments.scoring import snapshots as scoring

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from assessments.models import Determinant

# Which status may follow which. Nothing leaves signed-off or superseded.
ALLOWED: dict[str, frozenset[str]] = {
    S.DRAFT: frozenset({S.SUBMITTED, S.SUPERSEDED}),
    S.SUBMITTED: frozenset({S.IN_REVIEW, S.SUPERSEDED}),
    S.IN_REVIEW: frozenset({S.CHANGES_REQUESTED, S.APPROVED, S.SUPERSEDED}),
    S.CHANGES_REQUESTED: frozenset({S.SUBMITTED, S.SUPERSEDED}),
    S.APPROVED: frozenset({S.SIGNED_OFF, S.CHANGES_REQUESTED, S.SUPERSEDED}),
    S.SIGNED_OFF: frozenset(),
    S.SUPERSEDED: frozenset(),
}

# Flags that block sign-off until each is dealt with by an action in the plan or a recorded
# justification: unmitigated harm (F2), claimed coverage by an incomplete assessment (F5) and a
# missing monitoring indicator (F6).
SIGN_OFF_BLOCKING_FLAGS = ("F2", "F5", "F6")

# Event name -> (what the timeline says happened, what a refused person tried to do).
EVENTS = {
    "submit": ("Submitted for review", "submit"),
    "start_review": ("Review started", "start reviewing"),
    "request_changes": ("Changes requested", "request changes to"),
    "approve": ("Approved by the reviewer", "approve"),
    "accept_action_plan": (
        "Action plan accepted by the senior responsible officer",
        "accept the action plan of",
    ),
    "sign_off": ("Signed off", "sign off"),
    "rescreen": ("Superseded by a re-screen", "re-screen"),
    "rescreen_created": ("Re-screened: new assessment started", "re-screen"),
    "start_next_stage": (
        "Next stage started with answers carried forward",
        "start the next stage of",
    ),
    "confirm_baseline": (
        "Carried-forward answers confirmed",
        "confirm the carried-forward answers of",
    ),
    "open_consultation": ("Community consultation opened", "open a consultation on"),
    "close_consultation": ("Community consultation closed", "close the consultation on"),
    "import": ("Imported from another CHIIA instance", "import"),
    # Not a status change: the assessment re-scored under a newly published rule set.
    "move_rule_set": ("Re-scored with a newly published rule set", "re-score"),
    # questionbank.moving: a stage moved onto a newer question bank version (status unchanged).
    "move_question_bank": (
        "Moved onto a newer question bank version",
        "move onto a newer question bank version",
    ),
    "confirm_rewording": (
        "Answer confirmed against a reworded question",
        "confirm answers to reworded questions in",
    ),
}


# Why a reviewer may not approve or sign off a stage (permissions.barred_as_author).
WROTE_PART = (
    "You wrote part of this stage (you created or submitted it, or created or changed one of its "
    "answers, sections or actions)"
)


class MaterialChange:
    LOCATION = "location"
    SCALE = "scale"
    BUDGET = "budget"
    POPULATION = "population"
    CHOICES = [
        (LOCATION, "The location or route changed"),
        (SCALE, "The scale or scope changed"),
        (BUDGET, "The budget changed by more than the re-screen threshold"),
        (POPULATION, "A new population group is affected"),
    ]


class WorkflowError(Exception):
    """A refused workflow action. `details` lists what is missing, for display as a list."""

    def __init__(self, message: str, details: list[str] | None = None):
        self.message = message
        self.details = details or []
        super().__init__(message)

    @property
    def full_message(self) -> str:
        return " ".join([self.message, *self.details])

    def __str__(self) -> str:
        return self.full_message


def can_transition(from_status: str, to_status: str) -> bool:
    return to_status in ALLOWED.get(from_status, frozenset())


# ---------------------------------------------------------------- the frame every verb uses


def lock(assessment: StageAssessment) -> StageAssessment:
    """The assessment re-read with its row locked until the transaction ends."""
    return StageAssessment.objects.select_for_update().get(pk=assessment.pk)


def _last_change(assessment: StageAssessment) -> StatusChange | None:
    """The latest event that moved the status (not a consultation or an acceptance)."""
    return (
        assessment.status_changes.exclude(from_status=F("to_status"))
        .select_related("by")
        .order_by("-at", "-id")
        .first()
    )


def _status_now(locked: StageAssessment) -> str:
    """“In review” (review started by Dr Fiona Reid at 14:02 on 28 Nov 2026)."""
    text = f"“{locked.get_status_display()}”"
    last = _last_change(locked)
    if last is not None and last.to_status == locked.status:
        what = EVENTS.get(last.event, (last.event,))[0].lower()
        text += f" ({what} by {presenters.person_name(last.by, 'Someone')} at {timezone.localtime(last.at):%H:%M on %d %b %Y})"
    return text


def begin(
    assessment: StageAssessment,
    by: User,
    *,
    event: str,
    target: str | None = None,
    permission: Callable[[User, StageAssessment], bool],
    expected_status: str | None = None,
    judges: str = "",
) -> StageAssessment:
    """Lock, then check in this order: the status the person saw, the transition, their permission.
    `judges` ("approve it", "sign it off") marks a verb that a writer of the stage may not take,
    so a reviewer refused for that reason is told so, not that they lack permission."""
    locked = lock(assessment)
    if expected_status and locked.status != expected_status:
        raise WorkflowError(
            f"Someone acted on this assessment while you were looking at it: it is now {_status_now(locked)}, "
            f"so you cannot {EVENTS[event][1]} it. Nothing was changed; reload the page to see the latest."
        )
    if target is not None and not can_transition(locked.status, target):
        raise WorkflowError(
            f"This assessment is {_status_now(locked)}, so you cannot {EVENTS[event][1]} it. Nothing was changed."
        )
    if not permission(by, locked):
        if judges and permissions.barred_as_author(by, locked):
            raise WorkflowError(
                f"{WROTE_PART}, so another public health reviewer must {judges}. "
                "Nothing was changed."
            )
        raise WorkflowError(
            f"You do not have permission to {EVENTS[event][1]} this assessment at its current status "
            f"(“{locked.get_status_display()}”)."
        )
    return locked


def log(
    locked: StageAssessment, by: User, event: str, *, from_status: str, note: str = ""
) -> StatusChange:
    return StatusChange.objects.create(
        assessment=locked,
        event=event,
        from_status=from_status,
        to_status=locked.status,
        note=note,
        by=by,
    )


def _move(
    locked: StageAssessment, by: User, event: str, target: str, note: str = ""
) -> StatusChange:
    """Snapshot the scores while still open (refresh_snapshot refuses frozen rows), then move."""
    from_status = locked.status
    if from_status not in FROZEN_STATUSES:
        scoring.refresh_snapshot(locked)
    locked.status = target
    locked.save_with_new_cache_version(update_fields=["status", "updated_at"])
    return log(locked, by, event, from_status=from_status, note=note)


def close_open_windows(locked: StageAssessment, by: User) -> int:
    now = timezone.now()
    closed = 0
    for window in locked.consultation_windows.filter(closed_at__isnull=True):
        if window.is_open_at(now):
            window.closed_at, window.closed_by = now, by
        else:
            window.closed_at = window.closes_at
        window.save(update_fields=["closed_at", "closed_by"])
        closed += 1
    return closed


# ---------------------------------------------------------------- what blocks a step


def _label(answer: Answer) -> str:
    text = answer.question.text
    return f"{answer.question.code} ({text[:70]}{'…' if len(text) > 70 else ''})"


def unconfirmed_baseline(assessment: StageAssessment) -> list[Answer]:
    return list(
        assessment.answers.filter(carried_from__isnull=False, baseline_confirmed=False)
        .select_related("question")
        .order_by("question__code")
    )


def unresolved_flag_answers(
    assessment: StageAssessment, result: schema.AssessmentResult, code: str
) -> list[str]:
    """Answer keys a flag names that have no justification. A live mitigation action linked to
    an answer already takes it out of F2 in the scores (scoring.mitigated_answer_ids), so the
    flag and this check never disagree about what counts as mitigation."""
    flag = result.flag(code)
    if flag is None:
        return []
    justified = assessment.flag_justifications.filter(flag_code=code)
    if justified.filter(answer__isnull=True).exists():
        return []
    done = set(justified.values_list("answer__question__code", flat=True))
    keys = list(flag.answer_keys) or ["(whole assessment)"]
    return [key for key in keys if key not in done]


def submission_problems(assessment: StageAssessment, result: schema.AssessmentResult) -> list[str]:
    problems = []
    # answering: required questions unanswered and answers saved unfinished, each with what it
    # needs; the assessment page lists the same items with a link to each question.
    missing = answering_queries.missing_items(assessment)
    if missing:
        problems.append(
            f"{len(missing)} question{'s are' if len(missing) != 1 else ' is'} not complete yet "
            "(each is listed with a link under “Still to complete” on the assessment page): "
            + "; ".join(item.text for item in missing)
            + "."
        )
    baseline = unconfirmed_baseline(assessment)
    if baseline:
        problems.append(
            "Answers carried forward from the previous stage still to confirm or change: "
            + ", ".join(a.question.code for a in baseline)
            + "."
        )
    reworded = assessment.answers.filter(reworded_from__isnull=False).order_by("question__code")
    if reworded.exists():
        problems.append(
            "Answers to reworded questions still to confirm or change: "
            + ", ".join(reworded.values_list("question__code", flat=True))
            + "."
        )
    mitigation = unresolved_flag_answers(assessment, result, "F2")
    if mitigation:
        problems.append(
            "Harms that need a mitigation action or a recorded justification (flag F2): "
            + ", ".join(mitigation)
            + "."
        )
    return problems


# ---------------------------------------------------------------- verbs


@transaction.atomic
def submit(
    assessment: StageAssessment, by: User, *, note: str = "", expected_status: str | None = None
) -> StageAssessment:
    locked = begin(
        assessment,
        by,
        event="submit",
        target=S.SUBMITTED,
        permission=permissions.can_submit,
        expected_status=expected_status,
    )
    result = scoring.refresh_snapshot(locked)
    problems = submission_problems(locked, result)
    if problems:
        raise WorkflowError("This assessment cannot be submitted yet.", problems)
    _move(locked, by, "submit", S.SUBMITTED, note)
    notifications.on_submitted(locked, by)
    return locked


@transaction.atomic
def start_review(
    assessment: StageAssessment, by: User, *, note: str = "", expected_status: str | None = None
) -> StageAssessment:
    locked = begin(
        assessment,
        by,
        event="start_review",
        target=S.IN_REVIEW,
        permission=permissions.can_start_review,
        expected_status=expected_status,
    )
    _move(locked, by, "start_review", S.IN_REVIEW, note)
    return locked


@transaction.atomic
def request_changes(
    assessment: StageAssessment, by: User, *, note: str, expected_status: str | None = None
) -> StageAssessment:
    locked = begin(
        assessment,
        by,
        event="request_changes",
        target=S.CHANGES_REQUESTED,
        permission=permissions.can_request_changes,
        expected_status=expected_status,
    )
    if not note.strip():
        raise WorkflowError("Say what the project team needs to change.")
    _move(locked, by, "request_changes", S.CHANGES_REQUESTED, note.strip())
    notifications.on_changes_requested(locked, by, note.strip())
    return locked


def latest_verdicts(assessment: StageAssessment) -> dict[int, ReviewVerdict]:
    """answer id -> its latest ReviewVerdict."""
    latest: dict[int, ReviewVerdict] = {}
    for verdict in assessment.verdicts.select_related("reviewer", "answer__question").order_by(
        "at", "id"
    ):
        latest[verdict.answer_id] = verdict
    return latest


def open_requests_due(assessment: StageAssessment) -> list[str]:
    """Reviewer's requests due by this stage and not yet closed (a reviewer agreeing closes one;
    a later “acceptable” verdict alone does not), named by question where they have one."""
    requests = assessment.actions.filter(
        kind=ActionKind.REVIEW,
        status__in=OPEN_ACTION_STATUSES,
        due_stage__order__lte=assessment.stage.order,
    ).select_related("answer__question")
    return sorted(
        {a.answer.question.code if a.answer is not None else f"“{a.text[:40]}”" for a in requests}
    )


def approval_problems(assessment: StageAssessment) -> list[str]:
    to_correct = sorted(
        v.answer.question.code
        for v in latest_verdicts(assessment).values()
        if v.verdict == Verdict.TO_CORRECT
    )
    problems = []
    if to_correct:
        problems.append(
            "Request changes, or record a new verdict on: " + ", ".join(to_correct) + "."
        )
    requests = open_requests_due(assessment)
    if requests:
        problems.append(
            "Reviewer's requests due at this stage are still open on: "
            + ", ".join(requests)
            + ". Each closes when the project team marks it dealt with and a reviewer agrees."
        )
    return problems


@transaction.atomic
def approve(
    assessment: StageAssessment, by: User, *, note: str = "", expected_status: str | None = None
) -> StageAssessment:
    locked = begin(
        assessment,
        by,
        event="approve",
        target=S.APPROVED,
        permission=permissions.can_approve,
        expected_status=expected_status,
        judges="approve it",
    )
    problems = approval_problems(locked)
    if problems:
        raise WorkflowError(
            "This assessment cannot be approved while answers are marked “to correct” "
            "or reviewer's requests due now are open.",
            problems,
        )
    _move(locked, by, "approve", S.APPROVED, note)
    return locked


def current_acceptance(assessment: StageAssessment) -> ActionPlanAcceptance | None:
    """The SRO's acceptance if it still stands: given here (one imported from another instance
    names nobody here and is only history), after the latest approval and after the action plan
    last changed."""
    acceptances = assessment.action_plan_acceptances.filter(by__isnull=False).select_related("by")
    acceptance = acceptances.order_by("-at", "-id").first()
    if acceptance is None:
        return None
    approved_at = assessment.status_changes.filter(to_status=S.APPROVED, event="approve").aggregate(
        m=Max("at")
    )["m"]
    changed_at = assessment.actions.aggregate(m=Max("updated_at"))["m"]
    if (approved_at and acceptance.at < approved_at) or (changed_at and acceptance.at < changed_at):
        return None
    return acceptance


def acceptance_problems(assessment: StageAssessment) -> list[str]:
    """Why the action plan cannot be accepted now: it already is, in its current form."""
    acceptance = current_acceptance(assessment)
    if acceptance is None:
        return []
    return [
        f"{presenters.person_name(acceptance.by, 'Someone')} accepted this action plan on "
        f"{timezone.localtime(acceptance.at):%-d %b %Y at %H:%M}. It needs accepting again only "
        "if the plan changes or the stage is approved again."
    ]


@transaction.atomic
def accept_action_plan(
    assessment: StageAssessment, by: User, *, note: str = "", expected_status: str | None = None
) -> ActionPlanAcceptance:
    locked = begin(
        assessment,
        by,
        event="accept_action_plan",
        permission=permissions.can_accept_action_plan,
        expected_status=expected_status,
    )
    problems = acceptance_problems(locked)
    if problems:
        raise WorkflowError("The action plan is already accepted.", problems)
    scoring.refresh_snapshot(locked)
    acceptance = ActionPlanAcceptance.objects.create(assessment=locked, by=by, note=note.strip())
    log(locked, by, "accept_action_plan", from_status=locked.status, note=note.strip())
    return acceptance


def sign_off_problems(assessment: StageAssessment, result: schema.AssessmentResult) -> list[str]:
    problems = []
    if current_acceptance(assessment) is None:
        problems.append(
            "The senior responsible officer has not accepted the current action plan (it must be accepted "
            "after the latest approval and after the last change to the plan)."
        )
    for code in SIGN_OFF_BLOCKING_FLAGS:
        open_keys = unresolved_flag_answers(assessment, result, code)
        if open_keys:
            title = flags.FLAG_TITLES[code]
            problems.append(
                f"Flag {code} {title} needs an action or a recorded justification: {', '.join(open_keys)}."
            )
    return problems


@transaction.atomic
def sign_off(
    assessment: StageAssessment, by: User, *, note: str = "", expected_status: str | None = None
) -> StageAssessment:
    locked = begin(
        assessment,
        by,
        event="sign_off",
        target=S.SIGNED_OFF,
        permission=permissions.can_sign_off,
        expected_status=expected_status,
        judges="sign it off",
    )
    result = scoring.refresh_snapshot(locked)
    problems = sign_off_problems(locked, result)
    if problems:
        raise WorkflowError("This assessment cannot be signed off yet.", problems)
    if close_open_windows(locked, by):
        note = " ".join(filter(None, [note, "The community consultation was closed."]))
    _move(locked, by, "sign_off", S.SIGNED_OFF, note)
    notifications.on_signed_off(locked, by)
    report_tasks.archive_after_sign_off(locked)
    return locked


# ---------------------------------------------------------------- carry-forward, re-screen, next stage


def _copy_answer(source: Answer, target: Answer) -> None:
    for name in editing.ANSWER_FIELDS:
        setattr(target, name, getattr(source, name))
    target.carried_from = source
    target.baseline_confirmed = False
    target.save()
    AnswerGroup.objects.bulk_create(
        AnswerGroup(answer=target, group_id=link.group_id, disproportionate=link.disproportionate)
        for link in source.groups.all()
    )


def _answer_mapping(previous: StageAssessment, new: StageAssessment) -> dict[int, Answer]:
    """previous answer id -> new answer. Same question code first; across stage groups, the
    question in the same place of the same determinant (the person must confirm it either way)."""
    new_answers = list(new.answers.select_related("question__determinant"))
    by_code = {a.question.code: a for a in new_answers}
    by_place = {(a.question.determinant_id, a.question.order): a for a in new_answers}
    mapping: dict[int, Answer] = {}
    for old in previous.answers.select_related("question"):
        target = by_code.get(old.question.code) or by_place.get(
            (old.question.determinant_id, old.question.order)
        )
        if target is not None and target not in mapping.values():
            mapping[old.pk] = target
    return mapping


def carry_forward(previous: StageAssessment, stage: LifecycleStage, *, by: User) -> StageAssessment:
    """A new assessment of `stage` that starts from `previous`: answered questions are copied as a
    baseline to confirm or change, open actions move across with their due stage."""
    new = StageAssessment.objects.create(
        project=previous.project,
        stage=stage,
        question_bank=editing.current_bank(),
        rule_set=scoring.current_rule_set(),
        created_by=by,
        carried_from=previous,
        decision_open=previous.decision_open,
    )
    editing.create_sections_and_answers(new)
    mapping = _answer_mapping(previous, new)
    for old in previous.answers.exclude(direction="").prefetch_related("groups"):
        if old.pk in mapping:
            _copy_answer(old, mapping[old.pk])
    for action in previous.actions.filter(status__in=OPEN_ACTION_STATUSES).order_by("id"):
        Action.objects.create(
            assessment=new,
            kind=action.kind,
            text=action.text,
            answer=None if action.answer_id is None else mapping.get(action.answer_id),
            owner=action.owner,
            due_stage_id=action.due_stage_id,
            funding=action.funding,
            status=action.status,
            request_state=action.request_state,
            dealt_with_note=action.dealt_with_note,
            sent_back_reason=action.sent_back_reason,
            carried_from=action,
            created_by=by,
            owner_user_id=action.owner_user_id,
            due_date=action.due_date,
            from_answer=action.from_answer,
        )
    scoring.refresh_snapshot(new)
    return new


@transaction.atomic
def start_next_stage(
    assessment: StageAssessment, by: User, *, expected_status: str | None = None
) -> StageAssessment:
    locked = begin(
        assessment,
        by,
        event="start_next_stage",
        permission=permissions.can_start_next_stage,
        expected_status=expected_status,
    )
    project = CapitalProject.objects.select_for_update().get(pk=locked.project_id)
    if project.current_stage_id != locked.stage_id:
        raise WorkflowError(f"The project has already moved on to {project.current_stage}.")
    stage = locked.stage.following()
    if stage is None:
        raise WorkflowError(f"{locked.stage} is the last stage: there is no next stage to start.")
    if project.assessments.filter(stage=stage).exclude(status=S.SUPERSEDED).exists():
        raise WorkflowError(f"An assessment for {stage} already exists for this project.")
    new = carry_forward(locked, stage, by=by)
    project.current_stage = stage
    project.lock_version += 1
    project.save(update_fields=["current_stage", "lock_version", "updated_at"])
    new.project = project
    log(
        new,
        by,
        "start_next_stage",
        from_status=S.DRAFT,
        note=f"Carried forward from the signed-off {locked.stage} assessment.",
    )
    overdue = list(scoring.overdue_actions(new))
    if overdue:
        notifications.on_overdue_actions(new, overdue)
    return new


@transaction.atomic
def rescreen(
    assessment: StageAssessment,
    by: User,
    *,
    reason: str,
    note: str,
    expected_status: str | None = None,
) -> StageAssessment:
    """Supersede the current assessment after a material change and reopen the stage as a new one."""
    locked = begin(
        assessment,
        by,
        event="rescreen",
        target=S.SUPERSEDED,
        permission=permissions.can_rescreen,
        expected_status=expected_status,
    )
    reasons = dict(MaterialChange.CHOICES)
    if reason not in reasons:
        raise WorkflowError(
            "Choose what changed: location, scale, budget or the population affected."
        )
    if not note.strip():
        raise WorkflowError(
            "Describe the material change, so reviewers can see why the stage was re-screened."
        )
    if reason == MaterialChange.BUDGET:
        change = scoring.budget_change(locked)
        threshold = scoring.rescreen_threshold(locked)
        if change is None or change[2] <= threshold:
            moved = f"{change[2]:.0%}" if change else "0%"
            raise WorkflowError(
                f"The budget has changed by {moved} since this assessment started; a re-screen for budget "
                f"needs a change of more than {threshold:.0%} (rule set v{(locked.rule_set or scoring.current_rule_set()).version})."
            )
    text = f"{reasons[reason]}: {note.strip()}"
    if close_open_windows(locked, by):
        text += " The community consultation was closed."
    _move(locked, by, "rescreen", S.SUPERSEDED, text)
    new = carry_forward(locked, locked.stage, by=by)
    log(new, by, "rescreen_created", from_status=S.DRAFT, note=text)
    return new


@transaction.atomic
def confirm_baseline(
    assessment: StageAssessment, by: User, *, determinant: Determinant | None = None
) -> int:
    """The project team confirms that carried-forward answers still hold, unchanged: one
    section at a time, from the section page that shows them beside what changed since (never
    the whole stage in one click without opening the sections)."""
    if determinant is None:
        raise WorkflowError(
            "Confirm carried-forward answers one section at a time: open each section to see "
            "what was answered before and what has changed in the project since."
        )
    locked = begin(
        assessment, by, event="confirm_baseline", permission=permissions.can_confirm_baseline
    )
    answers = locked.answers.filter(carried_from__isnull=False, baseline_confirmed=False)
    if determinant is not None:
        answers = answers.filter(question__determinant=determinant)
    count = 0
    for answer in answers:
        answer.baseline_confirmed = True
        answer.updated_by = by
        answer.save(update_fields=["baseline_confirmed", "updated_by", "updated_at"])
        count += 1
    scoring.refresh_snapshot(locked)
    where = f" for {determinant}" if determinant is not None else ""
    log(
        locked,
        by,
        "confirm_baseline",
        from_status=locked.status,
        note=f"{count} answers confirmed{where}.",
    )
    return count


def set_synthetic_statuses(ids_by_status: dict[str, list[int]]) -> None:
    """Give generated load-test assessments (manage.py seed_scale) a spread of statuses.

    Synthetic data only: no permission check and no status-change record, because nobody acted.
    It lives here so that this module remains the only code that writes a status."""
    for status, ids in ids_by_status.items():
        StageAssessment.objects.filter(pk__in=ids).update(status=status)
