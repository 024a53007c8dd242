from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections

from kirklees.dbroles.grants import RuntimeRoleRefused, connected_as_owner, runtime_role_grant


class Command(BaseCommand):
    help = ("Grants the runtime role (by default DATABASE_URL's user) what the app and workers need and no "
            "more: connect, read and write rows, use sequences; only read and add rows on "
            "settings.APPEND_ONLY_TABLES. Connects as the schema owner (MIGRATE_DATABASE_URL). Safe to run "
            "again; `migrate` runs it after migrating.")

    def add_arguments(self, parser):
        parser.add_argument("role", nargs="?", help="the runtime role (default: DATABASE_URL's user)")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args, role=None, database=DEFAULT_DB_ALIAS, **options):
        role = role or connections[database].settings_dict["USER"]
        try:
            with connected_as_owner(database):
                granted = runtime_role_grant(role=role, using=database)
        except RuntimeRoleRefused as refused:
            raise CommandError(f"Nothing was granted to {role}. {refused}") from refused
        self.stdout.write(f"Granted the runtime role {granted}")
