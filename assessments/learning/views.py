"""Learning from use: feedback on a question from the section form, the methodology
dashboard and its export, and the shared library of mitigations."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from assessments import permissions
from assessments.learning import curation, feedback, queries
from assessments.learning.forms import (
    CurationForm,
    DashboardFilterForm,
    FeedbackForm,
    LibrarySearchForm,
)
from assessments.models import Answer, FeedbackKind
from assessments.portfolio.exports import attachment
from assessments.privacy.downloads import records_download


def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def _answer(pk: int) -> Answer:
    return get_object_or_404(
        Answer.objects.select_related(
            "assessment__project__council",
            "assessment__stage",
            "question__bank",
            "question__determinant",
        ),
        pk=pk,
    )


def _question_url(answer: Answer) -> str:
    section = reverse(
        "assessments:section-edit",
        args=[answer.assessment_id, answer.question.determinant.code],
    )
    return f"{section}#q-{answer.question.code}"


@require_POST
def question_feedback(request, answer_pk):
    """Mark a question unclear or not relevant. htmx: the answer is a line beside the button;
    without JavaScript, back to the same question with the same line as a message."""
    answer = _answer(answer_pk)
    permissions.check_assessment(request.user, answer.assessment)
    if not permissions.can_give_question_feedback(request.user, answer.assessment):
        raise PermissionDenied("Only people answering this stage can comment on its questions")
    form = FeedbackForm(request.POST, prefix=f"fb{answer.pk}")
    if form.is_valid():
        feedback.record_feedback(answer, by=request.user, **form.cleaned_data)
        kind = FeedbackKind(form.cleaned_data["kind"]).label.lower()
        note, status = f"Thank you: {answer.question.code} recorded as {kind}.", 200
    else:
        note = " ".join(str(error) for errors in form.errors.values() for error in errors)
        status = 400
    if _is_htmx(request):
        return render(
            request,
            "learning/_feedback_status.html",
            {"note": note, "ok": status == 200},
            status=status,
        )
    (messages.success if status == 200 else messages.error)(request, note)
    return redirect(_question_url(answer))


def _named_entries(user, entries):
    """Each entry says which project it came from only to someone who may see that project."""
    for entry in entries:
        entry.project_shown = permissions.can_view_project(user, entry.assessment.project)
    return entries


@require_GET
def mitigation_suggestions(request, answer_pk):
    """htmx: mitigations other projects recorded for a harm like this one, beside the field."""
    answer = _answer(answer_pk)
    permissions.check_assessment(request.user, answer.assessment)
    if not permissions.can_see_mitigation_suggestions(request.user, answer.assessment):
        raise PermissionDenied("Suggestions are shown to people answering this stage")
    entries = _named_entries(request.user, queries.suggestions_for(answer))
    return render(request, "learning/_suggestions.html", {"answer": answer, "entries": entries})


def _check_dashboard(user) -> None:
    if not permissions.can_view_question_learning(user):
        raise PermissionDenied("The methodology dashboard is for the method's owners")


@require_GET
def dashboard(request):
    _check_dashboard(request.user)
    filters = DashboardFilterForm(request.GET or None)
    return render(
        request,
        "learning/dashboard.html",
        {
            "filters": filters,
            "rows": queries.question_figures(filters.scope()),
            "query": request.GET.urlencode(),
        },
    )


@require_GET
def question_remarks(request):
    _check_dashboard(request.user)
    code = request.GET.get("code", "")
    figures = queries.question_summary(code)
    if figures is None:
        raise Http404("No such question")
    filters = DashboardFilterForm(request.GET)
    return render(
        request,
        "learning/question.html",
        {
            "question": figures,
            "filters": filters,
            **queries.question_remarks(code, filters.scope()),
        },
    )


# Spreadsheet programs run cells starting with these as formulas; remarks must stay text.
_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
EXPORT_HEADERS = [
    "Question",
    "Determinant",
    "Question text",
    "Bank versions",
    "Answered",
    "Don't know",
    "Not applicable",
    "No impact",
    "Sent back by reviewers",
    "Marked unclear",
    "Marked not relevant",
    "Comments",
    "What people answering said",
    "What reviewers said when sending it back",
]
# Comments in one cell are separated by this; a line break inside a comment is kept.
REMARK_SEPARATOR = " | "


def _cell(value):
    if isinstance(value, str) and value.startswith(_FORMULA_PREFIXES):
        return "'" + value
    return value


@require_GET
@records_download("Methodology dashboard export")
def dashboard_export(request):
    _check_dashboard(request.user)
    scope = DashboardFilterForm(request.GET or None).scope()
    rows = queries.question_figures(scope)
    remarks = queries.remarks_by_question(scope)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    attachment(response, "question-learning.csv")
    writer = csv.writer(response)
    writer.writerow(EXPORT_HEADERS)
    for row in rows:
        writer.writerow(
            _cell(value)
            for value in (
                row.code,
                row.determinant,
                row.text,
                " ".join(row.versions),
                row.answered,
                row.dont_know,
                row.not_applicable,
                row.no_impact,
                row.sent_back,
                row.unclear,
                row.not_relevant,
                row.comments,
                REMARK_SEPARATOR.join(remarks.get(row.code, {}).get("feedback", [])),
                REMARK_SEPARATOR.join(remarks.get(row.code, {}).get("verdicts", [])),
            )
        )
    return response


LIBRARY_PAGE_SIZE = 20


@require_GET
def library(request):
    if not permissions.can_view_mitigation_library(request.user):
        raise PermissionDenied("The library is for council staff and the method's owners")
    can_curate = permissions.can_curate_mitigations(request.user)
    search = LibrarySearchForm(request.GET or None)
    entries = queries.library_entries(include_curated_out=can_curate)
    if search.is_valid():
        data = search.cleaned_data
        entries = queries.search_library(
            entries, text=data["q"], determinant=data["determinant"], kind=data["kind"]
        )
    page = Paginator(entries, LIBRARY_PAGE_SIZE).get_page(request.GET.get("page"))
    _named_entries(request.user, page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "learning/library.html",
        {
            "search": search,
            "page": page,
            "can_curate": can_curate,
            "can_read_learning": permissions.can_view_question_learning(request.user),
            "query": query.urlencode(),
        },
    )


@require_POST
def curate_entry(request, answer_pk):
    entry = get_object_or_404(queries.library_entries(include_curated_out=True), pk=answer_pk)
    if not permissions.can_curate_mitigations(request.user):
        raise PermissionDenied("Only the method's owners curate the library")
    form = CurationForm(request.POST)
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = reverse("assessments:learning-library")
    if not form.is_valid():
        messages.error(request, "Give an entry number, such as 42.")
        return redirect(f"{back}#entry-{entry.pk}")
    into_id = form.cleaned_data["into"]
    into = (
        queries.library_entries(include_curated_out=True).filter(pk=into_id).first()
        if into_id
        else None
    )
    try:
        if into_id and into is None:
            raise curation.CurationError(f"There is no library entry number {into_id}.")
        curation.curate(entry, form.cleaned_data["action"], by=request.user, into=into)
    except curation.CurationError as exc:
        messages.error(request, f"Entry {entry.pk}: {exc}")
    else:
        messages.success(request, f"Entry {entry.pk} updated.")
    return redirect(f"{back}#entry-{entry.pk}")
