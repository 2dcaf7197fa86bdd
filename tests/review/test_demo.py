"""The demo data includes an assessment in review with a consultation open, and seeding twice
changes nothing."""

from assessments.dataops.demo import seed_demo
from assessments.models import CommunityComment, StageAssessment, StatusChange


def test_seed_demo_puts_one_assessment_in_review_idempotently(ref, settings):
    # Hashing twenty demo passwords at full strength would dominate the test's run time.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    seed_demo()
    seed_demo()
    assessment = StageAssessment.objects.get(project__reference="REN-TR-031")
    assert assessment.status == "in_review"
    assert assessment.consultation_windows.filter(closed_at__isnull=True).count() == 1
    assert (
        CommunityComment.objects.count() == 1
        and CommunityComment.objects.get().replies.count() == 1
    )
    assert StatusChange.objects.filter(assessment=assessment, event="submit").count() == 1
