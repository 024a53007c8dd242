"""Reads for the People Finder and ward solution meetings, each a fixed number of queries."""
import datetime

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q
from django.utils import timezone

from .models import MeetingAction, Officer, Place, Service, Ward, WardMeeting

# An officer's details are due a check when nobody has confirmed them for about six months.
CONFIRM_EVERY_DAYS = 183


def confirmation_due_before(today: datetime.date | None = None) -> datetime.date:
    """Officers last confirmed before this day need confirming again."""
    return (today or timezone.localdate()) - datetime.timedelta(days=CONFIRM_EVERY_DAYS)


def _covers_ward(ward_id: int):
    """Covers the ward itself, or a place in it (as a subquery, so an officer never appears twice)."""
    direct = Officer.wards.through.objects.filter(officer_id=OuterRef("pk"), ward_id=ward_id)
    via_place = Officer.places.through.objects.filter(officer_id=OuterRef("pk"), place__ward_id=ward_id)
    return Exists(direct) | Exists(via_place)


def officers_covering_ward(ward: Ward):
    """Active officers who work in the ward or a place in it, with their service."""
    return (Officer.objects.filter(_covers_ward(ward.pk), is_active=True)
            .select_related("service").order_by("full_name", "pk"))


def officers_search(*, text: str = "", service: Service | None = None, ward: Ward | None = None,
                    include_inactive: bool = False, unconfirmed_only: bool = False,
                    today: datetime.date | None = None):
    """The People Finder: every word of `text` must match a name, job title or service."""
    officers = Officer.objects.all() if include_inactive else Officer.objects.filter(is_active=True)
    for word in text.split():
        officers = officers.filter(Q(full_name__icontains=word) | Q(job_title__icontains=word)
                                   | Q(service__name__icontains=word))
    if service is not None:
        officers = officers.filter(service=service)
    if ward is not None:
        officers = officers.filter(_covers_ward(ward.pk))
    if unconfirmed_only:
        officers = officers.unconfirmed_since(confirmation_due_before(today))
    return officers.select_related("service").prefetch_related(
        Prefetch("wards", queryset=Ward.objects.order_by("name")),
        Prefetch("places", queryset=Place.objects.select_related("ward").order_by("name")),
    ).order_by("full_name", "pk")


def officers_unconfirmed_count(today: datetime.date | None = None) -> int:
    return Officer.objects.unconfirmed_since(confirmation_due_before(today)).count()


def services_with_officer_counts():
    return Service.objects.annotate(
        officer_count=Count("officers", filter=Q(officers__is_active=True)),
    ).order_by("name")


# --- ward solution meetings ----------------------------------------------------------------------


def meetings_list(*, ward: Ward | None = None):
    meetings = WardMeeting.objects.select_related("ward").annotate(
        open_actions=Count("actions", filter=Q(actions__status=MeetingAction.Status.OPEN)),
        all_actions=Count("actions"),
    )
    if ward is not None:
        meetings = meetings.filter(ward=ward)
    return meetings.order_by("-held_on", "-id")


def _linked_cases():
    """Only the references of cases made from or linked to an action: never residents' details."""
    case_model = MeetingAction._meta.get_field("cases").related_model
    return case_model.objects.only("pk", "reference", "meeting_action_id").order_by("reference")


def meeting_with_details(pk: int) -> WardMeeting:
    """One meeting with everything its page shows, or WardMeeting.DoesNotExist."""
    actions = MeetingAction.objects.select_related("owner_officer").prefetch_related(
        Prefetch("cases", queryset=_linked_cases())
    ).order_by(F("due_on").asc(nulls_last=True), "id")
    return (WardMeeting.objects.select_related("ward", "created_by").prefetch_related(
        Prefetch("attendees", queryset=WardMeeting.attendees.field.related_model.objects.order_by("full_name")),
        Prefetch("officers", queryset=Officer.objects.select_related("service").order_by("full_name")),
        "priorities",
        Prefetch("actions", queryset=actions),
    ).get(pk=pk))


def open_actions_for_ward(ward: Ward):
    """Open actions from the ward's solution meetings, soonest due first (undated last)."""
    return (MeetingAction.objects.filter(meeting__ward=ward, status=MeetingAction.Status.OPEN)
            .select_related("meeting", "owner_officer")
            .order_by(F("due_on").asc(nulls_last=True), "id"))
