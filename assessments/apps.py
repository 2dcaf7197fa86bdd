from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "assessments"
    verbose_name = "Health inequalities assessments"

    def ready(self):
        # board: the portfolio's cached figures are renewed when their rows change.
        from assessments.portfolio import cache
        from assessments.projects import latest

        cache.connect()
        # Each project's latest assessment is kept marked (StageAssessment.is_latest).
        latest.connect()
