"""Question bank pages: the methodology owners draft, preview, compare and publish versions;
a project team moves its open assessment onto the newest version."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from assessments import permissions
from assessments.models import Determinant, LifecycleStage, PublishedBankError, QuestionBank
from assessments.questionbank import drafting, forms, moving, preview, queries
from assessments.review.workflow import WorkflowError


def _owner(request) -> None:
    if not permissions.can_manage_methodology(request.user):
        raise PermissionDenied("Only the region's methodology owners manage the question bank.")


def _draft(request, pk) -> QuestionBank:
    """The bank, which this person may change (403 for anyone else, or once it is published)."""
    bank = _bank(request, pk)
    if not permissions.can_edit_question_bank(request.user, bank):
        raise PermissionDenied(forms.PUBLISHED_REFUSAL)
    return bank


def _bank(request, pk, queryset=QuestionBank.objects) -> QuestionBank:
    """The bank (404 for an id that names none, for everyone alike), for methodology owners."""
    bank = get_object_or_404(queryset, pk=pk)
    _owner(request)
    return bank


def bank_list(request):
    _owner(request)
    return render(
        request,
        "questionbank/bank_list.html",
        {
            "banks": queries.banks(),
            "draft": drafting.current_draft(),
            "newest": queries.newest_published(),
        },
    )


@require_POST
def draft_start(request):
    _owner(request)
    draft = drafting.start_draft(request.user)
    messages.success(request, f"Draft version {draft.version} is open for editing.")
    return redirect("assessments:questionbank-detail", pk=draft.pk)


def bank_detail(request, pk):
    bank = _bank(request, pk, QuestionBank.objects.select_related("based_on"))
    determinants = list(Determinant.objects.all())
    wanted = request.GET.get("determinant") or determinants[0].code
    determinant = next((d for d in determinants if d.code == wanted), determinants[0])
    return render(
        request,
        "questionbank/bank_detail.html",
        {
            "bank": bank,
            "can_edit": permissions.can_edit_question_bank(request.user, bank),
            "determinants": determinants,
            "determinant": determinant,
            "places": queries.places(bank, determinant=determinant),
            "stages": LifecycleStage.objects.all(),
            "changes": queries.bank_changes(bank),
        },
    )


def _back_to(bank, question_or_determinant, stage_group="") -> str:
    code = getattr(question_or_determinant, "determinant", question_or_determinant).code
    url = reverse("assessments:questionbank-detail", args=[bank.pk]) + f"?determinant={code}"
    return url + (f"#place-{code}-{stage_group}" if stage_group else "")


def question_edit(request, pk, question_pk):
    bank = _draft(request, pk)
    question = get_object_or_404(bank.questions.select_related("determinant"), pk=question_pk)
    form = forms.QuestionEditForm(request.POST or None, question=question)
    if request.method == "POST" and form.is_valid():
        values = form.cleaned_data
        saved = drafting.edit_question(
            question, values, meaning_changed=values["meaning_changed"], by=request.user
        )
        if saved.code != question.code:
            messages.success(request, f"{question.code} retired; the new question is {saved.code}.")
        else:
            messages.success(request, f"{question.code} saved.")
        return redirect(_back_to(bank, saved, saved.stage_group))
    return render(
        request,
        "questionbank/question_form.html",
        {"bank": bank, "question": question, "form": form, "back": _back_to(bank, question)},
        status=400 if form.errors else 200,
    )


@require_POST
def question_retire(request, pk, question_pk):
    bank = _draft(request, pk)
    question = get_object_or_404(bank.questions.select_related("determinant"), pk=question_pk)
    drafting.retire_question(question, by=request.user)
    messages.success(request, f"{question.code} retired from version {bank.version}.")
    return redirect(_back_to(bank, question, question.stage_group))


def question_add(request, pk):
    bank = _draft(request, pk)
    form = forms.NewQuestionForm(
        request.POST or None, bank=bank, stage_group=request.GET.get("group", "E")
    )
    if request.GET.get("determinant") and not request.POST:
        form.initial["determinant"] = Determinant.objects.filter(
            code=request.GET["determinant"]
        ).first()
    if request.method == "POST" and form.is_valid():
        question = drafting.add_question(bank, form.cleaned_data, by=request.user)
        messages.success(request, f"{question.code} added.")
        return redirect(_back_to(bank, question, question.stage_group))
    return render(
        request,
        "questionbank/question_form.html",
        {"bank": bank, "form": form, "back": reverse("assessments:questionbank-detail", args=[pk])},
        status=400 if form.errors else 200,
    )


def reorder(request, pk, code, group):
    bank = _draft(request, pk)
    determinant = get_object_or_404(Determinant, code=code)
    place = next(
        (p for p in queries.places(bank, determinant=determinant) if p.stage_group == group), None
    )
    if place is None or not place.questions:
        raise Http404("No such questions")
    initial = [{"question": q.pk, "position": i} for i, q in enumerate(place.questions, start=1)]
    formset = forms.PositionFormSet(request.POST or None, initial=initial, prefix="order")
    if request.method == "POST" and formset.is_valid():
        ids = {q.pk for q in place.questions}
        positions = {
            f.cleaned_data["question"]: f.cleaned_data["position"]
            for f in formset
            if f.cleaned_data["question"] in ids
        }
        moved = drafting.reorder(bank, positions, by=request.user)
        messages.success(request, f"New order saved ({moved} questions moved).")
        return redirect(_back_to(bank, determinant, group))
    return render(
        request,
        "questionbank/reorder.html",
        {
            "bank": bank,
            "place": place,
            "rows": list(zip(place.questions, formset.forms, strict=False)),
            "formset": formset,
            "back": _back_to(bank, determinant, group),
        },
        status=400 if formset.is_bound and not formset.is_valid() else 200,
    )


def bank_preview(request, pk, stage, code):
    bank = _bank(request, pk)
    if request.GET.get("stage") and request.GET.get("determinant"):
        # The page's own picker: show the chosen stage and determinant at their address.
        return redirect(
            "assessments:questionbank-preview",
            pk=bank.pk,
            stage=request.GET["stage"],
            code=request.GET["determinant"],
        )
    stage = get_object_or_404(LifecycleStage, code=stage)
    determinant = get_object_or_404(Determinant, code=code)
    return render(
        request,
        "questionbank/preview.html",
        {
            "bank": bank,
            "stage": stage,
            "stages": LifecycleStage.objects.all(),
            "determinant": determinant,
            "determinants": Determinant.objects.all(),
            **preview.section_preview(bank, stage, determinant),
        },
    )


def bank_compare(request, pk):
    bank = _bank(request, pk, QuestionBank.objects.select_related("based_on"))
    if bank.based_on is None:
        raise Http404("This version was not drafted from another one")
    return render(
        request,
        "questionbank/compare.html",
        {"bank": bank, "base": bank.based_on, "diff": queries.compare(bank)},
    )


def bank_publish(request, pk):
    bank = _draft(request, pk)
    form = forms.PublishForm(request.POST or None)
    problems = drafting.publish_problems(bank)
    if request.method == "POST" and form.is_valid() and not problems:
        try:
            drafting.publish(bank, notes=form.cleaned_data["notes"], by=request.user)
        except (drafting.DraftError, PublishedBankError) as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request,
                f"Version {bank.version} is published: new assessments use it from now on.",
            )
            return redirect("assessments:questionbank-detail", pk=bank.pk)
    return render(
        request,
        "questionbank/publish.html",
        {"bank": bank, "form": form, "problems": problems, "diff": queries.compare(bank)},
        status=400 if form.errors or (request.method == "POST" and problems) else 200,
    )


# ---------------------------------------------------------------- the project team's move


def _assessment(request, pk):
    assessment = queries.move_assessment_header(pk)
    permissions.check_assessment(request.user, assessment)
    if not permissions.can_move_question_bank(request.user, assessment):
        raise PermissionDenied("Only the project team moves an open assessment.")
    return assessment


def assessment_move(request, pk):
    assessment = _assessment(request, pk)
    target = queries.newer_bank_for(assessment)
    form = forms.MoveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            done = moving.move_assessment(
                assessment,
                from_bank_id=form.cleaned_data["from_bank"],
                to_bank_id=form.cleaned_data["to_bank"],
                by=request.user,
            )
        except (moving.MoveRefused, WorkflowError) as exc:
            messages.error(request, str(exc))
            return redirect("assessments:questionbank-move", pk=pk)
        if done.already:
            messages.info(request, "This assessment had already moved; nothing more was changed.")
        else:
            messages.success(request, "Moved onto the new question bank version.")
        return redirect("assessments:questionbank-move", pk=pk)
    context = {"assessment": assessment, "project": assessment.project, "target": target}
    if target is not None:
        plan = queries.move_plan_between(target, assessment)
        form = forms.MoveForm(
            initial={"from_bank": assessment.question_bank_id, "to_bank": target.pk}
        )
        context |= {
            "plan": plan,
            "form": form,
            "kept_count": len(plan.kept),
            "added": queries.texts(target, plan.added),
            "removed": queries.texts(assessment.question_bank, plan.removed),
        }
    context["reworded_answers"] = queries.reworded_answers(assessment)
    return render(request, "questionbank/move.html", context)


@require_POST
def reworded_confirm(request, pk, answer_pk):
    assessment = _assessment(request, pk)
    try:
        answer = moving.confirm_reworded(assessment, answer_pk, by=request.user)
    except (moving.MoveRefused, WorkflowError) as exc:
        messages.error(request, str(exc))
    else:
        if answer is not None:
            messages.success(request, f"Your answer to {answer.question.code} is confirmed.")
        else:
            messages.info(request, "That answer was already confirmed.")
    return redirect("assessments:questionbank-move", pk=pk)
