"""The read-only API. Each list is a queryset from assessments.api.queries (already limited to
what the caller may see), filtered, paginated and serialised by DRF."""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from assessments.api import access, filters, queries, serializers
from assessments.models import Determinant
from assessments.portfolio import figures as portfolio
from assessments.portfolio.filters import PortfolioFilter


class _ReadOnly:
    # Shared by every list and detail view: rows the caller may see, nothing else. A detail view
    # looks the id up in the same rows, so another council's id is a 404. (A comment, not a
    # docstring: the schema would give the docstring as every endpoint's description.)

    request: Request
    rows: staticmethod

    def get_queryset(self) -> QuerySet:
        return self.rows(self.request.user)


@extend_schema_view(get=extend_schema(summary="Capital projects", tags=["projects"]))
class ProjectList(_ReadOnly, generics.ListAPIView):
    serializer_class = serializers.ProjectSerializer
    filterset_class = filters.ProjectFilter
    rows = staticmethod(queries.projects)


@extend_schema_view(get=extend_schema(summary="One capital project", tags=["projects"]))
class ProjectDetail(_ReadOnly, generics.RetrieveAPIView):
    serializer_class = serializers.ProjectSerializer
    rows = staticmethod(queries.projects)


@extend_schema_view(
    get=extend_schema(
        summary="Stage assessments with their ratings, flags and scores", tags=["assessments"]
    )
)
class AssessmentList(_ReadOnly, generics.ListAPIView):
    serializer_class = serializers.AssessmentSerializer
    filterset_class = filters.AssessmentFilter
    rows = staticmethod(queries.assessments)


@extend_schema_view(get=extend_schema(summary="One stage assessment", tags=["assessments"]))
class AssessmentDetail(_ReadOnly, generics.RetrieveAPIView):
    serializer_class = serializers.AssessmentSerializer
    rows = staticmethod(queries.assessments)


@extend_schema_view(get=extend_schema(summary="Answers to assessment questions", tags=["answers"]))
class AnswerList(_ReadOnly, generics.ListAPIView):
    serializer_class = serializers.AnswerSerializer
    filterset_class = filters.AnswerFilter
    rows = staticmethod(queries.answers)


@extend_schema_view(get=extend_schema(summary="Action plan lines", tags=["actions"]))
class ActionList(_ReadOnly, generics.ListAPIView):
    serializer_class = serializers.ActionSerializer
    filterset_class = filters.ActionFilter
    rows = staticmethod(queries.actions)


@extend_schema_view(get=extend_schema(summary="Outcome indicators", tags=["monitoring"]))
class IndicatorList(_ReadOnly, generics.ListAPIView):
    serializer_class = serializers.IndicatorSerializer
    filterset_class = filters.IndicatorFilter
    rows = staticmethod(queries.indicators)


@extend_schema_view(
    get=extend_schema(summary="Measurements of outcome indicators", tags=["monitoring"])
)
class MeasurementList(_ReadOnly, generics.ListAPIView):
    serializer_class = serializers.MeasurementSerializer
    filterset_class = filters.MeasurementFilter
    rows = staticmethod(queries.measurements)


@extend_schema_view(
    get=extend_schema(summary="Community consultations and their comment counts", tags=["panel"])
)
class ConsultationList(_ReadOnly, generics.ListAPIView):
    serializer_class = serializers.ConsultationSerializer
    filterset_class = filters.ConsultationFilter
    rows = staticmethod(queries.consultations)


def dashboard_figures(projects, councils) -> dict:
    """The dashboard's figures (assessments.portfolio.figures) as plain rows."""
    figures = portfolio.figures(projects, councils)
    heat = portfolio.heat_map(projects, councils, list(Determinant.objects.order_by("order")))
    headline = figures.headline
    return {
        "projects": headline.projects,
        "budget": headline.budget,
        "stages_signed_off": headline.stages_signed_off,
        "stages_pending": headline.stages_pending,
        "overdue_projects": headline.overdue_projects,
        "by_rating": [
            {"rating": row["rating"], "projects": row["projects"], "budget": row["budget"]}
            for row in headline.by_rating
        ],
        "equity_by_council": [
            {
                "council_code": row["council"].code,
                "council_name": row["council"].name,
                "projects": row["projects"],
                "scored": row["scored"],
                "mean_equity_index": row["mean"],
            }
            for row in figures.equity
        ],
        "harms_by_determinant_and_council": [
            {
                "determinant": determinant.code,
                "council_code": council.code,
                "red": cell.red,
                "amber": cell.amber,
            }
            for determinant, cells in heat.rows
            for council, cell in zip(heat.councils, cells, strict=True)
        ],
    }


class Dashboard(APIView):
    """The portfolio dashboard's figures, with the dashboard's own filters."""

    permission_classes = [access.CanUseApi, access.CanViewDashboard]
    filterset_class = PortfolioFilter

    @extend_schema(
        summary="Portfolio dashboard figures",
        tags=["dashboard"],
        responses=serializers.DashboardSerializer,
    )
    def get(self, request):
        councils = queries.dashboard_councils(request.user)
        filterset = PortfolioFilter(
            request.query_params or None,
            queryset=queries.dashboard_projects(request.user),
            councils=councils,
        )
        if filterset.is_bound and not filterset.is_valid():
            raise ValidationError(filterset.errors)
        data = dashboard_figures(filterset.qs, list(councils))
        return Response(serializers.DashboardSerializer(data).data)
