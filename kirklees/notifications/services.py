"""Sending notifications: one function to call, whatever the app."""

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db import connection, transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from kirklees.db import insert_rows
from kirklees.links import absolute_url
from kirklees.mail import html_from_text, message_id_new, with_html_part
from kirklees.tasks import enqueue

from .models import Notification, OutboundEmail, Preference

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Message:
    user_id: int
    kind: str
    title: str
    body: str = ""
    url: str = ""


def email_opt_outs(user_ids) -> set[int]:
    return set(Preference.objects.filter(user_id__in=user_ids, email=False).values_list("user_id", flat=True))


def notify_many(messages: list[Message]) -> list[int]:
    """Put each message in its person's inbox and queue the emails: a fixed number of queries,
    however many messages (the escalation sweep sends tens of thousands at once)."""
    if not messages:
        return []
    opted_out = email_opt_outs({m.user_id for m in messages})
    now = timezone.now()
    ids = insert_rows(
        Notification,
        ["user_id", "kind", "title", "body", "url", "created_at", "email_wanted"],
        [(m.user_id, m.kind, m.title[:200], m.body, m.url, now, m.user_id not in opted_out) for m in messages],
        returning="id",
    )
    emailed = [pk for pk, m in zip(ids, messages, strict=True) if m.user_id not in opted_out]
    if emailed:
        enqueue("kirklees.notifications.tasks.send_notification_emails", emailed)
    return ids


def notify(*, user, kind: str, title: str, body: str = "", url: str = "") -> Notification:
    (pk,) = notify_many([Message(user.pk, kind, title, body, url)])
    return Notification.objects.get(pk=pk)


CLAIM_TIMEOUT = timezone.timedelta(minutes=10)


def _claimable(queryset, claimed_field: str, sent_field: str):
    stale = timezone.now() - CLAIM_TIMEOUT  # a worker that claimed one and died
    return queryset.filter(**{f"{sent_field}__isnull": True}).filter(
        Q(**{f"{claimed_field}__isnull": True}) | Q(**{f"{claimed_field}__lt": stale})
    )


def _send_claimed(model, obj, claimed_field: str, sent_field: str, send) -> bool:
    """Claim one email with a conditional UPDATE, send it, mark it sent; release it on failure."""
    claimed = model.objects.filter(**{"pk": obj.pk, f"{sent_field}__isnull": True,
                                      claimed_field: getattr(obj, claimed_field)}).update(
        **{claimed_field: timezone.now()})
    if not claimed:
        return False  # another worker has it
    try:
        send(obj)
    except Exception:
        model.objects.filter(pk=obj.pk).update(**{claimed_field: None})
        logger.exception("Could not send %s %s", model.__name__, obj.pk)
        raise
    model.objects.filter(pk=obj.pk).update(**{sent_field: timezone.now()})
    return True


# A relay that is down fails every email the same way: after this many in a row, the rest wait
# for the next run instead of each waiting out its own timeout.
CONSECUTIVE_FAILURES_TO_STOP = 3


@dataclass
class SendResult:
    sent: int = 0
    failed: int = 0
    failures_in_a_row: int = 0

    def failure(self) -> bool:
        """Count a failure; True when the run should stop and leave the rest for the next one."""
        self.failed += 1
        self.failures_in_a_row += 1
        return self.failures_in_a_row >= CONSECUTIVE_FAILURES_TO_STOP


class EmailsNotSent(Exception):
    """Some emails of a run could not be sent; they stay queued for the next run."""


def notifications_send_emails(*, ids=None, limit: int = 500) -> int:
    """Send the notification emails not yet sent (all pending, or those `ids`). Safe to run twice
    at once: each is claimed before it goes, so nobody gets the same email twice. Raises once the
    others have gone if any could not be sent (the task that calls it retries)."""
    result = _notifications_send(ids=ids, limit=limit)
    if result.failed:
        raise EmailsNotSent(f"{result.failed} notification emails could not be sent; {result.sent} were")
    return result.sent


def _notifications_send(*, ids=None, limit: int = 500) -> SendResult:
    pending = _claimable(Notification.objects.filter(email_wanted=True), "email_claimed_at", "email_sent_at")
    if ids is not None:
        pending = pending.filter(pk__in=ids)
    result = SendResult()
    for notification in pending.select_related("user").order_by("created_at")[:limit]:
        try:
            result.sent += _send_claimed(Notification, notification, "email_claimed_at", "email_sent_at",
                                         _send_email)
        except Exception:
            if result.failure():
                break
        else:
            result.failures_in_a_row = 0
    return result


