from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_POST

from assessments import permissions, presenters
from assessments.answering import editing, preview, queries
from assessments.enums import CHARACTERISED_DIRECTIONS
from assessments.models import Determinant
from assessments.projects.forms import AnswerForm, SectionMetaForm, compare_rows
from assessments.questionbank import queries as bank_queries
from assessments.review.panel import workflow_panel
from assessments.scoring import snapshots as scoring


def assessment_detail(request, pk):
    assessment = queries.assessment_header(pk)
    permissions.check_assessment(request.user, assessment)
    can_edit = permissions.can_edit_answers(request.user, assessment)
    # The score and answer tables are cached (templates: assessment_overview); these lazy
    # values are only worked out when the cached copy is missing.
    overview = SimpleLazyObject(
        lambda: presenters.assessment_overview(
            assessment, queries.answers_with_groups(assessment), queries.sections(assessment)
        )
    )
    return render(
        request,
        "answering/assessment_detail.html",
        {
            "assessment": assessment,
            "project": assessment.project,
            "overview": overview,
            "result": SimpleLazyObject(lambda: scoring.stored_result(assessment)),
            "can_edit": can_edit,
            # Inside the cached part of the page: every save moves the cache version on.
            "missing": SimpleLazyObject(
                lambda: queries.missing_items(assessment) if can_edit else []
            ),
            "workflow": workflow_panel(request.user, assessment),
            "question_bank_notice": bank_queries.move_notice(request.user, assessment),
            # Inside the cached part: confirming or changing such an answer moves the version on.
            "reworded": SimpleLazyObject(
                lambda: {"count": bank_queries.reworded_count(request.user, assessment)}
            ),
        },
    )


def _group_choices():
    return [(group.code, group.name) for group in queries.population_groups()]


def _form_initial(values: dict) -> dict:
    return {**values, "reversible": "yes" if values["reversible"] else "no"}


def _answer_form(answer, data, choices, values=None) -> AnswerForm:
    return AnswerForm(
        data,
        prefix=f"a{answer.pk}",
        group_choices=choices,
        initial=_form_initial(values or editing.answer_values(answer)),
    )


def _section_parts(request, pk, code):
    """Load and check what every section request needs: the assessment (writable by this
    person), the determinant, its section and answers."""
    assessment = queries.assessment_header(pk)
    permissions.check_assessment(request.user, assessment, write=True)
    determinant = get_object_or_404(Determinant, code=code)
    section = assessment.sections.select_related("updated_by").get(determinant=determinant)
    answers = queries.answers_with_groups(assessment, determinant=determinant)
    return assessment, determinant, section, answers


def _meta_initial(section, answers) -> dict:
    return {
        "version": section.version,
        "not_assessed_reason": section.not_assessed_reason,
        "opened": editing.opened_state(answers, section.not_assessed_reason),
    }


def section_edit(request, pk, code):
    assessment, determinant, section, answers = _section_parts(request, pk, code)
    choices = _group_choices()
    data = request.POST if request.method == "POST" else None
    forms = [(answer, _answer_form(answer, data, choices)) for answer in answers]
    meta = SectionMetaForm(data, initial=_meta_initial(section, answers))
    conflict = None
    status = 200
    if request.method == "POST":
        one = _question_saved_alone(request, forms)
        if one is not None:
            response = _save_one_in_page(
                request, assessment, determinant, section, forms, meta, one
            )
            if response is not None:
                return response
            # Someone else changed this question too: the section save below writes nothing
            # and asks which version to keep.
        if meta.is_valid() and all(form.is_valid() for _, form in forms):
            try:
                saved = editing.save_section(
                    assessment,
                    determinant,
                    version=meta.cleaned_data["version"],
                    answers={answer.pk: form.cleaned_data for answer, form in forms},
                    not_assessed_reason=meta.cleaned_data["not_assessed_reason"],
                    by=request.user,
                    opened=meta.cleaned_data["opened"],
                    choices=_choices(forms, meta),
                )
            except editing.StaleSection as exc:
                conflict = exc
                status = 409
                forms, meta = _conflict_forms(answers, exc, choices)
            except scoring.FrozenAssessmentError as exc:
                messages.error(request, str(exc))
                return redirect(assessment)
            else:
                messages.success(request, _saved_message(determinant, saved))
                return redirect(_next_url(request, assessment, determinant))
        else:
            status = 400
    return _render_section(
        request, assessment, determinant, section, forms, meta, conflict=conflict, status=status
    )


def _question_saved_alone(request, forms):
    """The (answer, form) whose own "Save this question" button was pressed, if any."""
    wanted = request.POST.get("save_question", "")
    return next(((a, f) for a, f in forms if str(a.pk) == wanted), None)


