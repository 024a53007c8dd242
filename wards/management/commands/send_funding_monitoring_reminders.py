from django.core.management.base import BaseCommand

from wards.tasks import funding_monitoring_reminders


class Command(BaseCommand):
    help = ("Mark paid funding awards whose monitoring report is due within 5 days, and tell the ward data "
            "admins and the ward's councillors (safe to run at any time: each award is reminded once).")

    def handle(self, *args, **options):
        self.stdout.write(funding_monitoring_reminders())
