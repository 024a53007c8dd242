import secrets
import time

from django.core.management.base import BaseCommand
from django.test.utils import override_settings

from kirklees.mailin.imap import mailbox_poll
from kirklees.mailin.models import ImapFolder, InboundEmail
from kirklees.mailin.testserver import dovecot


def _message(run: str, n: int) -> bytes:
    return (f"From: Bench <bench@example.org>\r\nTo: casework@example.org\r\nSubject: Bench message {n}\r\n"
            f"Message-ID: <bench-{run}-{n}@example.org>\r\n\r\nMessage {n}.\r\n").encode()


class Command(BaseCommand):
    help = ("Time the IMAP poller on a mailbox of --total messages of which --new are new, on a Dovecot started "
            "for the purpose (needs /usr/sbin/dovecot). Writes to this database, then deletes what it wrote.")

    def add_arguments(self, parser):
        parser.add_argument("--total", type=int, default=10_000)
        parser.add_argument("--new", type=int, default=100)

    def handle(self, *args, total, new, **options):
        run = secrets.token_hex(4)
        old = total - new
        with dovecot(user=f"bench-{run}") as server:
            with override_settings(**server.settings(), INBOUND_IMAP_BATCH=total):
                try:
                    self._bench(server, run, old, new)
                finally:
                    deleted, _ = InboundEmail.objects.filter(message_id__startswith=f"<bench-{run}-").delete()
                    ImapFolder.objects.filter(mailbox__startswith=f"{server.user}@{server.host}/").delete()
                    self.stdout.write(f"cleaned up: {deleted} rows deleted")

    def _bench(self, server, run: str, old: int, new: int) -> None:
        """Fill the mailbox and take it all once (as on the day the poller is first set up), then time
        polls that find `new` new messages, and polls that find none."""
        started = time.monotonic()
        server.append(_message(run, n) for n in range(old))
        self.stdout.write(f"APPEND of {old:,} messages over one connection: {time.monotonic() - started:.1f}s")

        first = mailbox_poll()
        self.stdout.write(f"first poll (all {old:,} new to the poller): {first.taken:,} taken in {first.seconds:.2f}s "
                          f"({first.taken / first.seconds:,.0f} messages/s)")

        size = old
        for _ in range(3):
            server.append(_message(run, n) for n in range(size, size + new))
            size += new
            result = mailbox_poll()
            self.stdout.write(f"poll of a mailbox of {size:,} messages, {new} new: {result.taken} taken in "
                              f"{result.seconds:.3f}s")
        idle = [mailbox_poll().seconds for _ in range(5)]
        self.stdout.write(f"poll with nothing new ({size:,} messages): median {sorted(idle)[2]:.3f}s of 5 runs")
