"""Whose Councillor Account a person may open: the one place that decides, for the composition pages.

The data import and the boundary change are the ward data admin's (wards.permissions decides).
"""
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from councillors.models import Councillor

ACCOUNT_DETAILS = ("user", "ward", "group", "liaison_officer")


def accounts_for_user(user):
    """The councillors whose Accounts a member of the team may open: their own councillors; a
    manager, anyone's. 403 for anyone outside the team."""
    if not user.is_liaison:
        raise PermissionDenied("Only the Support & Liaison Team supports councillors.")
    councillors = Councillor.objects.all() if user.is_liaison_manager else Councillor.objects.for_liaison_officer(user)
    return councillors.select_related(*ACCOUNT_DETAILS)


def get_own_account(user) -> Councillor:
    if not user.is_councillor:
        raise PermissionDenied("The Councillor Account is for councillors.")
    return get_object_or_404(Councillor.objects.select_related(*ACCOUNT_DETAILS), user=user)


def get_account_for_user(user, pk) -> Councillor:
    """Another councillor's Account: 404 for a councillor this member of the team does not support."""
    if not user.is_liaison:
        raise PermissionDenied("Only the Support & Liaison Team may view another councillor's Account.")
    return get_object_or_404(accounts_for_user(user), pk=pk)
