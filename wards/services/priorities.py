"""Every change to ward priorities and their progress.

Priorities are ward content (wards/permissions.py): the liaison team, the ward data admin, and a
councillor in their own ward may write them.
"""
from django.db import transaction
from django.utils import timezone

from .. import permissions
from ..models import Place, Priority, PriorityUpdate, Ward
from .wards import WardRefused, tidy

PS = Priority.Status
# proposed → active → achieved or dropped; a proposal may be dropped before it starts. An update
# may keep the status (progress without a change), and a finished priority stays finished.
PRIORITY_NEXT = {
    PS.PROPOSED: [PS.PROPOSED, PS.ACTIVE, PS.DROPPED],
    PS.ACTIVE: [PS.ACTIVE, PS.ACHIEVED, PS.DROPPED],
    PS.ACHIEVED: [PS.ACHIEVED],
    PS.DROPPED: [PS.DROPPED],
}


def _label(status: str) -> str:
    return PS(status).label.lower()


def priority_transition_error(current: str, new: str) -> str | None:
    """Why a priority cannot move from `current` to `new`, or None if it can."""
    if new in PRIORITY_NEXT[current]:
        return None
    if current in (PS.ACHIEVED, PS.DROPPED):
        return f"This priority is {_label(current)}: it cannot become {_label(new)} again"
    allowed = " or ".join(_label(s) for s in PRIORITY_NEXT[current] if s != current)
    return f"A priority that is {_label(current)} can only become {allowed}"


def _check_place(ward: Ward, place: Place | None) -> None:
    if place is not None and place.ward_id != ward.pk:
        raise WardRefused(f"Choose a place in {ward.name}", field="place")


@transaction.atomic
def priority_create(*, by, ward: Ward, title: str, description: str, outcome_sought: str,
                    place: Place | None = None, status: str = PS.PROPOSED) -> Priority:
    permissions.require(permissions.can_edit_ward_content(by, ward.pk))
    _check_place(ward, place)
    if status not in (PS.PROPOSED, PS.ACTIVE):
        raise WardRefused("A new priority is either proposed or active", field="status")
    return Priority.objects.create(ward=ward, place=place, title=tidy(title), description=description.strip(),
                                   outcome_sought=outcome_sought.strip(), status=status, created_by=by)


@transaction.atomic
def priority_update(*, priority: Priority, by, title: str, description: str, outcome_sought: str,
                    place: Place | None = None) -> Priority:
    """Its words and place. The status moves only with a progress update, so it has a history."""
    permissions.require(permissions.can_edit_ward_content(by, priority.ward_id))
    _check_place(priority.ward, place)
    priority.title, priority.description = tidy(title), description.strip()
    priority.outcome_sought, priority.place = outcome_sought.strip(), place
    priority.save(update_fields=["title", "description", "outcome_sought", "place", "updated_at"])
    return priority


@transaction.atomic
def priority_add_update(*, priority: Priority, by, text: str, status: str) -> PriorityUpdate:
    """Record progress, perhaps moving the status on (proposed → active → achieved or dropped)."""
    permissions.require(permissions.can_edit_ward_content(by, priority.ward_id))
    # Lock the row: two people updating at once must not both move it from the status they saw.
    current = Priority.objects.select_for_update().values_list("status", flat=True).get(pk=priority.pk)
    error = priority_transition_error(current, status)
    if error:
        raise WardRefused(error, field="status")
    update = PriorityUpdate.objects.create(priority=priority, text=text.strip(), status=status, by=by)
    Priority.objects.filter(pk=priority.pk).update(status=status, updated_at=timezone.now())
    priority.status = status
    return update
