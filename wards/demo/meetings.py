"""A demo ward solution meeting in Dalton, with the actions agreed: one done, one overdue, one to come.

Runs after the demo ward intelligence (it invites the officers and priorities that made) and only
when no meeting has been recorded yet, so running the demo again adds nothing.
"""
import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from ..models import MeetingAction, Priority, Ward, WardMeeting
from ..selectors.people import officers_covering_ward

# description, days after the meeting it is due (None: no date), status
ACTIONS = [
    ("Survey the back lanes off Wakefield Road for fly-tipping hot spots", 14, MeetingAction.Status.DONE),
    ("Put up signs and a camera on the worst lane", 28, MeetingAction.Status.OPEN),
    ("Ask the residents' association to organise a spring clean", None, MeetingAction.Status.OPEN),
]


@transaction.atomic
def demo_meetings_create(*, recorder, ward_name: str = "Dalton", today: datetime.date | None = None) -> None:
    if WardMeeting.objects.exists():
        return
    ward = Ward.objects.latest_arrangement().filter(name=ward_name).first()
    if ward is None:
        return
    held_on = (today or timezone.localdate()) - datetime.timedelta(days=35)
    meeting = WardMeeting.objects.create(
        ward=ward, held_on=held_on, title=f"{ward.name} ward solution meeting: fly-tipping",
        notes="Fly-tipping on the unadopted back lanes is the ward's most reported problem. Waste, "
              "enforcement and the ward councillors agreed to find the hot spots first.",
        created_by=recorder)
    User = get_user_model()
    meeting.attendees.set(User.objects.filter(Q(councillor__ward=ward) | Q(pk=recorder.pk), is_active=True))
    officers = list(officers_covering_ward(ward)[:3])
    meeting.officers.set(officers)
    meeting.priorities.set(Priority.objects.filter(ward=ward, title__icontains="fly-tipping"))
    for index, (description, due_after, status) in enumerate(ACTIONS):
        officer = officers[index] if index < len(officers) and index < 2 else None
        MeetingAction.objects.create(
            meeting=meeting, description=description, status=status,
            owner_officer=officer, owner_name=officer.full_name if officer else "Ward councillors",
            due_on=held_on + datetime.timedelta(days=due_after) if due_after is not None else None)
