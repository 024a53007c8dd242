"""Who may do what with learning events and the resource library: one place.

Everyone with a role (councillors and every member of staff) may read, and book a place on an
event for themselves. The Support & Liaison Team (officer or manager) runs the events and keeps
the library.
"""
from kirklees.permissions import require  # noqa: F401  (views and services call it from here)


def can_use(user) -> bool:
    return user.is_authenticated and bool(user.role or user.is_superuser)


def can_book(user) -> bool:
    """Places are for people with a role: a technical account without one does not attend."""
    return user.is_authenticated and bool(user.role)


def can_manage(user) -> bool:
    return user.is_authenticated and user.is_liaison

