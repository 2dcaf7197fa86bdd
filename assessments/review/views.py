"""Workflow buttons, item-by-item review, the action plan (with CSV and Excel export) and the
project timeline. Each POST view: load, check permission, bind form, call the domain, redirect."""

from __future__ import annotations

import csv
from collections.abc import Callable
from io import BytesIO
from typing import TYPE_CHECKING, Protocol

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST
from openpyxl import Workbook

from assessments import permissions
from assessments.answering import queries
from assessments.models import Action, Answer, Determinant
from assessments.models.review import Verdict
from assessments.portfolio import exports
from assessments.privacy.downloads import records_download
from assessments.review import availability, requests, reviewing, timeline, workflow
from assessments.review import queries as review_queries
from assessments.review.forms import (
    ActionForm,
    DeterminantOverrideForm,
    JustificationForm,
    RequestStepForm,
    RescreenForm,
    TransitionForm,
    VerdictForm,
)
from assessments.scoring import snapshots as scoring

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from assessments.models import CapitalProject, StageAssessment


class AuthenticatedRequest(HttpRequest):
    """The request every view here receives: LoginRequiredMiddleware has turned away anyone not
    signed in, so `user` is a real user, never the anonymous one."""

    user: User


class Transition(Protocol):
    def __call__(
        self, assessment: StageAssessment, by: User, *, note: str, expected_status: str | None
    ) -> object: ...


# URL verb -> (workflow function, permission predicate, success message).
VERBS: dict[str, tuple[Transition, Callable[[User, StageAssessment], bool], str]] = {
    "submit": (
        workflow.submit,
        permissions.can_submit,
        "Submitted for review. The council's reviewers have been told.",
    ),
    "start-review": (workflow.start_review, permissions.can_start_review, "Review started."),
    "request-changes": (
        workflow.request_changes,
        permissions.can_request_changes,
        "Changes requested. The project manager has been told.",
    ),
    "approve": (
        workflow.approve,
        permissions.can_approve,
        "Approved. The senior responsible officer can now accept the action plan.",
    ),
    "accept-action-plan": (
        workflow.accept_action_plan,
        permissions.can_accept_action_plan,
        "Action plan accepted.",
    ),
    "sign-off": (
        workflow.sign_off,
        permissions.can_sign_off,
        "Signed off. The assessment is now read-only.",
    ),
}


def refuse(request: HttpRequest, exc: workflow.WorkflowError) -> None:
    messages.error(request, exc.full_message)


def _assessment_for(request: AuthenticatedRequest, pk: int) -> StageAssessment:
    assessment = queries.assessment_header(pk)
    permissions.check_assessment(request.user, assessment)
    return assessment


@require_POST
def transition(request: AuthenticatedRequest, pk: int, verb: str) -> HttpResponse:
    assessment = _assessment_for(request, pk)
    if verb not in VERBS:
        raise Http404("No such action")
    action, allowed, done = VERBS[verb]
    form = TransitionForm(request.POST)
    form.is_valid()
    data = form.cleaned_data
    try:
        action(
            assessment,
            request.user,
            note=data.get("note", ""),
            expected_status=data.get("expected_status") or None,
        )
    except workflow.WorkflowError as exc:
        refuse(request, exc)
    else:
        messages.success(request, done)
    if verb == "accept-action-plan":
        # Accepted where it was read: the action plan page.
        return redirect("assessments:action-plan", assessment.pk)
    return redirect(assessment)


