"""Every change to learning events, bookings and the resource library, and the reminder job.

Places on an event are given out under a lock on the event's row (SELECT ... FOR UPDATE): two
people racing for the last place queue on that lock, and the second one counts the first one's
booking before deciding, so an event is never booked beyond its capacity.
"""
import datetime

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from kirklees.govuk.uploads import delete_on_commit, upload_type_check
from kirklees.notifications.services import Message, notify_many
from kirklees.permissions import require
from kirklees.refusals import InvalidTransition, Refused

from . import permissions
from .models import Booking, Event, Resource

EVENT_FIELDS = ["kind", "title", "description", "starts_at", "ends_at", "location", "online_link", "ward",
                "capacity", "booking_open"]
# Changes that people who booked need to hear about.
EVENT_FIELDS_TOLD = ["starts_at", "ends_at", "location", "online_link"]

RESOURCE_MAX_BYTES = 10 * 1024 * 1024
RESOURCE_TYPES = {
    "application/pdf": "PDF",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "Excel spreadsheet",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "PowerPoint presentation",
    "application/vnd.oasis.opendocument.text": "OpenDocument text",
    "application/vnd.oasis.opendocument.spreadsheet": "OpenDocument spreadsheet",
    "application/vnd.oasis.opendocument.presentation": "OpenDocument presentation",
    "image/png": "PNG image",
    "image/jpeg": "JPEG image",
}
RESOURCE_TYPES_TEXT = "PDF, Word, Excel, PowerPoint, OpenDocument, PNG or JPEG"


class BookingRefused(Refused):
    """A place cannot be booked or given up now; the message says why, for the page."""


class EventChangeRefused(InvalidTransition):
    """The event is cancelled, so it cannot be changed (or cancelled again)."""


def when_text(starts_at: datetime.datetime, ends_at: datetime.datetime | None = None) -> str:
    start = timezone.localtime(starts_at)
    text = f"{start:%A %-d %B %Y}, {start:%H:%M}"
    if ends_at is not None:
        text += f" to {timezone.localtime(ends_at):%H:%M}"
    return text


def _where(event) -> str:
    return " and ".join(part for part in (event.location, event.online_link) if part)


def _locked(event: Event) -> Event:
    return Event.objects.select_for_update().get(pk=event.pk)


def _booked_count(event: Event) -> int:
    return Booking.objects.filter(event=event, status=Booking.Status.BOOKED).count()


def _tell_everyone_booked(event: Event, kind: str, title: str, body: str) -> int:
    """One notification for each person booked or waiting: a fixed number of queries."""
    users = Booking.objects.filter(event=event).values_list("user_id", flat=True)
    url = event.get_absolute_url()
    notify_many([Message(user_id, kind, title, body, url) for user_id in users])
    return len(users)


# --- events -------------------------------------------------------------------------------------


def _check_event(fields: dict) -> None:
    """The rules the database also enforces, said in words beside the right field: all at once, as a
    model's own checks are, so a ValidationError."""
    errors = {}
    if fields["ends_at"] <= fields["starts_at"]:
        errors["end_time"] = "The end time must be after the start time"
    if fields["capacity"] < 1:
        errors["capacity"] = "Capacity must be 1 or more"
    if not (fields.get("location") or fields.get("online_link")):
        errors["location"] = "Enter where it is, or an online link"
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def event_create(*, by, kind: str, title: str, description: str, starts_at, ends_at, capacity: int,
                 location: str = "", online_link: str = "", ward=None, booking_open: bool = True) -> Event:
    require(permissions.can_manage(by))
    fields = dict(kind=kind, title=title.strip(), description=description.strip(), starts_at=starts_at,
                  ends_at=ends_at, capacity=capacity, location=location.strip(), online_link=online_link.strip(),
                  ward=ward, booking_open=booking_open)
    _check_event(fields)
    return Event.objects.create(**fields, created_by=by)


