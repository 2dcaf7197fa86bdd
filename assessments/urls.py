from django.urls import path

from .views import assessments, projects

app_name = "assessments"

urlpatterns = [
    path("", projects.home, name="home"),
    # Projects
    path("projects/", projects.project_list, name="project-list"),
    path("projects/new/", projects.project_create, name="project-create"),
    path("projects/<int:pk>/", projects.project_detail, name="project-detail"),
    path("projects/<int:pk>/edit/", projects.project_edit, name="project-edit"),
    path("projects/<int:pk>/start-assessment/", projects.assessment_start, name="assessment-start"),
    # Assessments
    path("assessments/<int:pk>/", assessments.assessment_detail, name="assessment-detail"),
    path("assessments/<int:pk>/section/<str:code>/", assessments.section_edit, name="section-edit"),
]

# Reports (assessments/views/reports.py)
from .views import reports  # noqa: E402

urlpatterns += [
    path("assessments/<int:pk>/report.pdf", reports.stage_report_pdf, name="stage-report-pdf"),
    path("assessments/<int:pk>/report/preview/", reports.stage_report_preview, name="stage-report-preview"),
    path("assessments/<int:pk>/community-summary.pdf", reports.community_summary_pdf, name="community-summary-pdf"),
    path("projects/<int:pk>/report/", reports.project_report_request, name="project-report-request"),
    path("projects/<int:pk>/report/preview/", reports.project_report_preview, name="project-report-preview"),
    path("projects/<int:pk>/report/<int:job_id>/", reports.project_report_status, name="project-report-status"),
    path(
        "projects/<int:pk>/report/<int:job_id>/download/",
        reports.project_report_download,
        name="project-report-download",
    ),
]
