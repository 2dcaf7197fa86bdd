"""Portfolio read side for the regional dashboard: every figure is aggregated in the database."""

from __future__ import annotations

from .models import AssessmentFlag, Determinant, DeterminantRating


def store_ratings(assessment, result) -> None:
    """Rewrite the queryable per-determinant ratings and open flags of one assessment."""
    DeterminantRating.objects.filter(assessment=assessment).delete()
    AssessmentFlag.objects.filter(assessment=assessment).delete()
    determinant_ids = dict(Determinant.objects.values_list("code", "id"))
    DeterminantRating.objects.bulk_create(
        [
            DeterminantRating(
                assessment=assessment,
                determinant_id=determinant_ids[d.code],
                harm_rag=str(d.harm_rag),
                residual_harm_rag=str(d.residual_harm_rag),
                benefit_level=str(d.benefit_level or ""),
            )
            for d in result.determinants
            if d.code in determinant_ids
        ]
    )
    AssessmentFlag.objects.bulk_create(
        [AssessmentFlag(assessment=assessment, code=code) for code in sorted({f.code for f in result.flags})]
    )