def _outbound_claimable():
    return _claimable(OutboundEmail.objects.filter(attempts__lt=OutboundEmail.MAX_ATTEMPTS), "claimed_at", "sent_at")


def outbound_emails_send(*, limit: int = 500) -> SendResult:
    """Send the emails to outside addresses that are waiting. Safe when two runs race (each email
    is claimed first); a failure is recorded on the email and the next run tries again."""
    result = SendResult()
    for email in _outbound_claimable().order_by("created_at")[:limit]:
        claimed = OutboundEmail.objects.filter(pk=email.pk, sent_at__isnull=True,
                                               claimed_at=email.claimed_at).update(claimed_at=timezone.now())
        if not claimed:
            continue  # another worker has it
        try:
            _send_outbound(email)
        except Exception as exc:
            OutboundEmail.objects.filter(pk=email.pk).update(
                claimed_at=None, attempts=F("attempts") + 1, last_error=f"{type(exc).__name__}: {exc}"[:500],
                last_failed_at=timezone.now())
            logger.warning("Could not send outbound email %s to %s", email.pk, email.to, exc_info=True)
            if result.failure():
                break
            continue
        result.failures_in_a_row = 0
        with transaction.atomic():
            email.sent_at = timezone.now()
            OutboundEmail.objects.filter(pk=email.pk).update(sent_at=email.sent_at, last_error="")
            if email.topic in SENT_HOOKS:
                SENT_HOOKS[email.topic]([email])
        result.sent += 1
    return result


def emails_send_pending() -> dict:
    """Everything waiting, the emails to services first (they carry referrals)."""
    from .updates import updates_send

    outbound = outbound_emails_send()
    notifications = _notifications_send()
    updates = updates_send()
    result = {"notification emails": notifications.sent, "service emails": outbound.sent}
    if updates.sent or updates.failed:
        result["updates"] = updates.sent
    if notifications.failed:
        result["notification emails failed"] = notifications.failed
    if outbound.failed:
        result["service emails failed"] = outbound.failed
    if updates.failed:
        result["updates failed"] = updates.failed
    return result


UNSUBSCRIBE_SALT = "notifications.unsubscribe"


def unsubscribe_token(user) -> str:
    """A signed token naming the user, for the one-click unsubscribe link (RFC 8058): it turns off
    their notification emails and nothing else, so it never expires."""
    return signing.dumps({"u": user.pk}, salt=UNSUBSCRIBE_SALT, compress=True)


