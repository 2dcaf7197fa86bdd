from django.conf import settings
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from assessments.enums import (
    EDITABLE_STATUSES,
    FROZEN_STATUSES,
    AssessmentStatus,
    Direction,
    Distribution,
    Duration,
    EvidenceStrength,
    Likelihood,
    Reach,
    Severity,
)
from assessments.models.base import TimeStamped


class StageAssessment(TimeStamped):
    """The health-inequality assessment of one project at one lifecycle stage.

    Its status changes only through assessments.review.workflow. The score snapshot is written
    whenever answers are saved or the status changes, and records the rule-set version."""

    project = models.ForeignKey(
        "assessments.CapitalProject", on_delete=models.PROTECT, related_name="assessments"
    )
    stage = models.ForeignKey(
        "assessments.LifecycleStage", on_delete=models.PROTECT, related_name="+"
    )
    question_bank = models.ForeignKey(
        "assessments.QuestionBank", on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        max_length=20, choices=AssessmentStatus.choices, default=AssessmentStatus.DRAFT
    )
    carried_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="carried_into"
    )
    decision_open = models.BooleanField(
        default=True,
        help_text="The design or decision can still change in response to this assessment",
    )
    # Score snapshot (assessments.scoring.snapshots writes it; templates only read it).
    rule_set = models.ForeignKey(
        "assessments.RuleSet", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    score_snapshot = models.JSONField(default=dict, blank=True)
    scored_at = models.DateTimeField(null=True, blank=True)
    overall_rating = models.CharField(max_length=10, blank=True, default="")
    equity_index = models.DecimalField(max_digits=5, decimal_places=4, null=True, blank=True)
    completeness = models.DecimalField(max_digits=5, decimal_places=4, null=True, blank=True)
    open_flags = models.JSONField(default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The assessment page keeps its score and answer tables in the cache under this number
    # (page_cache_key). The code that changes what they show moves it on in the same
    # transaction: scoring.refresh_snapshot (every answer, action, override and community
    # change re-scores), workflow (status) and the admin's renaming of groups and determinants.
    cache_version = models.PositiveBigIntegerField(default=0, editable=False)
    # The project's latest live assessment (furthest stage, not superseded): what the project
    # list, the dashboard and the API show for the project. Derived, never set by hand:
    # assessments.projects.latest recomputes it whenever an assessment is created, deleted or
    # changes status or stage, and the constraint below allows one per project. Stored so that
    # portfolio figures join on it instead of working "latest" out per project on every read.
    is_latest = models.BooleanField(default=False, editable=False)
    history = HistoricalRecords(
        excluded_fields=["score_snapshot", "updated_at", "cache_version", "is_latest"]
    )

    class Meta:
        ordering = ["project", "stage__order", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "stage"],
                condition=~models.Q(status=AssessmentStatus.SUPERSEDED),
                name="one_live_assessment_per_project_stage",
            ),
            models.UniqueConstraint(
                fields=["project"],
                condition=models.Q(is_latest=True),
                name="one_latest_assessment_per_project",
            ),
        ]

    def __str__(self):
        return f"{self.project} – {self.stage}"

    def get_absolute_url(self):
        return reverse("assessments:assessment-detail", args=[self.pk])

    def save_with_new_cache_version(self, *, update_fields: list[str]) -> None:
        """Save these fields and move cache_version on in the same UPDATE."""
        self.cache_version = models.F("cache_version") + 1
        self.save(update_fields=[*update_fields, "cache_version"])
        self.refresh_from_db(fields=["cache_version"])

    @property
    def page_cache_key(self) -> str:
        """The version of this assessment's page content. The creation time keeps a copy cached
        for a row of the same id in an earlier database (a restore, a re-seed) from matching."""
        return f"{self.pk}.{self.created_at.timestamp()}.{self.cache_version}"

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES

    @property
    def is_frozen(self) -> bool:
        return self.status in FROZEN_STATUSES


