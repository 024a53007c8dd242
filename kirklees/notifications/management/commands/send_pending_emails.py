from django.core.management.base import BaseCommand

from kirklees.notifications.tasks import send_pending_emails


class Command(BaseCommand):
    help = "Send every email still waiting to go (safe to run at any time)."

    def handle(self, *args, **options):
        self.stdout.write(str(send_pending_emails()))
