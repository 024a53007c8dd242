"""Every change to a case. Each function takes the acting user (`by=`), checks they may act,
writes in one transaction, records the timeline event, and refuses stale or illegal changes.

Optimistic locking: forms carry the case's `version`; a write only lands if the row still has
that version (`UPDATE ... WHERE version = %s`), otherwise StaleCase and nothing is written.
"""


from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import F, Min
from django.urls import reverse
from django.utils import timezone

from kirklees.govuk.submissions import submission_claim, submission_record_result
from kirklees.govuk.uploads import download_name, upload_type_check
from kirklees.notifications.services import notify
from kirklees.refusals import Refused, Stale
from wards import permissions as ward_permissions
from wards.models import MeetingAction, Officer

from . import permissions, referral_emails, resident_updates
from .models import (
    ACTIVE_STATUSES, Attachment, Capacity, Case, CaseEvent, CaseReferenceCounter, Category, LawfulBasis, Note,
    OutcomeCategory, Referral, Resident, SpecialCategoryCondition, Status,
)
from .notify import case_event_notify
from .sla import WorkingCalendar

Kind = CaseEvent.Kind

ALLOWED_ATTACHMENT_TYPES = {
    "application/pdf": "PDF",
    "image/jpeg": "JPEG image",
    "image/png": "PNG image",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word document",
}


class StaleCase(Stale):
    """Someone else changed the case after this user loaded it."""

    MESSAGE = ("Someone else changed this case while you were working on it. Nothing has been "
               "saved. Check the case, then send your change again: what you typed is still here.")

    def __init__(self, case: Case):
        self.case = case
        super().__init__(self.MESSAGE)


class StaleResident(StaleCase):
    """Someone else changed the resident's details (from this case or another of theirs) meanwhile."""

    MESSAGE = ("Someone else changed this resident's details while you were working on them (perhaps "
               "from another of their cases). Nothing has been saved. Check the details, then send your "
               "change again: what you typed is still here.")


# --- references and search ----------------------------------------------------------------


