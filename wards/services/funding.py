"""Every change to funding: schemes and awards (reference data: the ward data admin), and the
funding monitoring reminders (timed work)."""
import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from kirklees.dated import in_force_on
from kirklees.notifications.services import Message, notify_many

from .. import permissions
from ..models import FundingAward, FundingScheme, Place, Priority, Ward
from .wards import WardRefused, tidy

User = get_user_model()


FS = FundingAward.Status
FUNDING_PATH = [FS.APPLIED, FS.APPROVED, FS.PAID, FS.MONITORING_DUE, FS.CLOSED]
# Forward only, one step at a time; a paid award may close at once when its monitoring report
# comes in before anyone was reminded.
FUNDING_NEXT = {
    FS.APPLIED: [FS.APPROVED],
    FS.APPROVED: [FS.PAID],
    FS.PAID: [FS.MONITORING_DUE, FS.CLOSED],
    FS.MONITORING_DUE: [FS.CLOSED],
    FS.CLOSED: [],
}
NEEDS_DECISION = {FS.APPROVED, FS.PAID, FS.MONITORING_DUE, FS.CLOSED}
NEEDS_MONITORING_DATE = {FS.PAID, FS.MONITORING_DUE, FS.CLOSED}
MONITORING_REMINDER_DAYS = 5
MONITORING_DATE_NEEDED = "Enter the date the monitoring report is due: it is needed once an award is paid"


def _flabel(status: str) -> str:
    return FS(status).label.lower()


def funding_transition_error(current: str, new: str) -> str | None:
    """Why an award cannot move from `current` to `new`, or None if it can."""
    if new in FUNDING_NEXT[current]:
        return None
    if current == FS.CLOSED:
        return "This award is closed: its status cannot change"
    if new == current:
        return f"This award is already {_flabel(current)}"
    if FUNDING_PATH.index(new) < FUNDING_PATH.index(current):
        return (f"An award’s status only moves forward: this one is {_flabel(current)}, "
                f"so it cannot go back to {_flabel(new)}")
    allowed = " or ".join(_flabel(s) for s in FUNDING_NEXT[current])
    return f"An award that is {_flabel(current)} can only move on to {allowed}"


def award_problems(*, ward: Ward, place: Place | None, priority: Priority | None, status: str,
                   applied_on: datetime.date | None, decided_on: datetime.date | None,
                   monitoring_due_on: datetime.date | None, amount: Decimal | None) -> dict[str, str]:
    """What is wrong with an award's details, by field (the form shows the same as the service refuses)."""
    errors = {}
    if amount is not None and amount <= 0:
        errors["amount"] = "Enter an amount more than £0"
    if place is not None and place.ward_id != ward.pk:
        errors["place"] = f"Choose a place in {ward.name}"
    if priority is not None and priority.ward_id != ward.pk:
        errors["priority"] = f"Choose one of {ward.name}’s priorities"
    if status in NEEDS_DECISION and decided_on is None:
        errors["decided_on"] = "Enter the date the award was decided"
    if decided_on is not None and applied_on is not None and decided_on < applied_on:
        errors["decided_on"] = "The decision date must be on or after the date applied"
    if status in NEEDS_MONITORING_DATE and monitoring_due_on is None:
        errors["monitoring_due_on"] = MONITORING_DATE_NEEDED
    return errors


def _check_award(**details) -> None:
    if details["amount"] is None:
        raise WardRefused("Enter the amount", field="amount")
    errors = award_problems(**details)
    if errors:
        field, message = next(iter(errors.items()))
        raise WardRefused(message, field=field, others=errors)


@transaction.atomic
def funding_scheme_create(*, by, name: str, description: str = "", is_open: bool = True) -> FundingScheme:
    permissions.require(permissions.can_manage_reference_data(by))
    return FundingScheme.objects.create(name=tidy(name), description=description.strip(), is_open=is_open)


