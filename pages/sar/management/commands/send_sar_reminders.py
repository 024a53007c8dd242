from django.core.management.base import BaseCommand

from pages.sar.tasks import sar_reminders


class Command(BaseCommand):
    help = ("Remind the liaison managers and each request's starter of subject access requests due within 7 days, "
            "tomorrow, or overdue (safe to run at any time: each reminder goes once).")

    def handle(self, *args, **options):
        self.stdout.write(sar_reminders())