def references_allocate(*, year: int, count: int = 1) -> list[str]:
    """Hand out `count` new references for `year` atomically (safe when many people create at once)."""
    table = CaseReferenceCounter._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""INSERT INTO {table} (year, last) VALUES (%s, %s)
                ON CONFLICT (year) DO UPDATE SET last = {table}.last + EXCLUDED.last
                RETURNING last""",
            [year, count],
        )
        last = cursor.fetchone()[0]
    return [f"KC-{year}-{number:05d}" for number in range(last - count + 1, last + 1)]


def cases_search_refresh(*, case_ids=None, resident_ids=None) -> None:
    """Rebuild the full-text search document (reference, summary, resident name) in one UPDATE."""
    case_table, resident_table = Case._meta.db_table, Resident._meta.db_table
    where, params = "", []
    if case_ids is not None:
        where, params = " AND c.id = ANY(%s)", [list(case_ids)]
    elif resident_ids is not None:
        where, params = " AND c.resident_id = ANY(%s)", [list(resident_ids)]
    with connection.cursor() as cursor:
        cursor.execute(
            f"""UPDATE {case_table} c SET search =
                    setweight(to_tsvector('simple', c.reference), 'A')
                 || setweight(to_tsvector('simple', r.full_name), 'A')
                 || setweight(to_tsvector('simple', c.summary), 'B')
                 || setweight(to_tsvector('english', c.summary), 'B')
                FROM {resident_table} r WHERE r.id = c.resident_id{where}""",
            params,
        )


# --- targets ---------------------------------------------------------------------------------


def _due(case_or_category, priority: str, stage: str, *, calendar: WorkingCalendar, start=None):
    category = case_or_category.category if isinstance(case_or_category, Case) else case_or_category
    return calendar.add(start or timezone.localdate(), category.target_days(stage, priority))


def stage_outcome(*, due, end, target: int, calendar: WorkingCalendar) -> dict:
    """Whether a stage that ended on `end` met its due date, the working days to spare (+) or late (−),
    and the working days it took. A pause while waiting on the resident pushed the due date back by
    its working days (`_resume`), so target − margin is the time taken with the pause left out."""
    margin = calendar.margin(due, end)
    return {"met": end <= due, "margin": margin, "days": max(target - margin, 0)}


def _triage_outcome(case: Case, calendar: WorkingCalendar) -> dict:
    if case.triage_due is None:
        return {}
    outcome = stage_outcome(due=case.triage_due, end=timezone.localdate(),
                            target=case.category.target_days("triage", case.priority), calendar=calendar)
    return {"triage_ended_at": timezone.now(), **{f"triage_{k}": v for k, v in outcome.items()}}


# --- the write path every action shares ----------------------------------------------------


def _event(case: Case, kind: str, by, **fields) -> CaseEvent:
    return CaseEvent.objects.create(case=case, kind=kind, actor=by, **fields)


def _change(*, case: Case, by, version: int, action: str, event: str, to: str | None = None,
            text: str = "", event_fields: dict | None = None, system: bool = False, **values) -> Case:
    """Check, write the case conditionally on its version and status, record the event. `system`:
    the app acts on its own (by=None), on a rule a person set (a trusted service's emailed reply)."""
    if not system:
        permissions.require_may(by, action, case)
    if version != case.version:
        raise StaleCase(case)
    from_status = case.status
    if to is not None:
        values["status"] = to
    updated = Case.objects.filter(pk=case.pk, version=version, status=from_status).update(
        version=F("version") + 1, updated_at=timezone.now(), **values
    )
    if updated != 1:
        raise StaleCase(case)
    case.refresh_from_db()
    _event(case, event, by, text=text,
           from_status=from_status if to else "", to_status=to or "", **(event_fields or {}))
    case_event_notify(case, event, by, text)
    return case


# --- creating and editing -----------------------------------------------------------------


def residents_matching(*, by, full_name: str, postcode: str):
    """Residents this user may already hold with the same name and postcode."""
    from .selectors import residents_visible_to

    return residents_visible_to(by).filter(full_name__iexact=full_name.strip(), postcode=postcode,
                                           anonymised_at__isnull=True)


# --- who holds the case, and on what basis ---------------------------------------------------

SENSITIVE_NEEDS_CONDITION = ("Choose the condition that allows us to hold its sensitive details, "
                             "or untick ‘It includes sensitive details’")


def capacity_default_for(user) -> str:
    """The capacity a new case is usually held in, from who records it: a councillor's own casework
    is ward casework; the Support & Liaison Team's is the council's advocacy."""
    if getattr(user, "is_liaison", False):
        return Capacity.ADVOCACY
    return Capacity.WARD_COUNCILLOR


def _basis_check(*, capacity: str, lawful_basis: str, special_category_condition: str, sensitive: bool) -> None:
    if capacity not in Capacity.values:
        raise Refused("Choose who holds the case", field="capacity")
    if lawful_basis not in LawfulBasis.values:
        raise Refused("Choose the basis for holding the resident’s details", field="lawful_basis")
    if special_category_condition not in ["", *SpecialCategoryCondition.values]:
        raise Refused("Choose a condition from the list", field="special_category_condition")
    if sensitive and not special_category_condition:
        raise Refused(SENSITIVE_NEEDS_CONDITION, field="special_category_condition")


def basis_description(capacity: str, lawful_basis: str, special_category_condition: str) -> str:
    """How a case is held, in one line for its timeline."""
    parts = [f"Held by: {Capacity(capacity).label}", f"Article 6 basis: {LawfulBasis(lawful_basis).label}"]
    if special_category_condition:
        parts.append(f"Article 9 condition: {SpecialCategoryCondition(special_category_condition).label}")
    return "; ".join(parts)


@transaction.atomic
def case_create(*, by, resident: Resident | None = None, resident_details: dict | None = None,
                ward, category: Category, summary: str, details: str = "",
                enquiry_type: str = Case.EnquiryType.MEMBER_ENQUIRY,
                priority: str = Case.Priority.NORMAL, sensitive: bool = False,
                capacity: str | None = None, lawful_basis: str | None = None,
                special_category_condition: str = "",
                refer_to_advocacy: bool = False, meeting_action: MeetingAction | None = None,
                updates_by: str = Case.Updates.NONE, submission_key: str | None = None) -> Case:
    """A councillor records a resident's case; optionally hands it to advocacy in the same step,
    and optionally notes the ward meeting action it came from. Raises AlreadySubmitted if the form
    with this submission key made a case already (a double click, Back and send again).

    The case records in which capacity it is held (default: from who records it), its Article 6
    basis (default: the resident's) and, if sensitive, its Article 9 condition (required); and
    whether the resident asked to be told of its progress (`updates_by`), with when.
    """
    if not permissions.can_create_case(by):
        raise PermissionDenied("Only councillors record cases.")
    if not permissions.may_create_case_now(by):
        raise Refused(permissions.out_of_office_reason(by.councillor))
    capacity = capacity or capacity_default_for(by)
    if lawful_basis is None:
        lawful_basis = (resident.lawful_basis if resident is not None
                        else resident_details.get("lawful_basis", LawfulBasis.PUBLIC_TASK))
    special_category_condition = special_category_condition if sensitive else ""
    _basis_check(capacity=capacity, lawful_basis=lawful_basis, special_category_condition=special_category_condition,
                 sensitive=sensitive)
    if updates_by not in Case.Updates.values:
        raise Refused("Choose whether to send the resident updates", field="updates_by")
    email, phone = ((resident.email, resident.phone) if resident is not None
                    else (resident_details.get("email", ""), resident_details.get("phone", "")))
    problem = resident_updates.address_problem(updates_by, email=email, phone=phone)
    if problem:
        raise Refused(problem, field="updates_by")
    claim = submission_claim(submission_key)
    if meeting_action is not None and not ward_permissions.can_edit_ward_content(
            by, meeting_action.meeting.ward_id):
        raise PermissionDenied("You can only make cases from your own ward's meeting actions.")
    if meeting_action is not None and meeting_action.status != MeetingAction.Status.OPEN:
        raise Refused("That ward meeting action is no longer open.")
    councillor = by.councillor
    if resident is None:
        # A new resident's details are first held on this case's basis.
        resident = Resident.objects.create(created_by=by, **{**resident_details, "lawful_basis": lawful_basis})
    else:
        from .selectors import residents_visible_to

        if not residents_visible_to(by).filter(pk=resident.pk).exists():
            raise PermissionDenied("You cannot use that resident's record.")
    now = timezone.now()
    resolution_due = _due(category, priority, "resolution", calendar=WorkingCalendar.load())
    case = Case.objects.create(
        reference=references_allocate(year=timezone.localdate().year)[0],
        resident=resident, ward=ward, category=category, summary=summary.strip(),
        details=details.strip(), enquiry_type=enquiry_type, priority=priority, sensitive=sensitive,
        owner=councillor, created_by=by, created_at=now, updated_at=now,
        resolution_due=resolution_due, due_date=resolution_due, meeting_action=meeting_action,
        capacity=capacity, lawful_basis=lawful_basis, special_category_condition=special_category_condition,
        basis_recorded_at=now, **resident_updates.consent_fields(updates_by),
    )
    cases_search_refresh(case_ids=[case.pk])
    _event(case, Kind.CREATED, by, text=basis_description(capacity, lawful_basis, special_category_condition))
    if meeting_action is not None:
        _event(case, Kind.MEETING_ACTION_LINKED, by, text=_meeting_action_text(meeting_action))
    if updates_by != Case.Updates.NONE:
        _event(case, Kind.UPDATES_CHANGED, by, text=_updates_text(updates_by))
    if refer_to_advocacy:
        case = case_refer_to_advocacy(case=case, by=by, version=case.version)
    submission_record_result(claim, case.get_absolute_url())
    return case


EDITABLE_FIELDS = ["summary", "details", "ward", "category", "enquiry_type", "priority", "sensitive"]


@transaction.atomic
def case_update(*, case: Case, by, version: int, **changes) -> Case:
    """Change a case's details. Only fields that changed are written and named on the timeline."""
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"Not editable: {', '.join(sorted(unknown))}")
    changed = {k: v for k, v in changes.items() if getattr(case, k) != v}
    permissions.require_may(by, "edit", case)
    if version != case.version:
        raise StaleCase(case)
    if not changed:
        return case
    if changed.get("sensitive") and not case.special_category_condition:
        raise Refused("Before marking it sensitive, say which condition allows us to hold its sensitive "
                      "details: use ‘Change how the case is held’", field="sensitive")
    names = ", ".join(Case._meta.get_field(k).verbose_name for k in changed)
    case = _change(case=case, by=by, version=version, action="edit", event=Kind.EDITED,
                   text=f"Changed: {names}", **changed)
    if "summary" in changed:
        cases_search_refresh(case_ids=[case.pk])
    return case


