"""The Place Standard pages: a project's compass over time, and recording one stage's ratings."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render

from assessments import permissions
from assessments.answering import queries as projects
from assessments.models import PlaceStandardAssessment
from assessments.placestandard import queries
from assessments.placestandard.editing import PlaceStandardRefused, StaleEdit, save_place_standard
from assessments.placestandard.forms import PlaceStandardForm


def _chosen(request, name: str) -> int | None:
    value = request.GET.get(name, "")
    return int(value) if value.isdigit() else None


def project_compass(request, pk):
    project = projects.project_detail(pk)
    permissions.check_project(request.user, project)
    points = queries.project_points(project)
    view = queries.compass_view(
        points, earlier_id=_chosen(request, "earlier"), later_id=_chosen(request, "later")
    )
    stages = [
        {
            "assessment": a,
            "point": next((p for p in points if p.record.assessment_id == a.pk), None),
            "can_edit": permissions.can_edit_place_standard(request.user, a),
        }
        for a in queries.stage_assessments_for_entry(project)
    ]
    return render(
        request,
        "placestandard/project.html",
        {"project": project, "view": view, "points": points, "stages": stages},
    )


def _record(assessment):
    return (
        PlaceStandardAssessment.objects.filter(assessment=assessment)
        .prefetch_related("ratings__theme")
        .first()
    )


def stage_edit(request, pk):
    assessment = projects.assessment_header(pk)
    if not permissions.can_view_assessment(request.user, assessment):
        raise Http404("No such assessment")
    if not permissions.can_edit_place_standard(request.user, assessment):
        raise PermissionDenied("You cannot record the Place Standard for this stage.")
    record = _record(assessment)
    themes = queries.themes()
    form = PlaceStandardForm(request.POST or None, themes=themes, record=record)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            save_place_standard(
                assessment,
                form.entry(),
                by=request.user,
                opened_version=form.cleaned_data["version"],
            )
        except StaleEdit as exc:
            messages.error(request, str(exc))
            form = PlaceStandardForm(themes=themes, record=_record(assessment))
            status = 409
        except PlaceStandardRefused as exc:
            raise PermissionDenied(str(exc)) from exc
        else:
            messages.success(
                request, f"Place Standard for the {assessment.stage.name} stage saved."
            )
            return redirect("assessments:place-standard", pk=assessment.project_id)
    elif request.method == "POST":
        status = 400
    return render(
        request,
        "placestandard/edit.html",
        {"assessment": assessment, "project": assessment.project, "form": form, "record": record},
        status=status,
    )
