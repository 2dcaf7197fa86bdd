"""The daily retention run, as a background task (`manage.py apply_retention` does the same)."""

from django.tasks import task

from assessments.privacy import retention


@task
def apply_retention_daily() -> dict:
    return retention.apply_retention().counts
