"""My work: where everyone lands after signing in."""

from django.shortcuts import redirect, render

from assessments import permissions
from assessments.mywork import queries


def my_work(request):
    if not permissions.has_my_work(request.user):
        if permissions.can_view_dashboard(request.user):
            return redirect("assessments:dashboard")
        if permissions.can_manage_methodology(request.user):
            return redirect("assessments:methodology-home")
    groups = queries.my_work(request.user)
    return render(
        request,
        "mywork/my_work.html",
        {
            "groups": groups,
            "waiting": [group for group in groups if group.count],
            "idle": "; ".join(group.title.lower() for group in groups if not group.count),
            "total": sum(group.count for group in groups),
        },
    )


def glossary(request):
    return render(request, "mywork/glossary.html")
