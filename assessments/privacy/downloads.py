"""Accountability for files: every download view is wrapped in records_download, which writes
one DownloadRecord for each file actually handed over (a 200 answer), after the view ran, so a
refused or failed request leaves no line.

    @records_download("Stage report PDF", of="assessment")
    def stage_report_pdf(request, pk): ...

`of` names what the URL's `pk` is ("assessment" or "project"), so the record carries the council
and the object's reference; leave it out for a file that spans councils (the dashboard). A class-
based or REST framework view is wrapped where it is routed:
`records_download("API: projects", of="project")(ProjectDetail.as_view())`."""

from __future__ import annotations

import functools
from collections.abc import Callable

from axes.helpers import get_client_ip_address

from assessments.models import CapitalProject, DownloadRecord, StageAssessment

# What the URL's pk names -> (council id, label) of the object, or None if there is none.
_SUBJECTS: dict[str, Callable[[int], tuple[int, str] | None]] = {}


def _project(pk: int) -> tuple[int, str] | None:
    row = CapitalProject.objects.filter(pk=pk).values_list("council_id", "reference").first()
    return (row[0], row[1]) if row else None


def _assessment(pk: int) -> tuple[int, str] | None:
    row = (
        StageAssessment.objects.filter(pk=pk)
        .values_list("project__council_id", "project__reference", "stage__name")
        .first()
    )
    return (row[0], f"{row[1]} – {row[2]}") if row else None


_SUBJECTS.update({"project": _project, "assessment": _assessment})


def client_address(request) -> str | None:
    """The client's address, worked out exactly as for sign-in attempts (django-axes with
    django-ipware and CHIIA_PROXY_COUNT), so both logs name the same machine."""
    return get_client_ip_address(request)


def _reader(request, response=None):
    """Who took the file. An API view (Django REST framework) signs its caller in inside the view,
    with a token, so the Django request still looks anonymous: its response knows the caller."""
    user = request.user
    context = getattr(response, "renderer_context", None) or {}
    if not user.is_authenticated and context.get("request") is not None:
        user = context["request"].user
    return user if user.is_authenticated else None


def record_download(
    request, kind: str, *, council_id: int | None = None, label: str = "", response=None
) -> DownloadRecord:
    """Write the record for a file handed over outside a wrapped view (e.g. a subject-access file)."""
    user = _reader(request, response)
    return DownloadRecord.objects.create(
        user=user,
        council_id=council_id,
        kind=kind[:60],
        label=label[:300],
        path=request.get_full_path()[:500],
        ip_address=client_address(request),
    )


def records_download(kind: str, *, of: str | None = None):
    """Decorator for a view that sends a file: records who took it when it was sent."""
    if of is not None and of not in _SUBJECTS:
        raise ValueError(f"records_download(of=...) must be one of {sorted(_SUBJECTS)}")

    def wrap(view):
        @functools.wraps(view)
        def recorded(request, *args, **kwargs):
            response = view(request, *args, **kwargs)
            if response.status_code == 200:
                subject = _SUBJECTS[of](kwargs["pk"]) if of and "pk" in kwargs else None
                council_id, label = subject if subject else (None, "")
                fmt = kwargs.get("fmt")
                what = f"{kind} ({fmt})" if fmt else kind
                record_download(
                    request, what, council_id=council_id, label=label, response=response
                )
            return response

        return recorded

    return wrap