@transaction.atomic
def case_change_basis(*, case: Case, by, version: int, capacity: str, lawful_basis: str,
                      special_category_condition: str = "") -> Case:
    """Change in which capacity the case is held, its Article 6 basis or its Article 9 condition. Whoever
    may edit the case may do it; the timeline says what it was and what it is now."""
    permissions.require_may(by, "change_basis", case)
    _basis_check(capacity=capacity, lawful_basis=lawful_basis, special_category_condition=special_category_condition,
                 sensitive=case.sensitive)
    before = basis_description(case.capacity, case.lawful_basis, case.special_category_condition)
    after = basis_description(capacity, lawful_basis, special_category_condition)
    if version != case.version:
        raise StaleCase(case)
    if before == after:
        return case
    return _change(case=case, by=by, version=version, action="change_basis", event=Kind.BASIS_CHANGED,
                   text=f"From: {before}. To: {after}.", capacity=capacity, lawful_basis=lawful_basis,
                   special_category_condition=special_category_condition, basis_recorded_at=timezone.now())


# The basis their details are held on is each case's own (case_change_basis), not the resident's.
RESIDENT_FIELDS = ["full_name", "postcode", "address", "email", "phone", "preferred_contact"]


@transaction.atomic
def resident_update(*, case: Case, by, version: int, resident_version: int, **changes) -> Case:
    """Correct the resident's details from one of their cases. The case's version guards the case;
    the resident's own version guards the details, which their other cases share."""
    unknown = set(changes) - set(RESIDENT_FIELDS)
    if unknown:
        raise ValueError(f"Not editable: {', '.join(sorted(unknown))}")
    resident = case.resident
    changed = {k: v for k, v in changes.items() if getattr(resident, k) != v}
    permissions.require_may(by, "edit_resident", case)
    if resident.is_anonymised:
        raise Refused("This resident’s details were erased or anonymised: they cannot be added back.")
    if version != case.version:
        raise StaleCase(case)
    if resident_version != resident.version:
        raise StaleResident(case)
    if not changed:
        return case
    names = ", ".join(Resident._meta.get_field(k).verbose_name for k in changed)
    case = _change(case=case, by=by, version=version, action="edit_resident", event=Kind.EDITED,
                   text=f"Resident's details changed: {names}")
    updated = Resident.objects.filter(pk=resident.pk, version=resident_version).update(
        version=F("version") + 1, updated_at=timezone.now(), **changed)
    if not updated:  # changed from another case since we read it: the case's change rolls back too
        raise StaleResident(case)
    if "full_name" in changed:
        cases_search_refresh(resident_ids=[resident.pk])
    case.resident.refresh_from_db()
    return case


