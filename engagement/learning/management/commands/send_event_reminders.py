from django.core.management.base import BaseCommand

from engagement.learning.tasks import send_event_reminders


class Command(BaseCommand):
    help = "Remind everyone booked on a learning event the day before it (once each, however often run)."

    def handle(self, *args, **options):
        self.stdout.write(send_event_reminders())
