"""The IMAP poller: reads a council mailbox (Microsoft 365, or any server that speaks IMAP) and
hands each new message to inbound_message_receive, once.

Once, however many pollers run and wherever one of them stops: each message is claimed by an
`INSERT ... ON CONFLICT DO NOTHING` of its (folder, UID) row in the same transaction that records
it, so a poller that dies before committing leaves the message to the next run, and a second
poller that reaches the same UID waits for the first to commit, then skips it. Cheap: the folder's
watermark says every UID up to it has been taken, so a poll asks the server only for the UIDs
above it (`UID SEARCH UID n:*`), and fetches only those not yet taken. A new UIDVALIDITY (the
folder was rebuilt) starts a new watermark at 0: everything is read again, and the Message-ID
dedupe in inbound_message_receive keeps each message from landing twice.

Python's own imaplib, not a client library: the poller needs five commands (LOGIN, or
AUTHENTICATE XOAUTH2 for Microsoft 365, SELECT,
UID SEARCH, UID FETCH, UID STORE), which imaplib speaks, and one less dependency is one less
thing to keep patched.
"""

import imaplib
import logging
import re
import ssl
import time
from dataclasses import dataclass, field

from django.conf import settings
from django.db import DatabaseError, connection, transaction

from . import oauth
from .models import ImapFolder, ImapMessage
from .services import inbound_message_receive

logger = logging.getLogger(__name__)

FETCH_CHUNK = 50  # messages per UID FETCH at most ...
FETCH_BYTES = 20 * 1024 * 1024  # ... and about this many bytes (one large message: a fetch of its own)


@dataclass
class PollResult:
    configured: bool = True
    taken: int = 0  # new messages this poller recorded
    skipped: int = 0  # already taken (by another poller, or an earlier run)
    failed: int = 0
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)

    def __str__(self):
        if not self.configured:
            return "IMAP polling is off: INBOUND_IMAP_HOST is not set"
        text = f"{self.taken} message{'s' if self.taken != 1 else ''} taken from the mailbox"
        if self.skipped:
            text += f", {self.skipped} already taken"
        if self.failed:
            text += f", {self.failed} failed (left for the next poll)"
        return text + f" in {self.seconds:.2f}s"


def _connect() -> imaplib.IMAP4:
    host, port = settings.INBOUND_IMAP_HOST, settings.INBOUND_IMAP_PORT
    timeout = settings.INBOUND_IMAP_TIMEOUT
    if settings.INBOUND_IMAP_SSL:
        client = imaplib.IMAP4_SSL(host, port, ssl_context=ssl.create_default_context(), timeout=timeout)
    else:
        client = imaplib.IMAP4(host, port, timeout=timeout)
        if settings.INBOUND_IMAP_STARTTLS:
            client.starttls(ssl_context=ssl.create_default_context())
    try:
        _login(client)
    except BaseException:
        try:
            client.shutdown()
        except OSError:
            pass
        raise
    return client


def _login(client: imaplib.IMAP4) -> None:
    """LOGIN with the password, or (INBOUND_IMAP_AUTH=oauth2, as Microsoft 365 needs) AUTHENTICATE
    XOAUTH2 with an access token from the client-credentials flow (kirklees.mailin.oauth)."""
    how, user = settings.INBOUND_IMAP_AUTH, settings.INBOUND_IMAP_USER
    if how == "password":
        client.login(user, settings.INBOUND_IMAP_PASSWORD)
        return
    if how != "oauth2":
        raise imaplib.IMAP4.error(f"INBOUND_IMAP_AUTH is {how!r}: it must be password or oauth2")
    try:
        token = oauth.access_token()
    except oauth.TokenError as exc:
        logger.error("IMAP poll of %s failed before logging in: %s", user, exc)
        raise
    answers = iter([oauth.xoauth2(user, token)])
    try:
        # A refusal comes as a challenge (a JSON error); the empty answer to it ends the exchange.
        client.authenticate("XOAUTH2", lambda _challenge: next(answers, b""))
    except imaplib.IMAP4.error as exc:
        oauth.forget_token()
        logger.error("IMAP server refused the OAuth access token for %s (AUTHENTICATE XOAUTH2 failed: %s); "
                     "the cached token was dropped. Check the app's IMAP.AccessAsApp permission and the "
                     "mailbox permission of its service principal", user, exc)
        raise imaplib.IMAP4.error(f"IMAP AUTHENTICATE XOAUTH2 failed for {user}: the server refused the "
                                  "access token (the cached token was dropped)") from None


