from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class Notification(models.Model):
    """Something a person should know, in their inbox and (if they want) by email."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=40)
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=300, blank=True, help_text="A path in this app, e.g. a case page.")
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    email_wanted = models.BooleanField(default=True)
    # Claimed just before sending, so that two workers never both send the same email.
    email_claimed_at = models.DateTimeField(null=True, blank=True)
    email_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["user", "-created_at"], name="notification_inbox"),
            models.Index(fields=["user"], condition=Q(read_at__isnull=True), name="notification_unread"),
            models.Index(fields=["created_at"], condition=Q(email_wanted=True, email_sent_at__isnull=True),
                         name="notification_email_pending"),
        ]

    def __str__(self):
        return self.title


class Preference(models.Model):
    """How a person wants to hear from the app. No row means the defaults."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="notification_preference")
    email = models.BooleanField("Email me as well as showing it here", default=True)
    daily_digest = models.BooleanField("Send me a daily summary of changes to my cases", default=True)

    def __str__(self):
        return f"Preferences of {self.user}"


class OutboundEmail(models.Model):
    """An email to an address that is not a user (a council service's inbox), sent like the rest.

    `topic` and `topic_id` say what it is about in terms this app does not know (an app that
    queues one, e.g. casework for a referral, registers a hook to hear when it has gone).
    """

    MAX_ATTEMPTS = 10  # then it stays unsent and shows as failed, for a person to act on

    to = models.EmailField()
    subject = models.CharField(max_length=200)
    body = models.TextField()
    html = models.TextField(blank=True)
    reply_to = models.EmailField(blank=True)
    message_id = models.CharField(max_length=200, blank=True)
    topic = models.CharField(max_length=30, blank=True)
    topic_id = models.BigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0, db_default=0)
    last_error = models.CharField(max_length=500, blank=True, db_default="")
    last_failed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["created_at"], condition=Q(sent_at__isnull=True),
                                name="outboundemail_pending"),
                   models.Index(fields=["topic", "topic_id"], condition=~Q(topic=""), name="outboundemail_topic")]

    def __str__(self):
        return f"To {self.to}: {self.subject}"

    @property
    def gave_up(self) -> bool:
        return self.sent_at is None and self.attempts >= self.MAX_ATTEMPTS
