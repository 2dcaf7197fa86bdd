"""Report downloads and previews. Anyone who can see a project can read its reports; community
panel members of the council can read the plain-language community summary of a stage whose
consultation page they may see (permissions.can_read_community_summary)."""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from assessments import permissions
from assessments.answering import queries
from assessments.models import ReportJob, ReportJobStatus, ReportKind
from assessments.portfolio import exports
from assessments.privacy.downloads import records_download
from assessments.reports import archive, context, docx, outcomes, pdf, project_report, tasks


def _pdf_response(data: bytes, filename: str, sha: str | None) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    exports.attachment(response, filename)
    response["Content-Length"] = str(len(data))
    if sha:
        # A signed-off report is the published record and never changes: say so, and let the
        # reader's own browser (never a shared cache) keep it.
        response["ETag"] = f'"{sha}"'
        response["X-Content-SHA256"] = sha
    # Anything not published (drafts, project reports) must not stay in the browser's cache,
    # where the next person at a shared computer could open it after sign-out.
    response["Cache-Control"] = "private, max-age=86400, immutable" if sha else "no-store"
    return response


@records_download("Stage report PDF", of="assessment")
def stage_report_pdf(request, pk):
    assessment = queries.assessment_header(pk)
    permissions.check_assessment(request.user, assessment)
    return _pdf_response(*archive.stage_pdf(assessment, ReportKind.STAGE))


def _docx_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=docx.MIME_TYPE)
    exports.attachment(response, filename)
    response["Content-Length"] = str(len(data))
    response["Cache-Control"] = "no-store"
    return response


@records_download("Stage report Word", of="assessment")
def stage_report_docx(request, pk):
    """The stage report as a Word document, from the same data as the PDF."""
    assessment = queries.assessment_header(pk)
    permissions.check_assessment(request.user, assessment)
    return _docx_response(*docx.stage_document(assessment, ReportKind.STAGE))


@records_download("Community summary Word", of="assessment")
def community_summary_docx(request, pk):
    assessment = queries.assessment_header(pk)
    if not permissions.can_read_community_summary(request.user, assessment):
        raise Http404("No such assessment")
    return _docx_response(*docx.stage_document(assessment, ReportKind.COMMUNITY))


def stage_report_preview(request, pk):
    """The same template as the PDF, as HTML, for layout work."""
    assessment = queries.assessment_header(pk)
    permissions.check_assessment(request.user, assessment)
    report = context.build_stage_report(assessment)
    page = context.stage_template_context(report)
    page["outcomes"] = outcomes.outcome_lines(assessment, report.finalised)
    return HttpResponse(pdf.render_html("reports/stage.html", page, preview=True))


@records_download("Community summary PDF", of="assessment")
def community_summary_pdf(request, pk):
    assessment = queries.assessment_header(pk)
    if not permissions.can_read_community_summary(request.user, assessment):
        raise Http404("No such assessment")
    return _pdf_response(*archive.stage_pdf(assessment, ReportKind.COMMUNITY))


def project_report_preview(request, pk):
    project = queries.project_detail(pk)
    permissions.check_project(request.user, project)
    report = project_report.build_project_report(project)
    return HttpResponse(
        pdf.render_html(
            "reports/project.html", project_report.project_template_context(report), preview=True
        )
    )


@require_POST
def project_report_request(request, pk):
    project = queries.project_detail(pk)
    permissions.check_project(request.user, project)
    job = tasks.request_project_report(project, by=request.user)
    return redirect("assessments:project-report-status", pk=project.pk, job_id=job.pk)


def _job(request, pk, job_id) -> ReportJob:
    project = queries.project_detail(pk)
    permissions.check_project(request.user, project)
    return get_object_or_404(
        ReportJob.objects.defer("pdf").select_related("project"), pk=job_id, project=project
    )


@never_cache
def project_report_status(request, pk, job_id):
    job = tasks.fail_if_stalled(_job(request, pk, job_id))
    return render(request, "reports/job_status.html", {"job": job, "project": job.project})


@never_cache
def project_report_progress(request, pk, job_id):
    """The status page's live part, fetched by htmx every few seconds until the job ends."""
    job = tasks.fail_if_stalled(_job(request, pk, job_id))
    return render(request, "reports/includes/_job_state.html", {"job": job, "project": job.project})


@records_download("Project report PDF", of="project")
def project_report_download(request, pk, job_id):
    job = _job(request, pk, job_id)
    if job.status != ReportJobStatus.DONE:
        raise PermissionDenied("This report is not ready yet.")
    data = ReportJob.objects.values_list("pdf", flat=True).get(pk=job.pk)
    if data is None:  # a finished job always keeps its file; without one there is nothing to send
        raise Http404("This report has no file.")
    return _pdf_response(bytes(data), job.filename, None)