def _check(reply, what: str):
    status, data = reply
    if status != "OK":
        raise imaplib.IMAP4.error(f"IMAP {what} failed: {data!r}")
    return data


_UID = re.compile(rb"UID (\d+)")


def _fetch(client: imaplib.IMAP4, uids: list[int]) -> dict[int, bytes]:
    """The raw bytes of each message, by UID (BODY.PEEK: reading does not mark it read)."""
    data = _check(client.uid("FETCH", ",".join(map(str, uids)), "(UID BODY.PEEK[])"), "FETCH")
    found: dict[int, bytes] = {}
    for i, item in enumerate(data):
        if not isinstance(item, tuple):
            continue
        match = _UID.search(item[0])
        if match is None and i + 1 < len(data) and isinstance(data[i + 1], bytes):
            match = _UID.search(data[i + 1])  # a server may send the UID after the literal
        if match:
            found[int(match.group(1))] = item[1]
    return found


_SIZE = re.compile(rb"RFC822\.SIZE (\d+)")


def _chunks(client: imaplib.IMAP4, uids: list[int]):
    """The UIDs in fetches of at most FETCH_CHUNK messages and about FETCH_BYTES, so that a poll
    never holds more than that in memory (the sizes come from one FETCH of RFC822.SIZE)."""
    sizes: dict[int, int] = {}
    for start in range(0, len(uids), 1000):
        data = _check(client.uid("FETCH", ",".join(map(str, uids[start:start + 1000])), "(UID RFC822.SIZE)"), "FETCH")
        for line in data:
            if isinstance(line, bytes) and (uid := _UID.search(line)) and (size := _SIZE.search(line)):
                sizes[int(uid.group(1))] = int(size.group(1))
    chunk, chunk_bytes = [], 0
    for uid in uids:
        size = sizes.get(uid, 0)
        if chunk and (len(chunk) == FETCH_CHUNK or chunk_bytes + size > FETCH_BYTES):
            yield chunk
            chunk, chunk_bytes = [], 0
        chunk.append(uid)
        chunk_bytes += size
    if chunk:
        yield chunk


def _claim(folder: ImapFolder, uid: int) -> int | None:
    """Insert the message's row, or wait for the poller that has (and get None once it commits)."""
    table = connection.ops.quote_name(ImapMessage._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} (folder_id, uid, taken_at) VALUES (%s, %s, now()) "
                       f"ON CONFLICT (folder_id, uid) DO NOTHING RETURNING id", [folder.pk, uid])
        row = cursor.fetchone()
    return row[0] if row else None


