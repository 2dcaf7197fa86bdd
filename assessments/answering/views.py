from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.functional import SimpleLazyObject

from assessments import permissions, presenters
from assessments.answering import editing, queries
from assessments.models import Determinant
from assessments.projects.forms import AnswerForm, SectionMetaForm, compare_rows
from assessments.review.panel import workflow_panel
from assessments.scoring import snapshots as scoring


def assessment_detail(request, pk):
    assessment = queries.assessment_header(pk)
    permissions.check_assessment(request.user, assessment)
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
            "can_edit": permissions.can_edit_answers(request.user, assessment),
            "workflow": workflow_panel(request.user, assessment),
        },
    )


def _group_choices():
    return [(group.code, group.name) for group in queries.population_groups()]


def _form_initial(values: dict) -> dict:
    return {**values, "reversible": "yes" if values["reversible"] else "no"}


def section_edit(request, pk, code):
    assessment = queries.assessment_header(pk)
    permissions.check_assessment(request.user, assessment, write=True)
    determinant = get_object_or_404(Determinant, code=code)
    section = assessment.sections.select_related("updated_by").get(determinant=determinant)
    answers = queries.answers_with_groups(assessment, determinant=determinant)
    choices = _group_choices()
    data = request.POST if request.method == "POST" else None
    forms = [
        (
            answer,
            AnswerForm(
                data,
                prefix=f"a{answer.pk}",
                group_choices=choices,
                initial=_form_initial(editing.answer_values(answer)),
            ),
        )
        for answer in answers
    ]
    meta = SectionMetaForm(
        data,
        initial={
            "version": section.version,
            "not_assessed_reason": section.not_assessed_reason,
            "opened": editing.opened_state(answers, section.not_assessed_reason),
        },
    )
    conflict = None
    status = 200
    if request.method == "POST":
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
    return render(
        request,
        "answering/section_form.html",
        {
            "assessment": assessment,
            "project": assessment.project,
            "determinant": determinant,
            "section": section,
            "forms": forms,
            "meta": meta,
            "conflict": conflict,
            "error_count": sum(len(form.errors) for _, form in forms) + len(meta.errors),
            "determinants": Determinant.objects.all(),
            "carried": [
                answer
                for answer, _ in forms
                if answer.carried_from_id and not answer.baseline_confirmed
            ],
        },
        status=status,
    )


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
