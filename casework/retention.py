"""Retention and erasure (issue 13): residents' personal data is kept no longer than needed.

A resident is anonymised when every case of theirs is past its retention period (closed or withdrawn,
and that day plus the period for its kind of case, RetentionPeriod, is before today) and none is on
legal hold; or at once, when a liaison manager approves their erasure request. Anonymising keeps
every row, so that the reports stay true (ward, category, kind, status, dates, who worked the case),
and removes what identifies the resident or was written about them:

- the resident: name (a fixed placeholder), address, email, phone (preferred contact becomes
  "post", which needs neither); the postcode is cut to its district (HD1);
- their cases' summary, details and outcome, the notes, what referrals asked and answered, the
  named officer's free-text name, attachments' file names, and the files themselves;
- the notifications and referral emails about those cases, and the updates sent to the resident
  (their address and what was said; the consent to updates ends);
- the audit trail's copies of all that, and the words typed on the timeline: redacted in place by
  the database function audit_rows_redact_residents (migration audit 0003), which runs with the
  schema owner's rights, refuses anyone not anonymised yet, and records each redaction in the
  append-only AuditRedaction (who, when, why, which resident ids, how many rows), so the trail says
  that it happened without keeping the values.

Set-based: a run is a fixed number of statements however many residents it anonymises (arrays of
ids, never a loop per resident), and `anonymised_at` makes a second run idle. Files are deleted after
the commit, and every run deletes any an earlier run left (a crash between commit and delete).
"""

import datetime
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from kirklees.audit.models import AuditRedaction
from kirklees.mailin.services import inbound_email_originals_delete, inbound_emails_redact
from kirklees.notifications.services import notifications_redact, outbound_emails_redact
from kirklees.notifications.updates import updates_redact
from kirklees.refusals import Refused

from . import handover, permissions, referral_emails, resident_updates
from .models import (
    ANONYMISED_NAME, ANONYMISED_TEXT, Attachment, Case, CaseEvent, ErasureRequest, Note, Referral, ReferralReply,
    Resident, RetentionPeriod,
)

logger = logging.getLogger(__name__)

DUE_WITHIN_DAYS = 30


def _require_manager(user) -> None:
    if not permissions.can_manage_retention(user):
        raise PermissionDenied("Retention, legal holds and erasure are for liaison managers.")


# --- periods ---------------------------------------------------------------------------------


def retention_years() -> dict[str, int]:
    """Each kind of case -> years its resident's details are kept after it closes."""
    years = {kind: settings.CASE_RETENTION_YEARS.get(kind, 6) for kind in Case.EnquiryType.values}
    years.update(RetentionPeriod.objects.values_list("enquiry_type", "years"))
    return years


@transaction.atomic
def retention_period_set(*, by, enquiry_type: str, years: int) -> RetentionPeriod:
    _require_manager(by)
    if enquiry_type not in Case.EnquiryType.values:
        raise Refused("Choose a kind of case", field="enquiry_type")
    if not 1 <= years <= 50:
        raise Refused("The period must be between 1 and 50 years", field="years")
    period, _ = RetentionPeriod.objects.update_or_create(
        enquiry_type=enquiry_type, defaults={"years": years, "updated_by": by, "updated_at": timezone.now()})
    return period


# --- who is due --------------------------------------------------------------------------------

# Each case of a resident not yet anonymised, with the first day it is past retention (NULL while it
# is active or on legal hold: it holds its resident back). The periods come as a VALUES list.
_CASES_WITH_DUE_DAY = f"""
    SELECT c.resident_id, c.id, c.reference,
           CASE WHEN c.legal_hold OR c.status NOT IN ('closed', 'withdrawn') THEN NULL
                ELSE ((coalesce(c.closed_at, c.withdrawn_at) AT TIME ZONE %s)::date
                      + make_interval(years => p.years))::date + 1 END AS due_on
      FROM {Case._meta.db_table} c
      JOIN {Resident._meta.db_table} r ON r.id = c.resident_id AND r.anonymised_at IS NULL
      LEFT JOIN (VALUES {{periods}}) AS p(enquiry_type, years) ON p.enquiry_type = c.enquiry_type
"""

