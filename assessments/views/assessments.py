from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.functional import SimpleLazyObject

from .. import editing, permissions, presenters, queries, scoring
from ..forms import AnswerForm, SectionMetaForm
from ..models import Determinant
from . import review as review_views
from .caching import cached_page


def assessment_detail(request, pk):
    head = queries.assessment_page_head(pk, request.user)
    if not permissions.can_view_council(request.user, head.council_id):
        raise Http404("No such assessment")
    return cached_page(request, presenters.assessment_page_key(request, head),
                       lambda: _render_assessment(request, pk))


def _render_assessment(request, pk):
    assessment = queries.assessment_header(pk)
    permissions.check_assessment(request.user, assessment)
    # Scores and answer tables have their own cache, shared by everyone who may see them
    # (presenters.overview_cache_version); the lazy values are only worked out on a miss there.
    can_edit = permissions.can_edit_answers(request.user, assessment)
    overview = SimpleLazyObject(
        lambda: presenters.assessment_overview(
            assessment, queries.answers_with_groups(assessment), queries.sections(assessment)
        )
    )
    return render(
        request,
        "assessments/assessment_detail.html",
        {
            "assessment": assessment,
            "project": assessment.project,
            "overview": overview,
            "result": SimpleLazyObject(lambda: scoring.stored_result(assessment)),
            "can_edit": can_edit,
            "overview_version": presenters.overview_cache_version(assessment, can_edit=can_edit),
            "workflow": review_views.workflow_panel(request.user, assessment),
        },
    )


def _group_choices():
    return [(group.code, group.name) for group in queries.population_groups()]


def _answer_initial(answer):
    links = list(answer.groups.all())
    initial = {name: getattr(answer, name) for name in editing.ANSWER_FIELDS}
    initial["reversible"] = "yes" if answer.reversible else "no"
    initial["groups"] = [link.group.code for link in links]
    initial["disproportionate"] = [link.group.code for link in links if link.disproportionate]
    return initial


def section_edit(request, pk, code):
    assessment = queries.assessment_header(pk)
    permissions.check_assessment(request.user, assessment, write=True)
    determinant = get_object_or_404(Determinant, code=code)
    section = assessment.sections.select_related("updated_by").get(determinant=determinant)
    answers = queries.answers_with_groups(assessment, determinant=determinant)
    choices = _group_choices()
    data = request.POST if request.method == "POST" else None
    forms = [
        (answer, AnswerForm(data, prefix=f"a{answer.pk}", initial=_answer_initial(answer), group_choices=choices))
        for answer in answers
    ]
    meta = SectionMetaForm(
        data, initial={"version": section.version, "not_assessed_reason": section.not_assessed_reason}
    )
    conflict = None
    status = 200
    if request.method == "POST":
        if meta.is_valid() and all(form.is_valid() for _, form in forms):
            try:
                editing.save_section(
                    assessment,
                    determinant,
                    version=meta.cleaned_data["version"],
                    answers={answer.pk: form.cleaned_data for answer, form in forms},
                    not_assessed_reason=meta.cleaned_data["not_assessed_reason"],
                    by=request.user,
                )
            except editing.StaleSection as exc:
                conflict = exc
                status = 409
                # Offer the person a deliberate overwrite based on the latest version.
                meta = SectionMetaForm(
                    initial={"version": exc.section.version, "not_assessed_reason": meta.cleaned_data["not_assessed_reason"]}
                )
            except scoring.FrozenAssessmentError as exc:
                messages.error(request, str(exc))
                return redirect(assessment)
            else:
                messages.success(request, f"Saved {determinant.name}.")
                return redirect(_next_url(request, assessment, determinant))
        else:
            status = 400
    return render(
        request,
        "assessments/section_form.html",
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
            "carried": [answer for answer, _ in forms if answer.carried_from_id and not answer.baseline_confirmed],
        },
        status=status,
    )


def _next_url(request, assessment, determinant):
    if request.POST.get("then") == "next":
        following = Determinant.objects.filter(order__gt=determinant.order).order_by("order").first()
        if following:
            return reverse("assessments:section-edit", args=[assessment.pk, following.code])
    return f"{assessment.get_absolute_url()}#{determinant.code}"
