from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render

from assessments.models import PlaceDataVersion


@login_not_required
def about(request):
    """What CHIIA is and where its open data comes from; public, because the licence
    attribution must be readable by anyone who sees the data."""
    return render(
        request, "service/about.html", {"place_version": PlaceDataVersion.objects.first()}
    )
