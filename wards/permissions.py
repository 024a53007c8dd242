"""Who may see or change ward data (DESIGN.md §2): one place, used by every view in wards/ and above.

Ward intelligence is not secret among staff: any signed-in user with a role may read it. Writing
is narrower. Residents' personal data never lives in wards/, so the ward data admin may manage all
of it.
"""
from kirklees.permissions import require  # noqa: F401  (views and services call it from here)


def can_view_ward_data(user) -> bool:
    return user.is_authenticated and user.has_staff_role


def can_manage_reference_data(user) -> bool:
    """Wards, places, profile figures, services, officers, funding, councillors, imports."""
    return user.is_authenticated and user.manages_reference_data


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

