"""Who may see or change councillors' records, the advocacy roll-out and the role profile.

Councillor records are reference data: the ward data admin keeps them (the same rule as the rest
of the reference data, from wards.permissions). The advocacy roll-out and the role profile belong
to the Support & Liaison Team, so only its manager changes them.
"""
from wards.permissions import can_manage_reference_data, require  # noqa: F401  (one rule, re-used)


def can_view_councillors(user) -> bool:
    """Officers: the liaison team and the ward data admin. Councillors do not need the directory of
    who supports whom, so least privilege leaves them out."""
    return user.is_authenticated and (user.is_liaison or user.is_ward_data_admin or user.is_superuser)


def can_manage_advocacy_rollout(user) -> bool:
    return user.is_authenticated and (user.is_liaison_manager or user.is_superuser)


def can_read_role_profile(user) -> bool:
    """Every signed-in user, drafts included: the team consults councillors on the wording."""
    return user.is_authenticated and bool(user.role or user.is_superuser)


def can_manage_role_profile(user) -> bool:
    return user.is_authenticated and (user.is_liaison_manager or user.is_superuser)
