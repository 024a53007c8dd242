import uuid

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.utils import timezone


def raw_path(instance, filename):
    # A random name: nothing the sender wrote is used on disk.
    return f"mailin/{uuid.uuid4().hex}.eml"


class InboundEmail(models.Model):
    """One message that reached us, by whichever path, and what became of it."""

    class Via(models.TextChoices):
        SMTP = "smtp", "SMTP"
        IMAP = "imap", "IMAP mailbox"
        WEBHOOK = "webhook", "Mail provider"

    class Outcome(models.TextChoices):
        MATCHED = "matched", "Added to a case"
        UNMATCHED = "unmatched", "Not matched"
        AUTO_REPLY = "auto_reply", "Automatic reply"
        BOUNCE = "bounce", "Bounce"
        LOOP = "loop", "Our own message"
        REFUSED = "refused", "Refused"

    # What the team's "unmatched email" list shows: mail no matcher claimed, and mail refused.
    FOR_THE_TEAM = (Outcome.UNMATCHED, Outcome.REFUSED)

    via = models.CharField(max_length=10, choices=Via.choices)
    received_at = models.DateTimeField(default=timezone.now)
    message_id = models.CharField(max_length=998, blank=True)
    sender = models.CharField(max_length=320, blank=True)
    sender_name = models.CharField(max_length=200, blank=True)
    subject = models.CharField(max_length=998, blank=True)
    recipients = ArrayField(models.CharField(max_length=320), default=list, blank=True,
                            help_text="The envelope recipients (SMTP RCPT TO, the provider's envelope).")
    size = models.PositiveIntegerField(default=0)
    outcome = models.CharField(max_length=12, choices=Outcome.choices)
    reason = models.CharField(max_length=300, blank=True)
    # The text part with quoted history and signature trimmed, and as it came; shown only as text.
    text = models.TextField(blank=True)
    full_text = models.TextField(blank=True)
    # Attachments the content check refused: [{"name": ..., "reason": ...}]. The rest were kept.
    refused_attachments = models.JSONField(default=list, blank=True)
    # The whole message as it came (not kept for one refused as too large).
    raw = models.FileField(upload_to=raw_path, max_length=200, blank=True)
    # What a matcher claimed it for, in its own terms (casework: topic "referral", the referral's id).
    topic = models.CharField(max_length=30, blank=True)
    topic_id = models.BigIntegerField(null=True, blank=True)
    # A person's decision on one the list showed: attached to a case, or discarded (never deleted).
    handled_at = models.DateTimeField(null=True, blank=True)
    handled_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    discarded = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["message_id"], condition=~Q(message_id=""),
                                               name="inboundemail_once")]
        # What the team's list and the queue's count read: messages waiting for a person.
        indexes = [models.Index(fields=["-received_at"], name="inboundemail_for_the_team",
                                condition=Q(outcome__in=["unmatched", "refused"], handled_at__isnull=True)),
                   models.Index(fields=["topic", "topic_id"], condition=~Q(topic=""), name="inboundemail_topic")]

    def __str__(self):
        return f"From {self.sender}: {self.subject}"

    @property
    def for_the_team(self) -> bool:
        return self.outcome in self.FOR_THE_TEAM and self.handled_at is None


class ImapFolder(models.Model):
    """A mailbox folder the IMAP poller reads, in one UIDVALIDITY epoch (a new epoch: a new row,
    read from the start again; InboundEmail's Message-ID keeps a message from landing twice).
    `watermark`: every message with a UID up to it has been taken."""

    mailbox = models.CharField(max_length=500)  # user@host/folder
    uidvalidity = models.BigIntegerField()
    watermark = models.BigIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["mailbox", "uidvalidity"], name="imapfolder_once")]

    def __str__(self):
        return f"{self.mailbox} ({self.uidvalidity})"


class ImapMessage(models.Model):
    """One message taken from an IMAP folder, by its UID: claimed in the same transaction that
    records it as an InboundEmail, so it is taken once however many pollers run."""

    folder = models.ForeignKey(ImapFolder, on_delete=models.CASCADE, related_name="messages")
    uid = models.BigIntegerField()
    taken_at = models.DateTimeField(default=timezone.now)
    inbound = models.ForeignKey(InboundEmail, null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["folder", "uid"], name="imapmessage_once")]

    def __str__(self):
        return f"UID {self.uid} of {self.folder}"
