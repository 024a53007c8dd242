"""Every change to ward intelligence: places, profile figures, priorities and their progress,
briefings, funding schemes and awards, and the funding monitoring reminders.

Who may write (wards/permissions.py): places, figures and funding are reference data (the ward
data admin); priorities are ward content (the liaison team, the data admin, a councillor in their
own ward); briefings are the liaison team's.
"""
import datetime
import uuid
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from kirklees.dated import in_force_on
from kirklees.govuk.uploads import delete_on_commit, sniffed_type, upload_type_check
from kirklees.notifications.services import Message, notify_many

from . import permissions
from .models import Briefing, FundingAward, FundingScheme, Place, Priority, PriorityUpdate, Ward, WardFigure

User = get_user_model()

JOB_FUNDING_REMINDERS = "funding-monitoring-reminders"  # its name in settings.SCHEDULED_JOBS


def _tidy(text: str) -> str:
    return " ".join((text or "").split())


# --- places --------------------------------------------------------------------------------------

PLACE_NAME_TAKEN = "There is already a place with this name in {ward}"


def place_name_taken(ward: Ward, name: str, *, exclude: Place | None = None) -> bool:
    others = Place.objects.filter(ward=ward, name__iexact=name)
    return (others.exclude(pk=exclude.pk) if exclude is not None else others).exists()


def _save_place(place: Place, *, update_fields=None) -> Place:
    if place_name_taken(place.ward, place.name, exclude=place if place.pk else None):
        raise ValidationError({"name": PLACE_NAME_TAKEN.format(ward=place.ward.name)})
    try:
        with transaction.atomic():  # a savepoint: someone may have added the same name a moment ago
            place.save(update_fields=update_fields)
    except IntegrityError:
        raise ValidationError({"name": PLACE_NAME_TAKEN.format(ward=place.ward.name)}) from None
    return place


@transaction.atomic
def place_create(*, by, ward: Ward, name: str, kind: str = Place.Kind.NEIGHBOURHOOD) -> Place:
    permissions.require(permissions.can_manage_reference_data(by))
    return _save_place(Place(ward=ward, name=_tidy(name), kind=kind))


@transaction.atomic
def place_update(*, place: Place, by, name: str, kind: str) -> Place:
    """The ward stays: a place moves ward only in a boundary change."""
    permissions.require(permissions.can_manage_reference_data(by))
    place.name, place.kind = _tidy(name), kind
    return _save_place(place, update_fields=["name", "kind"])


# --- ward profile figures ------------------------------------------------------------------------

FIGURE_TAKEN = "{ward} already has a figure called {name} as of this date: edit that one instead"


def figure_taken(ward: Ward, name: str, as_of: datetime.date, *, exclude: WardFigure | None = None) -> bool:
    others = WardFigure.objects.filter(ward=ward, name__iexact=name, as_of=as_of)
    return (others.exclude(pk=exclude.pk) if exclude is not None else others).exists()


def _save_figure(figure: WardFigure, *, update_fields=None) -> WardFigure:
    message = FIGURE_TAKEN.format(ward=figure.ward.name, name=figure.name)
    if figure_taken(figure.ward, figure.name, figure.as_of, exclude=figure if figure.pk else None):
        raise ValidationError({"as_of": message})
    try:
        with transaction.atomic():
            figure.save(update_fields=update_fields)
    except IntegrityError:
        raise ValidationError({"as_of": message}) from None
    return figure


FIGURE_FIELDS = ["name", "value", "unit", "source", "as_of"]


@transaction.atomic
def ward_figure_create(*, by, ward: Ward, name: str, value: Decimal, unit: str = "", source: str,
                       as_of: datetime.date) -> WardFigure:
    permissions.require(permissions.can_manage_reference_data(by))
    return _save_figure(WardFigure(ward=ward, name=_tidy(name), value=value, unit=_tidy(unit),
                                   source=_tidy(source), as_of=as_of))


@transaction.atomic
def ward_figure_update(*, figure: WardFigure, by, name: str, value: Decimal, unit: str = "", source: str,
                       as_of: datetime.date) -> WardFigure:
    permissions.require(permissions.can_manage_reference_data(by))
    figure.name, figure.value, figure.unit = _tidy(name), value, _tidy(unit)
    figure.source, figure.as_of = _tidy(source), as_of
    return _save_figure(figure, update_fields=FIGURE_FIELDS)


@transaction.atomic
def ward_figure_delete(*, figure: WardFigure, by) -> None:
    permissions.require(permissions.can_manage_reference_data(by))
    figure.delete()


# --- priorities ----------------------------------------------------------------------------------

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
        raise ValidationError({"place": f"Choose a place in {ward.name}"})


@transaction.atomic
def priority_create(*, by, ward: Ward, title: str, description: str, outcome_sought: str,
                    place: Place | None = None, status: str = PS.PROPOSED) -> Priority:
    permissions.require(permissions.can_edit_ward_content(by, ward.pk))
    _check_place(ward, place)
    if status not in (PS.PROPOSED, PS.ACTIVE):
        raise ValidationError({"status": "A new priority is either proposed or active"})
    return Priority.objects.create(ward=ward, place=place, title=_tidy(title), description=description.strip(),
                                   outcome_sought=outcome_sought.strip(), status=status, created_by=by)


@transaction.atomic
def priority_update(*, priority: Priority, by, title: str, description: str, outcome_sought: str,
                    place: Place | None = None) -> Priority:
    """Its words and place. The status moves only with a progress update, so it has a history."""
    permissions.require(permissions.can_edit_ward_content(by, priority.ward_id))
    _check_place(priority.ward, place)
    priority.title, priority.description = _tidy(title), description.strip()
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
        raise ValidationError({"status": error})
    update = PriorityUpdate.objects.create(priority=priority, text=text.strip(), status=status, by=by)
    Priority.objects.filter(pk=priority.pk).update(status=status, updated_at=timezone.now())
    priority.status = status
    return update


