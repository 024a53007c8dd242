from django.apps import AppConfig


class UsersConfig(AppConfig):
    name = "kirklees.users"
    label = "users"

    def ready(self):
        from . import signals  # noqa: F401  (connects the receivers)
