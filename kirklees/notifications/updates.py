"""Short updates to people who are not users (a resident told of their case's progress), by email
or text message, through one interface with two implementations chosen by a setting:

- "email" (EmailUpdates): Django's email backend, a plain-text and an HTML part rendered from
  notifications/updates/<template>.txt, .html and _subject.txt. It cannot send text messages: an
  SMS update is recorded as not sent, with the reason (shown to staff), and never retried.
- "notify" (NotifyUpdates): GOV.UK Notify through notifications-python-client, each template by its
  Notify id (settings.NOTIFY_TEMPLATES: template key -> {"email": id, "sms": id}), the API key from
  the environment (NOTIFY_API_KEY), the API at NOTIFY_BASE_URL.

An app queues an update with a template key and its personalisation (`updates_queue`), in its own
transaction; it goes after the commit, claimed first so that it is sent once even when two workers
race, its failures counted on the row; a failure never reaches the request that queued it.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone

from kirklees.mail import message_id_new
from kirklees.tasks import enqueue

from .models import Update
from .services import SendResult, _claimable

logger = logging.getLogger(__name__)


class NotSendable(Exception):
    """This update can never be sent as it is (a channel the backend lacks, an address the provider
    refuses, a template not configured): it is recorded as not sent and not tried again."""


class UpdateBackend:
    """The one interface. `send` returns the provider's id for the message (may be empty); raises
    NotSendable for a permanent refusal, anything else for a failure worth retrying."""

    name = ""

    def send(self, update: Update) -> str:
        if update.channel == Update.Channel.EMAIL:
            return self.send_email(update)
        return self.send_sms(update)

    def send_email(self, update: Update) -> str:
        raise NotImplementedError

    def send_sms(self, update: Update) -> str:
        raise NotImplementedError


class EmailUpdates(UpdateBackend):
    name = "email"
    SMS_UNAVAILABLE = ("Not sent: text messages need GOV.UK Notify, and this site sends updates by email only "
                       "(RESIDENT_UPDATES_BACKEND is \"email\")")

    def send_email(self, update: Update) -> str:
        context = dict(update.personalisation)
        base = f"notifications/updates/{update.template}"
        message = EmailMultiAlternatives(
            subject=render_to_string(f"{base}_subject.txt", context).strip(),
            body=render_to_string(f"{base}.txt", context), from_email=settings.DEFAULT_FROM_EMAIL, to=[update.to],
            reply_to=[settings.RESIDENT_UPDATES_REPLY_TO] if settings.RESIDENT_UPDATES_REPLY_TO else None,
            headers={"Message-ID": update.message_id, "Auto-Submitted": "auto-generated"})
        message.attach_alternative(render_to_string(f"{base}.html", context), "text/html")
        message.send()
        return ""

    def send_sms(self, update: Update) -> str:
        raise NotSendable(self.SMS_UNAVAILABLE)


class NotifyUpdates(UpdateBackend):
    name = "notify"

    def _client(self):
        from notifications_python_client.notifications import NotificationsAPIClient

        if not settings.NOTIFY_API_KEY:
            raise NotSendable("Not sent: GOV.UK Notify has no API key (NOTIFY_API_KEY)")
        return NotificationsAPIClient(settings.NOTIFY_API_KEY, base_url=settings.NOTIFY_BASE_URL,
                                      timeout=settings.NOTIFY_TIMEOUT)

    def _template_id(self, update: Update) -> str:
        template_id = settings.NOTIFY_TEMPLATES.get(update.template, {}).get(update.channel)
        if not template_id:
            raise NotSendable(f"Not sent: no GOV.UK Notify template is set for {update.template} "
                              f"({update.get_channel_display().lower()}) in NOTIFY_TEMPLATES")
        return template_id

    def _post(self, call) -> str:
        from notifications_python_client.errors import APIError

        try:
            response = call()
        except APIError as error:
            # 400 and 403 are Notify saying no (a bad number, a bad key, a trial mode recipient):
            # sending the same again will not help. 429 and 5xx are worth another try.
            if error.status_code in (400, 403):
                raise NotSendable(f"Not sent: GOV.UK Notify refused it ({error})"[:500]) from error
            raise
        return str(response.get("id", ""))

    def send_email(self, update: Update) -> str:
        client, template_id = self._client(), self._template_id(update)
        return self._post(lambda: client.send_email_notification(
            email_address=update.to, template_id=template_id, personalisation=update.personalisation,
            reference=f"update-{update.pk}", email_reply_to_id=settings.NOTIFY_EMAIL_REPLY_TO_ID or None))

    def send_sms(self, update: Update) -> str:
        client, template_id = self._client(), self._template_id(update)
        return self._post(lambda: client.send_sms_notification(
            phone_number=update.to, template_id=template_id, personalisation=update.personalisation,
            reference=f"update-{update.pk}"))


BACKENDS = {"email": EmailUpdates, "notify": NotifyUpdates}


def backend() -> UpdateBackend:
    return BACKENDS[settings.RESIDENT_UPDATES_BACKEND]()


def sms_available() -> bool:
    """Whether text messages can be sent at all (staff are told at intake when they cannot)."""
    return settings.RESIDENT_UPDATES_BACKEND != "email"


# --- queueing and sending ----------------------------------------------------------------------


@dataclass(frozen=True)
class UpdateMessage:
    channel: str
    to: str
    template: str
    personalisation: dict
    topic: str = ""
    topic_id: int | None = None


def updates_queue(messages: list[UpdateMessage]) -> list[int]:
    """Queue updates in the caller's transaction; they are sent after it commits (and by the
    send-pending-emails job if the broker was down)."""
    if not messages:
        return []
    now = timezone.now()
    rows = Update.objects.bulk_create(
        Update(channel=m.channel, to=m.to, template=m.template, personalisation=m.personalisation, topic=m.topic,
               topic_id=m.topic_id, created_at=now,
               message_id=message_id_new("update") if m.channel == Update.Channel.EMAIL else "") for m in messages)
    ids = [row.pk for row in rows]
    enqueue("kirklees.notifications.tasks.send_updates", ids)
    return ids


# topic -> what to do once an update of that topic has gone, or will never go (called in the
# transaction that records it, with the update). Apps register theirs in AppConfig.ready().
OUTCOME_HOOKS: dict[str, Callable[[Update], None]] = {}


def updates_on_outcome(topic: str, hook: Callable[[Update], None]) -> None:
    OUTCOME_HOOKS[topic] = hook


def _pending():
    return _claimable(Update.objects.filter(not_sent_at__isnull=True, attempts__lt=Update.MAX_ATTEMPTS),
                      "claimed_at", "sent_at")


def _outcome(update: Update) -> None:
    if update.topic in OUTCOME_HOOKS:
        OUTCOME_HOOKS[update.topic](update)


def updates_send(*, ids=None, limit: int = 500) -> SendResult:
    """Send the updates waiting (all, or those `ids`). Each is claimed with a conditional UPDATE
    first, so two runs at once never send one twice; a failure is counted on it and the next run
    tries again, up to MAX_ATTEMPTS; a permanent refusal is recorded as not sent with its reason."""
    sender = backend()
    pending = _pending()
    if ids is not None:
        pending = pending.filter(pk__in=ids)
    result = SendResult()
    for update in pending.order_by("created_at", "id")[:limit]:
        claimed = Update.objects.filter(pk=update.pk, sent_at__isnull=True, not_sent_at__isnull=True,
                                        claimed_at=update.claimed_at).update(claimed_at=timezone.now())
        if not claimed:
            continue  # another worker has it
        try:
            provider_id = sender.send(update)
        except NotSendable as refusal:
            with transaction.atomic():
                update.not_sent_at, update.last_error = timezone.now(), str(refusal)[:500]
                Update.objects.filter(pk=update.pk).update(not_sent_at=update.not_sent_at, claimed_at=None,
                                                           last_error=update.last_error, backend=sender.name)
                _outcome(update)
            continue
        except Exception as exc:
            attempts = update.attempts + 1
            with transaction.atomic():
                Update.objects.filter(pk=update.pk).update(
                    claimed_at=None, attempts=F("attempts") + 1, last_error=f"{type(exc).__name__}: {exc}"[:500],
                    last_failed_at=timezone.now(), backend=sender.name,
                    **({"not_sent_at": timezone.now()} if attempts >= Update.MAX_ATTEMPTS else {}))
                if attempts >= Update.MAX_ATTEMPTS:
                    update.refresh_from_db()
                    _outcome(update)
            logger.warning("Could not send update %s (%s)", update.pk, update.channel, exc_info=True)
            if result.failure():
                break
            continue
        result.failures_in_a_row = 0
        with transaction.atomic():
            update.sent_at, update.provider_id, update.backend = timezone.now(), provider_id[:100], sender.name
            # Notify writes its own Message-ID; ours is kept only for what we sent ourselves.
            kept_id = update.message_id if sender.name == EmailUpdates.name else ""
            Update.objects.filter(pk=update.pk).update(sent_at=update.sent_at, provider_id=update.provider_id,
                                                       backend=sender.name, last_error="", message_id=kept_id)
            _outcome(update)
        result.sent += 1
    return result


class UpdatesNotSent(Exception):
    """Some updates could not be sent this time; they stay queued for the next try."""


def updates_send_now(*, ids=None) -> int:
    """For the task: raises if any failed (the task retries with a back-off)."""
    result = updates_send(ids=ids)
    if result.failed:
        raise UpdatesNotSent(f"{result.failed} updates could not be sent; {result.sent} were")
    return result.sent


def updates_about(topic: str, topic_ids) -> list[Update]:
    return list(Update.objects.filter(topic=topic, topic_id__in=list(topic_ids)).order_by("created_at", "id"))


def updates_redact(*, topic: str, topic_ids: list[int]) -> int:
    """Forget where these updates went and what they said (a resident anonymised or erased); one
    not sent yet never will be. Two UPDATEs, whatever the count; returns how many changed."""
    if not topic_ids:
        return 0
    about = Update.objects.filter(topic=topic, topic_id__in=list(topic_ids))
    about.filter(sent_at__isnull=True, not_sent_at__isnull=True).update(not_sent_at=timezone.now())
    return about.exclude(to="", personalisation={}).update(to="", personalisation={}, message_id="",
                                                           last_error="Forgotten: the resident's details were erased")