# Residents whose every case has a due day, with the latest (the day they are due).
_RESIDENTS_DUE = """
    SELECT resident_id, max(due_on) AS due_on, array_agg(reference ORDER BY reference) AS refs
      FROM ({cases}) AS cases
     GROUP BY resident_id
    HAVING bool_and(due_on IS NOT NULL) AND max(due_on) <= %s
"""


def _residents_due_sql(on: datetime.date) -> tuple[str, list]:
    years = retention_years()
    periods = ", ".join(["(%s, %s)"] * len(years))
    params: list = [settings.TIME_ZONE]
    for kind, n in years.items():
        params += [kind, n]
    sql = _RESIDENTS_DUE.format(cases=_CASES_WITH_DUE_DAY.format(periods=periods))
    return sql, [*params, on]


@dataclass
class Due:
    resident_id: int
    due_on: datetime.date
    references: list[str]


class _DueList:
    """The residents due by a day, for a Paginator: a count and a page, each one query."""

    def __init__(self, on: datetime.date):
        self.sql, self.params = _residents_due_sql(on)

    def count(self) -> int:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM ({self.sql}) AS due", self.params)
            return cursor.fetchone()[0]

    def __len__(self):
        return self.count()

    def __getitem__(self, window: slice) -> list[Due]:
        with connection.cursor() as cursor:
            cursor.execute(f"{self.sql} ORDER BY due_on, resident_id LIMIT %s OFFSET %s",
                           [*self.params, window.stop - window.start, window.start])
            return [Due(*row) for row in cursor.fetchall()]


def residents_due_for_anonymisation(*, within_days: int = DUE_WITHIN_DAYS, today: datetime.date | None = None):
    """The residents the retention job will anonymise by `within_days` from today (those overdue
    too), soonest first, as a list a Paginator pages."""
    return _DueList((today or timezone.localdate()) + datetime.timedelta(days=within_days))


def cases_on_legal_hold():
    return Case.objects.filter(legal_hold=True).select_related("legal_hold_by", "ward").order_by("legal_hold_at")


# --- anonymising -----------------------------------------------------------------------------


@dataclass
class Anonymised:
    residents: int = 0
    cases: int = 0
    files: int = 0
    redaction: AuditRedaction | None = None
    resident_ids: list[int] = field(default_factory=list)

    def __str__(self):
        return f"{self.residents} residents anonymised ({self.cases} cases), {self.files} files deleted"


_ANONYMISE_RESIDENTS = f"""
    UPDATE {Resident._meta.db_table} r
       SET full_name = %s, address = '', postcode = split_part(r.postcode, ' ', 1), email = '', phone = '',
           preferred_contact = 'post', anonymised_at = %s, version = r.version + 1
     WHERE r.anonymised_at IS NULL AND r.id IN ({{which}})
 RETURNING r.id
"""


def _ids(cursor) -> list[int]:
    return [row[0] for row in cursor.fetchall()]


