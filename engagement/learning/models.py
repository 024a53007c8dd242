"""Learning and networking: events that staff and councillors book places on, and a library of
resources (templates, examples of good content, guidance)."""
import uuid

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from kirklees.tagging import TAG_MAX_LENGTH


class Event(models.Model):
    class Kind(models.TextChoices):
        LUNCHTIME_BRIEFING = "lunchtime_briefing", "Themed lunchtime briefing"
        FRESHERS_FAIR = "freshers_fair", "Fresher’s fair"
        POLITICAL_ENVIRONMENT = "political_environment", "Working in a political environment training"
        COUNCILLOR_TO_WORK = "councillor_to_work", "Bring your councillor to work day"
        WARD_WALKABOUT = "ward_walkabout", "Ward walkabout"

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        CANCELLED = "cancelled", "Cancelled"

    kind = models.CharField(max_length=30, choices=Kind.choices)
    title = models.CharField(max_length=150)
    description = models.TextField(max_length=3000)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    location = models.CharField(max_length=200, blank=True)
    online_link = models.URLField(max_length=500, blank=True)
    ward = models.ForeignKey("wards.Ward", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                             help_text="For a ward walkabout, the ward it walks.")
    capacity = models.PositiveIntegerField(help_text="Places that can be booked.")
    booking_open = models.BooleanField(default=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+")
    cancel_reason = models.CharField(max_length=500, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["starts_at"], name="event_starts_at")]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=[
                "lunchtime_briefing", "freshers_fair", "political_environment", "councillor_to_work",
                "ward_walkabout"]), name="event_kind_valid"),
            models.CheckConstraint(condition=Q(status__in=["scheduled", "cancelled"]), name="event_status_valid"),
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="event_ends_after_it_starts"),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="event_capacity_at_least_one"),
            models.CheckConstraint(condition=~Q(location="") | ~Q(online_link=""), name="event_has_a_place"),
            models.CheckConstraint(condition=Q(status="scheduled") | Q(cancelled_at__isnull=False),
                                   name="event_cancelled_has_date"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("learning:event", args=[self.pk])

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    def has_started(self, now=None) -> bool:
        return self.starts_at <= (now or timezone.now())


class Booking(models.Model):
    """A place on an event, or a place in the queue for one when it is full."""

    class Status(models.TextChoices):
        BOOKED = "booked", "Booked"
        WAITING = "waiting", "On the waiting list"

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="bookings")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="event_bookings")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.BOOKED)
    booked_at = models.DateTimeField(default=timezone.now)
    # Set by the reminder job in the same UPDATE that picks who to remind: never twice.
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["booked_at", "id"]
        indexes = [
            models.Index(fields=["event", "status", "booked_at"], name="booking_event_status"),
            models.Index(fields=["event"], condition=Q(status="booked", reminded_at__isnull=True),
                         name="booking_to_remind"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["event", "user"], name="booking_once_per_person"),
            models.CheckConstraint(condition=Q(status__in=["booked", "waiting"]), name="booking_status_valid"),
        ]

    def __str__(self):
        return f"{self.user} on {self.event}"


def resource_file_path(instance, filename):
    # A random name: what the uploader called it is kept in file_name and never used on disk.
    return f"resources/{uuid.uuid4().hex}"


class Resource(models.Model):
    class Kind(models.TextChoices):
        TEMPLATE = "template", "Template"
        GOOD_EXAMPLE = "good_example", "Example of good content"
        GUIDANCE = "guidance", "Guidance"

    title = models.CharField(max_length=150)
    description = models.TextField(max_length=2000)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    link = models.URLField(max_length=500, blank=True)
    file = models.FileField(upload_to=resource_file_path, max_length=200, blank=True)
    file_name = models.CharField(max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveIntegerField(null=True, blank=True)
    tags = ArrayField(models.CharField(max_length=TAG_MAX_LENGTH), default=list, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["title", "id"]
        indexes = [GinIndex(fields=["tags"], name="resource_tags")]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=["template", "good_example", "guidance"]),
                                   name="resource_kind_valid"),
            models.CheckConstraint(condition=Q(file="") | ~Q(file_name=""), name="resource_file_has_name"),
        ]

    def __str__(self):
        return self.title
