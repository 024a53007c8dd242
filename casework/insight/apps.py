from django.apps import AppConfig


class InsightConfig(AppConfig):
    """Reports on how the casework service is doing. Nested in casework/ because it owns its own
    tables (the daily roll-up), which it keeps from casework's cases, referrals and escalations."""

    name = "casework.insight"
    label = "insight"
    verbose_name = "Casework reports"