# --- updates to the resident ---------------------------------------------------------------


def _updates_text(updates_by: str) -> str:
    if updates_by == Case.Updates.NONE:
        return "The resident does not want updates (consent withdrawn)"
    return f"The resident asked for updates {Case.Updates(updates_by).label.lower()}"


@transaction.atomic
def case_change_updates(*, case: Case, by, version: int, updates_by: str) -> Case:
    """Record the resident's choice: updates by email or text message (their consent, dated now), or none."""
    permissions.require_may(by, "change_updates", case)
    if updates_by not in Case.Updates.values:
        raise Refused("Choose whether to send the resident updates", field="updates_by")
    if case.resident.is_anonymised and updates_by != Case.Updates.NONE:
        raise Refused("This resident’s details were erased or anonymised: there is nowhere to send updates.",
                      field="updates_by")
    problem = resident_updates.address_problem(updates_by, email=case.resident.email, phone=case.resident.phone)
    if problem:
        raise Refused(problem + " (change the resident’s details first)", field="updates_by")
    if version != case.version:
        raise StaleCase(case)
    if updates_by == case.updates_by:
        return case
    return _change(case=case, by=by, version=version, action="change_updates", event=Kind.UPDATES_CHANGED,
                   text=_updates_text(updates_by), **resident_updates.consent_fields(updates_by))


