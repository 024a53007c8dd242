from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    """The inbox and email for every app. Knows users, not cases: callers pass text and a link."""

    name = "kirklees.notifications"
    label = "notifications"
