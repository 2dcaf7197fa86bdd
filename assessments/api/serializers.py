"""What each API row looks like. Flat where a spreadsheet or Power BI would want a column, with
codes (council, stage, determinant, question) beside the ids so a table reads on its own.
Every id is the row's primary key: it never changes and is never reused."""

from __future__ import annotations

from rest_framework import serializers

from assessments.models import (
    Action,
    Answer,
    AnswerGroup,
    CapitalProject,
    ConsultationWindow,
    DeterminantRating,
    Indicator,
    Measurement,
    StageAssessment,
)


class ProjectSerializer(serializers.ModelSerializer):
    council_code = serializers.CharField(source="council.code")
    council_name = serializers.CharField(source="council.name")
    current_stage = serializers.CharField(source="current_stage.code")
    current_stage_name = serializers.CharField(source="current_stage.name")
    budget = serializers.DecimalField(max_digits=14, decimal_places=2, coerce_to_string=False)

    class Meta:
        model = CapitalProject
        fields = [
            "id",
            "reference",
            "title",
            "description",
            "council_code",
            "council_name",
            "project_type",
            "budget",
            "city_deal",
            "current_stage",
            "current_stage_name",
            "data_zones",
            "created_at",
            "updated_at",
        ]


class DeterminantRatingSerializer(serializers.ModelSerializer):
    determinant = serializers.CharField(source="determinant.code")
    determinant_name = serializers.CharField(source="determinant.name")

    class Meta:
        model = DeterminantRating
        fields = [
            "determinant",
            "determinant_name",
            "harm_rag",
            "residual_harm_rag",
            "benefit_level",
        ]


class AssessmentSerializer(serializers.ModelSerializer):
    project_reference = serializers.CharField(source="project.reference")
    council_code = serializers.CharField(source="project.council.code")
    stage = serializers.CharField(source="stage.code")
    stage_name = serializers.CharField(source="stage.name")
    rule_set_version = serializers.CharField(source="rule_set.version", allow_null=True)
    equity_index = serializers.DecimalField(
        max_digits=5, decimal_places=4, coerce_to_string=False, allow_null=True
    )
    completeness = serializers.DecimalField(
        max_digits=5, decimal_places=4, coerce_to_string=False, allow_null=True
    )
    flags = serializers.SerializerMethodField(help_text="Codes of the open flags, e.g. F3")
    ratings = DeterminantRatingSerializer(source="determinant_ratings", many=True)

    class Meta:
        model = StageAssessment
        fields = [
            "id",
            "project",
            "project_reference",
            "council_code",
            "stage",
            "stage_name",
            "status",
            "decision_open",
            "overall_rating",
            "equity_index",
            "completeness",
            "rule_set_version",
            "scored_at",
            "flags",
            "ratings",
            "carried_from",
            "created_at",
            "updated_at",
        ]

    def get_flags(self, assessment) -> list[str]:
        return sorted(flag.code for flag in assessment.flags.all())


class AnswerGroupSerializer(serializers.ModelSerializer):
    group = serializers.CharField(source="group.code")

    class Meta:
        model = AnswerGroup
        fields = ["group", "disproportionate"]


class AnswerSerializer(serializers.ModelSerializer):
    question = serializers.CharField(source="question.code")
    determinant = serializers.CharField(source="question.determinant.code")
    groups = AnswerGroupSerializer(many=True)

    class Meta:
        model = Answer
        fields = [
            "id",
            "assessment",
            "question",
            "determinant",
            "direction",
            "pathway",
            "likelihood",
            "severity",
            "duration",
            "reversible",
            "reach",
            "distribution",
            "evidence_strength",
            "evidence_notes",
            "mitigation",
            "mitigation_owner",
            "delivery_mechanism",
            "residual_likelihood",
            "residual_severity",
            "monitoring_indicator",
            "indicator_baseline",
            "groups",
            "baseline_confirmed",
            "created_at",
            "updated_at",
        ]


class ActionSerializer(serializers.ModelSerializer):
    project = serializers.IntegerField(source="assessment.project_id")
    due_stage = serializers.CharField(source="due_stage.code")

    class Meta:
        model = Action
        fields = [
            "id",
            "assessment",
            "project",
            "answer",
            "kind",
            "text",
            "owner",
            "due_stage",
            "funding",
            "status",
            "carried_from",
            "created_at",
            "updated_at",
        ]


class ConsultationSerializer(serializers.ModelSerializer):
    project = serializers.IntegerField(source="assessment.project_id")
    is_open = serializers.BooleanField()
    comments = serializers.IntegerField(
        source="comments_count", help_text="Comments shown to the panel (hidden excluded)"
    )
    concerns = serializers.IntegerField(
        source="concerns_count", help_text="Of those, marked as a significant concern"
    )
    full_hia_requests = serializers.IntegerField(
        source="hia_count", help_text="Of those, asking for a full HIA"
    )

    class Meta:
        model = ConsultationWindow
        fields = [
            "id",
            "assessment",
            "project",
            "opened_at",
            "closes_at",
            "closed_at",
            "is_open",
            "comments",
            "concerns",
            "full_hia_requests",
        ]


class IndicatorSerializer(serializers.ModelSerializer):
    determinant = serializers.CharField(source="determinant.code")

    class Meta:
        model = Indicator
        fields = [
            "id",
            "project",
            "determinant",
            "name",
            "definition",
            "unit",
            "good_direction",
            "data_source",
            "population",
            "baseline_value",
            "baseline_date",
            "target_value",
            "target_date",
            "frequency",
            "active",
            "created_at",
            "updated_at",
        ]


class MeasurementSerializer(serializers.ModelSerializer):
    project = serializers.IntegerField(source="indicator.project_id")

    class Meta:
        model = Measurement
        fields = [
            "id",
            "indicator",
            "project",
            "measured_on",
            "value",
            "source",
            "note",
            "entered_via",
            "created_at",
            "updated_at",
        ]


# ------------------------------------------------------------------ dashboard figures


class RatingFigureSerializer(serializers.Serializer):
    rating = serializers.CharField()
    projects = serializers.IntegerField()
    budget = serializers.DecimalField(max_digits=16, decimal_places=2, coerce_to_string=False)


class CouncilEquitySerializer(serializers.Serializer):
    council_code = serializers.CharField()
    council_name = serializers.CharField()
    projects = serializers.IntegerField()
    scored = serializers.IntegerField(help_text="Projects whose latest stage has an equity index")
    mean_equity_index = serializers.DecimalField(
        max_digits=6, decimal_places=4, coerce_to_string=False, allow_null=True
    )


class HeatCellSerializer(serializers.Serializer):
    determinant = serializers.CharField()
    council_code = serializers.CharField()
    red = serializers.IntegerField()
    amber = serializers.IntegerField()


class DashboardSerializer(serializers.Serializer):
    projects = serializers.IntegerField()
    budget = serializers.DecimalField(max_digits=16, decimal_places=2, coerce_to_string=False)
    stages_signed_off = serializers.IntegerField()
    stages_pending = serializers.IntegerField()
    overdue_projects = serializers.IntegerField()
    by_rating = RatingFigureSerializer(many=True)
    equity_by_council = CouncilEquitySerializer(many=True)
    harms_by_determinant_and_council = HeatCellSerializer(many=True)
