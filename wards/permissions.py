"""Who may see or change ward data (DESIGN.md §2): one place, used by every view in wards/ and above.

Ward intelligence is not secret among staff: any signed-in user with a role may read it. Writing
is narrower. Residents' personal data never lives in wards/, so the ward data admin may manage all
of it.

The `get_<thing>_for_user` fetches are how a view gets a record: 403 (`require`) for someone who
may not do this to that kind of record at all, checked before the record is looked up; 404 for a
record that does not exist, or that the user may not know exists (a briefing not yet published,
to councillors); then 403 for one they may see but not change (another ward's priority or
meeting, to a councillor).
"""
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from kirklees.permissions import require

from .models import Briefing, EmailChange, FundingAward, FundingScheme, MeetingAction, Officer, Place, Priority, \
    Service, Ward, WardFigure, WardMeeting
from .selectors.meetings import meeting_with_details
from .selectors.priorities import priority_with_details


def can_view_ward_data(user) -> bool:
    return user.is_authenticated and user.has_staff_role


def can_manage_reference_data(user) -> bool:
    """Wards, places, profile figures, services, officers, funding, councillors, imports."""
    return user.is_authenticated and user.manages_reference_data


def can_approve_email_changes(user) -> bool:
    return user.is_authenticated and user.approves_address_changes


def get_email_change_for_user(user, pk) -> EmailChange:
    """A pending change of address, for a liaison manager to approve or reject."""
    require(can_approve_email_changes(user))
    return get_object_or_404(EmailChange.objects.select_related("service", "officer__service", "requested_by"),
                             pk=pk)


def can_write_briefings(user) -> bool:
    return user.is_authenticated and user.works_across_wards


def councillor_ward_id(user) -> int | None:
    councillor = getattr(user, "councillor", None) if user.is_authenticated and user.is_councillor else None
    return councillor.ward_id if councillor else None


def can_edit_ward_content(user, ward_id: int) -> bool:
    """Priorities and their progress, ward meetings and their actions.

    The liaison team and the ward data admin work across every ward; a councillor only in their
    own ward (a councillor cannot edit another ward's data).
    """
    if not user.is_authenticated:
        return False
    if user.works_across_wards:
        return True
    return user.is_councillor and councillor_ward_id(user) == ward_id


def can_add_ward_content(user) -> bool:
    """May add priorities and meetings somewhere: in any ward, or (a councillor) in their own."""
    return user.is_authenticated and (user.works_across_wards or councillor_ward_id(user) is not None)


def get_ward_for_user(user, pk, *, to: str = "view") -> Ward:
    """A ward to read (`to="view"`) or to manage its reference data, places and figures (`"manage"`)."""
    require(can_manage_reference_data(user) if to == "manage" else can_view_ward_data(user))
    return get_object_or_404(Ward, pk=pk)


def get_place_for_user(user, pk) -> Place:
    """A place to change (reference data)."""
    require(can_manage_reference_data(user))
    return get_object_or_404(Place.objects.select_related("ward"), pk=pk)


def get_figure_for_user(user, pk) -> WardFigure:
    """A ward profile figure to change or delete (reference data)."""
    require(can_manage_reference_data(user))
    return get_object_or_404(WardFigure.objects.select_related("ward"), pk=pk)


def get_priority_for_user(user, pk, *, to: str = "view", details: bool = False) -> Priority:
    """A priority to read, or to edit (`to="edit"`: its ward's content); with `details`, with
    everything its page shows."""
    require(can_view_ward_data(user))
    try:
        priority = (priority_with_details(pk) if details
                    else Priority.objects.select_related("ward", "place").get(pk=pk))
    except Priority.DoesNotExist:
        raise Http404("No such priority") from None
    if to == "edit":
        require(can_edit_ward_content(user, priority.ward_id))
    return priority


def get_briefing_for_user(user, pk, *, to: str = "view") -> Briefing:
    """A briefing to read (its file), or to change (`to="write"`: the liaison team's).

    One not yet published is only the team's: to anyone else it does not exist yet.
    """
    require(can_write_briefings(user) if to == "write" else can_view_ward_data(user))
    briefing = get_object_or_404(Briefing.objects.select_related("ward"), pk=pk)
    if briefing.publish_on > timezone.localdate() and not can_write_briefings(user):
        raise Http404("No such briefing")
    return briefing


def get_scheme_for_user(user, pk) -> FundingScheme:
    """A funding scheme to change (reference data)."""
    require(can_manage_reference_data(user))
    return get_object_or_404(FundingScheme, pk=pk)


def get_award_for_user(user, pk, *, to: str = "view") -> FundingAward:
    """A funding award to read, or to change or move on (`to="manage"`: reference data)."""
    require(can_manage_reference_data(user) if to == "manage" else can_view_ward_data(user))
    return get_object_or_404(FundingAward.objects.select_related("scheme", "ward", "place", "priority"), pk=pk)


def get_officer_for_user(user, pk) -> Officer:
    """An officer in the People Finder, to change or confirm (reference data)."""
    require(can_manage_reference_data(user))
    return get_object_or_404(Officer.objects.select_related("service"), pk=pk)


def get_service_for_user(user, pk) -> Service:
    """A council service, to change (reference data)."""
    require(can_manage_reference_data(user))
    return get_object_or_404(Service, pk=pk)


def get_meeting_for_user(user, pk, *, to: str = "view") -> WardMeeting:
    """A ward solution meeting with everything its page shows, to read or to edit (`to="edit"`)."""
    require(can_view_ward_data(user))
    try:
        meeting = meeting_with_details(pk)
    except WardMeeting.DoesNotExist:
        raise Http404("No such meeting") from None
    if to == "edit":
        require(can_edit_ward_content(user, meeting.ward_id))
    return meeting


def get_action_for_user(user, pk) -> MeetingAction:
    """A meeting's action, to change (its meeting's ward's content)."""
    require(can_view_ward_data(user))
    action = get_object_or_404(MeetingAction.objects.select_related("meeting__ward", "owner_officer"), pk=pk)
    require(can_edit_ward_content(user, action.meeting.ward_id))
    return action