@require_POST
def rescreen(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    assessment = _assessment_for(request, pk)
    form = RescreenForm(request.POST)
    if not form.is_valid():
        messages.error(
            request, "Choose what changed and describe the change to re-screen this stage."
        )
        return redirect(assessment)
    try:
        new = workflow.rescreen(
            assessment,
            request.user,
            reason=form.cleaned_data["reason"],
            note=form.cleaned_data["note"],
            expected_status=form.cleaned_data.get("expected_status") or None,
        )
    except workflow.WorkflowError as exc:
        refuse(request, exc)
        return redirect(assessment)
    messages.success(
        request,
        "Stage re-screened: the previous assessment is superseded and this new one starts "
        "from its answers, which you need to confirm or change.",
    )
    return redirect(new)


@require_POST
def next_stage(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    assessment = _assessment_for(request, pk)
    try:
        new = workflow.start_next_stage(
            assessment, request.user, expected_status=request.POST.get("expected_status") or None
        )
    except workflow.WorkflowError as exc:
        refuse(request, exc)
        return redirect(assessment)
    messages.success(
        request,
        f"{new.stage} assessment started. Answers from {assessment.stage} are carried forward: "
        "confirm or change each before submitting.",
    )
    return redirect(new)


@require_POST
def confirm_baseline(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    assessment = _assessment_for(request, pk)
    determinant = Determinant.objects.filter(code=request.POST.get("determinant", "")).first()
    try:
        count = workflow.confirm_baseline(assessment, request.user, determinant=determinant)
    except workflow.WorkflowError as exc:
        refuse(request, exc)
    else:
        messages.success(
            request,
            f"{count} carried-forward answer{'s' if count != 1 else ''} confirmed as still true.",
        )
    return redirect(assessment)


# ---------------------------------------------------------------- item-by-item review


def review(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    assessment = _assessment_for(request, pk)
    return _review_page(request, assessment)


def _review_page(
    request: AuthenticatedRequest,
    assessment: StageAssessment,
    *,
    failed: review_queries.ReviewCard | None = None,
) -> HttpResponse:
    """The review page; `failed` is a card whose verdict was refused, shown with its choices."""
    can_review = permissions.can_review(request.user, assessment)
    page = review_queries.review_page(
        assessment, request.user, show=request.GET.get("show", "") if failed is None else ""
    )
    for card in page.cards:
        _add_request_steps(card, request.user, assessment)
        if failed is not None and card.answer.pk == failed.answer.pk:
            card.form, card.message, card.failed = failed.form, failed.message, True
        elif can_review:
            card.form = VerdictForm(prefix=f"v{card.answer.pk}")
    return render(
        request,
        "review/review.html",
        {
            "assessment": assessment,
            "project": assessment.project,
            "page": page,
            "can_review": can_review,
            "failed": failed,
            "determinant_overrides": list(
                assessment.rating_overrides.select_related("by", "determinant").filter(
                    determinant__isnull=False
                )
            ),
            "determinant_form": DeterminantOverrideForm() if can_review else None,
            "determinants": Determinant.objects.all(),
        },
        status=400 if failed is not None else 200,
    )


def _card_response(
    request: AuthenticatedRequest,
    assessment: StageAssessment,
    answer: Answer,
    *,
    form: VerdictForm | None,
    message: str,
    status: int = 200,
) -> HttpResponse:
    """htmx: the answer's card alone, with the page's progress swapped in beside it."""
    card, page = review_queries.one_card(assessment, request.user, answer)
    card.form = form or VerdictForm(prefix=f"v{answer.pk}")
    card.message, card.failed = message, status != 200
    _add_request_steps(card, request.user, assessment)
    return render(
        request,
        "review/_card_update.html",
        {
            "assessment": assessment,
            "card": card,
            "page": page,
            "can_review": permissions.can_review(request.user, assessment),
        },
        status=status,
    )


def _add_request_steps(
    card: review_queries.ReviewCard, user: User, assessment: StageAssessment
) -> None:
    card.requests = [
        (action, availability.request_steps(user, assessment, action))
        for action in card.actions
        if requests.is_request(action)
    ]


def _refusal(form: VerdictForm) -> str:
    return " ".join(" ".join(str(m) for m in errors) for errors in form.errors.values())


@require_POST
def verdict(request: AuthenticatedRequest, pk: int, answer_pk: int) -> HttpResponse:
    assessment = _assessment_for(request, pk)
    answer = get_object_or_404(Answer, pk=answer_pk, assessment=assessment)
    in_place = request.headers.get("HX-Request") == "true"
    form = VerdictForm(request.POST, prefix=f"v{answer.pk}")
    problem = ""
    if form.is_valid():
        try:
            reviewing.record_verdict(assessment, answer, request.user, **form.cleaned_data)
        except workflow.WorkflowError as exc:
            problem = exc.full_message
    else:
        problem = _refusal(form)
    code = answer.question.code
    if problem:
        message = f"Verdict on {code} not recorded: {problem}"
        if in_place:
            return _card_response(
                request, assessment, answer, form=form, message=message, status=400
            )
        card, _ = review_queries.one_card(assessment, request.user, answer)
        card.form, card.message, card.failed = form, message, True
        return _review_page(request, assessment, failed=card)
    message = f"Verdict on {code} recorded: {Verdict(form.cleaned_data['verdict']).label.lower()}."
    waiting = review_queries.requests_waiting_on(answer)
    if waiting:
        # closure: the verdict does not close a request; the reviewer agrees to it explicitly.
        message += (
            f" {waiting} request{'s' if waiting != 1 else ''} on it marked dealt with "
            "still wait for you to agree or send back, below."
        )
    if in_place:
        return _card_response(request, assessment, answer, form=None, message=message)
    messages.success(request, message)
    return redirect(f"{_review_url(assessment)}#answer-{answer.pk}")


@require_POST
def accept_many(request: AuthenticatedRequest, pk: int, which: str) -> HttpResponse:
    """One click for many plain verdicts: see reviewing.accept_many."""
    assessment = _assessment_for(request, pk)
    if not permissions.can_review(request.user, assessment):
        raise PermissionDenied("Verdicts are recorded by a reviewer while the stage is in review.")
    try:
        count = reviewing.accept_many(assessment, request.user, which=which)
    except workflow.WorkflowError as exc:
        refuse(request, exc)
    else:
        noun = reviewing.BULK_VERDICTS[which]
        messages.success(request, f"{count} {noun}{'s' if count != 1 else ''} accepted.")
    return redirect(_review_url(assessment))


@require_POST
def determinant_override(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    assessment = _assessment_for(request, pk)
    form = DeterminantOverrideForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose a rating and give the reason for it.")
        return redirect(_review_url(assessment))
    try:
        reviewing.override_rating(
            assessment,
            request.user,
            determinant=form.cleaned_data["determinant"],
            value=form.cleaned_data["value"],
            reason=form.cleaned_data["reason"],
        )
    except workflow.WorkflowError as exc:
        refuse(request, exc)
    else:
        messages.success(request, "Your rating is recorded beside the tool's.")
    return redirect(_review_url(assessment))


def _review_url(assessment: StageAssessment) -> str:
    return reverse("assessments:review", args=[assessment.pk])


# ---------------------------------------------------------------- action plan


def action_plan(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    assessment = _assessment_for(request, pk)
    can_manage = permissions.can_manage_actions(request.user, assessment)
    form = ActionForm(
        request.POST or None, assessment=assessment, initial={"due_stage": assessment.stage}
    )
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied(
                "The action plan of this assessment cannot be changed by you at its current status."
            )
        if form.is_valid():
            try:
                reviewing.add_action(assessment, request.user, **form.cleaned_data)
            except workflow.WorkflowError as exc:
                refuse(request, exc)
            else:
                messages.success(request, "Action added to the plan.")
            return redirect("assessments:action-plan", assessment.pk)
    return _action_plan_page(
        request, assessment, form=form, justification_form=JustificationForm(assessment=assessment)
    )


def _action_plan_page(
    request: AuthenticatedRequest,
    assessment: StageAssessment,
    *,
    form: ActionForm,
    justification_form: JustificationForm,
) -> HttpResponse:
    can_manage = permissions.can_manage_actions(request.user, assessment)
    status = 400 if form.errors or justification_form.errors else 200
    actions = list(
        assessment.actions.select_related(
            "due_stage", "answer__question__determinant", "carried_from", "owner_user"
        )
    )
    overdue = {a.pk for a in scoring.overdue_actions(assessment)} | {
        a.pk for a in actions if a.is_open and a.due_date and a.due_date < timezone.localdate()
    }
    result = scoring.stored_result(assessment)
    return render(
        request,
        "review/action_plan.html",
        {
            "assessment": assessment,
            "project": assessment.project,
            "form": form,
            "can_manage": can_manage,
            "rows": [
                {
                    "action": a,
                    "overdue": a.pk in overdue,
                    "form": ActionForm(instance=a, assessment=assessment, prefix=f"a{a.pk}")
                    if can_manage
                    else None,
                    "is_request": requests.is_request(a),
                    "steps": availability.request_steps(request.user, assessment, a),
                }
                for a in actions
            ],
            "acceptance": workflow.current_acceptance(assessment),
            "accept": availability.accept_step(request.user, assessment),
            "justifications": list(
                assessment.flag_justifications.select_related("by", "answer__question")
            ),
            "can_justify": permissions.can_justify_flag(request.user, assessment),
            "justification_form": justification_form,
            "flags": result.flags if result else (),
            "status": status,
        },
        status=status,
    )


@require_POST
def action_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    action = get_object_or_404(Action.objects.select_related("assessment__project"), pk=pk)
    assessment = action.assessment
    permissions.check_assessment(request.user, assessment)
    if not permissions.can_manage_actions(request.user, assessment):
        raise PermissionDenied(
            "The action plan of this assessment cannot be changed by you at its current status."
        )
    form = ActionForm(
        request.POST,
        instance=Action.objects.get(pk=action.pk),
        assessment=assessment,
        prefix=f"a{action.pk}",
    )
    if form.is_valid():
        try:
            reviewing.update_action(action, request.user, **form.cleaned_data)
        except workflow.WorkflowError as exc:
            refuse(request, exc)
        else:
            messages.success(request, "Action updated.")
    else:
        problems = "; ".join(" ".join(str(m) for m in e) for e in form.errors.values())
        messages.error(request, "Action not updated: " + problems)
    return redirect("assessments:action-plan", assessment.pk)


REQUEST_DONE = {
    requests.DEALT_WITH: "Marked dealt with. The reviewer is asked to agree.",
    requests.AGREE: "Agreed: the request is closed.",
    requests.SEND_BACK: "Sent back to the project team with your reason.",
}


@require_POST
def request_step(request: AuthenticatedRequest, pk: int, step: str) -> HttpResponse:
    """closure: the project team marks a reviewer's request dealt with; a reviewer agrees or
    sends it back (review/requests.py)."""
    action = get_object_or_404(Action.objects.select_related("assessment__project"), pk=pk)
    permissions.check_assessment(request.user, action.assessment)
    if step not in requests.STEPS:
        raise Http404("No such step")
    form = RequestStepForm(request.POST)
    form.is_valid()
    data = form.cleaned_data
    seen = data.get("seen_state", "") if "seen_state" in request.POST else None
    try:
        requests.STEPS[step](action, request.user, note=data.get("note", ""), seen_state=seen)
    except workflow.WorkflowError as exc:
        refuse(request, exc)
    else:
        messages.success(request, REQUEST_DONE[step])
    if data.get("back") == "review" and action.answer_id:
        return redirect(f"{_review_url(action.assessment)}#answer-{action.answer_id}")
    return redirect(
        reverse("assessments:action-plan", args=[action.assessment_id]) + f"#action-{action.pk}"
    )


@require_POST
def justify(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    assessment = _assessment_for(request, pk)
    form = JustificationForm(request.POST, assessment=assessment)
    if not form.is_valid():
        # The page again, with each problem next to its field and what was typed still there.
        action_form = ActionForm(assessment=assessment, initial={"due_stage": assessment.stage})
        return _action_plan_page(request, assessment, form=action_form, justification_form=form)
    try:
        reviewing.justify_flag(
            assessment,
            request.user,
            flag_code=form.cleaned_data["flag_code"],
            justification=form.cleaned_data["justification"],
            answer=form.cleaned_data["answer_code"],
        )
    except workflow.WorkflowError as exc:
        refuse(request, exc)
    else:
        messages.success(request, "Justification recorded.")
    return redirect("assessments:action-plan", assessment.pk)


EXPORT_HEADERS = [
    "Stage",
    "Assessment status",
    "Question",
    "Kind",
    "Action",
    "Owner",
    "Due stage",
    "Funding",
    "Status",
    "Overdue",
    "Carried forward",
]


def _export_rows(project: CapitalProject) -> list[list[object]]:
    rows: list[list[object]] = []
    for assessment in queries.project_assessments(project):
        overdue = {a.pk for a in scoring.overdue_actions(assessment)}
        for action in assessment.actions.select_related("due_stage", "answer__question"):
            rows.append(
                [
                    assessment.stage.name,
                    assessment.get_status_display(),
                    action.answer.question.code if action.answer is not None else "",
                    action.get_kind_display(),
                    action.text,
                    action.owner,
                    action.due_stage.name,
                    action.funding,
                    action.get_status_display(),
                    "yes" if action.pk in overdue else "no",
                    "yes" if action.carried_from_id else "no",
                ]
            )
    return rows


def _safe_cell(value: object) -> object:
    # Spreadsheet programs run cells that start with these as formulas.
    return "'" + value if isinstance(value, str) and value[:1] in ("=", "+", "-", "@") else value


@records_download("Action plan export", of="project")
def export_actions(request: AuthenticatedRequest, pk: int, fmt: str) -> HttpResponse:
    project = queries.project_detail(pk)
    permissions.check_project(request.user, project)
    if not permissions.can_export_actions(request.user, project):
        raise PermissionDenied
    rows = [[_safe_cell(v) for v in row] for row in _export_rows(project)]
    name = f"action-plan-{project.reference}"
    if fmt == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        exports.attachment(response, f"{name}.csv")
        writer = csv.writer(response)
        writer.writerow(EXPORT_HEADERS)
        writer.writerows(rows)
        return response
    if fmt != "xlsx":
        raise Http404("No such format")
    book = Workbook()
    sheet = book.active
    sheet.title = "Action plan"
    sheet.append(EXPORT_HEADERS)
    for row in rows:
        sheet.append(row)
    sheet.freeze_panes = "A2"
    buffer = BytesIO()
    book.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    return exports.attachment(response, f"{name}.xlsx")


# ---------------------------------------------------------------- timeline


def project_timeline(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    project = queries.project_detail(pk)
    permissions.check_project(request.user, project)
    if not permissions.can_view_timeline(request.user, project):
        raise PermissionDenied
    return render(
        request,
        "review/timeline.html",
        {"project": project, "events": timeline.project_timeline(project)},
    )
