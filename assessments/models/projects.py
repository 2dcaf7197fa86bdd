from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from assessments.enums import ProjectType
from assessments.models.base import TimeStamped

# A single capital project in the region is never more than a few billion pounds;
# anything above this is a typing slip (an extra zero or two), not a budget.
MAX_BUDGET = Decimal("5000000000")

# A reference names downloaded files and is typed into spreadsheets and e-mails, so it keeps to
# characters that are safe in all of them. It starts with a letter or digit so a spreadsheet never
# reads it as a formula and a file named after it is never hidden.
REFERENCE_CHARACTERS = RegexValidator(
    r"^[^\W_](?:[^\W_]|[.-])*\Z",
    "Use only letters, digits, hyphens (-) and full stops (.), starting with a letter or digit, "
    "for example GCC-2024.01.",
)


class CapitalProject(TimeStamped):
    council = models.ForeignKey(
        "assessments.Council", on_delete=models.PROTECT, related_name="projects"
    )
    title = models.CharField(max_length=200)
    reference = models.CharField(
        max_length=40,
        validators=[REFERENCE_CHARACTERS],
        help_text="The council's own project reference (letters, digits, hyphens and full stops)",
    )
    description = models.TextField(max_length=5000)
    project_type = models.CharField(max_length=30, choices=ProjectType.choices)
    budget = models.DecimalField(
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("1")), MaxValueValidator(MAX_BUDGET)],
        help_text="Total capital budget in pounds",
    )
    city_deal = models.BooleanField(
        default=False, help_text="Funded through the Glasgow City Region City Deal"
    )
    postcodes = models.JSONField(default=list, blank=True)
    data_zones = models.JSONField(default=list, blank=True)
    catchment_includes_neighbours = models.BooleanField(
        default=False,
        help_text="Count the data zones next to the project's own as part of its catchment",
    )
    senior_responsible_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    project_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    current_stage = models.ForeignKey(
        "assessments.LifecycleStage", on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Optimistic concurrency: bumped on every edit so a stale form is refused.
    lock_version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        ordering = ["council__name", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["council", "reference"], name="project_reference_unique_in_council"
            ),
            models.CheckConstraint(
                condition=models.Q(budget__gte=1) & models.Q(budget__lte=MAX_BUDGET),
                name="project_budget_range",
            ),
        ]

    def __str__(self):
        return f"{self.reference} {self.title}"

    def get_absolute_url(self):
        return reverse("assessments:project-detail", args=[self.pk])
