from django.urls import path

from assessments.learning import views

urlpatterns = [
    path(
        "learning/answers/<int:answer_pk>/feedback/",
        views.question_feedback,
        name="learning-feedback",
    ),
    path(
        "learning/answers/<int:answer_pk>/suggestions/",
        views.mitigation_suggestions,
        name="learning-suggestions",
    ),
    path("methodology/learning/", views.dashboard, name="learning-dashboard"),
    path("methodology/learning/question/", views.question_remarks, name="learning-question"),
    path("methodology/learning/export.csv", views.dashboard_export, name="learning-export"),
    path("mitigations/", views.library, name="learning-library"),
    path("mitigations/<int:answer_pk>/curate/", views.curate_entry, name="learning-curate"),
]
