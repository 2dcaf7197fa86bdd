"""The audit trail of review and sign-off. Rows here are appended, never edited or deleted
(PROTECT everywhere), so the history of who decided what survives any later change."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from assessments.enums import AssessmentStatus


class Verdict(models.TextChoices):
    ACCEPTABLE = "acceptable", "Acceptable"
    IMPROVABLE = "improvable", "Improvable"
    TO_CORRECT = "to_correct", "To correct"


class ActionKind(models.TextChoices):
    MITIGATION = "mitigation", "Mitigation"
    ENHANCEMENT = "enhancement", "Enhancement"
    REVIEW = "review", "Reviewer's request"


class ActionStatus(models.TextChoices):
    OPEN = "open", "Open"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    DROPPED = "dropped", "Dropped"


class RequestState(models.TextChoices):
    """Where a reviewer's request stands. Blank until the project team first marks it dealt
    with; it is closed only when a reviewer agrees."""

    NOT_DEALT_WITH = "", "Open: not yet marked dealt with"
    DEALT_WITH = "dealt_with", "Marked dealt with: waiting for the reviewer to agree"
    SENT_BACK = "sent_back", "Sent back by the reviewer"
    AGREED = "agreed", "Closed: the reviewer agreed it is dealt with"


# Actions that still need doing: these carry forward and can become overdue.
OPEN_ACTION_STATUSES = frozenset({ActionStatus.OPEN, ActionStatus.IN_PROGRESS})


class StatusChange(models.Model):
    """One workflow event: a status change, or an event that leaves the status as it was
    (opening a consultation, the SRO accepting the action plan); then from == to."""

    assessment = models.ForeignKey(
        "assessments.StageAssessment", on_delete=models.PROTECT, related_name="status_changes"
    )
    event = models.CharField(max_length=40)
    from_status = models.CharField(max_length=20, choices=AssessmentStatus.choices)
    to_status = models.CharField(max_length=20, choices=AssessmentStatus.choices)
    note = models.TextField(max_length=4000, blank=True, default="")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["assessment", "at"])]

    def __str__(self):
        return f"{self.assessment_id}: {self.from_status} → {self.to_status} ({self.event})"

    @property
    def changed_status(self) -> bool:
        return self.from_status != self.to_status


class ReviewVerdict(models.Model):
    """A reviewer's verdict on one answer. The latest verdict per answer is the one that counts;
    earlier ones stay for the record."""

    assessment = models.ForeignKey(
        "assessments.StageAssessment", on_delete=models.PROTECT, related_name="verdicts"
    )
    answer = models.ForeignKey(
        "assessments.Answer", on_delete=models.PROTECT, related_name="verdicts"
    )
    verdict = models.CharField(max_length=20, choices=Verdict.choices)
    comment = models.TextField(max_length=4000, blank=True, default="")
    # Empty only on a verdict imported from another instance (the text says who, there).
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.answer_id}: {self.verdict}"


class Action(models.Model):
    """One line of the action plan. Carried into the next stage's assessment while still open."""

    assessment = models.ForeignKey(
        "assessments.StageAssessment", on_delete=models.PROTECT, related_name="actions"
    )
    answer = models.ForeignKey(
        "assessments.Answer",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="actions",
    )
    kind = models.CharField(
        max_length=20, choices=ActionKind.choices, default=ActionKind.MITIGATION
    )
    text = models.TextField(max_length=4000)
    # Free text names people outside CHIIA (a contractor, a team); owner_user is a CHIIA account,
    # who then sees the action on My work and gets the due-date reminders.
    owner = models.CharField(max_length=200)
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="owned_actions",
    )
    due_stage = models.ForeignKey(
        "assessments.LifecycleStage", on_delete=models.PROTECT, related_name="+"
    )
    # Optional: actions written before due dates existed have none.
    due_date = models.DateField(null=True, blank=True)
    # Written from the answer's mitigation or enhancement text (review.actions.sync_mitigation_action),
    # so it follows that text rather than being typed twice.
    from_answer = models.BooleanField(default=False, editable=False)
    funding = models.CharField(max_length=300, blank=True, default="")
    status = models.CharField(
        max_length=20, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    # A reviewer's request only (kind REVIEW): see review/requests.py.
    request_state = models.CharField(
        max_length=20, choices=RequestState.choices, blank=True, default=""
    )
    dealt_with_note = models.TextField(max_length=4000, blank=True, default="")
    sent_back_reason = models.TextField(max_length=4000, blank=True, default="")
    carried_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="carried_into"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["due_stage__order", "created_at", "id"]

    def __str__(self):
        return self.text[:60]

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_ACTION_STATUSES


class FlagJustification(models.Model):
    """Why a flag may stay open (e.g. a harm that needs no mitigation). `answer` is set when the
    justification covers one answer's flag, blank when it covers the whole flag."""

    assessment = models.ForeignKey(
        "assessments.StageAssessment", on_delete=models.PROTECT, related_name="flag_justifications"
    )
    flag_code = models.CharField(max_length=3)
    answer = models.ForeignKey(
        "assessments.Answer",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="flag_justifications",
    )
    justification = models.TextField(max_length=4000)
    # Empty only on a record imported from another instance (its text says who, there).
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.flag_code} justified"


class RatingOverride(models.Model):
    """A reviewer's different rating of an answer's band or a determinant's harm rating.
    The tool's value is kept beside it: both are always shown."""

    assessment = models.ForeignKey(
        "assessments.StageAssessment", on_delete=models.PROTECT, related_name="rating_overrides"
    )
    answer = models.ForeignKey(
        "assessments.Answer",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="rating_overrides",
    )
    determinant = models.ForeignKey(
        "assessments.Determinant", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    original_value = models.CharField(max_length=20)
    overridden_value = models.CharField(max_length=20)
    reason = models.TextField(max_length=4000)
    # Empty only on a record imported from another instance (its text says who, there).
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(answer__isnull=False) | models.Q(determinant__isnull=False),
                name="override_has_target",
            ),
        ]

    def __str__(self):
        return f"{self.original_value} → {self.overridden_value}"


class ActionPlanAcceptance(models.Model):
    """The senior responsible officer accepting the action plan: needed before sign-off."""

    assessment = models.ForeignKey(
        "assessments.StageAssessment",
        on_delete=models.PROTECT,
        related_name="action_plan_acceptances",
    )
    # Empty only on a record imported from another instance (its text says who, there).
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    note = models.TextField(max_length=4000, blank=True, default="")

    class Meta:
        ordering = ["at", "id"]

    def __str__(self):
        return f"Action plan accepted by {self.by}"
