from django.apps import AppConfig


class JobsConfig(AppConfig):
    """A record of each periodic job's runs, for the "scheduled jobs" page. Knows no app."""

    name = "kirklees.jobs"
    label = "jobs"
