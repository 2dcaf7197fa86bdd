"""Place before and after: the catchment's deprivation at baseline beside a later release."""

from django.http import Http404
from django.shortcuts import render

from assessments import permissions
from assessments.answering import queries as projects
from assessments.place.comparison import place_comparison


def place_change(request, pk):
    project = projects.project_detail(pk)
    if not permissions.can_view_place_change(request.user, project):
        raise Http404("No such project")
    comparison = place_comparison(project, later_key=request.GET.get("release") or None)
    return render(request, "place/comparison.html", {"project": project, "comparison": comparison})
