"""The one way in for email, whichever path it came by (the local SMTP server, an IMAP mailbox, a
provider's webhook): `inbound_message_receive(raw, via=..., recipients=[...])`.

It parses with Python's `email` package (policy.default), records each message once by its
Message-ID, keeps the whole original in private storage under a random name, and sorts out what
must never land on a case: automatic replies (RFC 3834), bounces (delivery status reports), our own
messages coming back (mail loops), messages too large to take and messages it cannot read (each
refused with a reason). The rest is offered to the matchers apps register (`inbound_matcher_register`);
one that claims it says so, otherwise it waits in the team's "unmatched email" list.

Nothing from outside is trusted as HTML: an HTML-only body becomes plain text here (scripts and
styles dropped, links reduced to their words) and is only ever shown as text.
"""

import email
import email.policy
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.parser import BytesHeaderParser
from email.utils import getaddresses, parseaddr
from html.parser import HTMLParser

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone

from kirklees.govuk.uploads import upload_type_check

from .models import InboundEmail

Outcome = InboundEmail.Outcome


# --- what a matcher sees ------------------------------------------------------------------


@dataclass
class InboundAttachment:
    name: str
    data: bytes
    content_type: str = ""  # the type read from its content, when it passed the check
    refused: str = ""  # why the content check refused it, when it did


@dataclass
class ParsedMessage:
    """A message as the matchers see it. `is_bounce`: a delivery status report, offered to the
    matchers so that an app can mark what bounced; `bounced_text` is the report's own text and the
    headers of the message that bounced."""

    message_id: str
    sender: str
    sender_name: str
    subject: str
    addresses: list[str]  # envelope recipients, To, Cc and Delivered-To, lower-case
    in_reply_to: list[str]
    references: list[str]
    text: str  # trimmed of quoted history and signature
    full_text: str
    attachments: list[InboundAttachment] = field(default_factory=list)
    raw: bytes = b""
    is_bounce: bool = False
    bounced_text: str = ""
    inbound: InboundEmail | None = None
    # Files a matcher stored for it: removed again if the message's transaction rolls back.
    written: list[str] = field(default_factory=list)

    @property
    def kept_attachments(self) -> list[InboundAttachment]:
        return [a for a in self.attachments if not a.refused]


@dataclass
class Claim:
    topic: str
    topic_id: int


# Each takes a ParsedMessage and returns a Claim (it has taken the message: whatever it wrote is
# in the same transaction as the message's own row) or None. Apps register theirs in ready().
MATCHERS: list[Callable[[ParsedMessage], Claim | None]] = []


def inbound_matcher_register(matcher: Callable[[ParsedMessage], Claim | None]) -> None:
    if matcher not in MATCHERS:
        MATCHERS.append(matcher)


# --- reading a message --------------------------------------------------------------------


def _header(message, name: str) -> str:
    try:
        return str(message.get(name, "") or "").strip()
    except (ValueError, TypeError, IndexError, AttributeError):  # a malformed header: policy.default raises
        return ""


def _headers_all(message, name: str) -> list[str]:
    try:
        return [str(v) for v in (message.get_all(name) or [])]
    except (ValueError, TypeError, IndexError, AttributeError):
        return []


_MSGID = re.compile(r"<[^<>\s]+>")


def _message_ids(value: str) -> list[str]:
    return _MSGID.findall(value or "")


def _addresses(message, recipients: Sequence[str]) -> list[str]:
    values = [*recipients]
    for name in ("To", "Cc", "Delivered-To", "X-Original-To"):
        values += [address for _, address in getaddresses(_headers_all(message, name))]
    seen = []
    for address in values:
        address = (address or "").strip().strip("<>").lower()
        if address and address not in seen:
            seen.append(address)
    return seen


class _TextFromHtml(HTMLParser):
    """Plain text from HTML: the words only. Scripts, styles and the head are dropped; links give
    their words, never their targets; nothing is fetched."""

    SKIP = {"script", "style", "head", "title", "noscript", "template", "svg", "object", "iframe"}
    BLOCK = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "table", "ul", "ol",
             "pre", "hr", "section", "article", "header", "footer"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self.skipping += 1
        elif tag in self.BLOCK:
            self.parts.append("\n")

    def handle_startendtag(self, tag, attrs):
        if tag in self.BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in self.SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag in self.BLOCK:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(data)