# --- advocacy -----------------------------------------------------------------------------


@transaction.atomic
def case_refer_to_advocacy(*, case: Case, by, version: int) -> Case:
    calendar = WorkingCalendar.load()
    triage_due = _due(case, case.priority, "triage", calendar=calendar)
    return _change(
        case=case, by=by, version=version, action="refer_to_advocacy", to=Status.TRIAGE,
        event=Kind.REFERRED_TO_ADVOCACY, advocacy=True, triage_due=triage_due, due_date=triage_due,
        resolution_due=_due(case, case.priority, "resolution", calendar=calendar),
    )


def _require_team_member(user) -> None:
    if not (user.is_active and user.is_liaison):
        raise Refused("Cases can only be assigned to members of the Support & Liaison Team.")


@transaction.atomic
def case_accept(*, case: Case, by, version: int, assignee) -> Case:
    _require_team_member(assignee)
    case = _change(
        case=case, by=by, version=version, action="accept", to=Status.IN_PROGRESS, event=Kind.ACCEPTED,
        text=f"Assigned to {assignee}", assigned_to=assignee, accepted_at=timezone.now(),
        due_date=case.resolution_due, **_triage_outcome(case, WorkingCalendar.load()),
    )
    resident_updates.resident_update_queue(case, "accepted")
    return case


@transaction.atomic
def case_decline(*, case: Case, by, version: int, reason: str) -> Case:
    """Hand the case back to its councillor, with the reason they will read."""
    return _change(
        case=case, by=by, version=version, action="decline", to=Status.OPEN, event=Kind.DECLINED,
        text=reason, advocacy=False, assigned_to=None, triage_due=None, due_date=case.resolution_due,
        **_triage_outcome(case, WorkingCalendar.load()),
    )


@transaction.atomic
def case_request_info(*, case: Case, by, version: int, request: str) -> Case:
    # The clock stops while we wait on the resident: nothing is due until they answer.
    return _change(
        case=case, by=by, version=version, action="request_info", to=Status.AWAITING_RESIDENT,
        event=Kind.INFO_REQUESTED, text=request, due_date=None, paused_on=timezone.localdate(),
    )


def _resume(case: Case, calendar: WorkingCalendar) -> dict:
    """Due dates pushed back by the working days the clock was stopped."""
    paused = calendar.between(case.paused_on, timezone.localdate()) if case.paused_on else 0
    moved = {"paused_on": None}
    for field in ("triage_due", "resolution_due"):
        if getattr(case, field):
            moved[field] = calendar.add(getattr(case, field), paused)
    return moved


@transaction.atomic
def case_info_received(*, case: Case, by, version: int, information: str) -> Case:
    calendar = WorkingCalendar.load()
    moved = _resume(case, calendar)
    if case.accepted_at is None:
        to, due = Status.TRIAGE, moved.get("triage_due") or _due(case, case.priority, "triage", calendar=calendar)
        moved["triage_due"] = due
    else:
        to, due = Status.IN_PROGRESS, moved.get("resolution_due")
    return _change(case=case, by=by, version=version, action="info_received", to=to,
                   event=Kind.INFO_RECEIVED, text=information, due_date=due, **moved)