def _render_section(request, assessment, determinant, section, forms, meta, **extra):
    status = extra.pop("status", 200)
    missing = {
        item.answer.pk: item.missing
        for item in queries.missing_items(assessment, determinant=determinant)
    }
    return render(
        request,
        "answering/section_form.html",
        {
            "assessment": assessment,
            "project": assessment.project,
            "determinant": determinant,
            "section": section,
            "questions": _questions(assessment, determinant, forms, missing),
            "forms": forms,
            "meta": meta,
            "conflict": extra.get("conflict"),
            "error_count": sum(len(form.errors) for _, form in forms) + len(meta.errors),
            "missing_count": len(missing),
            "determinants": Determinant.objects.all(),
            **_carried_context(forms),
        },
        status=status,
    )


def _questions(assessment, determinant, forms, missing, *, saved_now=()):
    """What the template shows for each question: its form, the groups in order of relevance,
    what it still needs, the reviewer's request to correct it and the carried-forward answer
    it started from."""
    order, relevant = queries.groups_by_relevance(determinant, assessment.rule_set)
    corrections = queries.correction_requests(assessment, determinant)
    previous = queries.carried_from_answers([answer for answer, _ in forms])
    context = preview.context_for(assessment)
    return [
        {
            "answer": answer,
            "form": form,
            "group_rows": form.group_rows(order, relevant),
            "missing": missing.get(answer.pk, []),
            "correction": corrections.get(answer.pk),
            "previous": previous.get(answer.pk),
            "preview": _initial_preview(assessment, answer, form, context),
            "saved_now": answer.pk in saved_now,
        }
        for answer, form in forms
    ]


def _initial_preview(assessment, answer, form, context):
    if form.is_bound:
        return (
            preview.score_as_typed(assessment, answer, form.cleaned_data, context=context)
            if form.is_valid()
            else None
        )
    if answer.direction not in CHARACTERISED_DIRECTIONS:
        return None
    return preview.score_as_typed(
        assessment, answer, editing.answer_values(answer), context=context
    )


def _carried_context(forms) -> dict:
    carried = [a for a, _ in forms if a.carried_from_id and not a.baseline_confirmed]
    if not carried:
        return {"carried": []}
    previous_assessment = carried[0].carried_from.assessment if carried[0].carried_from else None
    since = queries.stage_closed_at(previous_assessment) if previous_assessment else None
    return {
        "carried": carried,
        "carried_stage": previous_assessment.stage if previous_assessment else None,
        "project_changes": queries.project_changes_since(carried[0].assessment.project, since)
        if since
        else [],
    }


def _save_one_in_page(request, assessment, determinant, section, forms, meta, one):
    """Without JavaScript: save the one question whose button was pressed, and show the page
    again with everything else still as typed. None when it conflicts with someone's save."""
    answer, form = one
    outcome = _save_one(request, assessment, determinant, answer, form, meta)
    if isinstance(outcome, editing.StaleSection):
        return None
    if isinstance(outcome, scoring.FrozenAssessmentError):
        messages.error(request, str(outcome))
        return redirect(assessment)
    if outcome is None:
        return _render_section(request, assessment, determinant, section, forms, meta, status=400)
    saved_answer, new_meta = outcome
    messages.success(request, f"Saved {saved_answer.question.code}.")
    choices = _group_choices()
    forms = [
        (saved_answer, _answer_form(saved_answer, None, choices))
        if a.pk == saved_answer.pk
        else (a, f)
        for a, f in forms
    ]
    return _render_section(request, assessment, determinant, section, forms, new_meta)


def _save_one(request, assessment, determinant, answer, form, meta):
    """Save one answer on its own. Returns (the answer as saved, the meta form the page carries
    on with), None when the input is invalid, or the exception that stopped it (a conflict
    with someone else's save, or an assessment no longer open)."""
    if not (meta.is_valid() and form.is_valid()):
        return None
    try:
        saved = editing.save_section(
            assessment,
            determinant,
            version=meta.cleaned_data["version"],
            answers={answer.pk: form.cleaned_data},
            not_assessed_reason=None,
            by=request.user,
            opened=meta.cleaned_data["opened"],
        )
    except (editing.StaleSection, scoring.FrozenAssessmentError) as exc:
        return exc
    fresh = queries.answers_with_groups(assessment, determinant=determinant)
    saved_answer = next(a for a in fresh if a.pk == answer.pk)
    version = meta.cleaned_data["version"]
    new_meta = SectionMetaForm(
        initial={
            # Only a save that followed nobody else's moves the page's version on; otherwise the
            # page keeps its base so a later section save still merges with their changes.
            "version": version if saved.was_stale else saved.section.version,
            "opened": editing.opened_after_saving(meta.cleaned_data["opened"], saved_answer),
            "not_assessed_reason": meta.cleaned_data["not_assessed_reason"],
        }
    )
    return saved_answer, new_meta


