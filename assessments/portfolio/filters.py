"""Portfolio filters (django-filter): the dashboard, its exports and the project list share them."""

from __future__ import annotations

import django_filters
from django import forms

from assessments.enums import RATING_LABELS, AssessmentStatus, ProjectType
from assessments.models import LifecycleStage
from assessments.portfolio.figures import RATINGS, filter_latest, with_open_flag
from assessments.scoring import flags

FLAG_CHOICES = [(code, f"{code} {title}") for code, title in flags.FLAG_TITLES.items()]


class LatestAssessmentFilterSet(django_filters.FilterSet):
    """Council, stage, and the latest stage assessment's status and rating: the filters the
    dashboard and the project list share. `councils` is what the person may choose from."""

    council = django_filters.ModelChoiceFilter(queryset=None, empty_label="All councils")
    stage = django_filters.ModelChoiceFilter(
        field_name="current_stage",
        queryset=LifecycleStage.objects.order_by("order"),
        empty_label="All stages",
        label="Current stage",
    )
    status = django_filters.ChoiceFilter(
        choices=AssessmentStatus.choices,
        empty_label="Any status",
        label="Assessment status",
        method="filter_latest",
    )
    rating = django_filters.ChoiceFilter(
        choices=[(r, RATING_LABELS[r]) for r in RATINGS],
        empty_label="Any rating",
        label="Overall rating",
        method="filter_latest",
    )

    def __init__(self, *args, councils, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["council"].queryset = councils

    def filter_latest(self, queryset, name, value):
        # Through the latest-assessment anti-join rather than the per-row display annotations.
        field = {"status": "status", "rating": "overall_rating"}[name]
        return filter_latest(queryset, **{field: value}) if value else queryset


class PortfolioFilter(LatestAssessmentFilterSet):
    flag = django_filters.ChoiceFilter(
        choices=FLAG_CHOICES, empty_label="Any or none", label="Open flag", method="filter_flag"
    )
    project_type = django_filters.ChoiceFilter(choices=ProjectType.choices, empty_label="All types")
    city_deal = django_filters.BooleanFilter(
        widget=forms.Select(
            choices=[("", "Either"), ("true", "City Deal only"), ("false", "Not City Deal")]
        ),
        label="City Deal",
    )
    sort = django_filters.OrderingFilter(
        fields=(
            ("reference", "reference"),
            ("title", "title"),
            ("council__name", "council"),
            ("current_stage__order", "stage"),
            ("budget", "budget"),
            ("rating_rank", "rating"),
            ("latest_equity", "equity"),
        ),
        label="Sort by",
        # With nothing chosen the list is newest first (qs below): say so, not "---------".
        empty_label="Newest first",
    )

    def __init__(self, *args, councils, **kwargs):
        super().__init__(*args, councils=councils, **kwargs)
        for field in self.form.fields.values():
            field.widget.attrs["class"] = "form-select form-select-sm"

    def filter_flag(self, queryset, name, value):
        return with_open_flag(queryset, value) if value else queryset

    @property
    def qs(self):
        # Newest first when no sort is chosen: stable under pagination, and read straight off the
        # primary key index, so the first page costs the same however many projects there are.
        queryset = super().qs
        if not getattr(self.form, "cleaned_data", {}).get("sort"):
            queryset = queryset.order_by("-pk")
        return queryset