@transaction.atomic
def case_assign(*, case: Case, by, version: int, assignee) -> Case:
    _require_team_member(assignee)
    return _change(case=case, by=by, version=version, action="assign", event=Kind.ASSIGNED,
                   text=f"Assigned to {assignee}", assigned_to=assignee)


@transaction.atomic
def cases_bulk_assign(*, by, case_ids, assignee) -> int:
    """Assign many queue cases at once: one UPDATE and one INSERT, however many cases."""
    if not permissions.can_use_queue(by):
        raise PermissionDenied("Only the Support & Liaison Team assigns cases.")
    _require_team_member(assignee)
    assignable = [s for s in ACTIVE_STATUSES if s != Status.OPEN]
    ids = list(
        Case.objects.advocacy().filter(pk__in=case_ids, status__in=assignable)
        .exclude(assigned_to=assignee).select_for_update().values_list("pk", flat=True)
    )
    now = timezone.now()
    Case.objects.filter(pk__in=ids).update(assigned_to=assignee, version=F("version") + 1, updated_at=now)
    CaseEvent.objects.bulk_create(
        CaseEvent(case_id=pk, kind=Kind.ASSIGNED, actor=by, created_at=now, text=f"Assigned to {assignee}")
        for pk in ids
    )
    if ids and assignee.pk != by.pk:
        notify(user=assignee, kind="case_assigned", title=f"{len(ids)} case{'s' if len(ids) != 1 else ''} "
               f"assigned to you by {by}", url=reverse("casework:queue") + f"?assigned_to={assignee.pk}")
    return len(ids)


# --- referrals to council services ----------------------------------------------------------


@transaction.atomic
def case_refer_to_service(*, case: Case, by, version: int, service, details: str,
                          officer: Officer | None = None, officer_name: str = "",
                          shared=tuple(Referral.DEFAULT_SHARED), resident_agreed: bool = False) -> Referral:
    """Hand the case to a council service, optionally for a named officer from the People Finder,
    and email it to them with only the resident's details in `shared`. A case held on the resident's
    consent is shared only if they agreed to share it with this service (`resident_agreed`), which the
    referral records with who recorded it and when."""
    permissions.require_may(by, "refer_to_service", case)
    if case.needs_consent_to_share and not resident_agreed:
        raise Refused(f"This case is held on the resident’s consent: confirm they agreed to share it with "
                      f"{service}, or do not send the referral", field="resident_agreed")
    if not service.confirmed_email:
        raise Refused(f"{service} cannot be sent referrals yet: its email address ({service.email}) has not been "
                      "confirmed. The service can confirm it from the email it was sent, or a liaison manager can "
                      "approve it on the Pending email changes page.", field="service")
    if officer is not None:
        if officer.service_id != service.pk:
            raise ValidationError(f"Choose an officer from {service}")
        if not officer.is_active:
            raise ValidationError(f"{officer.full_name} is no longer in post: choose another officer")
        officer_name = officer.full_name  # kept as written, for emails and older pages
    unknown = set(shared) - set(Referral.Shared.values)
    if unknown:
        raise ValueError(f"Not a detail a referral shares: {', '.join(sorted(unknown))}")
    referral = Referral.objects.create(
        case=case, service=service, officer=officer, officer_name=officer_name.strip(), details=details.strip(),
        due_date=_due(case, case.priority, "response", calendar=WorkingCalendar.load()), created_by=by,
        shared=[s for s in Referral.Shared.values if s in set(shared)], reply_token=referral_emails.reply_token_new(),
        **({"resident_agreed": True, "consent_recorded_at": timezone.now(), "consent_recorded_by": by}
           if case.needs_consent_to_share else {}),
    )
    # What the case waits for now is the earliest answer still owed.
    earliest = case.referrals.filter(responded_at__isnull=True).aggregate(due=Min("due_date"))["due"]
    already_waiting = case.status == Status.AWAITING_SERVICE
    _change(
        case=case, by=by, version=version, action="refer_to_service",
        to=None if already_waiting else Status.AWAITING_SERVICE,
        event=Kind.REFERRED_TO_SERVICE, text=f"To {service}", event_fields={"referral": referral},
        due_date=earliest,
    )
    referral_emails.referral_emails_queue(referral, by=by)
    if not already_waiting:  # a second service on a case already waiting tells the resident nothing new
        resident_updates.resident_update_queue(case, "referred")
    return referral


