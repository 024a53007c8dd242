"""The one way in for email, whichever path it came by (kirklees.mailin.smtp, .imap, .webhook)."""

import email
import email.policy
from email.utils import parseaddr

from django.db import IntegrityError, transaction

from .models import InboundEmail


def _header(message, name: str) -> str:
    try:
        return str(message.get(name, "") or "").strip()
    except (ValueError, TypeError, IndexError):  # a malformed header: policy.default raises on reading it
        return ""


def inbound_message_receive(raw: bytes, *, via: str) -> InboundEmail:
    """Take one raw RFC 5322 message: parse it, record it once (a second copy with the same
    Message-ID returns the first row), and say what became of it."""
    message = email.message_from_bytes(raw, policy=email.policy.default)
    name, sender = parseaddr(_header(message, "From"))
    message_id = _header(message, "Message-ID")[:998]
    if message_id and (seen := InboundEmail.objects.filter(message_id=message_id).first()):
        return seen
    try:
        with transaction.atomic():
            return InboundEmail.objects.create(
                via=via, message_id=message_id, sender=sender[:320], sender_name=name[:200],
                subject=_header(message, "Subject")[:998], size=len(raw), outcome=InboundEmail.Outcome.UNMATCHED)
    except IntegrityError:  # the same message, taken at the same moment by another path or worker
        return InboundEmail.objects.get(message_id=message_id)