@transaction.atomic
def event_update(*, event: Event, by, **changes) -> Event:
    """Change an event. People booked hear of a new time or place, and are reminded again."""
    require(permissions.can_manage(by))
    unknown = set(changes) - set(EVENT_FIELDS)
    if unknown:
        raise ValueError(f"Not editable: {', '.join(sorted(unknown))}")
    event = _locked(event)
    if event.is_cancelled:
        raise EventChangeRefused("This event has been cancelled, so it can no longer be changed.")
    changes = {name: value.strip() if isinstance(value, str) else value for name, value in changes.items()}
    _check_event({name: changes.get(name, getattr(event, name)) for name in EVENT_FIELDS})
    booked = _booked_count(event)
    if changes.get("capacity", event.capacity) < booked:
        raise Refused(f"{booked} people have booked, so capacity cannot be less than {booked}", field="capacity")
    told = [name for name in EVENT_FIELDS_TOLD if name in changes and changes[name] != getattr(event, name)]
    for name, value in changes.items():
        setattr(event, name, value)
    event.updated_at = timezone.now()
    event.save(update_fields=[*changes, "updated_at"])
    if told:
        Booking.objects.filter(event=event).update(reminded_at=None)
        _tell_everyone_booked(event, "event_changed", f"Changed: {event.title}",
                              f"It is now {when_text(event.starts_at, event.ends_at)}, at {_where(event)}.")
    _promote_waiting(event)
    return event


@transaction.atomic
def event_cancel(*, event: Event, by, reason: str) -> Event:
    """Cancel an event; everyone booked or waiting is told why. Their bookings stay, as a record."""
    require(permissions.can_manage(by))
    event = _locked(event)
    if event.is_cancelled:
        raise EventChangeRefused("This event has already been cancelled.")
    now = timezone.now()
    event.status, event.cancelled_at, event.cancelled_by = Event.Status.CANCELLED, now, by
    event.cancel_reason, event.updated_at = reason.strip(), now
    event.save(update_fields=["status", "cancelled_at", "cancelled_by", "cancel_reason", "updated_at"])
    _tell_everyone_booked(event, "event_cancelled",
                          f"Cancelled: {event.title} on {timezone.localtime(event.starts_at):%-d %B}",
                          f"{event.title} ({when_text(event.starts_at, event.ends_at)}) has been cancelled. "
                          f"Reason: {event.cancel_reason}")
    return event


# --- bookings -----------------------------------------------------------------------------------


@transaction.atomic
def booking_create(*, event: Event, by, waiting_list: bool = False) -> Booking:
    """Book a place for yourself. When the event is full, refused, unless you asked to wait for one."""
    require(permissions.can_book(by))
    event = _locked(event)  # the capacity guard: see the module's docstring
    if event.is_cancelled:
        raise BookingRefused("This event has been cancelled.")
    if event.has_started():
        raise BookingRefused("This event has already started.")
    if not event.booking_open:
        raise BookingRefused("Booking for this event is closed.")
    existing = Booking.objects.filter(event=event, user=by).first()
    if existing is not None:
        raise BookingRefused("You are already on the waiting list for this event." if existing.status ==
                             Booking.Status.WAITING else "You have already booked a place on this event.")
    if _booked_count(event) < event.capacity:
        status = Booking.Status.BOOKED
    elif waiting_list:
        status = Booking.Status.WAITING
    else:
        raise BookingRefused("Sorry, this event is full. You can join the waiting list instead.")
    return Booking.objects.create(event=event, user=by, status=status)


@transaction.atomic
def booking_cancel(*, event: Event, by) -> None:
    """Give up your place (or leave the waiting list); the first person waiting gets the place."""
    require(permissions.can_book(by))
    event = _locked(event)
    booking = Booking.objects.filter(event=event, user=by).first()
    if booking is None:
        raise BookingRefused("You have not booked a place on this event.")
    if event.has_started():
        raise BookingRefused("This event has already started.")
    booking.delete()
    if booking.status == Booking.Status.BOOKED:
        _promote_waiting(event)


def _promote_waiting(event: Event) -> int:
    """Give free places to the people waiting longest. Called with the event's row locked."""
    if event.is_cancelled or event.has_started():
        return 0
    free = event.capacity - _booked_count(event)
    if free <= 0:
        return 0
    waiting = list(Booking.objects.filter(event=event, status=Booking.Status.WAITING)
                   .order_by("booked_at", "id").values_list("pk", "user_id")[:free])
    if not waiting:
        return 0
    Booking.objects.filter(pk__in=[pk for pk, _ in waiting]).update(status=Booking.Status.BOOKED)
    notify_many([Message(user_id, "event_place", f"You have a place: {event.title}",
                         f"A place came up, so you are now booked on {event.title}, "
                         f"{when_text(event.starts_at, event.ends_at)}.", event.get_absolute_url())
                 for _, user_id in waiting])
    return len(waiting)


