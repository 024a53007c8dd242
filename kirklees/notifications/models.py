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
    # The Message-ID its email went with (made when it is sent), so that a reply can be recognised.
    email_message_id = models.CharField(max_length=200, blank=True, db_default="")

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


class Update(models.Model):
    """A short update to someone who is not a user (a resident told of their case's progress), by
    email or text message, through the backend settings.RESIDENT_UPDATES_BACKEND names
    (kirklees.notifications.updates). What it says is a template key and its personalisation: this
    app does not know what it is about; `topic` and `topic_id` say so to the app that queued it.
    """

    MAX_ATTEMPTS = 8  # then it stays unsent and shows as not sent, with the last error

    class Channel(models.TextChoices):
        EMAIL = "email", "Email"
        SMS = "sms", "Text message"

    channel = models.CharField(max_length=5, choices=Channel.choices)
    to = models.CharField(max_length=254, help_text="An email address or a phone number.")
    template = models.CharField(max_length=50)
    personalisation = models.JSONField(default=dict)
    topic = models.CharField(max_length=30, blank=True)
    topic_id = models.BigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    # Given up on, with the reason (a channel the backend cannot send, a provider that refused it, too
    # many failures): never tried again.
    not_sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)
    last_failed_at = models.DateTimeField(null=True, blank=True)
    backend = models.CharField(max_length=10, blank=True, help_text="Which backend sent it (email, notify).")
    provider_id = models.CharField(max_length=100, blank=True, help_text="The provider's id for it (Notify's).")
    message_id = models.CharField(max_length=200, blank=True, help_text="The Message-ID of an email we sent.")

    class Meta:
        indexes = [models.Index(fields=["created_at"], condition=Q(sent_at__isnull=True, not_sent_at__isnull=True),
                                name="update_pending"),
                   models.Index(fields=["topic", "topic_id"], condition=~Q(topic=""), name="update_topic")]
        constraints = [models.CheckConstraint(condition=Q(channel__in=["email", "sms"]), name="update_channel_valid")]

    def __str__(self):
        return f"{self.get_channel_display()} update {self.pk}"

    @property
    def status(self) -> str:
        if self.sent_at:
            return "sent"
        if self.not_sent_at:
            return "not sent"
        return "failing" if self.attempts else "waiting"
