"""Rule-set pages, included from assessments/urls.py under methodology/rule-sets/."""

from django.urls import path

from assessments.rulesets import views

urlpatterns = [
    path("", views.ruleset_list, name="ruleset-list"),
    path("start/", views.ruleset_start, name="ruleset-start"),
    path("<int:pk>/", views.ruleset_detail, name="ruleset-detail"),
    path("<int:pk>/compare/", views.ruleset_compare, name="ruleset-compare"),
    path("<int:pk>/publish/", views.ruleset_publish, name="ruleset-publish"),
    path("<int:pk>/move/", views.ruleset_move, name="ruleset-move"),
]
