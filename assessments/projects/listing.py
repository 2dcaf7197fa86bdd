"""Read side of the project list: each project with its latest stage assessment's status and
rating and when anything last changed, searched, filtered, sorted and paged in the database."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import (
    Case,
    DateTimeField,
    F,
    IntegerField,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest

from assessments import permissions
from assessments.answering import queries
from assessments.models import CapitalProject, Council
from assessments.portfolio.figures import RATINGS, with_latest
from assessments.portfolio.filters import LatestAssessmentFilterSet

# Sortable columns: URL key -> ordering field.
SORTS = {
    "reference": "reference",
    "title": "title",
    "council": "council__name",
    "stage": "current_stage__order",
    "status": "latest_status",
    "rating": "rating_rank",
    "changed": "last_change",
    "budget": "budget",
}


def project_rows(user) -> QuerySet[CapitalProject]:
    """The projects the user may see, with their latest live assessment's status and rating and
    the time the project or that assessment last changed (one query, joined on the latest)."""
    return (
        with_latest(queries.projects_for(user))
        .annotate(
            latest_status=F("latest__status"),
            latest_rating=F("latest__overall_rating"),
            latest_changed=F("latest__updated_at"),
        )
        .annotate(
            last_change=Greatest(
                "updated_at",
                Coalesce("latest_changed", "updated_at", output_field=DateTimeField()),
            ),
            rating_rank=Case(
                *(When(latest_rating=r, then=Value(i)) for i, r in enumerate(RATINGS)),
                default=Value(len(RATINGS)),
                output_field=IntegerField(),
            ),
        )
    )


def visible_councils(user) -> QuerySet[Council]:
    councils = Council.objects.order_by("name")
    if permissions.sees_all_councils(user):
        return councils
    return councils.filter(id__in=permissions.council_ids_with(user, permissions.READER_ROLES))


class ProjectListFilter(LatestAssessmentFilterSet):
    q = django_filters.CharFilter(
        label="Search title, reference or postcode", method="search", max_length=100
    )
    sort = django_filters.ChoiceFilter(
        choices=[(key, key) for key in SORTS] + [(f"-{key}", f"-{key}") for key in SORTS],
        method="order",
        widget=forms.HiddenInput,
        label="Sort",
    )

    def __init__(self, *args, councils, **kwargs):
        super().__init__(*args, councils=councils, **kwargs)
        for name, field in self.form.fields.items():
            if name in ("q", "sort"):
                continue
            field.widget.attrs["class"] = "form-select"
        self.form.fields["q"].widget.attrs.update(
            {"class": "form-control", "type": "search", "autocomplete": "off"}
        )

    def search(self, queryset, name, value):
        words = value.strip()
        if not words:
            return queryset
        return queryset.filter(
            Q(title__icontains=words)
            | Q(reference__icontains=words)
            | Q(postcodes__icontains=words.upper())
        )

    def order(self, queryset, name, value):
        descending = value.startswith("-")
        field = SORTS[value.lstrip("-")]
        return queryset.order_by(f"-{field}" if descending else field, "-pk")

    @property
    def qs(self):
        # Most recently changed first when no sort is chosen: what people come back to.
        queryset = super().qs
        if not getattr(self.form, "cleaned_data", {}).get("sort"):
            queryset = queryset.order_by("-last_change", "-pk")
        return queryset