@transaction.atomic
def referral_record_response(*, case: Case, by, version: int, referral: Referral, response: str) -> Case:
    """Record what the service said; when nothing else is pending, the case moves on."""
    permissions.require_may(by, "record_response", case)
    return _referral_response(case=case, by=by, version=version, referral=referral, response=response)


@transaction.atomic
def referral_record_trusted_reply(*, case: Case, referral: Referral, response: str) -> Case:
    """A trusted service's emailed reply counts as its response at once (settings.REFERRAL_REPLIES_TRUSTED_FROM):
    recorded by the system, as "Record response" would record it."""
    if case.status != Status.AWAITING_SERVICE:
        raise permissions.transition_refused(case, "record_response")
    return _referral_response(case=case, by=None, version=case.version, referral=referral, response=response,
                              system=True)


def _referral_response(*, case: Case, by, version: int, referral: Referral, response: str,
                       system: bool = False) -> Case:
    if referral.case_id != case.pk:
        raise PermissionDenied("That referral belongs to another case.")
    if version != case.version:
        raise StaleCase(case)
    calendar = WorkingCalendar.load()
    outcome = stage_outcome(due=referral.due_date, end=timezone.localdate(),
                            target=case.category.target_days("response", case.priority), calendar=calendar)
    # A referral has no pause: the time taken is counted from the day it was sent.
    outcome["days"] = calendar.between(timezone.localtime(referral.sent_at).date(),
                                                     timezone.localdate())
    updated = Referral.objects.filter(pk=referral.pk, responded_at__isnull=True).update(
        response=response.strip(), responded_at=timezone.now(),
        **{f"response_{k}": v for k, v in outcome.items()},
    )
    if updated != 1:
        raise StaleCase(case)
    pending = case.referrals.filter(responded_at__isnull=True).aggregate(due=Min("due_date"))["due"]
    fields = {"text": f"From {referral.service}: {response.strip()}",
              "event_fields": {"referral": referral}, "system": system}
    if pending is not None:
        return _change(case=case, by=by, version=version, action="record_response",
                       event=Kind.RESPONSE_RECORDED, due_date=pending, **fields)
    to = Status.IN_PROGRESS if case.advocacy else Status.OPEN
    return _change(case=case, by=by, version=version, action="record_response", to=to,
                   event=Kind.RESPONSE_RECORDED, due_date=case.resolution_due, **fields)


# --- ward meeting actions ------------------------------------------------------------------


def _meeting_action_text(action: MeetingAction) -> str:
    meeting = action.meeting
    return f"{meeting.title}, {meeting.held_on:%-d %B %Y}: {action.description}"


@transaction.atomic
def case_link_meeting_action(*, case: Case, action: MeetingAction, by) -> Case:
    """Note on a case that it deals with an action agreed at a ward solution meeting.

    The user must be able to change the case and the meeting's ward content. The link is not a
    change to what the case says, so it does not bump the version (no one's open form goes stale).
    """
    if not permissions.may(by, "edit", case):
        raise PermissionDenied("You cannot change this case.")
    if not ward_permissions.can_edit_ward_content(by, action.meeting.ward_id):
        raise PermissionDenied("You cannot change this ward's meeting actions.")
    if case.meeting_action_id == action.pk:
        return case
    updated = Case.objects.filter(pk=case.pk, meeting_action__isnull=True).update(
        meeting_action=action, updated_at=timezone.now())
    if updated != 1:
        raise Refused("That case is already linked to another ward meeting action", field="reference")
    case.meeting_action = action
    _event(case, Kind.MEETING_ACTION_LINKED, by, text=_meeting_action_text(action))
    return case


# --- ending and reopening -------------------------------------------------------------------


