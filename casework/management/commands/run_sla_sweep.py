from django.core.management.base import BaseCommand

from casework.tasks import sla_sweep


class Command(BaseCommand):
    help = "Send due reminders and take every escalation step that has come (safe to run at any time)."

    def handle(self, *args, **options):
        self.stdout.write(sla_sweep())
