"""Sending notifications: one function to call, whatever the app."""

import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone

from kirklees.db import insert_rows
from kirklees.links import absolute_url
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


def notifications_send_emails(*, ids=None, limit: int = 500) -> int:
    """Send the notification emails not yet sent (all pending, or those `ids`). Safe to run twice
    at once: each is claimed before it goes, so nobody gets the same email twice."""
    pending = _claimable(Notification.objects.filter(email_wanted=True), "email_claimed_at", "email_sent_at")
    if ids is not None:
        pending = pending.filter(pk__in=ids)
    return sum(
        _send_claimed(Notification, n, "email_claimed_at", "email_sent_at", _send_email)
        for n in pending.select_related("user").order_by("created_at")[:limit]
    )


def outbound_emails_send(*, limit: int = 500) -> int:
    pending = _claimable(OutboundEmail.objects.all(), "claimed_at", "sent_at")
    return sum(_send_claimed(OutboundEmail, e, "claimed_at", "sent_at", _send_outbound)
               for e in pending.order_by("created_at")[:limit])


def emails_send_pending() -> dict:
    return {"notification emails": notifications_send_emails(), "service emails": outbound_emails_send()}


def _send_email(notification: Notification) -> None:
    context = {"notification": notification, "user": notification.user,
               "link": absolute_url(notification.url) if notification.url else ""}
    message = EmailMultiAlternatives(
        subject=notification.title,
        body=render_to_string("notifications/email/notification.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[notification.user.email],
    )
    message.attach_alternative(render_to_string("notifications/email/notification.html", context), "text/html")
    message.send()


def outbound_emails_queue(emails: list[tuple[str, str, str]]) -> None:
    """Queue (to, subject, body) emails to addresses that are not users, e.g. a service's inbox."""
    if emails:
        now = timezone.now()
        insert_rows(OutboundEmail, ["to", "subject", "body", "created_at"],
                    [(to, subject[:200], body, now) for to, subject, body in emails])
        enqueue("kirklees.notifications.tasks.send_pending_emails")


def _send_outbound(email: OutboundEmail) -> None:
    EmailMultiAlternatives(subject=email.subject, body=email.body, from_email=settings.DEFAULT_FROM_EMAIL,
                           to=[email.to]).send()


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
