"""Time the inbound email path (parse, match, store) for replies to referrals, with attachments.

Runs against the demo data (`make run` or `manage.py seed_demo` first: a referral waiting for its
service, with a reply address), in one transaction that is rolled back at the end, with the files
written to a temporary directory that is removed: nothing is left behind. A third of the replies
match by the plus address, a third by In-Reply-To, a third by the case reference in the subject
from the service's confirmed address; each carries a PDF, and every tenth also an executable
dressed as a PDF (refused, the rest kept).
"""

import shutil
import statistics
import tempfile
import time
from email.message import EmailMessage

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test import override_settings

from casework.models import CaseEvent, Referral
from casework.referral_emails import TOPIC, reply_address
from kirklees.mailin.models import InboundEmail
from kirklees.mailin.services import inbound_message_receive
from kirklees.notifications.models import OutboundEmail

PDF = b"%PDF-1.4\n" + b"0" * 50_000 + b"\n%%EOF\n"
EXE = b"MZ\x90\x00" + b"\x00" * 4096


class _RollBack(Exception):
    pass


def _reply(i: int, referral: Referral, thread_id: str) -> bytes:
    message = EmailMessage()
    service = referral.service
    message["From"] = f"{service.name} <{service.confirmed_email}>"
    message["Message-ID"] = f"<bench-{i}-{time.monotonic_ns()}@bench.example>"
    way = i % 3
    message["To"] = reply_address(referral) if way == 0 else "casework@bench.example"
    if way == 1:
        message["In-Reply-To"] = thread_id
    message["Subject"] = f"Re: case {referral.case.reference}" if way == 2 else "Re: your referral"
    message.set_content(f"Reply {i}: we have dealt with it.\n\n-- \n{service.name}\n\n"
                        "On Tue, 1 Dec 2026, Casework wrote:\n> Please look into this.\n")
    message.add_attachment(PDF, maintype="application", subtype="pdf", filename=f"report-{i}.pdf")
    if i % 10 == 0:
        message.add_attachment(EXE, maintype="application", subtype="pdf", filename="invoice.pdf")
    return bytes(message)


class Command(BaseCommand):
    help = "Messages per second through the inbound email path (parse, match, store), rolled back after."

    def add_arguments(self, parser):
        parser.add_argument("--messages", type=int, default=1000)

    def handle(self, *args, messages, **options):
        referral = (Referral.objects.filter(responded_at__isnull=True, reply_token__isnull=False)
                    .exclude(service__confirmed_email="").select_related("case", "service").order_by("pk").first())
        if referral is None:
            raise CommandError("No referral waiting for its service with a reply address: run seed_demo first.")
        directory = tempfile.mkdtemp(prefix="bench-inbound-")
        storages = {**settings.STORAGES, "default": {**settings.STORAGES["default"],
                                                     "OPTIONS": {"location": directory, "base_url": None}}}
        timings: list[float] = []
        try:
            with override_settings(STORAGES=storages), transaction.atomic():
                thread_id = f"<referral.{referral.reply_token}.bench@{settings.INBOUND_EMAIL_DOMAIN}>"
                OutboundEmail.objects.create(to=referral.service.confirmed_email, subject="bench", body="bench",
                                             message_id=thread_id, topic=TOPIC, topic_id=referral.pk)
                raws = [_reply(i, referral, thread_id) for i in range(messages)]
                size = sum(len(r) for r in raws)
                started = time.perf_counter()
                for raw in raws:
                    t = time.perf_counter()
                    inbound_message_receive(raw, via="smtp")
                    timings.append(time.perf_counter() - t)
                elapsed = time.perf_counter() - started
                matched = InboundEmail.objects.filter(message_id__startswith="<bench-", outcome="matched").count()
                events = CaseEvent.objects.filter(case=referral.case, kind=CaseEvent.Kind.REPLY_RECEIVED).count()
                raise _RollBack
        except _RollBack:
            pass
        finally:
            shutil.rmtree(directory, ignore_errors=True)
        timings.sort()
        self.stdout.write(
            f"{messages} replies ({size / messages / 1024:.0f} KB each on average, each with a PDF; every tenth "
            f"also an executable named .pdf): {matched} matched, {events} on the case\n"
            f"{messages / elapsed:.1f} messages/second ({elapsed:.2f} s); per message median "
            f"{statistics.median(timings) * 1000:.1f} ms, 95th percentile "
            f"{timings[int(len(timings) * 0.95) - 1] * 1000:.1f} ms\n(rolled back: nothing kept)")