@transaction.atomic
def funding_scheme_update(*, scheme: FundingScheme, by, name: str, description: str = "",
                          is_open: bool = True) -> FundingScheme:
    permissions.require(permissions.can_manage_reference_data(by))
    scheme.name, scheme.description, scheme.is_open = tidy(name), description.strip(), is_open
    scheme.save(update_fields=["name", "description", "is_open"])
    return scheme


@transaction.atomic
def funding_award_create(*, by, scheme: FundingScheme, ward: Ward, recipient: str, purpose: str, amount: Decimal,
                         applied_on: datetime.date, status: str = FS.APPLIED, place: Place | None = None,
                         priority: Priority | None = None, decided_on: datetime.date | None = None,
                         monitoring_due_on: datetime.date | None = None) -> FundingAward:
    """Record an award. An older one may be entered at the status it has already reached."""
    permissions.require(permissions.can_manage_reference_data(by))
    _check_award(ward=ward, place=place, priority=priority, status=status, applied_on=applied_on,
                 decided_on=decided_on, monitoring_due_on=monitoring_due_on, amount=amount)
    return FundingAward.objects.create(
        scheme=scheme, ward=ward, place=place, priority=priority, recipient=tidy(recipient),
        purpose=tidy(purpose), amount=amount, status=status, applied_on=applied_on, decided_on=decided_on,
        monitoring_due_on=monitoring_due_on,
    )


AWARD_FIELDS = ["scheme", "recipient", "purpose", "amount", "place", "priority", "applied_on", "decided_on",
                "monitoring_due_on"]


@transaction.atomic
def funding_award_update(*, award: FundingAward, by, scheme: FundingScheme, recipient: str, purpose: str,
                         amount: Decimal, applied_on: datetime.date, place: Place | None = None,
                         priority: Priority | None = None, decided_on: datetime.date | None = None,
                         monitoring_due_on: datetime.date | None = None) -> FundingAward:
    """Correct an award's details. The ward and status stay (the status moves with
    `funding_award_set_status`)."""
    permissions.require(permissions.can_manage_reference_data(by))
    status = FundingAward.objects.select_for_update().values_list("status", flat=True).get(pk=award.pk)
    _check_award(ward=award.ward, place=place, priority=priority, status=status, applied_on=applied_on,
                 decided_on=decided_on, monitoring_due_on=monitoring_due_on, amount=amount)
    fields = list(AWARD_FIELDS)
    if monitoring_due_on != award.monitoring_due_on:
        # A new due date deserves its own reminder.
        award.monitoring_reminded_on = None
        fields.append("monitoring_reminded_on")
    award.scheme, award.recipient, award.purpose, award.amount = scheme, tidy(recipient), tidy(purpose), amount
    award.place, award.priority, award.applied_on = place, priority, applied_on
    award.decided_on, award.monitoring_due_on, award.status = decided_on, monitoring_due_on, status
    award.save(update_fields=fields)
    return award


@transaction.atomic
def funding_award_set_status(*, award: FundingAward, by, status: str, decided_on: datetime.date | None = None,
                             monitoring_due_on: datetime.date | None = None) -> FundingAward:
    """Move an award one step on. Approving records the decision date (today unless given); paying
    needs the monitoring report's due date."""
    permissions.require(permissions.can_manage_reference_data(by))
    current = (FundingAward.objects.select_for_update()
               .values("status", "decided_on", "monitoring_due_on").get(pk=award.pk))
    error = funding_transition_error(current["status"], status)
    if error:
        raise WardRefused(error, field="status")
    changes = {"status": status}
    if status == FS.APPROVED:
        changes["decided_on"] = decided_on or current["decided_on"] or timezone.localdate()
        if changes["decided_on"] < award.applied_on:
            raise WardRefused("The decision date must be on or after the date applied", field="decided_on")
    if status in NEEDS_MONITORING_DATE:
        due = monitoring_due_on or current["monitoring_due_on"]
        if due is None:
            raise WardRefused(MONITORING_DATE_NEEDED, field="monitoring_due_on")
        if due != current["monitoring_due_on"]:
            changes["monitoring_due_on"] = due
            changes["monitoring_reminded_on"] = None
    FundingAward.objects.filter(pk=award.pk).update(**changes)
    for name, value in changes.items():
        setattr(award, name, value)
    return award


