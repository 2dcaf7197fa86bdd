"""Query parameters of the API lists (django-filter). An unknown council, stage or choice is a
400 with the field named, not an empty answer that looks like "no data"."""

from __future__ import annotations

from datetime import UTC

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django_filters.fields import IsoDateTimeField

from assessments.enums import AssessmentStatus
from assessments.models import (
    Action,
    Answer,
    AssessmentFlag,
    CapitalProject,
    ConsultationWindow,
    Council,
    Indicator,
    LifecycleStage,
    Measurement,
    StageAssessment,
)
from assessments.models.review import ActionStatus
from assessments.portfolio.figures import RATINGS, filter_latest, with_open_flag
from assessments.scoring import flags

FLAG_CHOICES = [(code, f"{code} {title}") for code, title in flags.FLAG_TITLES.items()]
RATING_CHOICES = [(rating, rating) for rating in RATINGS]
CHANGED_SINCE_HELP = "Only rows changed at or after this time (ISO 8601, e.g. 2026-01-31T00:00:00Z)"


class UtcDateTimeField(IsoDateTimeField):
    """An ISO 8601 time, turned into UTC before it reaches the database: ISO allows offsets
    (+20:17) that PostgreSQL refuses, and a time that leaves years 1-9999 in UTC is no time."""

    def to_python(self, value):
        moment = super().to_python(value)
        if moment is None:
            return None
        try:
            return moment.astimezone(UTC)
        except (OverflowError, ValueError) as exc:
            raise forms.ValidationError("Give a time between the years 1 and 9999.") from exc


class ChangedSinceFilter(django_filters.IsoDateTimeFilter):
    field_class = UtcDateTimeField


class IdField(forms.IntegerField):
    """A row id: a whole number the database can hold (a decimal or a 200-digit number would
    otherwise reach SQLite as a value it cannot bind)."""

    def __init__(self, **kwargs):
        super().__init__(min_value=1, max_value=2**63 - 1, **kwargs)


class IdFilter(django_filters.NumberFilter):
    field_class = IdField


def council_filter(field_name: str):
    return django_filters.ModelChoiceFilter(
        field_name=field_name,
        to_field_name="code",
        queryset=Council.objects.all(),
        label="Council area code, e.g. S12000049",
    )


def stage_filter(field_name: str, label: str):
    return django_filters.ModelChoiceFilter(
        field_name=field_name,
        to_field_name="code",
        queryset=LifecycleStage.objects.all(),
        label=label,
    )


class ProjectFilter(django_filters.FilterSet):
    council = council_filter("council")
    stage = stage_filter("current_stage", "Current lifecycle stage code, e.g. SBC")
    status = django_filters.ChoiceFilter(
        choices=AssessmentStatus.choices,
        method="filter_latest",
        label="Status of the project's latest assessment",
    )
    rating = django_filters.ChoiceFilter(
        choices=RATING_CHOICES,
        method="filter_latest",
        label="Overall rating of the project's latest assessment",
    )
    flag = django_filters.ChoiceFilter(
        choices=FLAG_CHOICES, method="filter_flag", label="Open flag on the latest assessment"
    )
    changed_since = ChangedSinceFilter(
        method="filter_changed", label=CHANGED_SINCE_HELP + " (the project or any of its stages)"
    )

    class Meta:
        model = CapitalProject
        fields: list[str] = []

    def filter_latest(self, queryset, name, value):
        field = {"status": "status", "rating": "overall_rating"}[name]
        return filter_latest(queryset, **{field: value})

    def filter_flag(self, queryset, name, value):
        return with_open_flag(queryset, value)

    def filter_changed(self, queryset, name, value):
        changed_stage = StageAssessment.objects.filter(
            project=OuterRef("pk"), updated_at__gte=value
        )
        return queryset.filter(Q(updated_at__gte=value) | Exists(changed_stage))


class AssessmentFilter(django_filters.FilterSet):
    council = council_filter("project__council")
    project = IdFilter(field_name="project_id", label="Project id")
    stage = stage_filter("stage", "Lifecycle stage code, e.g. OBC")
    status = django_filters.ChoiceFilter(choices=AssessmentStatus.choices)
    rating = django_filters.ChoiceFilter(
        field_name="overall_rating", choices=RATING_CHOICES, label="Overall rating"
    )
    flag = django_filters.ChoiceFilter(
        choices=FLAG_CHOICES, method="filter_flag", label="Open flag"
    )
    changed_since = ChangedSinceFilter(
        field_name="updated_at", lookup_expr="gte", label=CHANGED_SINCE_HELP
    )

    class Meta:
        model = StageAssessment
        fields: list[str] = []

    def filter_flag(self, queryset, name, value):
        flagged = AssessmentFlag.objects.filter(assessment=OuterRef("pk"), code=value)
        return queryset.filter(Exists(flagged))


class AssessmentRowFilter(django_filters.FilterSet):
    """Rows that belong to a stage assessment: answers, actions."""

    council = council_filter("assessment__project__council")
    project = IdFilter(field_name="assessment__project_id", label="Project id")
    assessment = IdFilter(field_name="assessment_id", label="Assessment id")
    stage = stage_filter("assessment__stage", "Lifecycle stage code of the assessment")
    changed_since = ChangedSinceFilter(
        field_name="updated_at", lookup_expr="gte", label=CHANGED_SINCE_HELP
    )


class AnswerFilter(AssessmentRowFilter):
    class Meta:
        model = Answer
        fields: list[str] = []


class ActionFilter(AssessmentRowFilter):
    status = django_filters.ChoiceFilter(choices=ActionStatus.choices)

    class Meta:
        model = Action
        fields: list[str] = []


class ConsultationFilter(django_filters.FilterSet):
    council = council_filter("assessment__project__council")
    project = IdFilter(field_name="assessment__project_id", label="Project id")
    assessment = IdFilter(field_name="assessment_id", label="Assessment id")
    changed_since = ChangedSinceFilter(
        method="filter_changed", label="Only consultations opened or closed at or after this time"
    )

    class Meta:
        model = ConsultationWindow
        fields: list[str] = []

    def filter_changed(self, queryset, name, value):
        return queryset.filter(Q(opened_at__gte=value) | Q(closed_at__gte=value))


class IndicatorFilter(django_filters.FilterSet):
    council = council_filter("project__council")
    project = IdFilter(field_name="project_id", label="Project id")
    changed_since = ChangedSinceFilter(
        field_name="updated_at", lookup_expr="gte", label=CHANGED_SINCE_HELP
    )

    class Meta:
        model = Indicator
        fields: list[str] = ["active"]


class MeasurementFilter(django_filters.FilterSet):
    council = council_filter("indicator__project__council")
    project = IdFilter(field_name="indicator__project_id", label="Project id")
    indicator = IdFilter(field_name="indicator_id", label="Indicator id")
    changed_since = ChangedSinceFilter(
        field_name="updated_at", lookup_expr="gte", label=CHANGED_SINCE_HELP
    )

    class Meta:
        model = Measurement
        fields: list[str] = []
