from django.apps import AppConfig


class StoriesConfig(AppConfig):
    """Stories of councillor–officer joint working. Nested in engagement/ with its own migrations,
    so that it grows apart from Place Standard."""

    name = "engagement.stories"
    label = "stories"
    verbose_name = "Stories of joint working"
