"""Rule-set pages for methodology owners: the versions, a draft's form, what a draft would
change, publishing, and moving open assessments onto a published version."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from assessments import permissions
from assessments.models import RuleSet
from assessments.rulesets import drafting, queries
from assessments.rulesets.forms import RuleSetForm, SampleForm

REFUSED = "Only the region's methodology owners work on rule sets."


def _check(request) -> None:
    if not permissions.can_manage_rule_sets(request.user):
        raise PermissionDenied(REFUSED)


def ruleset_list(request):
    _check(request)
    return render(
        request,
        "rulesets/list.html",
        {"versions": queries.versions(), "draft": queries.open_draft()},
    )


@require_POST
def ruleset_start(request):
    _check(request)
    draft = drafting.start_draft(request.user)
    return redirect("assessments:ruleset-detail", pk=draft.pk)


def ruleset_detail(request, pk: int):
    """A draft's form (saved here), or a published version's parameters, read only."""
    rule_set = get_object_or_404(RuleSet, pk=pk)  # versions are not secret: 404 before 403
    _check(request)
    initial = {"notes": rule_set.notes, "seen": drafting.stamp(rule_set)}
    data = request.POST if request.method == "POST" and rule_set.is_draft else None
    form = RuleSetForm(data, initial=initial, parameters=rule_set.parameters)
    if not rule_set.is_draft:
        for field in form.fields.values():
            field.disabled = True
    refused = ""
    if data is not None and form.is_valid():
        try:
            drafting.save_draft(
                rule_set,
                parameters=form.parameters(),
                notes=form.cleaned_data["notes"],
                by=request.user,
                seen=form.cleaned_data["seen"],
            )
        except drafting.RuleSetError as exc:
            refused = str(exc)
        else:
            messages.success(request, f"Draft v{rule_set.version} saved.")
            return redirect("assessments:ruleset-detail", pk=rule_set.pk)
    return render(
        request,
        "rulesets/detail.html",
        {"rule_set": rule_set, "form": form, "refused": refused},
        status=409 if refused else 200,
    )


def ruleset_compare(request, pk: int):
    """What would change: read only, so a GET; the chosen sample is in the query string."""
    rule_set = get_object_or_404(RuleSet, pk=pk)  # versions are not secret: 404 before 403
    _check(request)
    form = SampleForm(request.GET or None)
    comparisons = None
    if form.is_bound and form.is_valid():
        comparisons = queries.compare(rule_set, form.sample())
    return render(
        request,
        "rulesets/compare.html",
        {
            "rule_set": rule_set,
            "form": form,
            "comparisons": comparisons,
            "moved": [c for c in comparisons or () if c.moves],
            "limit": queries.MAX_SAMPLE,
        },
    )


def ruleset_publish(request, pk: int):
    rule_set = get_object_or_404(RuleSet, pk=pk)  # versions are not secret: 404 before 403
    _check(request)
    if not permissions.can_publish_rule_set(request.user, rule_set):
        messages.info(request, f"Rule set v{rule_set.version} is already published.")
        return redirect("assessments:ruleset-detail", pk=rule_set.pk)
    refused = ""
    if request.method == "POST":
        try:
            drafting.publish(rule_set, by=request.user, seen=request.POST.get("seen", ""))
        except drafting.RuleSetError as exc:
            refused = str(exc)
        except drafting.schema.ScoringError:
            refused = "This draft does not pass the checks: open it, correct it and save it."
        else:
            messages.success(request, f"Rule set v{rule_set.version} is published.")
            return redirect("assessments:ruleset-move", pk=rule_set.pk)
    return render(
        request,
        "rulesets/publish.html",
        {"rule_set": rule_set, "seen": drafting.stamp(rule_set), "refused": refused},
        status=409 if refused else 200,
    )


def ruleset_move(request, pk: int):
    """The guided step after publishing: which open assessments would move, then move them."""
    rule_set = get_object_or_404(RuleSet, pk=pk)  # versions are not secret: 404 before 403
    _check(request)
    if not permissions.can_move_onto_rule_set(request.user, rule_set):
        messages.info(request, f"Rule set v{rule_set.version} is a draft: publish it first.")
        return redirect("assessments:ruleset-detail", pk=rule_set.pk)
    if request.method == "POST":
        try:
            moved = drafting.move_onto(rule_set, by=request.user)
        except drafting.RuleSetError as exc:
            messages.error(request, str(exc))
            return redirect("assessments:ruleset-move", pk=rule_set.pk)
        changed = sum(m.overall_before != m.overall_after for m in moved)
        messages.success(
            request,
            f"{len(moved)} open assessment(s) now use rule set v{rule_set.version}; "
            f"{changed} overall rating(s) changed. Each project's timeline records the move.",
        )
        return redirect("assessments:ruleset-move", pk=rule_set.pk)
    return render(
        request,
        "rulesets/move.html",
        {
            "rule_set": rule_set,
            "movable": queries.movable(rule_set).select_related("project__council"),
        },
    )
