from django.urls import include, path

from assessments.answering import views as assessments
from assessments.dataops import views as transfer
from assessments.methodology import views as methodology
from assessments.mywork import views as mywork
from assessments.portfolio import views as dashboard
from assessments.projects import views as projects
from assessments.service import about

app_name = "assessments"

urlpatterns = [
    path("", projects.home, name="home"),
    path("my-work/", mywork.my_work, name="my-work"),
    path("glossary/", mywork.glossary, name="glossary"),
    path("methodology/", methodology.methodology_home, name="methodology-home"),
    path("methodology/rule-sets/", include("assessments.rulesets.urls")),
    # Projects
    path("projects/", projects.project_list, name="project-list"),
    path("projects/new/", projects.project_create, name="project-create"),
    path("projects/<int:pk>/", projects.project_detail, name="project-detail"),
    path("projects/<int:pk>/edit/", projects.project_edit, name="project-edit"),
    path("projects/<int:pk>/start-assessment/", projects.assessment_start, name="assessment-start"),
    # Assessments
    path("assessments/<int:pk>/", assessments.assessment_detail, name="assessment-detail"),
    path("assessments/<int:pk>/section/<str:code>/", assessments.section_edit, name="section-edit"),
    # answering: one question saved on its own, and its live score preview (htmx)
    path(
        "assessments/<int:pk>/section/<str:code>/question/<int:answer_pk>/",
        assessments.question_save,
        name="question-save",
    ),
    path(
        "assessments/<int:pk>/section/<str:code>/question/<int:answer_pk>/preview/",
        assessments.question_preview,
        name="question-preview",
    ),
    # About and open-data attribution
    path("about/", about.about, name="about"),
    # Portfolio dashboard and exports
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("dashboard/benefits/", dashboard.dashboard_benefits, name="dashboard-benefits"),
    path(
        "dashboard/indicators.csv",
        dashboard.dashboard_indicators_export,
        name="dashboard-indicators-export",
    ),
    path("dashboard/export.<str:fmt>", dashboard.dashboard_export, name="dashboard-export"),
    # Whole-project JSON transfer
    path("projects/<int:pk>/export.json", transfer.project_export, name="project-export"),
    path("projects/import/", transfer.project_import, name="project-import"),
]

# Review, sign-off, action plan, timeline (views/review.py) and the community panel (views/community.py).
from assessments.community import views as community_views  # noqa: E402
from assessments.review import views as review_views  # noqa: E402

urlpatterns += [
    path("assessments/<int:pk>/workflow/rescreen/", review_views.rescreen, name="rescreen"),
    path("assessments/<int:pk>/workflow/next-stage/", review_views.next_stage, name="next-stage"),
    path(
        "assessments/<int:pk>/workflow/confirm-baseline/",
        review_views.confirm_baseline,
        name="confirm-baseline",
    ),
    path("assessments/<int:pk>/workflow/<slug:verb>/", review_views.transition, name="transition"),
    path("assessments/<int:pk>/review/", review_views.review, name="review"),
    path(
        "assessments/<int:pk>/review/answer/<int:answer_pk>/", review_views.verdict, name="verdict"
    ),
    # Bulk verdicts: two fixed addresses, so nothing but these two can be asked for.
    path(
        "assessments/<int:pk>/review/accept-no-impact/",
        review_views.accept_many,
        {"which": "no_impact"},
        name="accept-no-impact",
    ),
    path(
        "assessments/<int:pk>/review/accept-unchanged/",
        review_views.accept_many,
        {"which": "unchanged"},
        name="accept-unchanged",
    ),
    path(
        "assessments/<int:pk>/review/determinant/",
        review_views.determinant_override,
        name="determinant-override",
    ),
    path("assessments/<int:pk>/actions/", review_views.action_plan, name="action-plan"),
    path("assessments/<int:pk>/actions/justify/", review_views.justify, name="justify-flag"),
    path("actions/<int:pk>/edit/", review_views.action_edit, name="action-edit"),
    path("actions/<int:pk>/request/<str:step>/", review_views.request_step, name="request-step"),
    path("projects/<int:pk>/timeline/", review_views.project_timeline, name="project-timeline"),
    path("projects/<int:pk>/actions.<str:fmt>", review_views.export_actions, name="action-export"),
    path("consultations/", community_views.consultation_list, name="consultation-list"),
    path("assessments/<int:pk>/consultation/", community_views.consultation, name="consultation"),
    path(
        "assessments/<int:pk>/consultation/open/",
        community_views.consultation_open,
        name="consultation-open",
    ),
    path(
        "assessments/<int:pk>/consultation/close/",
        community_views.consultation_close,
        name="consultation-close",
    ),
    path(
        "assessments/<int:pk>/consultation/comment/",
        community_views.comment_add,
        name="comment-add",
    ),
    path(
        "assessments/<int:pk>/consultation/summary/",
        community_views.summary_save,
        name="public-summary-save",
    ),
    path(
        "assessments/<int:pk>/consultation/summary/approve/",
        community_views.summary_approve,
        name="public-summary-approve",
    ),
    path("comments/<int:pk>/reply/", community_views.comment_reply, name="comment-reply"),
    path("comments/<int:pk>/hide/", community_views.comment_hide, name="comment-hide"),
]