# --- briefings -----------------------------------------------------------------------------------

BRIEFING_FILE_TYPES = {
    "application/pdf": "PDF",
    "application/msword": "Word document",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word document",
    "application/vnd.ms-excel": "Excel spreadsheet",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "Excel spreadsheet",
    "application/vnd.ms-powerpoint": "PowerPoint presentation",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "PowerPoint presentation",
    "application/vnd.oasis.opendocument.text": "OpenDocument text",
    "application/vnd.oasis.opendocument.spreadsheet": "OpenDocument spreadsheet",
    "application/vnd.oasis.opendocument.presentation": "OpenDocument presentation",
    "image/jpeg": "JPEG image",
    "image/png": "PNG image",
}
BRIEFING_FILE_MAX_BYTES = 10 * 1024 * 1024
BRIEFING_FILE_KINDS = "a PDF, an Office document (Word, Excel, PowerPoint or OpenDocument), or a JPEG or PNG image"


def briefing_file_type(data: bytes) -> str | None:
    """The real type of a briefing's file, read from its first bytes."""
    return sniffed_type(data, BRIEFING_FILE_TYPES)


def briefing_file_check(upload) -> str:
    return upload_type_check(upload, allowed=BRIEFING_FILE_TYPES, max_bytes=BRIEFING_FILE_MAX_BYTES,
                             wrong_type=f"The selected file must be {BRIEFING_FILE_KINDS}")


def _check_briefing_dates(publish_on: datetime.date, expires_on: datetime.date) -> None:
    if expires_on <= publish_on:
        raise ValidationError({"expires_on": "The expiry date must be after the publish date"})


def _attach(briefing: Briefing, upload) -> None:
    briefing_file_check(upload)
    # A random name on disk; the uploader's name is kept only to offer it back on download.
    name = (upload.name or "file").replace("\\", "/").rsplit("/", 1)[-1][-255:] or "file"
    briefing.file.save(uuid.uuid4().hex, upload, save=False)
    briefing.file_name = name


def _delete_file_on_commit(name: str) -> None:
    delete_on_commit(Briefing._meta.get_field("file").storage, name)


@transaction.atomic
def briefing_create(*, by, title: str, text: str, expires_on: datetime.date, publish_on: datetime.date,
                    ward: Ward | None = None, link: str = "", key_issue: bool = False, upload=None) -> Briefing:
    permissions.require(permissions.can_write_briefings(by))
    _check_briefing_dates(publish_on, expires_on)
    briefing = Briefing(ward=ward, title=_tidy(title), text=text.strip(), link=link.strip(), key_issue=key_issue,
                        publish_on=publish_on, expires_on=expires_on, author=by)
    if upload is not None:
        _attach(briefing, upload)
    briefing.save()
    return briefing


@transaction.atomic
def briefing_update(*, briefing: Briefing, by, title: str, text: str, expires_on: datetime.date,
                    publish_on: datetime.date, ward: Ward | None = None, link: str = "", key_issue: bool = False,
                    upload=None, remove_file: bool = False) -> Briefing:
    permissions.require(permissions.can_write_briefings(by))
    _check_briefing_dates(publish_on, expires_on)
    old_file = briefing.file.name
    briefing.ward, briefing.title, briefing.text, briefing.link = ward, _tidy(title), text.strip(), link.strip()
    briefing.key_issue, briefing.publish_on, briefing.expires_on = key_issue, publish_on, expires_on
    if upload is not None:
        _attach(briefing, upload)
    elif remove_file:
        briefing.file, briefing.file_name = "", ""
    briefing.save()
    if old_file and old_file != briefing.file.name:
        _delete_file_on_commit(old_file)
    return briefing


@transaction.atomic
def briefing_delete(*, briefing: Briefing, by) -> None:
    permissions.require(permissions.can_write_briefings(by))
    name = briefing.file.name
    briefing.delete()
    _delete_file_on_commit(name)


# --- funding -------------------------------------------------------------------------------------

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
        raise ValidationError({"amount": "Enter the amount"})
    errors = award_problems(**details)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def funding_scheme_create(*, by, name: str, description: str = "", is_open: bool = True) -> FundingScheme:
    permissions.require(permissions.can_manage_reference_data(by))
    return FundingScheme.objects.create(name=_tidy(name), description=description.strip(), is_open=is_open)


@transaction.atomic
def funding_scheme_update(*, scheme: FundingScheme, by, name: str, description: str = "",
                          is_open: bool = True) -> FundingScheme:
    permissions.require(permissions.can_manage_reference_data(by))
    scheme.name, scheme.description, scheme.is_open = _tidy(name), description.strip(), is_open
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
        scheme=scheme, ward=ward, place=place, priority=priority, recipient=_tidy(recipient),
        purpose=_tidy(purpose), amount=amount, status=status, applied_on=applied_on, decided_on=decided_on,
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
    award.scheme, award.recipient, award.purpose, award.amount = scheme, _tidy(recipient), _tidy(purpose), amount
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
        raise ValidationError({"status": error})
    changes = {"status": status}
    if status == FS.APPROVED:
        changes["decided_on"] = decided_on or current["decided_on"] or timezone.localdate()
        if changes["decided_on"] < award.applied_on:
            raise ValidationError({"decided_on": "The decision date must be on or after the date applied"})
    if status in NEEDS_MONITORING_DATE:
        due = monitoring_due_on or current["monitoring_due_on"]
        if due is None:
            raise ValidationError({"monitoring_due_on": MONITORING_DATE_NEEDED})
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
