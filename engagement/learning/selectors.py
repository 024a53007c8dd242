"""Reads of events, bookings and resources: each a fixed number of queries, however many rows."""
import datetime

from django.db.models import Count, F, OuterRef, Q, Subquery
from django.utils import timezone

from kirklees.tagging import tags_in_use

from . import permissions
from .models import Booking, Event, Resource

WHEN_UPCOMING, WHEN_PAST = "upcoming", "past"


def _with_places(events, user):
    """Each event with how many are booked and waiting, and this user's own booking status (or None)."""
    mine = Booking.objects.filter(event=OuterRef("pk"), user_id=user.pk).values("status")[:1]
    return events.select_related("ward").annotate(
        booked_count=Count("bookings", filter=Q(bookings__status=Booking.Status.BOOKED)),
        waiting_count=Count("bookings", filter=Q(bookings__status=Booking.Status.WAITING)),
        my_status=Subquery(mine),
    ).annotate(places_left=F("capacity") - F("booked_count"))


def events_list(*, user, kind: str = "", when: str = WHEN_UPCOMING, now: datetime.datetime | None = None):
    """Events not yet over, soonest first; or those over, latest first."""
    now = now or timezone.now()
    if when == WHEN_PAST:
        events, order = Event.objects.filter(ends_at__lt=now), ["-starts_at", "-id"]
    else:
        events, order = Event.objects.filter(ends_at__gte=now), ["starts_at", "id"]
    if kind:
        events = events.filter(kind=kind)
    return _with_places(events, user).order_by(*order)


def event_for_page(user, pk: int) -> Event:
    """One event with its places counted, if this user may read it (else PermissionDenied/Http404)."""
    return permissions.get_event_for_user(
        user, pk, _with_places(Event.objects.select_related("created_by", "cancelled_by"), user))


def event_attendees(event: Event):
    """Who has booked (then who is waiting), in the order they booked, with a councillor's ward."""
    return (Booking.objects.filter(event=event).select_related("user", "user__councillor__ward")
            .order_by("status", "booked_at", "id"))


def bookings_for_user(user, *, now: datetime.datetime | None = None):
    """This person's places on events not yet over, soonest first."""
    now = now or timezone.now()
    return (Booking.objects.filter(user_id=user.pk, event__ends_at__gte=now).select_related("event", "event__ward")
            .order_by("event__starts_at", "event_id"))


def bookings_starting_soon_for_user(user, *, days: int, now: datetime.datetime | None = None):
    """This person's places (booked or waiting) on scheduled events that start between now and the
    end of the day `days` days from today, soonest first. An event that began earlier today is under
    way, not coming up, so it is left out."""
    now = now or timezone.now()
    until = timezone.make_aware(datetime.datetime.combine(
        timezone.localdate(now) + datetime.timedelta(days=days + 1), datetime.time.min))
    return (Booking.objects.filter(user_id=user.pk, event__status=Event.Status.SCHEDULED,
                                   event__starts_at__gte=now, event__starts_at__lt=until)
            .select_related("event").order_by("event__starts_at", "event_id"))


def resources_list(*, text: str = "", kind: str = "", tag: str = ""):
    resources = Resource.objects.all()
    for word in text.split():
        resources = resources.filter(Q(title__icontains=word) | Q(description__icontains=word))
    if kind:
        resources = resources.filter(kind=kind)
    if tag:
        resources = resources.filter(tags__contains=[tag])
    return resources.order_by("title", "id")


def resource_tags() -> list[str]:
    return tags_in_use(Resource.objects.all())
