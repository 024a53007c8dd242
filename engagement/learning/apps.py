from django.apps import AppConfig


class LearningConfig(AppConfig):
    """Learning and networking events with booking, and the resource library."""

    name = "engagement.learning"
    label = "learning"
    verbose_name = "Learning and networking"