def unsubscribe_user_id(token: str) -> int | None:
    try:
        return int(signing.loads(token, salt=UNSUBSCRIBE_SALT)["u"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None


def unsubscribe_url(user) -> str:
    return absolute_url(reverse("notifications:unsubscribe", kwargs={"token": unsubscribe_token(user)}))


def user_exists(user_id: int) -> bool:
    return get_user_model().objects.filter(pk=user_id, is_active=True).exists()


def email_preference_turn_off(*, user_id: int) -> Preference:
    """What the unsubscribe link does: this person's notification emails off (the inbox keeps them)."""
    preference, _ = Preference.objects.update_or_create(user_id=user_id, defaults={"email": False})
    return preference


def _send_email(notification: Notification) -> None:
    unsubscribe = unsubscribe_url(notification.user)
    context = {"notification": notification, "user": notification.user, "unsubscribe": unsubscribe,
               "link": absolute_url(notification.url) if notification.url else ""}
    # Made and kept before it goes, so that a reply (or a bounce) can be matched to it.
    message_id = message_id_new("notification")
    Notification.objects.filter(pk=notification.pk).update(email_message_id=message_id)
    message = EmailMultiAlternatives(
        subject=notification.title,
        body=render_to_string("notifications/email/notification.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[notification.user.email],
        headers={"Message-ID": message_id, "List-Unsubscribe": f"<{unsubscribe}>",
                 "List-Unsubscribe-Post": "List-Unsubscribe=One-Click", "Auto-Submitted": "auto-generated"},
    )
    message.attach_alternative(render_to_string("notifications/email/notification.html", context), "text/html")
    message.send()


@dataclass(frozen=True)
class OutboundMessage:
    to: str
    subject: str
    body: str
    html: str = ""
    reply_to: str = ""
    message_id: str = ""
    topic: str = ""
    topic_id: int | None = None


def outbound_emails_queue(emails: Iterable[OutboundMessage | tuple[str, str, str]]) -> None:
    """Queue emails to addresses that are not users, e.g. a service's inbox: OutboundMessages, or
    (to, subject, body) tuples. They go once the transaction commits; a broker outage only delays
    them (the periodic send-pending-emails job sends whatever is waiting)."""
    messages = [e if isinstance(e, OutboundMessage) else OutboundMessage(*e) for e in emails]
    if messages:
        now = timezone.now()
        insert_rows(OutboundEmail, ["to", "subject", "body", "html", "reply_to", "message_id", "topic", "topic_id",
                                    "created_at"],
                    [(m.to, m.subject[:200], m.body, m.html or html_from_text(m.body, title=m.subject), m.reply_to,
                      m.message_id or message_id_new("email"), m.topic, m.topic_id, now)
                     for m in messages])
        enqueue("kirklees.notifications.tasks.send_pending_emails")


# topic -> what to do once emails of that topic have been handed to the mail backend (called in
# the transaction that marks them sent). Apps register theirs in AppConfig.ready().
SENT_HOOKS: dict[str, Callable[[list[OutboundEmail]], None]] = {}


def outbound_on_sent(topic: str, hook: Callable[[list[OutboundEmail]], None]) -> None:
    SENT_HOOKS[topic] = hook


def _send_outbound(email: OutboundEmail) -> None:
    message = EmailMultiAlternatives(subject=email.subject, body=email.body, from_email=settings.DEFAULT_FROM_EMAIL,
                                     to=[email.to], reply_to=[email.reply_to] if email.reply_to else None,
                                     headers={"Message-ID": email.message_id} if email.message_id else {})
    if email.html:
        message.attach_alternative(email.html, "text/html")
    with_html_part(message).send()


def outbound_emails_failing():
    """Emails to outside addresses that have failed at least once and not gone since."""
    return OutboundEmail.objects.filter(sent_at__isnull=True, attempts__gt=0).order_by("-last_failed_at")


def notifications_unread_count(user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


@transaction.atomic
def notifications_mark_read(*, user, ids=None) -> int:
    unread = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=ids)
    return unread.update(read_at=timezone.now())


def preference_for(user) -> Preference:
    return Preference.objects.filter(user=user).first() or Preference(user=user)


# --- redaction (a person's data anonymised or erased, issue 13) ----------------------------------

REDACTED = "[redacted]"


def notifications_redact(*, urls: list[str]) -> int:
    """Remove what the notifications about these pages (a case's, say) said: their titles name only
    the page's reference, their bodies may say more. One UPDATE (an array, whatever the count)."""
    if not urls:
        return 0
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {Notification._meta.db_table} SET body = '' WHERE url = ANY(%s) AND body <> ''",
                       [list(urls)])
        return cursor.rowcount


def outbound_emails_redact(*, topic: str, topic_ids: list[int], recipient_too: bool = False) -> int:
    """Remove the subject and text of the emails about these things (a referral, say), and with
    `recipient_too` the address they went to (a letter to the resident); one not yet sent never
    will be (it shows as failed). One UPDATE; returns how many changed."""
    if not topic_ids:
        return 0
    with connection.cursor() as cursor:
        cursor.execute(
            f"""UPDATE {OutboundEmail._meta.db_table}
                   SET subject = %s, body = %s, html = '', "to" = CASE WHEN %s THEN '' ELSE "to" END,
                       reply_to = CASE WHEN %s THEN '' ELSE reply_to END,
                       attempts = CASE WHEN sent_at IS NULL THEN %s ELSE attempts END,
                       last_error = CASE WHEN sent_at IS NULL THEN %s ELSE last_error END
                 WHERE topic = %s AND topic_id = ANY(%s) AND subject <> %s""",
            [REDACTED, REDACTED, recipient_too, recipient_too, OutboundEmail.MAX_ATTEMPTS,
             "Not sent: what it said was erased", topic, list(topic_ids), REDACTED])
        return cursor.rowcount
