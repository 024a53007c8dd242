"""Every change to a subject access request: start, extend, complete, and the daily reminders."""

import datetime

from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from kirklees.notifications.services import Message, notify_many
from kirklees.users.models import User
from kirklees.refusals import InvalidTransition, Refused

from . import clock, permissions
from .models import SarReminder, SubjectAccessRequest

# The earliest a request may say it was received: one that old is long overdue, and a typing slip
# (2016 for 2026) is likelier than a request found at the back of a drawer.
RECEIVED_AT_MOST_DAYS_AGO = 366


@transaction.atomic
def sar_start(*, by, resident, received_on: datetime.date, how_received: str = "") -> SubjectAccessRequest:
    """Start a request for `resident`, received on `received_on`: due one calendar month later.
    A manager's covers everything; a councillor's covers the cases they hold as controller."""
    if not permissions.may_start_sar_for(by, resident.pk):
        raise PermissionDenied("You cannot start a subject access request for this resident.")
    today = timezone.localdate()
    if received_on > today:
        raise Refused("The date it was received must be today or in the past", field="received_on")
    if received_on < today - datetime.timedelta(days=RECEIVED_AT_MOST_DAYS_AGO):
        raise Refused("The date it was received must be within the last year", field="received_on")
    due = clock.sar_due_on(received_on)
    return SubjectAccessRequest.objects.create(
        resident=resident, councillor=permissions.scope_for(by), received_on=received_on, first_due_on=due,
        due_on=due, how_received=how_received.strip(), started_by=by)


@transaction.atomic
def sar_extend(*, by, sar: SubjectAccessRequest, reason: str) -> SubjectAccessRequest:
    """Extend the time to answer by two months (Article 12(3): a complex request, or many of them).

    Once only, while open, and no later than the original due date: the resident must be told of
    the extension, and why, within the first month."""
    permissions.get_sar_for_user(by, sar.pk)
    reason = reason.strip()
    if not reason:
        raise Refused("Enter why more time is needed", field="reason")
    today = timezone.localdate()
    updated = SubjectAccessRequest.objects.filter(
        pk=sar.pk, status=SubjectAccessRequest.Status.OPEN, extended_at__isnull=True,
        first_due_on__gte=today,
    ).update(due_on=clock.sar_extended_due_on(sar.received_on), extension_reason=reason,
             extended_at=timezone.now(), extended_by=by)
    sar.refresh_from_db()
    if updated != 1:
        if not sar.is_open:
            raise InvalidTransition("This request has been answered already, so it cannot be extended.")
        if sar.is_extended:
            raise InvalidTransition("This request has been extended already: it can be extended only once.")
        raise Refused(f"The time to answer can only be extended within the first month, and that ended on "
                      f"{sar.first_due_on:%-d %B %Y}.", field="reason")
    return sar


@transaction.atomic
def sar_complete(*, by, sar: SubjectAccessRequest) -> SubjectAccessRequest:
    """The bundle (reviewed, with other people's details taken out) has been sent to the resident."""
    permissions.get_sar_for_user(by, sar.pk)
    updated = SubjectAccessRequest.objects.filter(pk=sar.pk, status=SubjectAccessRequest.Status.OPEN).update(
        status=SubjectAccessRequest.Status.COMPLETED, completed_at=timezone.now(), completed_by=by)
    sar.refresh_from_db()
    if updated != 1:
        raise InvalidTransition("This request was marked as sent already.")
    return sar


# --- the daily reminders ----------------------------------------------------------------------

REMIND_DAYS_BEFORE = {SarReminder.Kind.WEEK: 7, SarReminder.Kind.DAY: 1}


def reminder_kind(due_on: datetime.date, today: datetime.date) -> str | None:
    """The one reminder a request due on `due_on` calls for today: the most urgent that applies,
    so that a job that missed days sends what is true now, not a week's reminder the day before."""
    left = (due_on - today).days
    if left < 0:
        return SarReminder.Kind.OVERDUE
    if left <= REMIND_DAYS_BEFORE[SarReminder.Kind.DAY]:
        return SarReminder.Kind.DAY
    if left <= REMIND_DAYS_BEFORE[SarReminder.Kind.WEEK]:
        return SarReminder.Kind.WEEK
    return None


_CLAIM = """
    INSERT INTO sar_sarreminder (sar_id, kind, due_on, created_at)
    SELECT id, %(kind)s, due_on, now() FROM sar_subjectaccessrequest
    WHERE status = 'open' AND id = ANY(%(ids)s)
    ON CONFLICT (sar_id, kind, due_on) DO NOTHING
    RETURNING sar_id
"""


def _title(sar: SubjectAccessRequest, kind: str) -> str:
    # No resident's name: a notice says which request, and the page behind the link says whose.
    due = f"{sar.due_on:%-d %B %Y}"
    if kind == SarReminder.Kind.OVERDUE:
        return f"Subject access request {sar.pk} is overdue: it was due on {due}"
    if kind == SarReminder.Kind.DAY:
        return f"Subject access request {sar.pk} is due on {due}"
    return f"Subject access request {sar.pk} is due within a week, on {due}"


def sar_reminders_send(*, today: datetime.date | None = None) -> int:
    """Remind the liaison managers and whoever started each open request, 7 days and 1 day before
    it is due and once it is overdue. Each reminder is claimed by an INSERT ... ON CONFLICT DO
    NOTHING: run twice, or by two workers at once, each goes once. Returns how many requests were
    reminded about."""
    today = today or timezone.localdate()
    horizon = today + datetime.timedelta(days=REMIND_DAYS_BEFORE[SarReminder.Kind.WEEK])
    open_requests = list(SubjectAccessRequest.objects.filter(status=SubjectAccessRequest.Status.OPEN,
                                                             due_on__lte=horizon))
    by_kind: dict[str, list[int]] = {}
    for sar in open_requests:
        by_kind.setdefault(reminder_kind(sar.due_on, today), []).append(sar.pk)
    claimed: dict[int, str] = {}
    with connection.cursor() as cursor:
        for kind, ids in by_kind.items():
            cursor.execute(_CLAIM, {"kind": kind, "ids": ids})
            claimed.update({row[0]: kind for row in cursor.fetchall()})
    if not claimed:
        return 0
    managers = list(User.objects.filter(role=User.Role.LIAISON_MANAGER, is_active=True)
                    .values_list("pk", flat=True))
    messages = []
    for sar in open_requests:
        if sar.pk not in claimed:
            continue
        url = reverse("sar:detail", kwargs={"pk": sar.pk})
        for user_id in dict.fromkeys([*managers, sar.started_by_id]):
            messages.append(Message(user_id=user_id, kind=f"sar_{claimed[sar.pk]}",
                                    title=_title(sar, claimed[sar.pk]), url=url))
    notify_many(messages)
    return len(claimed)
