from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "assessments"
    verbose_name = "Health inequalities assessments"

    def ready(self):
        # Register the review and community-panel inputs to scoring (overdue actions, material
        # change, panel HIA requests and concerns).
        from . import community, workflow  # noqa: F401
        from . import place, scoring

        # The share of the catchment living in SIMD quintile 1 feeds the deprived-area rule.
        if place.deprived_area_context not in scoring.CONTEXT_PROVIDERS:
            scoring.CONTEXT_PROVIDERS.append(place.deprived_area_context)
