from django.db import models
from django.db.models import Q
from django.utils import timezone


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

    via = models.CharField(max_length=10, choices=Via.choices)
    received_at = models.DateTimeField(default=timezone.now)
    message_id = models.CharField(max_length=998, blank=True)
    sender = models.CharField(max_length=320, blank=True)
    sender_name = models.CharField(max_length=200, blank=True)
    subject = models.CharField(max_length=998, blank=True)
    size = models.PositiveIntegerField(default=0)
    outcome = models.CharField(max_length=12, choices=Outcome.choices)
    reason = models.CharField(max_length=300, blank=True)
    # What a matcher claimed it for, in its own terms (casework: topic "referral", the referral's id).
    topic = models.CharField(max_length=30, blank=True)
    topic_id = models.BigIntegerField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["message_id"], condition=~Q(message_id=""),
                                               name="inboundemail_once")]
        indexes = [models.Index(fields=["-received_at"], condition=Q(outcome="unmatched"),
                                name="inboundemail_unmatched")]

    def __str__(self):
        return f"From {self.sender}: {self.subject}"
