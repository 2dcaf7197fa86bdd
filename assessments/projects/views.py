from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from assessments import permissions
from assessments.answering import editing, queries
from assessments.enums import AssessmentStatus
from assessments.portfolio.figures import status_label
from assessments.projects import listing
from assessments.projects.forms import ProjectForm

PROJECTS_PER_PAGE = 50


def home(request):
    # My work sends the programme office on to the dashboard and a panel member with nothing
    # else to the consultations.
    return redirect("assessments:my-work")


COLUMNS = [
    ("reference", "Reference"),
    ("title", "Project"),
    ("council", "Council"),
    ("stage", "Stage"),
    ("status", "Status"),
    ("rating", "Rating"),
    ("changed", "Last change"),
    ("budget", "Budget"),
]


def _sort_headers(request) -> list[dict]:
    """Column headers that sort by the column (again to reverse it), keeping the filters."""
    current = request.GET.get("sort", "")
    headers = []
    for key, label in COLUMNS:
        query = request.GET.copy()
        query.pop("page", None)
        query["sort"] = f"-{key}" if current == key else key
        headers.append(
            {
                "label": label,
                "url": "?" + query.urlencode(),
                "aria_sort": "ascending"
                if current == key
                else "descending"
                if current == f"-{key}"
                else "",
                "numeric": key == "budget",
            }
        )
    return headers


def project_list(request):
    if not permissions.navigation_flags(request.user)["projects"]:
        raise PermissionDenied("Your account has no access to council projects.")
    filterset = listing.ProjectListFilter(
        request.GET or None,
        queryset=listing.project_rows(request.user),
        councils=listing.visible_councils(request.user),
    )
    # Paginated so the page costs the same however large the portfolio grows.
    page = Paginator(filterset.qs, PROJECTS_PER_PAGE).get_page(request.GET.get("page"))
    for project in page.object_list:
        project.status_label = status_label(project.latest_status)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "projects/project_list.html",
        {
            "projects": page.object_list,
            "page": page,
            "filter": filterset,
            "filtered": any(
                request.GET.get(name) for name in ("q", "council", "stage", "status", "rating")
            ),
            "query": query.urlencode(),
            "headers": _sort_headers(request),
            "can_create": permissions.can_create_project(request.user),
        },
    )


def project_create(request):
    if not permissions.can_create_project(request.user):
        raise PermissionDenied(
            "Only project managers and council administrators can register projects."
        )
    form = ProjectForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        project = form.save(commit=False)
        project.created_by = request.user
        project.save()
        messages.success(request, f"Project “{project.title}” registered.")
        for note in getattr(form, "place_notes", []):
            messages.info(request, note)
        return redirect(project)
    return render(request, "projects/project_form.html", {"form": form, "creating": True})


def project_edit(request, pk):
    project = queries.project_detail(pk)
    permissions.check_project(request.user, project, write=True)
    form = ProjectForm(request.POST or None, instance=project, user=request.user)
    if request.method != "POST" or not form.is_valid():
        return render(request, "projects/project_form.html", {"form": form, "project": project})
    try:
        editing.save_project(
            form.save(commit=False),
            opened_version=form.cleaned_data.get("lock_version") or 0,
            location_changed=form.location_changed,
        )
    except editing.StaleProject as exc:
        form.add_error(None, str(exc))
        project.refresh_from_db()
        return render(
            request,
            "projects/project_form.html",
            {"form": form, "project": project, "stale": True},
            status=409,
        )
    messages.success(request, "Project details saved.")
    for note in getattr(form, "place_notes", []):
        messages.info(request, note)
    return redirect(project)


def project_detail(request, pk):
    project = queries.project_detail(pk)
    permissions.check_project(request.user, project)
    assessments = queries.project_assessments(project)
    current = next(
        (
            a
            for a in assessments
            if a.stage_id == project.current_stage_id and a.status != AssessmentStatus.SUPERSEDED
        ),
        None,
    )
    return render(
        request,
        "projects/project_detail.html",
        {
            "project": project,
            "assessments": assessments,
            "current_assessment": current,
            "can_edit": permissions.can_edit_project(request.user, project),
            "can_start": permissions.can_start_assessment(request.user, project)
            and current is None,
        },
    )


@require_POST
def assessment_start(request, pk):
    project = queries.project_detail(pk)
    permissions.check_project(request.user, project)
    if not permissions.can_start_assessment(request.user, project):
        raise PermissionDenied("Only the council's project managers can start an assessment.")
    try:
        assessment = editing.start_assessment(project, project.current_stage, by=request.user)
    except editing.AssessmentExists as exc:
        messages.error(request, str(exc))
        return redirect(project)
    messages.success(request, f"Assessment for {assessment.stage} started.")
    return redirect(assessment)
