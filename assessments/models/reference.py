"""Reference data: loaded from fixtures/ by `manage.py load_reference_data`, versioned, never edited in place."""

from django.db import models

from assessments.enums import PopulationCategory, StageGroup
from assessments.models.base import TimeStamped


class Council(TimeStamped):
    code = models.CharField(max_length=9, unique=True, help_text="Council area code (S12…)")
    name = models.CharField(max_length=100, unique=True)
    short_name = models.CharField(max_length=40, blank=True, default="")

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class LifecycleStage(TimeStamped):
    code = models.CharField(max_length=20, unique=True)
    order = models.PositiveSmallIntegerField(unique=True)
    name = models.CharField(max_length=100)
    stage_group = models.CharField(max_length=1, choices=StageGroup.choices)
    decision_gated = models.TextField(help_text="The decision this stage's assessment informs")
    chia_activity = models.TextField(blank=True, default="")
    equivalents = models.CharField(max_length=200, blank=True, default="")

    class Meta:
        ordering = ["order"]

    def __str__(self):
        return self.name

    def following(self) -> "LifecycleStage | None":
        """The stage that comes after this one, or None after the last."""
        return LifecycleStage.objects.filter(order__gt=self.order).order_by("order").first()


class PopulationGroup(TimeStamped):
    code = models.CharField(max_length=30, unique=True)
    category = models.CharField(max_length=2, choices=PopulationCategory.choices)
    name = models.CharField(max_length=150)
    description = models.TextField(blank=True, default="")
    duties = models.JSONField(default=list, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "code"]

    def __str__(self):
        return self.name


class Determinant(TimeStamped):
    code = models.CharField(max_length=3, unique=True)
    name = models.CharField(max_length=150)
    plain_name = models.CharField(max_length=150, blank=True, default="")
    description = models.TextField(blank=True, default="")
    place_based = models.BooleanField(default=False)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "code"]

    def __str__(self):
        return f"{self.code} {self.name}"


class BankStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"


class PublishedBankError(Exception):
    """A change to a published question bank or one of its questions: refused, because
    assessments answered against that version must keep exactly the questions they answered."""


def _bank_is_published(bank_id) -> bool:
    return QuestionBank.objects.filter(pk=bank_id, status=BankStatus.PUBLISHED).exists()