# --- monitoring reminders (timed work) -------------------------------------------------------------

_MARK_DUE = f"""
UPDATE {FundingAward._meta.db_table}
   SET status = %(due)s, monitoring_reminded_on = %(today)s
 WHERE status IN (%(paid)s, %(due)s)
   AND monitoring_reminded_on IS NULL
   AND monitoring_due_on <= %(horizon)s
RETURNING id, ward_id, recipient, amount, monitoring_due_on
"""


def _recipients(ward_ids: set[int], today: datetime.date):
    """The ward data admins, and the serving councillors of those wards (one query).

    Councillors are reached through the user's `councillor` relation by name, so that wards/ does
    not import the councillors app (which sits above it).
    """
    serving = Q(councillor__ward_id__in=ward_ids) & in_force_on(today, start="councillor__term_start",
                                                                 end="councillor__term_end")
    return list(User.objects.filter(is_active=True).filter(
        Q(role=User.Role.WARD_DATA_ADMIN) | (Q(role=User.Role.COUNCILLOR) & serving),
    ).values_list("pk", "role", "councillor__ward_id").distinct())


def _reminder_line(row: dict) -> str:
    return f"{row['recipient']}: £{row['amount']:,.2f}, monitoring report due {row['due']:%-d %B %Y}"


@transaction.atomic
def funding_monitoring_reminders_send(*, today: datetime.date | None = None) -> int:
    """Mark paid awards whose monitoring report is due within 5 days (or overdue) as monitoring
    due, and tell the ward data admins and each ward's councillors, once.

    One conditional UPDATE claims the awards: it sets monitoring_reminded_on, so a second run, or
    one racing this, finds nothing left to do. Returns how many awards were marked.
    """
    today = today or timezone.localdate()
    horizon = today + datetime.timedelta(days=MONITORING_REMINDER_DAYS)
    with connection.cursor() as cursor:
        cursor.execute(_MARK_DUE, {"due": FS.MONITORING_DUE, "paid": FS.PAID, "today": today, "horizon": horizon})
        rows = [dict(zip(("id", "ward_id", "recipient", "amount", "due"), row, strict=True))
                for row in cursor.fetchall()]
    if not rows:
        return 0
    rows.sort(key=lambda r: (r["due"], r["id"]))
    ward_names = dict(Ward.objects.filter(pk__in={r["ward_id"] for r in rows}).values_list("pk", "name"))
    by_ward: dict[int, list[dict]] = {}
    for row in rows:
        by_ward.setdefault(row["ward_id"], []).append(row)
    awards_url = reverse("wards:funding-awards")
    messages = []
    for user_id, role, councillor_ward in _recipients(set(by_ward), today):
        if role == User.Role.WARD_DATA_ADMIN:
            mine, where = rows, ""
        else:
            mine, where = by_ward.get(councillor_ward, []), f" in {ward_names[councillor_ward]}"
        if not mine:
            continue
        count = len(mine)
        body = "\n".join(
            (f"{ward_names[r['ward_id']]}: " if not where else "") + _reminder_line(r) for r in mine)
        url = f"{awards_url}?status={FS.MONITORING_DUE}"
        if where:
            url += f"&ward={councillor_ward}"
        plural = "s" if count != 1 else ""
        messages.append(Message(
            user_id=user_id, kind="funding_monitoring_due",
            title=f"Monitoring report{plural} due for {count} funding award{plural}{where}", body=body, url=url,
        ))
    notify_many(messages)
    return len(rows)
