from django.core.management.base import CommandError
from django.core.management.commands import migrate
from django.db import connections

from kirklees.dbroles.grants import (RuntimeRoleRefused, connected_as_owner, owner_settings, runtime_role_grant,
                                     trigger_ignore_check_install)


class Command(migrate.Command):
    help = (migrate.Command.help + " Connects as the schema owner (MIGRATE_DATABASE_URL, else DATABASE_URL); "
            "when that is another role than DATABASE_URL's, grants DATABASE_URL's role its runtime privileges "
            "afterwards (as grant_runtime_role does), since new tables need them. Then puts back the project's "
            "trigger-ignore check over pgtrigger's (kirklees.dbroles.grants.OWNER_ONLY_TRIGGER_IGNORE).")

    def handle(self, *args, **options):
        alias = options["database"]
        runtime = connections[alias].settings_dict["USER"]
        try:
            owner_settings(alias)  # two URLs naming two databases: refused before anything is done
        except RuntimeRoleRefused as refused:
            raise CommandError(str(refused)) from refused
        with connected_as_owner(alias) as owner:
            super().handle(*args, **options)
            if options["plan"] or options["check_unapplied"]:
                return
            trigger_ignore_check_install(alias)  # pgtrigger's own came back with any trigger migrated
            if runtime == owner:
                return
            try:
                granted = runtime_role_grant(role=runtime, using=alias)
            except RuntimeRoleRefused as refused:
                raise CommandError(f"Migrated, but granted nothing to {runtime}. {refused}") from refused
        if options["verbosity"] >= 1:
            self.stdout.write(f"Granted the runtime role {granted}")