class QuestionBank(TimeStamped):
    """One version of the question bank. A draft is edited by the methodology owners and used by
    no assessment; once published its questions never change: a change is a new version, and
    each assessment keeps the version it was answered against."""

    version = models.CharField(max_length=20, unique=True)
    title = models.CharField(max_length=200)
    status = models.CharField(
        max_length=10, choices=BankStatus.choices, default=BankStatus.PUBLISHED
    )
    published = models.DateField(null=True, blank=True)
    notes = models.TextField(blank=True, default="")
    content_sha256 = models.CharField(
        max_length=64, blank=True, default="", help_text="Hash of the questions when published"
    )
    based_on = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="drafts"
    )
    created_by = models.ForeignKey(
        "auth.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_by = models.ForeignKey(
        "auth.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        # Drafts have no publication date: they sort after every published version.
        ordering = [models.F("published").desc(nulls_last=True), "-id"]

    def __str__(self):
        return f"Question bank v{self.version}"

    @property
    def is_draft(self) -> bool:
        return self.status == BankStatus.DRAFT

    def save(self, *args, **kwargs):
        if self.pk is not None and _bank_is_published(self.pk):
            raise PublishedBankError(
                f"Question bank v{self.version} is published and cannot change."
            )
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if _bank_is_published(self.pk):
            raise PublishedBankError(
                f"Question bank v{self.version} is published and cannot be deleted."
            )
        return super().delete(*args, **kwargs)


class QuestionQuerySet(models.QuerySet):
    """Bulk updates and deletes refuse published questions too (bulk_create adds questions to a
    new version only, as the reference data loader does)."""

    def _refuse_published(self) -> None:
        if self.filter(bank__status=BankStatus.PUBLISHED).exists():
            raise PublishedBankError("Questions of a published question bank cannot change.")

    def update(self, **kwargs):
        self._refuse_published()
        return super().update(**kwargs)

    def delete(self):
        self._refuse_published()
        return super().delete()


class Question(TimeStamped):
    bank = models.ForeignKey(QuestionBank, on_delete=models.PROTECT, related_name="questions")
    code = models.CharField(max_length=20)
    determinant = models.ForeignKey(Determinant, on_delete=models.PROTECT, related_name="questions")
    stage_group = models.CharField(max_length=1, choices=StageGroup.choices)
    order = models.PositiveSmallIntegerField(default=0)
    text = models.TextField()
    guidance = models.TextField(blank=True, default="")
    duties = models.JSONField(default=list, blank=True)
    required = models.BooleanField(default=True)
    hidden_stages = models.JSONField(
        default=list,
        blank=True,
        help_text="Stage codes within the group where the question is not asked",
    )

    objects = QuestionQuerySet.as_manager()

    class Meta:
        ordering = ["determinant__order", "stage_group", "order"]
        constraints = [
            models.UniqueConstraint(fields=["bank", "code"], name="question_code_unique_in_bank"),
        ]

    def __str__(self):
        return f"{self.code} (v{self.bank.version})" if self.bank_id else self.code

    def asked_at(self, stage: LifecycleStage) -> bool:
        return self.stage_group == stage.stage_group and stage.code not in self.hidden_stages

    def save(self, *args, **kwargs):
        if _bank_is_published(self.bank_id):
            raise PublishedBankError(
                f"Question {self.code} belongs to a published question bank and cannot change."
            )
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if _bank_is_published(self.bank_id):
            raise PublishedBankError(
                f"Question {self.code} belongs to a published question bank and cannot be deleted."
            )
        return super().delete(*args, **kwargs)


class QuestionBankChange(models.Model):
    """What a methodology owner did to a question bank version: who, when and what."""

    class Action(models.TextChoices):
        STARTED = "started", "Started the draft"
        ADDED = "added", "Added a question"
        EDITED = "edited", "Changed a question"
        REORDERED = "reordered", "Reordered questions"
        RETIRED = "retired", "Retired a question"
        PUBLISHED = "published", "Published the version"

    bank = models.ForeignKey(QuestionBank, on_delete=models.PROTECT, related_name="changes")
    action = models.CharField(max_length=12, choices=Action.choices)
    question_code = models.CharField(max_length=20, blank=True, default="")
    note = models.TextField(blank=True, default="")
    by = models.ForeignKey("auth.User", null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"v{self.bank.version}: {self.get_action_display()} {self.question_code}".strip()


class RuleSetStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"


class PublishedRuleSetError(Exception):
    """A published rule set is never changed or deleted: stored scores name it."""


class RuleSetQuerySet(models.QuerySet):
    def published(self) -> "RuleSetQuerySet":
        return self.filter(status=RuleSetStatus.PUBLISHED)

    def drafts(self) -> "RuleSetQuerySet":
        return self.filter(status=RuleSetStatus.DRAFT)

    # Bulk writes skip save() and delete(), so they refuse published rows here too.
    def update(self, **kwargs):
        if self.published().exists():
            raise PublishedRuleSetError("Published rule sets cannot change.")
        return super().update(**kwargs)

    def delete(self):
        if self.published().exists():
            raise PublishedRuleSetError("Published rule sets cannot be deleted.")
        return super().delete()


class RuleSet(TimeStamped):
    """A version of the scoring thresholds and multipliers (see assessments/scoring/rules.py).
    A draft is edited by methodology owners and scores nothing; once published a version is
    never edited or deleted, so every stored score can name the rules that produced it."""

    version = models.CharField(max_length=20, unique=True)
    status = models.CharField(
        max_length=10, choices=RuleSetStatus.choices, default=RuleSetStatus.PUBLISHED
    )
    published = models.DateField(null=True, blank=True)
    notes = models.TextField(blank=True, default="")
    parameters = models.JSONField()
    created_by = models.ForeignKey(
        "auth.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    based_on = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        "auth.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = RuleSetQuerySet.as_manager()

    class Meta:
        ordering = ["-published", "-id"]
        get_latest_by = ["published", "id"]

    def __str__(self):
        suffix = " (draft)" if self.is_draft else ""
        return f"Rule set v{self.version}{suffix}"

    @property
    def is_draft(self) -> bool:
        return self.status == RuleSetStatus.DRAFT

    def _stored_status(self) -> str | None:
        if self.pk is None:
            return None
        return RuleSet.objects.filter(pk=self.pk).values_list("status", flat=True).first()

    def save(self, *args, **kwargs):
        # Checked against the stored row, not this instance, so a stale copy cannot slip through.
        if self._stored_status() == RuleSetStatus.PUBLISHED:
            raise PublishedRuleSetError(f"Rule set v{self.version} is published and cannot change.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self._stored_status() == RuleSetStatus.PUBLISHED:
            raise PublishedRuleSetError(
                f"Rule set v{self.version} is published and cannot be deleted."
            )
        return super().delete(*args, **kwargs)