# Reports (assessments/reports/views.py)
from assessments.reports import views as reports  # noqa: E402

urlpatterns += [
    path("assessments/<int:pk>/report.pdf", reports.stage_report_pdf, name="stage-report-pdf"),
    path("assessments/<int:pk>/report.docx", reports.stage_report_docx, name="stage-report-docx"),
    path(
        "assessments/<int:pk>/community-summary.docx",
        reports.community_summary_docx,
        name="community-summary-docx",
    ),
    path(
        "assessments/<int:pk>/report/preview/",
        reports.stage_report_preview,
        name="stage-report-preview",
    ),
    path(
        "assessments/<int:pk>/community-summary.pdf",
        reports.community_summary_pdf,
        name="community-summary-pdf",
    ),
    path(
        "projects/<int:pk>/report/", reports.project_report_request, name="project-report-request"
    ),
    path(
        "projects/<int:pk>/report/preview/",
        reports.project_report_preview,
        name="project-report-preview",
    ),
    path(
        "projects/<int:pk>/report/<int:job_id>/",
        reports.project_report_status,
        name="project-report-status",
    ),
    path(
        "projects/<int:pk>/report/<int:job_id>/progress/",
        reports.project_report_progress,
        name="project-report-progress",
    ),
    path(
        "projects/<int:pk>/report/<int:job_id>/download/",
        reports.project_report_download,
        name="project-report-download",
    ),
]

# Council administrators manage their council's people (assessments/accounts/views.py)
from assessments.accounts import views as accounts  # noqa: E402

urlpatterns += [
    path("council/people/", accounts.people_home, name="people-home"),
    path("council/<int:council_id>/people/", accounts.council_people, name="council-people"),
    path("council/<int:council_id>/people/invite/", accounts.invite, name="people-invite"),
    path(
        "council/<int:council_id>/people/<int:user_id>/grant/",
        accounts.grant_role,
        name="people-grant",
    ),
    path(
        "council/<int:council_id>/people/<int:user_id>/remove/",
        accounts.remove_role,
        name="people-remove",
    ),
    path(
        "council/<int:council_id>/people/<int:user_id>/deactivate/",
        accounts.deactivate,
        name="people-deactivate",
    ),
]

# Privacy: the public notice, and council administrators' data protection pages
from assessments.privacy import views as privacy  # noqa: E402

urlpatterns += [
    path("privacy/", privacy.privacy_notice, name="privacy-notice"),
    path("privacy/council/<int:pk>/", privacy.privacy_contacts, name="privacy-contacts"),
    path("privacy/downloads/", privacy.download_log, name="privacy-downloads"),
    path("privacy/requests/", privacy.privacy_requests, name="privacy-requests"),
    path(
        "privacy/people/<int:pk>/access.<str:fmt>",
        privacy.subject_access_file,
        name="privacy-access",
    ),
    path("privacy/people/<int:pk>/erase/", privacy.erase, name="privacy-erase"),
]

# Question bank: drafting, previewing, comparing and publishing versions; moving an assessment.
urlpatterns += [
    path("methodology/question-banks/", include("assessments.questionbank.urls")),
]

# Outcomes monitoring: indicators, measurements, the CSV template and import
urlpatterns += [path("", include("assessments.monitoring.urls"))]

# Learning from use and the shared library of mitigations (assessments/learning/)
urlpatterns += [path("", include("assessments.learning.urls"))]
# Place before and after: SIMD releases compared, and the Place Standard compass
from assessments.place import views as place_views  # noqa: E402
from assessments.placestandard import views as placestandard  # noqa: E402

urlpatterns += [
    path("projects/<int:pk>/place/", place_views.place_change, name="place-change"),
    path("projects/<int:pk>/place-standard/", placestandard.project_compass, name="place-standard"),
    path(
        "assessments/<int:pk>/place-standard/",
        placestandard.stage_edit,
        name="place-standard-edit",
    ),
]
