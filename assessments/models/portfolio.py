"""Queryable copies of parts of an assessment's score snapshot, for the portfolio dashboard.

The snapshot JSON cannot be filtered or grouped portably across SQLite and PostgreSQL, so
scoring.refresh_snapshot also writes one row per determinant and one per open flag. They are
derived data: rewritten whole on every refresh and never edited by hand.
"""

from django.db import models


class DeterminantRating(models.Model):
    assessment = models.ForeignKey(
        "assessments.StageAssessment", on_delete=models.CASCADE, related_name="determinant_ratings"
    )
    determinant = models.ForeignKey(
        "assessments.Determinant", on_delete=models.PROTECT, related_name="+"
    )
    harm_rag = models.CharField(max_length=10, blank=True, default="")
    residual_harm_rag = models.CharField(max_length=10, blank=True, default="")
    benefit_level = models.CharField(max_length=10, blank=True, default="")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "determinant"], name="determinant_rating_unique"
            )
        ]
        # The heat map reads only red and amber harms.
        indexes = [models.Index(fields=["harm_rag", "assessment"], name="determinant_rating_harm")]

    def __str__(self):
        return f"{self.determinant_id}: {self.harm_rag}"


class AssessmentFlag(models.Model):
    assessment = models.ForeignKey(
        "assessments.StageAssessment", on_delete=models.CASCADE, related_name="flags"
    )
    code = models.CharField(max_length=4)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assessment", "code"], name="assessment_flag_unique")
        ]

    def __str__(self):
        return self.code