def _anonymise(cursor, *, which: str, params: list, reason: str, reference: str, by) -> Anonymised:
    """The writes, in the caller's transaction: a fixed number of statements for any number of residents."""
    now = timezone.now()
    cursor.execute(_ANONYMISE_RESIDENTS.format(which=which), [ANONYMISED_NAME, now, *params])
    resident_ids = _ids(cursor)
    if not resident_ids:
        return Anonymised()
    cursor.execute(
        f"""UPDATE {Case._meta.db_table}
               SET summary = %s, details = '', outcome = CASE WHEN outcome = '' THEN '' ELSE %s END,
                   search = to_tsvector('simple', reference), version = version + 1,
                   updates_by = 'none', updates_consent_at = NULL
             WHERE resident_id = ANY(%s) RETURNING id, reference""",
        [ANONYMISED_TEXT, ANONYMISED_TEXT, resident_ids])
    cases = cursor.fetchall()
    case_ids = [pk for pk, _ in cases]
    cursor.execute(f"UPDATE {Note._meta.db_table} SET text = %s WHERE case_id = ANY(%s)", [ANONYMISED_TEXT, case_ids])
    cursor.execute(
        f"""UPDATE {Referral._meta.db_table}
               SET details = %s, response = CASE WHEN response = '' THEN '' ELSE %s END, officer_name = ''
             WHERE case_id = ANY(%s) RETURNING id""", [ANONYMISED_TEXT, ANONYMISED_TEXT, case_ids])
    referral_ids = _ids(cursor)
    cursor.execute(f"UPDATE {Attachment._meta.db_table} SET original_name = %s WHERE case_id = ANY(%s)",
                   ["removed-file", case_ids])
    # Emailed replies: the words kept for "record it as the response", and the messages themselves.
    cursor.execute(f"UPDATE {ReferralReply._meta.db_table} SET text = %s WHERE case_id = ANY(%s)",
                   [ANONYMISED_TEXT, case_ids])
    inbound_emails_redact(topic=referral_emails.TOPIC, topic_ids=referral_ids, text=ANONYMISED_TEXT)
    inbound_emails_redact(topic="case", topic_ids=case_ids, text=ANONYMISED_TEXT)
    case_url = reverse("casework:case-detail", kwargs={"reference": "REF"})
    notifications_redact(urls=[case_url.replace("REF", reference_) for _, reference_ in cases])
    outbound_emails_redact(topic=referral_emails.TOPIC, topic_ids=referral_ids)
    outbound_emails_redact(topic=handover.LETTER_TOPIC, topic_ids=case_ids, recipient_too=True)
    updates_redact(topic=resident_updates.TOPIC, topic_ids=case_ids)  # where their updates went
    # The audit's copies and the timeline's words, by the owner's function (see the module's docstring).
    cursor.execute("SELECT audit_rows_redact_residents(%s, %s, %s, %s)",
                   [resident_ids, reason, reference, getattr(by, "pk", None)])
    redaction_id = cursor.fetchone()[0]
    # After the redaction, so that these stay as written: the timeline says what happened and why.
    cursor.execute(
        f"""INSERT INTO {CaseEvent._meta.db_table} (case_id, kind, actor_id, created_at, text, from_status,
                                                    to_status)
            SELECT id, %s, %s, %s, %s, '', '' FROM unnest(%s::bigint[]) AS c(id)""",
        [CaseEvent.Kind.ANONYMISED, getattr(by, "pk", None), now,
         f"{AuditRedaction.Reason(reason).label} ({reference})", case_ids])
    return Anonymised(residents=len(resident_ids), cases=len(case_ids), resident_ids=resident_ids,
                      redaction=AuditRedaction.objects.get(pk=redaction_id))


def attachment_files_delete() -> int:
    """Delete from storage the files of anonymised residents' cases, then forget their names: what
    an earlier run committed but did not get to delete, too. Returns how many were deleted."""
    attachments = list(Attachment.objects.filter(case__resident__anonymised_at__isnull=False)
                       .exclude(file="").values_list("pk", "file"))
    for _, name in attachments:
        default_storage.delete(name)  # no error if it has gone already
    if attachments:
        Attachment.objects.filter(pk__in=[pk for pk, _ in attachments]).update(file="")
    # The emailed replies' originals as they came in (kirklees.mailin keeps its own copy).
    anonymised = Case.objects.filter(resident__anonymised_at__isnull=False)
    originals = inbound_email_originals_delete(
        topic=referral_emails.TOPIC, topic_ids=list(Referral.objects.filter(case__in=anonymised)
                                                    .values_list("pk", flat=True)))
    originals += inbound_email_originals_delete(topic="case", topic_ids=list(anonymised.values_list("pk", flat=True)))
    return len(attachments) + originals


def residents_anonymise_past_retention(*, today: datetime.date | None = None) -> Anonymised:
    """The nightly job: every resident whose every case is past retention (none on legal hold).
    Idempotent and safe when two runs race (the UPDATE skips anyone already anonymised)."""
    today = today or timezone.localdate()
    # Due on or before today is past retention: the due day is the first day after the period.
    sql, params = _residents_due_sql(today)
    with transaction.atomic(), connection.cursor() as cursor:
        result = _anonymise(cursor, which=f"SELECT resident_id FROM ({sql}) AS due", params=params,
                            reason=AuditRedaction.Reason.RETENTION, reference=f"retention job {today.isoformat()}",
                            by=None)
    result.files = attachment_files_delete()
    logger.info("retention: %s", result)
    return result


# --- legal hold --------------------------------------------------------------------------------


