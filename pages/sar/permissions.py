"""Who may start and answer a subject access request: the one place that decides.

A liaison manager answers for the service: they may start a request for any resident, and see
every request. A councillor is the controller of the ward casework they hold: while in office
they may start one for a resident with a case they own, and see the requests they started as
controller (which cover their own cases only). Nobody else: liaison officers, ward data admins
and superusers browsing get 403 for the list and 404 for a resident or request.
"""

from django.http import Http404

from casework.models import Case, Resident
from casework.permissions import CaseAccess, case_access_for
from kirklees.permissions import require

from .models import SubjectAccessRequest


def _is_manager(user) -> bool:
    return user.is_authenticated and user.is_active and user.is_liaison_manager


def _controller(user):
    """The councillor whose own cases a request of theirs covers, if they may handle one now."""
    if (user.is_authenticated and user.is_active and user.is_councillor
            and case_access_for(user) == CaseAccess.HOLDS):
        return user.councillor
    return None


def can_handle_sars(user) -> bool:
    return _is_manager(user) or _controller(user) is not None


def sars_visible_to(user):
    require(can_handle_sars(user))
    requests = SubjectAccessRequest.objects.select_related("resident", "councillor__user", "started_by")
    if _is_manager(user):
        return requests
    return requests.filter(councillor=_controller(user))


def get_sar_for_user(user, pk) -> SubjectAccessRequest:
    """A request, if `user` may handle it; 404 otherwise (so guessing numbers tells nothing)."""
    if not can_handle_sars(user):
        raise Http404("No such request")
    try:
        return sars_visible_to(user).get(pk=pk)
    except SubjectAccessRequest.DoesNotExist:
        raise Http404("No such request") from None


def may_start_sar_for(user, resident_id: int) -> bool:
    if _is_manager(user):
        return True
    councillor = _controller(user)
    return councillor is not None and Case.objects.filter(resident_id=resident_id, owner=councillor).exists()


def get_resident_for_sar(user, resident_id) -> Resident:
    """The resident a request is started for: 404 unless `user` may start one for them."""
    if not may_start_sar_for(user, resident_id):
        raise Http404("No such resident")
    try:
        return Resident.objects.get(pk=resident_id)
    except Resident.DoesNotExist:
        raise Http404("No such resident") from None


def scope_for(user):
    """The councillor a request started by `user` is limited to: None for a manager (everything)."""
    return None if _is_manager(user) else _controller(user)
