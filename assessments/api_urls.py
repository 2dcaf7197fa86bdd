"""/api/v1/ (assessments/api/): plain path() routes, no router, so the URL walk tests fill and
check each one. It sits beside assessments/urls.py: a URL table imports views, which the layer
contract allows only at the top of the package. Every data page is recorded in the download
log, as a file would be (privacy.downloads)."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from assessments.api import docs_views, views
from assessments.privacy.downloads import records_download

app_name = "api"

urlpatterns = [
    path(
        "projects/",
        records_download("API: projects")(views.ProjectList.as_view()),
        name="project-list",
    ),
    path(
        "projects/<int:pk>/",
        records_download("API: project", of="project")(views.ProjectDetail.as_view()),
        name="project-detail",
    ),
    path(
        "assessments/",
        records_download("API: stage assessments")(views.AssessmentList.as_view()),
        name="assessment-list",
    ),
    path(
        "assessments/<int:pk>/",
        records_download("API: stage assessment", of="assessment")(
            views.AssessmentDetail.as_view()
        ),
        name="assessment-detail",
    ),
    path(
        "answers/", records_download("API: answers")(views.AnswerList.as_view()), name="answer-list"
    ),
    path(
        "actions/", records_download("API: actions")(views.ActionList.as_view()), name="action-list"
    ),
    path(
        "consultations/",
        records_download("API: consultations")(views.ConsultationList.as_view()),
        name="consultation-list",
    ),
    path(
        "indicators/",
        records_download("API: indicators")(views.IndicatorList.as_view()),
        name="indicator-list",
    ),
    path(
        "measurements/",
        records_download("API: measurements")(views.MeasurementList.as_view()),
        name="measurement-list",
    ),
    path(
        "dashboard/",
        records_download("API: dashboard")(views.Dashboard.as_view()),
        name="dashboard",
    ),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", docs_views.api_docs, name="docs"),
]