# --- the reminder job ---------------------------------------------------------------------------


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


def event_reminders_send(*, now: datetime.datetime | None = None) -> int:
    """Remind everyone booked on an event that starts before the end of tomorrow, once each.

    One UPDATE marks the bookings not yet reminded and returns them, so a second run (or two
    workers at once: the second waits on the first's row locks, then finds them reminded) sends
    nothing more. An event today is still in range, so a run missed during an outage catches up.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    until = _start_of(today + datetime.timedelta(days=2))
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"""UPDATE {Booking._meta.db_table} b SET reminded_at = %(now)s
            FROM {Event._meta.db_table} e
            WHERE e.id = b.event_id AND b.status = %(booked)s AND b.reminded_at IS NULL
              AND e.status = %(scheduled)s AND e.starts_at > %(now)s AND e.starts_at < %(until)s
            RETURNING b.user_id, e.id, e.title, e.starts_at, e.ends_at, e.location, e.online_link""",
            {"now": now, "until": until, "booked": Booking.Status.BOOKED, "scheduled": Event.Status.SCHEDULED},
        )
        rows = cursor.fetchall()
        messages = []
        for user_id, event_id, title, starts_at, ends_at, location, online_link in rows:
            day = "today" if timezone.localdate(starts_at) == today else "tomorrow"
            where = " and ".join(part for part in (location, online_link) if part)
            messages.append(Message(
                user_id, "event_reminder", f"Reminder: {title}, {day} at {timezone.localtime(starts_at):%H:%M}",
                f"You are booked on {title}, {when_text(starts_at, ends_at)}, at {where}. "
                "If you cannot come, please cancel your place so that someone else can have it.",
                Event(pk=event_id).get_absolute_url()))
        notify_many(messages)
    return len(rows)


# --- the resource library -----------------------------------------------------------------------


def resource_file_check(upload) -> str:
    """The file's real type, read from its content: its name and the browser's say-so are ignored."""
    return upload_type_check(upload, allowed=RESOURCE_TYPES, max_bytes=RESOURCE_MAX_BYTES,
                             wrong_type=f"The selected file must be a {RESOURCE_TYPES_TEXT} file")


def _attach(resource: Resource, upload) -> None:
    resource.content_type = resource_file_check(upload)
    resource.file_name = (upload.name or "file").replace("/", "_").replace("\\", "_")[-200:]
    resource.size = upload.size
    resource.file.save("upload", upload, save=False)


def _delete_file_after_commit(name: str) -> None:
    delete_on_commit(Resource._meta.get_field("file").storage, name)


@transaction.atomic
def resource_create(*, by, title: str, description: str, kind: str, link: str = "", tags=(),
                    upload=None) -> Resource:
    require(permissions.can_manage(by))
    resource = Resource(title=title.strip(), description=description.strip(), kind=kind, link=link.strip(),
                        tags=list(tags), created_by=by)
    if upload is not None:
        _attach(resource, upload)
    resource.save()
    return resource


@transaction.atomic
def resource_update(*, resource: Resource, by, title: str, description: str, kind: str, link: str = "",
                    tags=(), upload=None, remove_file: bool = False) -> Resource:
    """Edit a resource; a new file replaces the old one, whose bytes go once the change is saved."""
    require(permissions.can_manage(by))
    resource = Resource.objects.select_for_update().get(pk=resource.pk)
    old_file = resource.file.name
    resource.title, resource.description, resource.kind = title.strip(), description.strip(), kind
    resource.link, resource.tags, resource.updated_at = link.strip(), list(tags), timezone.now()
    if upload is not None:
        _attach(resource, upload)
    elif remove_file:
        resource.file, resource.file_name, resource.content_type, resource.size = "", "", "", None
    resource.save()
    if old_file and old_file != resource.file.name:
        _delete_file_after_commit(old_file)
    return resource


@transaction.atomic
def resource_delete(*, resource: Resource, by) -> None:
    require(permissions.can_manage(by))
    name = resource.file.name
    Resource.objects.filter(pk=resource.pk).delete()
    _delete_file_after_commit(name)
