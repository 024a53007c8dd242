"""The local SMTP server (aiosmtpd) that delivers into `inbound_message_receive`: for `make run`,
so that a person can reply with any mail client, swaks or smtplib, and for the tests."""

import logging

from aiosmtpd.controller import Controller
from asgiref.sync import sync_to_async
from django.db import close_old_connections, connections

from .services import inbound_message_receive

log = logging.getLogger(__name__)


def _receive(content: bytes, recipients: list[str]):
    close_old_connections()
    try:
        return inbound_message_receive(content, via="smtp", recipients=recipients)
    finally:
        connections.close_all()  # this thread's own connection: a pool thread may not come back


class InboundHandler:
    async def handle_DATA(self, server, session, envelope):
        try:
            inbound = await sync_to_async(_receive, thread_sensitive=False)(bytes(envelope.content),
                                                                          list(envelope.rcpt_tos))
        except Exception:  # noqa: BLE001 - tell the sender to try again later rather than lose it
            log.exception("inbound email not taken")
            return "451 Requested action aborted: error in processing"
        log.info("inbound email %s: %s", inbound.pk, inbound.outcome)
        return "250 Message accepted for delivery"


def smtp_controller(*, host: str = "127.0.0.1", port: int = 2525) -> Controller:
    """A controller (not started) serving on a loopback address; the message size limit is the
    server's own (SMTP SIZE) with room above the app's, so that the app records the refusal."""
    from django.conf import settings

    if host not in {"127.0.0.1", "::1", "localhost"}:
        raise ValueError("The local SMTP server listens on a loopback address only")
    return Controller(InboundHandler(), hostname=host, port=port,
                      data_size_limit=settings.INBOUND_EMAIL_MAX_BYTES * 2)
