"""Every change to ward solution meetings and their actions.

Who may write follows `permissions.can_edit_ward_content`: the liaison team and the ward data
admin in any ward, a councillor only in their own.
"""
import datetime

from django.db import transaction

from .. import permissions
from ..models import MeetingAction, Officer, Ward, WardMeeting
from .wards import WardRefused


def _require_editor(by, ward_id: int) -> None:
    permissions.require(permissions.can_edit_ward_content(by, ward_id))


def _check_priorities(ward: Ward, priorities, meeting: WardMeeting | None = None) -> None:
    kept = {p.pk for p in meeting.priorities.all()} if meeting else set()
    if any(p.ward_id != ward.pk and p.pk not in kept for p in priorities):
        raise WardRefused("A meeting can only discuss its own ward's priorities.")


@transaction.atomic
def meeting_create(*, by, ward: Ward, held_on: datetime.date, title: str, notes: str = "",
                   attendees=(), officers=(), priorities=()) -> WardMeeting:
    _require_editor(by, ward.pk)
    _check_priorities(ward, priorities)
    meeting = WardMeeting.objects.create(ward=ward, held_on=held_on, title=title.strip(), notes=notes.strip(),
                                         created_by=by)
    meeting.attendees.set(attendees)
    meeting.officers.set(officers)
    meeting.priorities.set(priorities)
    return meeting


@transaction.atomic
def meeting_update(*, meeting: WardMeeting, by, held_on: datetime.date, title: str, notes: str = "",
                   attendees=(), officers=(), priorities=()) -> WardMeeting:
    """The ward stays: the people, officers and priorities offered all depend on it."""
    _require_editor(by, meeting.ward_id)
    _check_priorities(meeting.ward, priorities, meeting)
    meeting.held_on, meeting.title, meeting.notes = held_on, title.strip(), notes.strip()
    meeting.save(update_fields=["held_on", "title", "notes"])
    meeting.attendees.set(attendees)
    meeting.officers.set(officers)
    meeting.priorities.set(priorities)
    return meeting


@transaction.atomic
def meeting_action_add(*, meeting: WardMeeting, by, description: str, owner_name: str = "",
                       owner_officer: Officer | None = None,
                       due_on: datetime.date | None = None) -> MeetingAction:
    _require_editor(by, meeting.ward_id)
    owner_name = owner_officer.full_name if owner_officer is not None else owner_name.strip()
    if not owner_name:
        raise WardRefused("Choose an officer, or enter the name of whoever will do it")
    return MeetingAction.objects.create(meeting=meeting, description=description.strip(), owner_name=owner_name,
                                        owner_officer=owner_officer, due_on=due_on)


@transaction.atomic
def meeting_action_update(*, action: MeetingAction, by, description: str, owner_name: str = "",
                          owner_officer: Officer | None = None,
                          due_on: datetime.date | None = None) -> MeetingAction:
    """Correct what an action says, who owns it or when it is due (the status has its own buttons)."""
    _require_editor(by, action.meeting.ward_id)
    owner_name = owner_officer.full_name if owner_officer is not None else owner_name.strip()
    if not owner_name:
        raise WardRefused("Choose an officer, or enter the name of whoever will do it")
    action.description, action.owner_name = description.strip(), owner_name
    action.owner_officer, action.due_on = owner_officer, due_on
    action.save(update_fields=["description", "owner_name", "owner_officer", "due_on"])
    return action


@transaction.atomic
def meeting_action_set_status(*, action: MeetingAction, by, status: str) -> MeetingAction:
    """Done, dropped, or open again (an action marked done by mistake)."""
    _require_editor(by, action.meeting.ward_id)
    if status not in MeetingAction.Status.values:
        raise WardRefused("Choose a status")
    MeetingAction.objects.filter(pk=action.pk).update(status=status)
    action.status = status
    return action
