"""/api/v1/ (assessments/api/): plain path() routes, no router, so the URL walk tests fill and
check each one. It sits beside assessments/urls.py: a URL table imports views, which the layer
contract allows only at the top of the package."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from assessments.api import docs_views, views

app_name = "api"

urlpatterns = [
    path("projects/", views.ProjectList.as_view(), name="project-list"),
    path("projects/<int:pk>/", views.ProjectDetail.as_view(), name="project-detail"),
    path("assessments/", views.AssessmentList.as_view(), name="assessment-list"),
    path("assessments/<int:pk>/", views.AssessmentDetail.as_view(), name="assessment-detail"),
    path("answers/", views.AnswerList.as_view(), name="answer-list"),
    path("actions/", views.ActionList.as_view(), name="action-list"),
    path("consultations/", views.ConsultationList.as_view(), name="consultation-list"),
    path("dashboard/", views.Dashboard.as_view(), name="dashboard"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", docs_views.api_docs, name="docs"),
]
