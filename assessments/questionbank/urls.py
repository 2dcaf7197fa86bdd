"""Question bank pages, under methodology/question-banks/ (included from assessments/urls.py)."""

from django.urls import path

from assessments.questionbank import views

urlpatterns = [
    path("", views.bank_list, name="questionbank-list"),
    path("draft/", views.draft_start, name="questionbank-draft-start"),
    path("<int:pk>/", views.bank_detail, name="questionbank-detail"),
    path("<int:pk>/questions/new/", views.question_add, name="questionbank-question-add"),
    path(
        "<int:pk>/questions/<int:question_pk>/",
        views.question_edit,
        name="questionbank-question-edit",
    ),
    path(
        "<int:pk>/questions/<int:question_pk>/retire/",
        views.question_retire,
        name="questionbank-question-retire",
    ),
    path("<int:pk>/order/<str:code>/<str:group>/", views.reorder, name="questionbank-reorder"),
    path(
        "<int:pk>/preview/<str:stage>/<str:code>/",
        views.bank_preview,
        name="questionbank-preview",
    ),
    path("<int:pk>/compare/", views.bank_compare, name="questionbank-compare"),
    path("<int:pk>/publish/", views.bank_publish, name="questionbank-publish"),
    # The project team's move of an open assessment onto the newest version.
    path("assessment/<int:pk>/move/", views.assessment_move, name="questionbank-move"),
    path(
        "assessment/<int:pk>/reworded/<int:answer_pk>/confirm/",
        views.reworded_confirm,
        name="questionbank-reworded-confirm",
    ),
]
