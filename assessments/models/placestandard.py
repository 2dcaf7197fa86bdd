"""The Place Standard: how people rate 14 themes of the place they live in, 1 (a lot of room for
improvement) to 7 (very little), recorded per stage assessment so a project can show how its
place was seen at baseline and later on."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from assessments.models.base import TimeStamped


class PlaceStandardTheme(models.Model):
    """Reference data (fixtures/place_standard.json): the 14 themes in the compass's order."""

    code = models.CharField(max_length=30, unique=True)
    name = models.CharField(max_length=60)
    question = models.CharField(max_length=200)
    order = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["order"]

    def __str__(self):
        return self.name


class RespondentGroup(models.TextChoices):
    COMMUNITY = "community", "Community"
    OFFICERS = "officers", "Officers"


class PlaceStandardAssessment(TimeStamped):
    """One stage's Place Standard exercise. Frozen with its stage assessment at sign-off."""

    assessment = models.OneToOneField(
        "assessments.StageAssessment", on_delete=models.PROTECT, related_name="place_standard"
    )
    held_on = models.DateField(help_text="When the ratings were gathered")
    community_respondents = models.PositiveIntegerField(default=0)
    officer_respondents = models.PositiveIntegerField(default=0)
    notes = models.TextField(max_length=2000, blank=True, default="")
    # Raised on every save; a form carrying an older value is refused, never written over.
    version = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    def __str__(self):
        return f"Place Standard for assessment {self.assessment_id}"


class PlaceStandardRating(models.Model):
    """One group's rating of one theme; no row means the group did not rate it."""

    place_standard = models.ForeignKey(
        PlaceStandardAssessment, on_delete=models.CASCADE, related_name="ratings"
    )
    theme = models.ForeignKey(PlaceStandardTheme, on_delete=models.PROTECT, related_name="+")
    group = models.CharField(max_length=12, choices=RespondentGroup.choices)
    score = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(7)]
    )

    class Meta:
        ordering = ["theme__order", "group"]
        constraints = [
            models.UniqueConstraint(
                fields=["place_standard", "theme", "group"], name="place_standard_rating_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(score__gte=1, score__lte=7), name="place_standard_score_1_to_7"
            ),
        ]

    def __str__(self):
        return f"{self.theme} ({self.group}): {self.score}"
