"""Who may do what with learning events and the resource library: one place.

Everyone with a role (councillors and every member of staff) may read, and book a place on an
event for themselves. The Support & Liaison Team (officer or manager) runs the events and keeps
the library.
"""
from django.shortcuts import get_object_or_404

from kirklees.permissions import require

from .models import Event, Resource


def can_use(user) -> bool:
    return user.is_authenticated and user.has_staff_role


def can_book(user) -> bool:
    """Places are for people with a role: a technical account without one does not attend."""
    return user.is_authenticated and bool(user.role)


def can_manage(user) -> bool:
    return user.is_authenticated and user.is_liaison


def get_event_for_user(user, pk: int, queryset=None) -> Event:
    """An event to read: 403 for someone without a role, 404 if there is no such event."""
    require(can_use(user))
    return get_object_or_404(Event.objects.all() if queryset is None else queryset, pk=pk)


def get_event_for_manager(user, pk: int) -> Event:
    """An event to change, cancel or list the attendees of: 403 unless on the team, 404 if none."""
    require(can_manage(user))
    return get_object_or_404(Event, pk=pk)


def get_resource_for_user(user, pk: int) -> Resource:
    require(can_use(user))
    return get_object_or_404(Resource, pk=pk)


def get_resource_for_manager(user, pk: int) -> Resource:
    require(can_manage(user))
    return get_object_or_404(Resource, pk=pk)
