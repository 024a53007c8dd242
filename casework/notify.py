"""Who hears about what happens on a case: one table, so the policy reads in one place."""

from django.contrib.auth import get_user_model

from kirklees.notifications.services import Message, notify_many

from .models import Case, CaseEvent, notice_text
from .permissions import CaseAccess, case_access_of

User = get_user_model()
Kind = CaseEvent.Kind

OWNER, ASSIGNED, TRIAGERS = "owner", "assigned", "triagers"

# event kind -> (who is told, how the title reads)
RECIPIENTS = {
    Kind.REFERRED_TO_ADVOCACY: (TRIAGERS, "New case to triage: {ref}"),
    Kind.ACCEPTED: (OWNER, "{ref} was accepted by the advocacy service"),
    Kind.DECLINED: (OWNER, "{ref} was declined by the advocacy service"),
    Kind.INFO_REQUESTED: (OWNER, "{ref} is waiting for information from the resident"),
    Kind.REFERRED_TO_SERVICE: (OWNER, "{ref} was referred to a council service"),
    Kind.RESPONSE_RECORDED: (OWNER, "A council service answered about {ref}"),
    Kind.RESOLVED: (OWNER, "{ref} is resolved: please confirm with the resident"),
    Kind.REOPENED: (ASSIGNED, "{ref} was reopened"),
    Kind.WITHDRAWN: (ASSIGNED, "{ref} was withdrawn"),
    Kind.CLOSED: (ASSIGNED, "{ref} was confirmed resolved and closed"),
    Kind.ASSIGNED: (ASSIGNED, "{ref} was assigned to you"),
}


def _people(case: Case, who: str) -> list:
    if who == OWNER:
        # A councillor whose term has ended (past any read-only days) hears no more of the case.
        return [case.owner.user] if case_access_of(case.owner) != CaseAccess.NONE else []
    if who == ASSIGNED:
        return [case.assigned_to] if case.assigned_to_id else []
    # A new referral goes to the councillor's identified liaison officer, or else the managers.
    officer = case.owner.liaison_officer
    if officer is not None and officer.is_active:
        return [officer]
    return list(User.objects.filter(role=User.Role.LIAISON_MANAGER, is_active=True))


def case_event_notify(case: Case, kind: str, by, text: str = "") -> None:
    """Tell whoever should hear of this change, except the person who made it."""
    if kind not in RECIPIENTS or not case.advocacy and kind != Kind.DECLINED:
        return  # a councillor working a case alone is the only one working it
    who, title = RECIPIENTS[kind]
    people = [p for p in _people(case, who) if p is not None and p.pk != getattr(by, "pk", None)]
    notify_many([
        Message(p.pk, f"case_{kind}", title.format(ref=case.reference),
                notice_text(sensitive=case.sensitive, text=text or case.summary), case.get_absolute_url())
        for p in people
    ])
