from django.urls import path

from .views import about, assessments, dashboard, projects, transfer

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
    # About and open-data attribution
    path("about/", about.about, name="about"),
    # Portfolio dashboard and exports
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("dashboard/export.<str:fmt>", dashboard.dashboard_export, name="dashboard-export"),
    # Whole-project JSON transfer
    path("projects/<int:pk>/export.json", transfer.project_export, name="project-export"),
    path("projects/import/", transfer.project_import, name="project-import"),
]
