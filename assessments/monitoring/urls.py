"""Routes of outcomes monitoring (included from assessments/urls.py, in its namespace)."""

from django.urls import path

from assessments.monitoring import views

urlpatterns = [
    path("projects/<int:pk>/indicators/", views.indicator_list, name="indicator-list"),
    path("projects/<int:pk>/indicators/new/", views.indicator_create, name="indicator-create"),
    path(
        "projects/<int:pk>/indicators/template.csv",
        views.measurement_template,
        name="measurement-template",
    ),
    path(
        "projects/<int:pk>/indicators/import/",
        views.measurement_import,
        name="measurement-import",
    ),
    path("indicators/<int:pk>/", views.indicator_detail, name="indicator-detail"),
    path("indicators/<int:pk>/edit/", views.indicator_edit, name="indicator-edit"),
    path("measurements/<int:pk>/delete/", views.measurement_delete, name="measurement-delete"),
]