@transaction.atomic
def case_legal_hold_set(*, case: Case, by, reason: str) -> Case:
    _require_manager(by)
    reason = reason.strip()
    if not reason:
        raise Refused("Enter why the case is on legal hold", field="reason")
    if case.resident.is_anonymised:
        raise Refused("This case's resident has already been anonymised: there is nothing left to hold.")
    updated = Case.objects.filter(pk=case.pk, legal_hold=False).update(
        legal_hold=True, legal_hold_reason=reason, legal_hold_by=by, legal_hold_at=timezone.now())
    if updated != 1:
        raise Refused("This case is already on legal hold.")
    CaseEvent.objects.create(case=case, kind=CaseEvent.Kind.LEGAL_HOLD_SET, actor=by, text=reason)
    case.refresh_from_db()
    return case


@transaction.atomic
def case_legal_hold_clear(*, case: Case, by, reason: str) -> Case:
    _require_manager(by)
    reason = reason.strip()
    if not reason:
        raise Refused("Enter why the legal hold is lifted", field="reason")
    updated = Case.objects.filter(pk=case.pk, legal_hold=True).update(
        legal_hold=False, legal_hold_reason="", legal_hold_by=None, legal_hold_at=None)
    if updated != 1:
        raise Refused("This case is not on legal hold.")
    CaseEvent.objects.create(case=case, kind=CaseEvent.Kind.LEGAL_HOLD_CLEARED, actor=by, text=reason)
    case.refresh_from_db()
    return case


# --- erasure -----------------------------------------------------------------------------------


@dataclass
class WhatGoes:
    """What erasing a resident removes, counted for the confirmation page."""

    cases: int
    active_cases: int
    notes: int
    referrals: int
    attachments: int
    held: list[str]


def erasure_what_goes(resident: Resident) -> WhatGoes:
    cases = Case.objects.filter(resident=resident)
    return WhatGoes(
        cases=cases.count(), active_cases=cases.active().count(),
        notes=Note.objects.filter(case__resident=resident).count(),
        referrals=Referral.objects.filter(case__resident=resident).count(),
        attachments=Attachment.objects.filter(case__resident=resident).count(),
        held=list(cases.filter(legal_hold=True).values_list("reference", flat=True)),
    )


def erasure_request_decide(*, resident: Resident, by, received_on: datetime.date, reason: str, decision: str,
                           decision_reason: str) -> ErasureRequest:
    """Record a resident's erasure request and its decision; approval anonymises them now, with
    the audit's redaction recorded against the request. Nothing is written if anything is refused."""
    _require_manager(by)
    reason, decision_reason = reason.strip(), decision_reason.strip()
    if not reason:
        raise Refused("Enter why the resident asked for their data to be erased", field="reason")
    if not decision_reason:
        raise Refused("Enter the reason for the decision", field="decision_reason")
    if decision not in ErasureRequest.Decision.values:
        raise Refused("Choose whether to approve or refuse the request", field="decision")
    if received_on > timezone.localdate():
        raise Refused("The date the request was received must be today or in the past", field="received_on")
    with transaction.atomic():
        resident = Resident.objects.select_for_update().get(pk=resident.pk)
        if resident.is_anonymised:
            raise Refused("This resident's data has already been erased or anonymised.")
        if decision == ErasureRequest.Decision.APPROVED:
            held = list(resident.cases.filter(legal_hold=True).values_list("reference", flat=True))
            if held:
                raise Refused(f"{', '.join(held)} {'is' if len(held) == 1 else 'are'} on legal hold: lift the hold "
                              "before erasing, or refuse the request.", field="decision")
        request = ErasureRequest.objects.create(
            resident=resident, received_on=received_on, reason=reason, decision=decision,
            decision_reason=decision_reason, decided_by=by)
        if decision == ErasureRequest.Decision.APPROVED:
            with connection.cursor() as cursor:
                _anonymise(cursor, which="%s", params=[resident.pk], reason=AuditRedaction.Reason.ERASURE,
                           reference=request.audit_reference, by=by)
    if decision == ErasureRequest.Decision.APPROVED:
        attachment_files_delete()
    return request


def erasure_redaction(request: ErasureRequest) -> AuditRedaction | None:
    return AuditRedaction.objects.filter(reference=request.audit_reference).first()