class AssessmentSection(TimeStamped):
    """One determinant's block of questions in an assessment: the unit that is saved at once.
    `version` is the optimistic-concurrency token: a save carrying an older version is refused."""

    assessment = models.ForeignKey(
        StageAssessment, on_delete=models.CASCADE, related_name="sections"
    )
    determinant = models.ForeignKey(
        "assessments.Determinant", on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField(default=0)
    not_assessed_reason = models.TextField(
        max_length=2000,
        blank=True,
        default="",
        help_text="Why this determinant was not assessed, if it was not",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Who saved the section when (a reason for not assessing it is written here, not on an
    # answer): someone who wrote part of a stage may not approve or sign it off.
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["determinant__order"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "determinant"], name="section_unique"),
        ]

    def __str__(self):
        return f"{self.assessment} – {self.determinant.code}"


class Answer(TimeStamped):
    assessment = models.ForeignKey(
        StageAssessment, on_delete=models.CASCADE, related_name="answers"
    )
    question = models.ForeignKey(
        "assessments.Question", on_delete=models.PROTECT, related_name="answers"
    )
    direction = models.CharField(max_length=20, choices=Direction.choices, blank=True, default="")
    pathway = models.TextField(
        max_length=2000, blank=True, default="", help_text="How the change affects health"
    )
    likelihood = models.PositiveSmallIntegerField(choices=Likelihood.choices, null=True, blank=True)
    severity = models.PositiveSmallIntegerField(choices=Severity.choices, null=True, blank=True)
    duration = models.CharField(max_length=10, choices=Duration.choices, blank=True, default="")
    reversible = models.BooleanField(default=True)
    reach = models.CharField(max_length=20, choices=Reach.choices, blank=True, default="")
    distribution = models.CharField(
        max_length=20, choices=Distribution.choices, blank=True, default=""
    )
    evidence_strength = models.CharField(
        max_length=10, choices=EvidenceStrength.choices, blank=True, default=""
    )
    evidence_notes = models.TextField(max_length=4000, blank=True, default="")
    covered_by = models.JSONField(
        default=list, blank=True, help_text="Other assessments that already cover it"
    )
    mitigation = models.TextField(max_length=4000, blank=True, default="")
    mitigation_owner = models.CharField(max_length=200, blank=True, default="")
    delivery_mechanism = models.CharField(
        max_length=300,
        blank=True,
        default="",
        help_text="How a benefit is secured, e.g. a contract clause",
    )
    residual_likelihood = models.PositiveSmallIntegerField(
        choices=Likelihood.choices, null=True, blank=True
    )
    residual_severity = models.PositiveSmallIntegerField(
        choices=Severity.choices, null=True, blank=True
    )
    monitoring_indicator = models.CharField(max_length=300, blank=True, default="")
    indicator_baseline = models.CharField(max_length=300, blank=True, default="")
    notes = models.TextField(max_length=4000, blank=True, default="")
    # Carry-forward: an answer copied from the previous stage must be confirmed or changed.
    carried_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="carried_into"
    )
    baseline_confirmed = models.BooleanField(default=True)
    # Moving onto a newer question bank that reworded the question: the wording this answer was
    # given against, until the project team confirms the answer still fits the new wording.
    reworded_from = models.ForeignKey(
        "assessments.Question",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["question__determinant__order", "question__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "question"], name="answer_unique_per_question"
            ),
            models.CheckConstraint(
                condition=models.Q(likelihood__isnull=True)
                | models.Q(likelihood__gte=1, likelihood__lte=4),
                name="answer_likelihood_range",
            ),
            models.CheckConstraint(
                condition=models.Q(severity__isnull=True)
                | models.Q(severity__gte=0, severity__lte=3),
                name="answer_severity_range",
            ),
            # A likelihood or severity only makes sense for an impact with a direction.
            models.CheckConstraint(
                condition=models.Q(direction__in=["positive", "negative", "uncertain"])
                | (models.Q(likelihood__isnull=True) & models.Q(severity__isnull=True)),
                name="answer_characterised_only_with_direction",
            ),
        ]

    def __str__(self):
        return f"{self.question.code}: {self.get_direction_display() or 'unanswered'}"


class AnswerGroup(models.Model):
    """A population group affected by an answer, and whether it is affected disproportionately."""

    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="groups")
    group = models.ForeignKey(
        "assessments.PopulationGroup", on_delete=models.PROTECT, related_name="+"
    )
    disproportionate = models.BooleanField(default=False)

    class Meta:
        ordering = ["group__order"]
        constraints = [
            models.UniqueConstraint(fields=["answer", "group"], name="answer_group_unique"),
        ]

    def __str__(self):
        return f"{self.group.code}{' (disproportionate)' if self.disproportionate else ''}"
