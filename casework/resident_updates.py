"""Telling the resident how their case moves on, when they asked to be told (issue 14).

Consent is per case (Case.updates_by, with when it was given); it is given at intake and changed or
withdrawn from the case page by whoever may edit the case. On the steps that matter (accepted by
the advocacy service, referred to a council service, resolved) an update is queued in the step's own
transaction through kirklees.notifications.updates, which sends it after the commit: a provider that
is down or refuses never stops the step. The update says the case reference and the new status, and
nothing else (no names, no service, no summary: a message to a phone or inbox others may read).
The timeline records that it went, or why it did not, never the address.
"""

from django.utils import timezone

from kirklees.notifications.models import Update
from kirklees.notifications.updates import UpdateMessage, sms_available, updates_queue

from .models import Case, CaseEvent, Resident

TOPIC = "case_update"
TEMPLATE = "case_update"

# The step -> what the update says happened (after "Your councillor casework case KC-...: ").
STEPS = {
    "accepted": "the council's Support and Liaison Team has taken it on and will keep working on it",
    "referred": "we have passed it to the council service that can help",
    "resolved": "it has been resolved",
}

CHANNELS = {Case.Updates.EMAIL: Update.Channel.EMAIL, Case.Updates.SMS: Update.Channel.SMS}


def is_mobile(phone: str) -> bool:
    """A UK mobile number (text messages go to no other), as normalise_phone writes it."""
    digits = "".join(c for c in phone if c.isdigit())
    return digits.startswith("07") and len(digits) == 11 or digits.startswith("447") and len(digits) == 12


def address_problem(updates_by: str, *, email: str, phone: str) -> str:
    """Why updates cannot go that way to someone with these details ("" when they can)."""
    if updates_by == Case.Updates.EMAIL and not email:
        return "Enter the resident’s email address to send them updates by email, or choose another option"
    if updates_by == Case.Updates.SMS:
        if not phone:
            return "Enter the resident’s mobile phone number to send them text messages, or choose another option"
        if not is_mobile(phone):
            return "Text messages go to mobile numbers only: enter a mobile number, like 07700 900 982, or choose " \
                   "another option"
    return ""


def consent_fields(updates_by: str) -> dict:
    return {"updates_by": updates_by,
            "updates_consent_at": timezone.now() if updates_by != Case.Updates.NONE else None}


def _address(resident: Resident, updates_by: str) -> str:
    return resident.email if updates_by == Case.Updates.EMAIL else resident.phone


def resident_update_queue(case: Case, step: str) -> None:
    """In the step's transaction: queue the update if the resident asked for one, or note on the
    timeline why it cannot go (their address has gone since)."""
    if case.updates_by == Case.Updates.NONE:
        return
    resident = case.resident
    to = _address(resident, case.updates_by)
    problem = address_problem(case.updates_by, email=resident.email, phone=resident.phone)
    if problem:
        CaseEvent.objects.create(case=case, kind=CaseEvent.Kind.RESIDENT_UPDATE_NOT_SENT,
                                 text=f"Not sent: the resident's record has no "
                                      f"{'email address' if case.updates_by == Case.Updates.EMAIL else 'mobile number'}"
                                      " now")
        return
    updates_queue([UpdateMessage(channel=CHANNELS[case.updates_by], to=to, template=TEMPLATE,
                                 personalisation={"reference": case.reference, "status": STEPS[step]},
                                 topic=TOPIC, topic_id=case.pk)])


def update_outcome(update: Update) -> None:
    """The notifications side's hook: the update went, or never will; say so on the timeline."""
    how = update.get_channel_display().lower()
    status = update.personalisation.get("status", "")
    if update.sent_at:
        CaseEvent.objects.create(case_id=update.topic_id, kind=CaseEvent.Kind.RESIDENT_UPDATED,
                                 created_at=update.sent_at, text=f"By {how}: “{status}”")
    else:
        CaseEvent.objects.create(case_id=update.topic_id, kind=CaseEvent.Kind.RESIDENT_UPDATE_NOT_SENT,
                                 text=f"By {how}: {update.last_error}")


def updates_for_cases(case_ids) -> dict[int, list[Update]]:
    found: dict[int, list[Update]] = {}
    for update in Update.objects.filter(topic=TOPIC, topic_id__in=list(case_ids)).order_by("created_at", "id"):
        found.setdefault(update.topic_id, []).append(update)
    return found


def updates_choice_hint() -> str:
    if sms_available():
        return "Only the case reference and what has happened: accepted, passed to a service, resolved."
    return ("Only the case reference and what has happened: accepted, passed to a service, resolved. Text "
            "messages cannot be sent yet (this site sends updates by email only): choose email or no updates.")
