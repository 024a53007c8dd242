"""Reads for ward solution meetings and their actions, each a fixed number of queries."""
from django.db.models import Count, F, Prefetch, Q

from ..models import MeetingAction, Officer, Ward, WardMeeting


def meetings_list(*, ward: Ward | None = None):
    meetings = WardMeeting.objects.select_related("ward").annotate(
        open_actions=Count("actions", filter=Q(actions__status=MeetingAction.Status.OPEN)),
        all_actions=Count("actions"),
    )
    if ward is not None:
        meetings = meetings.filter(ward=ward)
    return meetings.order_by("-held_on", "-id")


def meeting_with_details(pk: int) -> WardMeeting:
    """One meeting with the ward data its page shows, or WardMeeting.DoesNotExist (the page, in
    pages/, adds how many cases were made from or linked to each action, from casework)."""
    actions = MeetingAction.objects.select_related("owner_officer").order_by(F("due_on").asc(nulls_last=True), "id")
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
