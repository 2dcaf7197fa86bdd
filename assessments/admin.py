from django.contrib import admin
from django.db.models import F
from simple_history.admin import SimpleHistoryAdmin

from assessments.models import (
    AccountEvent,
    Action,
    ActionPlanAcceptance,
    CapitalProject,
    CommentReply,
    CommunityComment,
    ConsultationWindow,
    Council,
    Determinant,
    FlagJustification,
    LifecycleStage,
    Membership,
    PopulationGroup,
    Question,
    QuestionBank,
    RatingOverride,
    ReviewVerdict,
    RuleSet,
    StageAssessment,
    StatusChange,
    WorkerHeartbeat,
)
from assessments.scoring import snapshots


@admin.register(Council)
class CouncilAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "short_name"]
    search_fields = ["name", "code"]


@admin.register(LifecycleStage)
class LifecycleStageAdmin(admin.ModelAdmin):
    list_display = ["order", "code", "name", "stage_group"]
    ordering = ["order"]


class ShownOnAssessmentPagesAdmin(admin.ModelAdmin):
    """Reference rows whose names every assessment page shows in its cached score tables: a
    change moves every assessment's cache_version on, in the same transaction."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        StageAssessment.objects.update(cache_version=F("cache_version") + 1)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        StageAssessment.objects.update(cache_version=F("cache_version") + 1)

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        StageAssessment.objects.update(cache_version=F("cache_version") + 1)


@admin.register(PopulationGroup)
class PopulationGroupAdmin(ShownOnAssessmentPagesAdmin):
    list_display = ["code", "name", "category", "order"]
    list_filter = ["category"]
    search_fields = ["code", "name"]


@admin.register(Determinant)
class DeterminantAdmin(ShownOnAssessmentPagesAdmin):
    list_display = ["code", "name", "plain_name", "place_based"]


class QuestionInline(admin.TabularInline):
    model = Question
    fields = ["code", "determinant", "stage_group", "text", "required", "hidden_stages"]
    extra = 0
    show_change_link = True

    def has_change_permission(self, request, obj=None):
        # Published questions never change: a new bank version is the way to edit them.
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(QuestionBank)
class QuestionBankAdmin(admin.ModelAdmin):
    list_display = ["version", "title", "published"]
    readonly_fields = ["content_sha256"]
    inlines = [QuestionInline]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["code", "bank", "determinant", "stage_group", "required"]
    list_filter = ["bank", "stage_group", "determinant"]
    search_fields = ["code", "text"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(RuleSet)
class RuleSetAdmin(admin.ModelAdmin):
    """Read-only: methodology owners draft and publish rule sets in CHIIA's own pages (under
    /methodology/rule-sets/), where every parameter has a checked field and publishing is
    recorded; new versions also arrive from fixtures. Raw JSON is never edited here."""

    list_display = ["version", "status", "published", "published_by", "created_by"]
    list_filter = ["status"]
    fields = readonly_fields = (
        "version",
        "status",
        "published",
        "published_at",
        "published_by",
        "based_on",
        "created_by",
        "notes",
        "parameters",
    )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "council", "role"]
    list_filter = ["council", "role"]
    search_fields = ["user__username", "user__email"]


# What places the project: a change re-scores its open stages (deprived-area share).
LOCATION_FIELDS = frozenset({"postcodes", "data_zones", "catchment_includes_neighbours"})


@admin.register(CapitalProject)
class CapitalProjectAdmin(SimpleHistoryAdmin):
    """Saves follow the app's project edit (views/projects.project_edit): the edit is recorded in
    the project's history, the lock version moves on so a form opened before it is refused as
    stale, and a new location re-scores only the open stages. A signed-off stage is never
    touched: its report shows the project as it was signed off (reports.context)."""

    list_display = ["reference", "title", "council", "project_type", "current_stage", "city_deal"]
    list_filter = ["council", "project_type", "city_deal", "current_stage"]
    search_fields = ["reference", "title"]
    readonly_fields = ["lock_version"]

    def save_model(self, request, obj, form, change):
        if change:
            obj.lock_version += 1
        super().save_model(request, obj, form, change)
        if change and LOCATION_FIELDS & set(form.changed_data):
            snapshots.rescore_after_location_change(obj)


@admin.register(StageAssessment)
class StageAssessmentAdmin(SimpleHistoryAdmin):
    """Read-only: status and answers change only through the application's workflow."""

    list_display = ["project", "stage", "status", "overall_rating", "question_bank", "rule_set"]
    list_filter = ["status", "stage", "project__council"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# ---------------------------------------------------------------- review and community audit rows
# Read-only in the admin: they are the audit trail, written only by the review workflow, its
# verdicts and action plan, and the community consultation.


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(StatusChange)
class StatusChangeAdmin(ReadOnlyAdmin):
    list_display = ["assessment", "event", "from_status", "to_status", "by", "at"]
    list_filter = ["event", "to_status"]


@admin.register(ReviewVerdict)
class ReviewVerdictAdmin(ReadOnlyAdmin):
    list_display = ["assessment", "answer", "verdict", "reviewer", "at"]


@admin.register(Action)
class ActionAdmin(ReadOnlyAdmin, SimpleHistoryAdmin):
    list_display = ["assessment", "kind", "owner", "due_stage", "status"]
    list_filter = ["status", "kind"]


@admin.register(FlagJustification)
class FlagJustificationAdmin(ReadOnlyAdmin):
    list_display = ["assessment", "flag_code", "answer", "by", "at"]


@admin.register(RatingOverride)
class RatingOverrideAdmin(ReadOnlyAdmin):
    list_display = [
        "assessment",
        "answer",
        "determinant",
        "original_value",
        "overridden_value",
        "by",
        "at",
    ]


@admin.register(ActionPlanAcceptance)
class ActionPlanAcceptanceAdmin(ReadOnlyAdmin):
    list_display = ["assessment", "by", "at"]


@admin.register(ConsultationWindow)
class ConsultationWindowAdmin(ReadOnlyAdmin):
    list_display = ["assessment", "opened_by", "opened_at", "closes_at", "closed_at"]


@admin.register(CommunityComment)
class CommunityCommentAdmin(ReadOnlyAdmin):
    list_display = ["assessment", "author", "at", "is_concern", "requests_full_hia", "hidden"]
    list_filter = ["hidden", "is_concern", "requests_full_hia"]


@admin.register(CommentReply)
class CommentReplyAdmin(ReadOnlyAdmin):
    list_display = ["comment", "by", "at"]


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(ReadOnlyAdmin):
    """Seen by /healthz; a row of a worker long gone may be deleted, nothing else changed."""

    list_display = ["worker", "started_at", "last_seen"]

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


@admin.register(AccountEvent)
class AccountEventAdmin(ReadOnlyAdmin):
    """The audit trail of council administrators' decisions about people (written in CHIIA)."""

    list_display = ["at", "council", "person", "kind", "role", "by"]
    list_filter = ["kind", "council"]
