from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "assessments"
    verbose_name = "Health inequalities assessments"

    def ready(self):
        # Register the review and community-panel inputs to scoring (overdue actions, material
        # change, panel HIA requests and concerns).
        from . import community, workflow  # noqa: F401
