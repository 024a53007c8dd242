from django.apps import AppConfig


class DbRolesConfig(AppConfig):
    """The database's two roles: the schema owner runs migrations, the runtime role runs the app and
    its workers with only the privileges they need (see grants.py). Knows no app."""

    name = "kirklees.dbroles"
    label = "dbroles"
