"""Outcomes monitoring: the indicators a project tracks after its assessment, and the
measurements entered against them over the years of operation.

An indicator belongs to a project (not to one stage's assessment) because it is measured across
stages; it names the determinant and the answers and actions it tracks. Whether an indicator is
on track is never stored: assessments.scoring.monitoring works it out from the measurements and
the rule set's `monitoring` parameters each time it is shown.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone

from assessments.models.base import TimeStamped

# The largest magnitude a measurement may have: no indicator here counts beyond billions, so a
# larger number is a typing slip rather than a measurement.
MAX_MEASUREMENT = Decimal("999999999999")


class IndicatorUnit(models.TextChoices):
    """What a value is measured in. The unit decides which values are possible (a percentage
    lies between 0 and 100, a count is a whole number), see scoring.monitoring.value_problem."""

    PERCENT = "percent", "Percentage (%)"
    COUNT = "count", "Count (people, jobs, homes …)"
    RATE_PER_1000 = "rate_per_1000", "Rate per 1,000 people"
    POUNDS = "pounds", "Pounds (£)"
    MINUTES = "minutes", "Minutes"
    SCORE = "score", "Score (1 to 7, as in the Place Standard)"
    NUMBER = "number", "Other number"


class GoodDirection(models.TextChoices):
    HIGHER = "higher", "Higher is better"
    LOWER = "lower", "Lower is better"


class MeasurementFrequency(models.TextChoices):
    """How often a measurement is expected; the days each means are rule-set parameters."""

    MONTHLY = "monthly", "Monthly"
    QUARTERLY = "quarterly", "Quarterly"
    SIX_MONTHLY = "six_monthly", "Every six months"
    ANNUAL = "annual", "Once a year"


class Indicator(TimeStamped):
    project = models.ForeignKey(
        "assessments.CapitalProject", on_delete=models.PROTECT, related_name="indicators"
    )
    determinant = models.ForeignKey(
        "assessments.Determinant", on_delete=models.PROTECT, related_name="+"
    )
    # The answers (impacts, with their mitigations) and the action-plan lines this indicator
    # shows the effect of. Optional: an indicator can be defined before the answers are final.
    answers = models.ManyToManyField("assessments.Answer", blank=True, related_name="indicators")
    actions = models.ManyToManyField("assessments.Action", blank=True, related_name="indicators")
    # The suggestion from fixtures/indicator_suggestions_v*.json it started from, if any.
    suggestion_code = models.CharField(max_length=20, blank=True, default="")
    name = models.CharField(max_length=200)
    definition = models.TextField(
        max_length=2000, help_text="What is counted, and how, so that two people get one number"
    )
    unit = models.CharField(max_length=20, choices=IndicatorUnit.choices)
    good_direction = models.CharField(max_length=10, choices=GoodDirection.choices)
    data_source = models.CharField(
        max_length=300, help_text="Where the figures come from, e.g. the contractor's returns"
    )
    population = models.CharField(
        max_length=300,
        help_text="Who the indicator covers, e.g. residents of the catchment's SIMD quintile 1 zones",
    )
    population_groups = models.ManyToManyField(
        "assessments.PopulationGroup", blank=True, related_name="+"
    )
    baseline_value = models.DecimalField(
        max_digits=16,
        decimal_places=4,
        validators=[MinValueValidator(-MAX_MEASUREMENT), MaxValueValidator(MAX_MEASUREMENT)],
    )
    baseline_date = models.DateField()
    target_value = models.DecimalField(
        max_digits=16,
        decimal_places=4,
        validators=[MinValueValidator(-MAX_MEASUREMENT), MaxValueValidator(MAX_MEASUREMENT)],
    )
    target_date = models.DateField()
    frequency = models.CharField(max_length=20, choices=MeasurementFrequency.choices)
    # A CHIIA account: gets the due and overdue emails and sees overdue monitoring on My work.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="owned_indicators",
    )
    # Retired indicators keep their measurements but are no longer due.
    active = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Optimistic concurrency: bumped on every edit so a stale form is refused.
    lock_version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["project", "determinant__order", "name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(target_date__gt=models.F("baseline_date")),
                name="indicator_target_after_baseline",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("assessments:indicator-detail", args=[self.pk])


class MeasurementSource(models.TextChoices):
    FORM = "form", "Entered on the form"
    CSV = "csv", "Imported from a CSV file"
    DEMO = "demo", "Demonstration data"


class Measurement(TimeStamped):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="measurements")
    value = models.DecimalField(
        max_digits=16,
        decimal_places=4,
        validators=[MinValueValidator(-MAX_MEASUREMENT), MaxValueValidator(MAX_MEASUREMENT)],
    )
    measured_on = models.DateField(help_text="The date the value describes")
    source = models.CharField(max_length=300, blank=True, default="")
    note = models.TextField(max_length=2000, blank=True, default="")
    # Set when the person confirmed a value that the outlier rule flagged as unusual.
    outlier_confirmed = models.BooleanField(default=False)
    entered_via = models.CharField(
        max_length=10, choices=MeasurementSource.choices, default=MeasurementSource.FORM
    )
    # The project's live stage assessment when the value was entered. Once that stage is signed
    # off the measurement is part of its record and can no longer be changed.
    assessment = models.ForeignKey(
        "assessments.StageAssessment",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="measurements",
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["indicator", "measured_on", "id"]
        constraints = [
            # One value per date: a second one is a correction of the first, not a new reading.
            models.UniqueConstraint(
                fields=["indicator", "measured_on"], name="one_measurement_per_indicator_date"
            ),
        ]
        indexes = [models.Index(fields=["indicator", "-measured_on"], name="measurement_latest")]

    def __str__(self):
        return f"{self.indicator_id}: {self.value} on {self.measured_on}"


class MonitoringReminderKind(models.TextChoices):
    DUE = "due", "Measurement due"
    OVERDUE = "overdue", "Measurement overdue"


class MonitoringReminder(models.Model):
    """What the daily monitoring reminders have sent, so a rerun never emails twice about the
    same due date."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=10, choices=MonitoringReminderKind.choices)
    # The due date the reminder was about: a new measurement moves it, making a new one due.
    due_date = models.DateField()
    sent_to = models.EmailField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["sent_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "kind", "due_date"],
                name="one_monitoring_reminder_per_due_date",
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} reminder for indicator {self.indicator_id}"


class IndicatorSuggestion(TimeStamped):
    """A default indicator for a determinant, from fixtures/indicator_suggestions_v*.json
    (loaded by load_reference_data). Copied into a project's own indicator, where every field
    can be changed; changing a suggestion never changes an indicator made from it."""

    code = models.CharField(max_length=20, unique=True)
    determinant = models.ForeignKey(
        "assessments.Determinant", on_delete=models.PROTECT, related_name="indicator_suggestions"
    )
    name = models.CharField(max_length=200)
    definition = models.TextField(max_length=2000)
    unit = models.CharField(max_length=20, choices=IndicatorUnit.choices)
    good_direction = models.CharField(max_length=10, choices=GoodDirection.choices)
    data_source = models.CharField(max_length=300)
    population = models.CharField(max_length=300)
    frequency = models.CharField(max_length=20, choices=MeasurementFrequency.choices)
    version = models.CharField(max_length=20)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["determinant__order", "order", "code"]

    def __str__(self):
        return f"{self.code} {self.name}"