def text_from_html(html: str) -> str:
    parser = _TextFromHtml()
    try:
        parser.feed(html)
        parser.close()
    except (AssertionError, ValueError):  # badly broken markup: keep what was read
        pass
    lines = [re.sub(r"[ \t\r\f\v\xa0]+", " ", line).strip() for line in "".join(parser.parts).split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


_QUOTE_HEADS = [
    re.compile(r"^\s*On\b.{0,300}\bwrote:\s*$", re.IGNORECASE),  # Gmail, Apple Mail, Thunderbird
    re.compile(r"^\s*-{2,}\s*Original Message\s*-{2,}\s*$", re.IGNORECASE),  # Outlook
    re.compile(r"^\s*_{10,}\s*$"),  # Outlook's rule above "From: ... Sent: ..."
]
_FROM_LINE = re.compile(r"^\s*\*?From:\*?\s", re.IGNORECASE)
_SENT_LINE = re.compile(r"^\s*\*?(Sent|Date):\*?\s", re.IGNORECASE)


def text_trim(text: str) -> str:
    """The new words of a reply: quoted history ("On ... wrote:", "> " lines, Outlook's
    "Original Message" and "From: ... Sent: ..." blocks) and the signature ("-- ") cut off."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    kept: list[str] = []
    for i, line in enumerate(lines):
        two = f"{line} {lines[i + 1]}" if i + 1 < len(lines) else line  # "On ... \n ... wrote:"
        if line in ("-- ", "--"):  # the signature delimiter (some clients drop its space)
            break
        if any(p.match(line) for p in _QUOTE_HEADS) or (_QUOTE_HEADS[0].match(two) and line.lstrip().startswith("On ")):
            break
        if _FROM_LINE.match(line) and any(_SENT_LINE.match(n) for n in lines[i + 1:i + 4]):
            break
        if line.lstrip().startswith(">"):
            continue
        kept.append(line.rstrip())
    return "\n".join(kept).strip()


def _body_text(message: EmailMessage) -> str:
    try:
        body = message.get_body(preferencelist=("plain", "html"))
        if body is None:
            return ""
        content = body.get_content()
    except (KeyError, LookupError, ValueError, TypeError, AttributeError, UnicodeError):
        return ""
    if not isinstance(content, str):
        return ""
    return text_from_html(content) if body.get_content_type() == "text/html" else content.strip()


class _Sized:
    """A file-like view of bytes with a `size` and `name`, for the uploads' content check."""

    def __init__(self, data: bytes, name: str):
        import io

        self._io, self.size, self.name = io.BytesIO(data), len(data), name

    def seek(self, *args):
        return self._io.seek(*args)

    def read(self, *args):
        return self._io.read(*args)

    def tell(self):
        return self._io.tell()


def attachment_check(name: str, data: bytes) -> tuple[str, str]:
    """(content type, "") for an attachment the content check accepts, ("", reason) otherwise: the
    same check as an upload (type by content, never by name; the size limit)."""
    try:
        mime = upload_type_check(_Sized(data, name), allowed=settings.INBOUND_ATTACHMENT_TYPES,
                                 max_bytes=settings.INBOUND_ATTACHMENT_MAX_BYTES,
                                 wrong_type="Not a PDF, JPEG, PNG or Word document, whatever its name says")
    except ValidationError as refusal:
        return "", "; ".join(refusal.messages)[:200]
    return mime, ""


def _attachments(message: EmailMessage) -> list[InboundAttachment]:
    found = []
    for part in message.iter_attachments():
        if part.get_content_maintype() == "multipart" or part.get_content_type() == "message/rfc822":
            continue
        name = (part.get_filename() or "attachment").replace("/", "_").replace("\\", "_")[:200]
        try:
            data = part.get_payload(decode=True) or b""
        except (ValueError, TypeError, AttributeError):
            data = b""
        mime, refused = attachment_check(name, data)
        found.append(InboundAttachment(name=name, data=data, content_type=mime, refused=refused))
    return found


# --- what must not land on a case ---------------------------------------------------------


def _is_auto_reply(message) -> str:
    auto = _header(message, "Auto-Submitted").lower()
    if auto and auto.split(";")[0].strip() != "no":
        return f"An automatic reply (Auto-Submitted: {auto[:40]})"
    if _header(message, "X-Autoreply") or _header(message, "X-Autorespond") or _header(message, "X-Autoresponse"):
        return "An automatic reply (X-Autoreply)"
    precedence = _header(message, "Precedence").lower()
    if precedence in {"bulk", "junk", "auto_reply", "list"}:
        return f"An automatic or bulk message (Precedence: {precedence})"
    return ""


def _is_bounce(message) -> bool:
    if message.get_content_type() == "multipart/report" and \
            message.get_param("report-type", "", header="content-type").lower() == "delivery-status":
        return True
    has_status = any(p.get_content_type() == "message/delivery-status" for p in message.walk())
    return has_status and _header(message, "Return-Path") in {"<>", ""}


def _bounced_text(message) -> str:
    """The report's words and the headers of the message that bounced (where our Message-ID is)."""
    parts = []
    for part in message.walk():
        if part.is_multipart() and part.get_content_type() != "message/rfc822":
            continue
        try:
            payload = part.get_payload(decode=False)
            parts.append(payload if isinstance(payload, str) else str(part))
        except (ValueError, TypeError, AttributeError):
            continue
    return "\n".join(parts)[:200_000]


def _is_ours(message_id: str) -> bool:
    from kirklees.notifications.models import OutboundEmail

    if not message_id:
        return False
    if message_id.lower().endswith(f"@{settings.INBOUND_EMAIL_DOMAIN.lower()}>"):
        return True
    return OutboundEmail.objects.filter(message_id=message_id).exists()


# --- the way in ---------------------------------------------------------------------------


def _record(*, raw: bytes | None, parsed: ParsedMessage | None, claim_with_matchers: bool, **fields) -> InboundEmail:
    """Write the row (and the original, under a random name) in one go: if anything fails, neither
    the row, nor the original, nor anything a matcher wrote is left behind."""
    inbound = InboundEmail(**fields)
    stored = ""
    if raw is not None:
        stored = default_storage.save(inbound.raw.field.upload_to(inbound, ""), ContentFile(raw))
        inbound.raw.name = stored
    try:
        with transaction.atomic():
            inbound.save()
            if parsed is not None and claim_with_matchers:
                parsed.inbound = inbound
                for matcher in MATCHERS:
                    claim = matcher(parsed)
                    if claim is not None:
                        inbound.topic, inbound.topic_id = claim.topic, claim.topic_id
                        if inbound.outcome == Outcome.UNMATCHED:
                            inbound.outcome, inbound.reason = Outcome.MATCHED, ""
                        inbound.save(update_fields=["topic", "topic_id", "outcome", "reason"])
                        break
        return inbound
    except BaseException:
        for name in [stored, *(parsed.written if parsed is not None else [])]:
            if name:
                default_storage.delete(name)
        raise


def inbound_message_parse(raw: bytes, *, recipients: Sequence[str] = ()) -> ParsedMessage:
    message = email.message_from_bytes(raw, policy=email.policy.default)
    name, sender = parseaddr(_header(message, "From"))
    full_text = _body_text(message)
    return ParsedMessage(
        message_id=_header(message, "Message-ID")[:998], sender=sender.strip().lower()[:320], sender_name=name[:200],
        subject=_header(message, "Subject")[:998], addresses=_addresses(message, recipients),
        in_reply_to=_message_ids(_header(message, "In-Reply-To")),
        references=_message_ids(" ".join(_headers_all(message, "References"))),
        text=text_trim(full_text), full_text=full_text, attachments=_attachments(message), raw=raw,
    )


def inbound_message_receive(raw: bytes, *, via: str, recipients: Sequence[str] = ()) -> InboundEmail:
    """Take one raw RFC 5322 message: parse it, record it once (a second copy with the same
    Message-ID returns the first row), and say what became of it (its `outcome` and `reason`)."""
    recipients = [str(r)[:320] for r in recipients]
    common = {"via": via, "size": len(raw), "recipients": recipients}
    # Too large: refused from its headers alone, and not kept.
    if len(raw) > settings.INBOUND_EMAIL_MAX_BYTES:
        headers = BytesHeaderParser(policy=email.policy.default).parsebytes(raw[:256 * 1024], headersonly=True)
        name, sender = parseaddr(_header(headers, "From"))
        message_id = _header(headers, "Message-ID")[:998]
        return _once(message_id, lambda: _record(
            raw=None, parsed=None, claim_with_matchers=False, message_id=message_id, sender=sender[:320],
            sender_name=name[:200], subject=_header(headers, "Subject")[:998], outcome=Outcome.REFUSED,
            reason=f"Larger than {settings.INBOUND_EMAIL_MAX_BYTES // (1024 * 1024)} MB: not kept", **common))

    try:
        message = email.message_from_bytes(raw, policy=email.policy.default)
        name, sender = parseaddr(_header(message, "From"))
        message_id = _header(message, "Message-ID")[:998]
        subject = _header(message, "Subject")[:998]
    except Exception:  # noqa: BLE001 - whatever the parser chokes on, the message is refused, not lost
        message, name, sender, message_id, subject = None, "", "", "", ""
    base = {"message_id": message_id, "sender": sender[:320], "sender_name": name[:200], "subject": subject, **common}
    if message is None or "@" not in sender:
        return _once(message_id, lambda: _record(
            raw=raw, parsed=None, claim_with_matchers=False, outcome=Outcome.REFUSED,
            reason="Malformed: no sender address (From) could be read", **base))

    def receive() -> InboundEmail:
        if _is_ours(message_id):
            return _record(raw=raw, parsed=None, claim_with_matchers=False, outcome=Outcome.LOOP,
                           reason="Our own message came back (a mail loop)", **base)
        if _is_bounce(message):
            parsed = ParsedMessage(message_id=message_id, sender=sender.lower(), sender_name=name, subject=subject,
                                   addresses=_addresses(message, recipients), in_reply_to=[], references=[],
                                   text="", full_text="", raw=raw, is_bounce=True, bounced_text=_bounced_text(message))
            return _record(raw=raw, parsed=parsed, claim_with_matchers=True, outcome=Outcome.BOUNCE,
                           reason="A delivery failure report (bounce)", **base)
        if reason := _is_auto_reply(message):
            return _record(raw=raw, parsed=None, claim_with_matchers=False, outcome=Outcome.AUTO_REPLY,
                           reason=reason, **base)
        parsed = inbound_message_parse(raw, recipients=recipients)
        refused = [{"name": a.name, "reason": a.refused} for a in parsed.attachments if a.refused]
        return _record(raw=raw, parsed=parsed, claim_with_matchers=True, outcome=Outcome.UNMATCHED,
                       reason="No case or referral matched it", text=parsed.text, full_text=parsed.full_text,
                       refused_attachments=refused, **base)

    return _once(message_id, receive)


def _once(message_id: str, receive: Callable[[], InboundEmail]) -> InboundEmail:
    if message_id and (seen := InboundEmail.objects.filter(message_id=message_id).first()):
        return seen
    try:
        return receive()
    except IntegrityError:  # the same message, taken at the same moment by another path or worker
        if message_id and (seen := InboundEmail.objects.filter(message_id=message_id).first()):
            return seen
        raise


# --- the team's decisions -----------------------------------------------------------------


def inbound_emails_for_the_team():
    return InboundEmail.objects.filter(outcome__in=InboundEmail.FOR_THE_TEAM, handled_at__isnull=True)


def inbound_email_handled(inbound: InboundEmail, *, by, claim: Claim | None = None) -> InboundEmail:
    """Record a person's decision on a message from the list: attached (with the claim) or discarded.
    Conditional, so two people deciding at once cannot both act on it: returns 0 rows → ValueError."""
    values = {"handled_at": timezone.now(), "handled_by": by}
    if claim is not None:
        values |= {"topic": claim.topic, "topic_id": claim.topic_id, "outcome": Outcome.MATCHED,
                   "reason": f"Attached by {getattr(by, 'full_name', '') or by}"}
    else:
        values |= {"discarded": True}
    updated = InboundEmail.objects.filter(pk=inbound.pk, handled_at__isnull=True).update(**values)
    if updated != 1:
        raise ValueError("Someone else has already dealt with this email")
    inbound.refresh_from_db()
    return inbound


def inbound_emails_redact(*, topic: str, topic_ids: list[int], text: str) -> int:
    """For erasure: forget the words of the messages claimed for these (in the caller's transaction;
    their originals go with `inbound_email_originals_delete` once it has committed)."""
    return InboundEmail.objects.filter(topic=topic, topic_id__in=topic_ids).update(
        subject=text, text=text, full_text=text, refused_attachments=[])


def inbound_email_originals_delete(*, topic: str, topic_ids: list[int]) -> int:
    """Delete from storage the originals of the messages claimed for these, then forget their names."""
    rows = list(InboundEmail.objects.filter(topic=topic, topic_id__in=topic_ids).exclude(raw="")
                .values_list("pk", "raw"))
    for _, name in rows:
        default_storage.delete(name)  # no error if it has gone already
    if rows:
        InboundEmail.objects.filter(pk__in=[pk for pk, _ in rows]).update(raw="")
    return len(rows)