def _advance(folder: ImapFolder, uids: list[int]) -> None:
    """Move the watermark up to the last UID before the first not yet taken. `uids` are every UID
    above the watermark the server had when asked; UIDs only grow, so none can appear below."""
    if not uids:
        return
    taken = set(ImapMessage.objects.filter(folder=folder, uid__gte=min(uids)).values_list("uid", flat=True))
    mark = None
    for uid in sorted(uids):
        if uid not in taken:
            break
        mark = uid
    if mark is not None:
        table = connection.ops.quote_name(ImapFolder._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(f"UPDATE {table} SET watermark = GREATEST(watermark, %s) WHERE id = %s", [mark, folder.pk])


def mailbox_poll(*, limit: int | None = None) -> PollResult:
    """Take the messages that are new in the configured folder (at most `limit`, or
    INBOUND_IMAP_BATCH, per run: the next run goes on). With INBOUND_IMAP_HOST unset, does nothing
    and says so."""
    if not settings.INBOUND_IMAP_HOST:
        logger.info("IMAP polling is off: INBOUND_IMAP_HOST is not set")
        return PollResult(configured=False)
    started = time.monotonic()
    result = PollResult()
    limit = limit or settings.INBOUND_IMAP_BATCH
    name = settings.INBOUND_IMAP_FOLDER
    client = _connect()
    try:
        _check(client.select(_quoted(name)), f"SELECT {name}")
        _, (uidvalidity, *_) = client.response("UIDVALIDITY")  # from SELECT's untagged replies
        if uidvalidity is None:
            raise imaplib.IMAP4.error(f"IMAP server gave no UIDVALIDITY for {name}")
        uidvalidity = int(uidvalidity)
        mailbox = f"{settings.INBOUND_IMAP_USER}@{settings.INBOUND_IMAP_HOST}/{name}".lower()[:500]
        folder, _ = ImapFolder.objects.get_or_create(mailbox=mailbox, uidvalidity=uidvalidity)
        folder.refresh_from_db()  # another poller may have moved the watermark since
        found = _check(client.uid("SEARCH", "UID", f"{folder.watermark + 1}:*"), "SEARCH")
        # "n:*" always includes the highest UID, even when it is below n.
        above = sorted(uid for uid in map(int, b" ".join(found).split()) if uid > folder.watermark)
        taken = set(ImapMessage.objects.filter(folder=folder, uid__gt=folder.watermark)
                    .values_list("uid", flat=True))
        result.skipped = len(taken.intersection(above))
        wanted = [uid for uid in above if uid not in taken][:limit]
        try:
            for chunk in _chunks(client, wanted):
                taken_now = [uid for uid, raw in _fetch(client, chunk).items() if _take(folder, uid, raw, result)]
                if taken_now and settings.INBOUND_IMAP_MARK_SEEN:
                    _mark_seen(client, folder, taken_now)
        finally:
            try:
                _advance(folder, above)
            except DatabaseError:
                logger.exception("IMAP poll of %s could not move its watermark", name)
    finally:
        try:
            client.logout()
        except (imaplib.IMAP4.error, OSError):
            pass
    result.seconds = time.monotonic() - started
    logger.info("IMAP poll of %s: %s", name, result)
    return result


def _take(folder: ImapFolder, uid: int, raw: bytes, result: PollResult) -> bool:
    """Claim and record one message, in one transaction; say whether this poller took it."""
    try:
        with transaction.atomic():
            claimed = _claim(folder, uid)
            if claimed is None:
                result.skipped += 1
                return False
            inbound = inbound_message_receive(raw, via="imap")  # recipients: the message's own To/Cc/Delivered-To
            ImapMessage.objects.filter(pk=claimed).update(inbound=inbound)
    except DatabaseError:
        logger.exception("IMAP poll stopped at UID %s of %s: the database failed", uid, folder)
        raise  # the database is in no state to go on: the next poll starts here
    except Exception:
        result.failed += 1
        logger.exception("IMAP message UID %s of %s could not be taken; the next poll tries again", uid, folder)
        return False
    result.taken += 1
    return True


def _mark_seen(client: imaplib.IMAP4, folder: ImapFolder, uids: list[int]) -> None:
    """Flag the messages read, for a person who opens the mailbox (the poller goes by its own rows)."""
    try:
        client.uid("STORE", ",".join(map(str, uids)), "+FLAGS.SILENT", r"(\Seen)")
    except (imaplib.IMAP4.error, OSError):
        logger.warning("Could not flag %s messages of %s as read", len(uids), folder)


def _quoted(name: str) -> str:
    return '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'