def _not_saved(request, answer, exc) -> HttpResponse:
    """htmx: why one question was not saved, shown beside its button; the typed answer stays in
    the page."""
    response = HttpResponse(
        render_to_string(
            "answering/_question_conflict.html", {"answer": answer, "conflict": exc}, request
        ),
        status=409,
    )
    response["HX-Retarget"] = f"#qstatus-{answer.pk}"
    response["HX-Reswap"] = "innerHTML"
    return response


@require_POST
def question_save(request, pk, code, answer_pk):
    """htmx: save one question without reloading the section; the question is shown again as
    saved (or with its errors), and the page's version and opened state are brought up to date."""
    assessment, determinant, section, answers = _section_parts(request, pk, code)
    answer = _answer_in(answers, answer_pk)
    choices = _group_choices()
    form = _answer_form(answer, request.POST, choices)
    meta = SectionMetaForm(request.POST, initial=_meta_initial(section, answers))
    outcome = _save_one(request, assessment, determinant, answer, form, meta)
    if isinstance(outcome, Exception):
        return _not_saved(request, answer, outcome)
    if outcome is None:
        missing = {}
        status = 400
        shown, new_meta = (answer, form), None
    else:
        saved_answer, new_meta = outcome
        form = _answer_form(saved_answer, None, choices)
        shown = (saved_answer, form)
        missing = {
            item.answer.pk: item.missing
            for item in queries.missing_items(assessment, determinant=determinant)
        }
        status = 200
    question = _questions(
        assessment, determinant, [shown], missing, saved_now={shown[0].pk} if new_meta else ()
    )[0]
    return render(
        request,
        "answering/_question_saved.html",
        {
            "assessment": assessment,
            "determinant": determinant,
            "q": question,
            "meta": new_meta,
            "missing_count": len(missing),
        },
        status=status,
    )


@require_POST
def question_preview(request, pk, code, answer_pk):
    """htmx: the score, band and explanation of one answer as typed, worked out by the rules
    module; nothing is saved."""
    assessment, determinant, section, answers = _section_parts(request, pk, code)
    answer = _answer_in(answers, answer_pk)
    form = _answer_form(answer, request.POST, _group_choices())
    score = (
        preview.score_as_typed(assessment, answer, form.cleaned_data) if form.is_valid() else None
    )
    return render(
        request,
        "answering/_preview.html",
        {"q": {"answer": answer, "form": form, "preview": score}},
    )


def _answer_in(answers, answer_pk):
    for answer in answers:
        if answer.pk == answer_pk:
            return answer
    raise Http404("No such question in this section")


def _choices(forms, meta) -> dict:
    chosen = {answer.pk: form.choice() for answer, form in forms}
    chosen[editing.REASON] = meta.choice()
    return {key: choice for key, choice in chosen.items() if choice is not None}


def _conflict_forms(answers, exc: editing.StaleSection, group_choices):
    """The form again, showing the section as saved now with this person's own changes on top,
    and asking, at each answer both people changed, which version to keep."""
    group_names = dict(group_choices)
    conflicts = {conflict.key: conflict for conflict in exc.conflicts}
    forms = []
    for answer in answers:
        values = exc.shown["answers"].get(str(answer.pk)) or editing.answer_values(answer)
        form = AnswerForm(
            prefix=f"a{answer.pk}",
            group_choices=group_choices,
            initial={**_form_initial(values), "asked": answer.pk in conflicts},
        )
        if answer.pk in conflicts:
            form.ask(conflicts[answer.pk], compare_rows(conflicts[answer.pk].changes, group_names))
        forms.append((answer, form))
    meta = SectionMetaForm(
        initial={
            "version": exc.section.version,
            "opened": exc.saved,
            "not_assessed_reason": exc.shown["reason"],
            "asked": editing.REASON in conflicts,
        }
    )
    reason = conflicts.get(editing.REASON)
    if reason:
        meta.ask(reason, compare_rows(reason.changes, group_names))
    return forms, meta


def _saved_message(determinant, saved: editing.SectionSaved) -> str:
    message = f"Saved {determinant.name}."
    if saved.others_kept:
        kept = ", ".join(f"{what} (by {who})" for what, who in saved.others_kept)
        message += f" Changes saved by others after you opened this section were kept: {kept}."
    return message


def _next_url(request, assessment, determinant):
    if request.POST.get("then") == "next":
        following = (
            Determinant.objects.filter(order__gt=determinant.order).order_by("order").first()
        )
        if following:
            return reverse("assessments:section-edit", args=[assessment.pk, following.code])
    return f"{assessment.get_absolute_url()}#{determinant.code}"
