from django.core.management.base import BaseCommand

from casework.tasks import daily_digest


class Command(BaseCommand):
    help = "Send each councillor yesterday's changes to their cases (once a day, however often run)."

    def handle(self, *args, **options):
        self.stdout.write(daily_digest())
