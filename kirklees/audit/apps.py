import getpass
import sys

from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "kirklees.audit"
    label = "audit"
    verbose_name = "Audit trail"

    def ready(self):
        from . import context

        context.connect_job_signals()
        # A management command (an import, a shell, a data fix) is its own actor: the OS account that
        # ran it. The web server's and the workers' own contexts are per request and per job.
        if sys.argv and sys.argv[0].endswith("manage.py") and len(sys.argv) > 1 and sys.argv[1] != "runserver":
            context.command_context_enter(sys.argv[1], getpass.getuser())
