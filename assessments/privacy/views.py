"""Privacy pages: the public notice, and for council administrators the council's contacts, its
download log and people's requests to see or erase their data."""

import json

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from assessments import permissions
from assessments.models import Council, CouncilPrivacy, PrivacyEvent, PrivacyEventKind
from assessments.portfolio import exports
from assessments.privacy import erasure, notice, queries, subject_access
from assessments.privacy.downloads import record_download
from assessments.privacy.forms import CouncilPrivacyForm, ErasureForm
from assessments.reports import pdf

LOG_PAGE_SIZE = 50
PEOPLE_PAGE_SIZE = 30


@login_not_required
@require_safe
def privacy_notice(request):
    """The notice for one council (?council=<code>), or the general one with the list of councils."""
    code = request.GET.get("council", "")
    council = Council.objects.filter(code=code).first() if code else None
    context = notice.notice_context(council)
    context["councils"] = Council.objects.all()
    context["can_handle_privacy"] = permissions.can_handle_privacy(request.user)
    if context["can_handle_privacy"]:
        context["administered"] = queries.handled_councils(request.user)
    return render(request, "privacy/notice.html", context)


def _council_for_admin(request, pk) -> Council:
    council = get_object_or_404(Council, pk=pk)
    if not permissions.can_administer_council(request.user, council.pk):
        raise PermissionDenied("Only this council's administrators can change its privacy details.")
    return council


def privacy_contacts(request, pk):
    council = _council_for_admin(request, pk)
    contacts = CouncilPrivacy.objects.filter(council=council).first() or CouncilPrivacy(
        council=council
    )
    bound = request.POST if request.method == "POST" else None
    form = CouncilPrivacyForm(bound, instance=contacts)
    if request.method == "POST" and form.is_valid():
        saved = form.save(commit=False)
        saved.updated_by = request.user
        saved.save()
        messages.success(request, f"The privacy notice of {council} is updated.")
        return redirect("assessments:privacy-contacts", pk=council.pk)
    level = notice.reading_level(notice.notice_text(council))
    return render(
        request,
        "privacy/contacts.html",
        {"council": council, "form": form, "level": level},
    )


def _handled(request) -> set[int]:
    if not permissions.can_handle_privacy(request.user):
        raise PermissionDenied("Only council administrators can see this.")
    return set(queries.handled_councils(request.user).values_list("id", flat=True))


@never_cache
def download_log(request):
    council_ids = _handled(request)
    page = Paginator(queries.download_log(council_ids), LOG_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "privacy/download_log.html",
        {"page": page, "councils": queries.handled_councils(request.user)},
    )


@never_cache
def privacy_requests(request):
    council_ids = _handled(request)
    search = request.GET.get("q", "").strip()[:100]
    page = Paginator(queries.people_of(council_ids, search), PEOPLE_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    events = queries.recent_privacy_events(council_ids, everything=request.user.is_superuser)
    return render(
        request,
        "privacy/requests.html",
        {
            "page": page,
            "search": search,
            "query": f"q={search}" if search else "",
            "events": events,
            "councils": queries.handled_councils(request.user),
        },
    )


def _person(request, pk, predicate):
    person = get_object_or_404(get_user_model(), pk=pk)
    if not predicate(request.user, person):
        raise Http404("No such person")
    return person


@never_cache
def subject_access_file(request, pk, fmt):
    person = _person(request, pk, permissions.can_produce_subject_access)
    if fmt not in ("json", "pdf"):
        raise Http404("No such format")
    data = subject_access.subject_access(person)
    name = f"subject-access-{person.pk}"
    if fmt == "json":
        body = json.dumps(data, cls=DjangoJSONEncoder, indent=1, ensure_ascii=False)
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
    else:
        document = pdf.render_pdf("privacy/subject_access_pdf.html", {"file": data})
        response = HttpResponse(document, content_type="application/pdf")
    exports.attachment(response, f"{name}.{fmt}")
    response["Cache-Control"] = "no-store"
    PrivacyEvent.objects.create(
        kind=PrivacyEventKind.SUBJECT_ACCESS, by=request.user, subject_id=person.pk
    )
    council_id = person.memberships.exclude(council=None).values_list("council_id", flat=True)
    record_download(
        request,
        f"Subject access file ({fmt})",
        council_id=council_id.first(),
        label=f"account {person.pk}",
    )
    return response


@never_cache
def erase(request, pk):
    person = _person(request, pk, permissions.can_erase_person)
    if erasure.is_erased(person):
        raise Http404("No such person")
    form = ErasureForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        erasure.erase_person(person, by=request.user)
        messages.success(request, f"Account {person.pk} is anonymised. This cannot be undone.")
        return redirect("assessments:privacy-requests")
    return render(
        request,
        "privacy/erase.html",
        {"person": person, "plan": erasure.plan_erasure(person), "form": form},
    )
