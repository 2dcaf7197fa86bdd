"""Read-side queries of the privacy pages."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Q

from assessments import permissions
from assessments.models import Council, DownloadRecord, PrivacyEvent


def handled_councils(user):
    """Councils whose data protection the user handles, by name."""
    councils = Council.objects.all()
    return councils.filter(id__in=permissions.privacy_council_ids(user, councils))


def download_log(council_ids: set[int]):
    """Downloads of the councils' records, and downloads by their people of files that span
    councils (the portfolio exports), newest first."""
    members = get_user_model().objects.filter(memberships__council_id__in=council_ids)
    return (
        DownloadRecord.objects.filter(
            Q(council_id__in=council_ids) | Q(council__isnull=True, user__in=members)
        )
        .select_related("user", "council")
        .distinct()
    )


def people_of(council_ids: set[int], search: str = ""):
    people = (
        get_user_model()
        .objects.filter(memberships__council_id__in=council_ids)
        .exclude(username__startswith="erased-")
        .distinct()
        .order_by("last_name", "first_name", "username")
    )
    if search:
        people = people.filter(
            Q(username__icontains=search)
            | Q(first_name__icontains=search)
            | Q(last_name__icontains=search)
            | Q(email__icontains=search)
        )
    return people


def recent_privacy_events(council_ids: set[int], *, everything: bool, limit: int = 20):
    events = PrivacyEvent.objects.select_related("by")
    if not everything:
        people = get_user_model().objects.filter(memberships__council_id__in=council_ids)
        events = events.filter(Q(by__in=people) | Q(council_id__in=council_ids))
    return events[:limit]
