"""Who may see or change councillors' records, the advocacy roll-out and the role profile.

Councillor records are reference data: the ward data admin keeps them (the same rule as the rest
of the reference data, from wards.permissions). The advocacy roll-out and the role profile belong
to the Support & Liaison Team, so only its manager changes them.
"""
from django.http import Http404
from django.shortcuts import get_object_or_404

from kirklees.permissions import require
from wards.permissions import can_manage_reference_data

from . import selectors
from .models import Councillor, PoliticalGroup, RoleProfileVersion


def can_view_councillors(user) -> bool:
    """Officers: the liaison team and the ward data admin. Councillors do not need the directory of
    who supports whom, so least privilege leaves them out."""
    return user.is_authenticated and user.works_across_wards


def can_manage_advocacy_rollout(user) -> bool:
    return user.is_authenticated and (user.is_liaison_manager or user.is_superuser)


def can_read_role_profile(user) -> bool:
    """Every signed-in user, drafts included: the team consults councillors on the wording."""
    return user.is_authenticated and user.has_staff_role


def can_manage_role_profile(user) -> bool:
    return user.is_authenticated and (user.is_liaison_manager or user.is_superuser)


def get_councillor_for_manager(user, pk: int) -> Councillor:
    """A councillor's record to change: 403 unless `user` keeps reference data, 404 if there is none."""
    require(can_manage_reference_data(user))
    return get_object_or_404(Councillor.objects.select_related("user"), pk=pk)


def get_group_for_manager(user, pk: int) -> PoliticalGroup:
    require(can_manage_reference_data(user))
    return get_object_or_404(PoliticalGroup, pk=pk)


def _role_profile_version(number: int) -> RoleProfileVersion:
    try:
        return selectors.role_profile_version(number)
    except RoleProfileVersion.DoesNotExist:
        raise Http404("No such version") from None


def get_role_profile_version_for_user(user, number: int) -> RoleProfileVersion:
    """A version to read, drafts included: 403 for someone without a role, 404 if there is none."""
    require(can_read_role_profile(user))
    return _role_profile_version(number)


def get_role_profile_version_for_manager(user, number: int) -> RoleProfileVersion:
    """A version to change or move on: 403 unless `user` manages the role profile, 404 if there is none."""
    require(can_manage_role_profile(user))
    return _role_profile_version(number)