@transaction.atomic
def case_resolve(*, case: Case, by, version: int, outcome: str,
                 outcome_category: OutcomeCategory | None = None) -> Case:
    """Resolve with the outcome in words and, from the manager's list, how it turned out; the
    resolution stage's outcome against its target is recorded with it."""
    if outcome_category is not None and outcome_category.retired:
        raise Refused(f"‘{outcome_category}’ is no longer used: choose another outcome", field="outcome_category")
    stage = {}
    if case.resolution_due is not None:
        outcome_ = stage_outcome(due=case.resolution_due, end=timezone.localdate(),
                                 target=case.category.target_days("resolution", case.priority),
                                 calendar=WorkingCalendar.load())
        stage = {f"resolution_{k}": v for k, v in outcome_.items()}
    text = outcome.strip() if outcome_category is None else f"{outcome_category}: {outcome.strip()}"
    case = _change(case=case, by=by, version=version, action="resolve", to=Status.RESOLVED,
                   event=Kind.RESOLVED, text=text, outcome=outcome.strip(), outcome_category=outcome_category,
                   resolved_at=timezone.now(), due_date=None, **stage)
    resident_updates.resident_update_queue(case, "resolved")
    return case


@transaction.atomic
def case_confirm(*, case: Case, by, version: int) -> Case:
    return _change(case=case, by=by, version=version, action="confirm", to=Status.CLOSED,
                   event=Kind.CLOSED, closed_at=timezone.now())


@transaction.atomic
def case_reopen(*, case: Case, by, version: int, reason: str) -> Case:
    resolution_due = _due(case, case.priority, "resolution", calendar=WorkingCalendar.load())
    return _change(
        case=case, by=by, version=version, action="reopen",
        to=Status.IN_PROGRESS if case.advocacy else Status.OPEN, event=Kind.REOPENED, text=reason.strip(),
        outcome="", resolved_at=None, closed_at=None, resolution_due=resolution_due, due_date=resolution_due,
        outcome_category=None, resolution_met=None, resolution_margin=None, resolution_days=None,
    )


@transaction.atomic
def case_withdraw(*, case: Case, by, version: int, reason: str) -> Case:
    return _change(case=case, by=by, version=version, action="withdraw", to=Status.WITHDRAWN,
                   event=Kind.WITHDRAWN, text=reason.strip(), withdrawn_at=timezone.now(), due_date=None,
                   paused_on=None)


# --- notes, files, views ------------------------------------------------------------------


@transaction.atomic
def case_add_note(*, case: Case, by, text: str, submission_key: str | None = None) -> Note:
    """Raises AlreadySubmitted if this note's form was sent before (nothing is added twice)."""
    permissions.require_may(by, "add_note", case)
    claim = submission_claim(submission_key)
    note = Note.objects.create(case=case, author=by, text=text.strip())
    _event(case, Kind.NOTE_ADDED, by, note=note)
    submission_record_result(claim, case.get_absolute_url())
    return note


def attachment_check(upload) -> str:
    """The file's real type, read from its content (its name and the browser's say-so are ignored)."""
    return upload_type_check(upload, allowed=ALLOWED_ATTACHMENT_TYPES, max_bytes=settings.CASE_ATTACHMENT_MAX_BYTES,
                             wrong_type="The selected file must be a PDF, JPEG, PNG or Word document")


@transaction.atomic
def case_add_attachment(*, case: Case, by, upload) -> Attachment:
    permissions.require_may(by, "add_attachment", case)
    content_type = attachment_check(upload)
    name = download_name(upload.name, content_type)[-200:]  # with the extension of what it really is
    attachment = Attachment(case=case, uploaded_by=by, original_name=name, content_type=content_type,
                            size=upload.size)
    attachment.file.save("upload", upload, save=False)
    attachment.save()
    _event(case, Kind.ATTACHMENT_ADDED, by, attachment=attachment)
    return attachment


def case_record_sensitive_view(*, case: Case, by) -> None:
    """Reading special-category data leaves a trace on the timeline."""
    if case.sensitive:
        _event(case, Kind.VIEWED_SENSITIVE, by)
