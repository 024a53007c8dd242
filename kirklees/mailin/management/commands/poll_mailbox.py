from django.core.management.base import BaseCommand

from kirklees.mailin.tasks import mailbox_poll


class Command(BaseCommand):
    help = ("Take new messages from the council's IMAP mailbox (INBOUND_IMAP_*), each once: safe to run at any "
            "time, and beside the mailbox-poll job.")

    def handle(self, *args, **options):
        self.stdout.write(str(mailbox_poll()))
