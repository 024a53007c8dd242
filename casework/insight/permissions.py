"""Who may read which report.

The whole service's report (every councillor's figures) is for the Support & Liaison Team: the
liaison manager, who watches performance, and the liaison officers, whose own work it measures.
A councillor reads only their own report, for the cases they own: its address names no councillor,
so there is nobody else's to ask for. Figures only, no resident's details, but a ward data admin
or a superuser has no casework role and gets neither.
"""
from kirklees.permissions import require


def can_read_team_report(user) -> bool:
    return user.is_authenticated and user.is_active and user.is_liaison


def can_read_own_report(user) -> bool:
    return user.is_authenticated and user.is_active and user.is_councillor and hasattr(user, "councillor")


def get_councillor_for_own_report(user):
    require(can_read_own_report(user))
    return user.councillor
