"""Retention and erasure (issue 13): residents past retention, or erased, leave no personal data behind,
and the reports still count what happened."""

import datetime

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.db.models import Count
from django.utils import timezone

from casework import handover, retention, selectors, services
from casework.models import ANONYMISED_NAME, Case, CaseEvent, ErasureRequest, Resident, RetentionPeriod
from kirklees.audit.models import AuditRedaction
from kirklees.jobs.models import JobRun
from kirklees.notifications.models import Notification, OutboundEmail
from kirklees.refusals import Refused

from ..factories.casework import ResidentFactory, walk
from ..samples import PDF

NAME = "Zephyrine Quillfeather"
SURNAME = "quillfeather"  # as it would appear in any text, lower-cased (a search vector keeps it so)


def every_text_column_holding(word: str) -> list[str]:
    """Every text, varchar, jsonb, tsvector or array column of every table in the schema whose value
    contains `word` (case-insensitive): "table.column"."""
    with connection.cursor() as cursor:
        cursor.execute("""SELECT table_name, column_name FROM information_schema.columns
                          WHERE table_schema = current_schema()
                            AND data_type IN ('text', 'character varying', 'jsonb', 'json', 'tsvector', 'ARRAY')
                            AND table_name IN (SELECT table_name FROM information_schema.tables
                                               WHERE table_schema = current_schema() AND table_type = 'BASE TABLE')
                          ORDER BY 1, 2""")
        columns = cursor.fetchall()
        assert len(columns) > 100  # the query really does look everywhere
        found = []
        for table, column in columns:
            cursor.execute(f'SELECT 1 FROM "{table}" WHERE "{column}"::text ILIKE %s LIMIT 1', [f"%{word}%"])
            if cursor.fetchone():
                found.append(f"{table}.{column}")
    return found


def report_counts() -> list:
    """What the reports count: cases by ward, category, kind, status and owner, and the status counts."""
    rows = list(Case.objects.values("ward", "category", "enquiry_type", "status", "owner", "advocacy")
                .annotate(n=Count("id")).order_by("ward", "category", "enquiry_type", "status", "owner"))
    return [rows, selectors.case_status_counts(Case.objects.all())]


def resident_named(name, owner, **extra):
    return ResidentFactory(full_name=name, email=f"{name.split()[0].lower()}@example.org", created_by=owner.user,
                           address=f"1 {name.split()[-1]} Lane\nHuddersfield", postcode="HD1 2TA", **extra)


def full_case(owner, category, liaison, service, resident, *, to=Case.Status.CLOSED, **kwargs):
    """A case that names the resident everywhere a person could type: summary, details, a note, a
    referral and its answer, a file's name, the timeline, the notifications and the referral email."""
    case = services.case_create(by=owner.user, resident=resident, ward=owner.ward, category=category,
                                summary=f"{resident.full_name}'s bins", details=f"{resident.full_name} says",
                                **kwargs)
    case = walk(case, Case.Status.IN_PROGRESS, team=liaison)
    services.case_add_note(case=case, by=liaison, text=f"Rang {resident.full_name}")
    services.case_add_attachment(case=case, by=liaison, upload=SimpleUploadedFile(
        f"{resident.full_name.split()[-1]}-letter.pdf", PDF, "application/pdf"))
    services.case_refer_to_service(case=case, by=liaison, version=case.version, service=service,
                                   details=f"Please help {resident.full_name}", officer_name="Olive Officer")
    case.refresh_from_db()
    referral = case.referrals.get()
    case = services.referral_record_response(case=case, by=liaison, version=case.version, referral=referral,
                                             response=f"Done for {resident.full_name}")
    if to == Case.Status.WITHDRAWN:
        return services.case_withdraw(case=case, by=owner.user, version=case.version,
                                      reason=f"{resident.full_name} moved away")
    case = services.case_resolve(case=case, by=liaison, version=case.version,
                                 outcome=f"{resident.full_name} is happy")
    if to == Case.Status.RESOLVED:
        return case
    return services.case_confirm(case=case, by=owner.user, version=case.version)


def years_later(years: int, days: int = 0) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=365 * years + years // 4 + 1 + days)


@pytest.fixture
def residents(owner, category, liaison, manager, service, django_capture_on_commit_callbacks):
    """Five residents, each closed today: only the first will be past retention in two years."""
    with django_capture_on_commit_callbacks(execute=True):
        past = resident_named(NAME, owner)
        full_case(owner, category, liaison, service, past)
        full_case(owner, category, liaison, service, past, to=Case.Status.WITHDRAWN,
                  enquiry_type=Case.EnquiryType.SERVICE_REQUEST)
        complaint = resident_named("Cedric Complainant", owner)
        full_case(owner, category, liaison, service, complaint, enquiry_type=Case.EnquiryType.COMPLAINT)
        still_open = resident_named("Olwen Stillopen", owner)
        full_case(owner, category, liaison, service, still_open)
        full_case(owner, category, liaison, service, still_open, to=Case.Status.RESOLVED)
        held = resident_named("Hector Heldback", owner)
        held_case = full_case(owner, category, liaison, service, held)
        retention.case_legal_hold_set(case=held_case, by=manager, reason="Ombudsman investigation")
    return {"past": past, "complaint": complaint, "still_open": still_open, "held": held}


def test_the_retention_job_run_twice_and_late_anonymises_exactly_the_residents_past_retention(residents):
    assert OutboundEmail.objects.filter(body__icontains=SURNAME).exists()
    assert Notification.objects.filter(body__icontains=SURNAME).exists()
    files = [a.file.name for a in residents["past"].cases.get(status="closed").attachments.all()]
    assert files and all(default_storage.exists(name) for name in files)
    before = report_counts()

    assert retention.residents_anonymise_past_retention(today=years_later(2, -2)).residents == 0  # not yet
    # A month late: the job did not run on the day.
    first = retention.residents_anonymise_past_retention(today=years_later(2, 30))
    second = retention.residents_anonymise_past_retention(today=years_later(2, 31))

    assert (first.residents, first.cases, first.files) == (1, 2, 2)
    assert (second.residents, second.cases, second.files) == (0, 0, 0)
    assert list(Resident.objects.filter(anonymised_at__isnull=False)) == [residents["past"]]
    past = Resident.objects.get(pk=residents["past"].pk)
    assert (past.full_name, past.email, past.phone, past.address, past.postcode, past.preferred_contact) == (
        ANONYMISED_NAME, "", "", "", "HD1", "post")
    assert report_counts() == before
    assert every_text_column_holding(SURNAME) == []
    assert every_text_column_holding("Zephyrine") == []
    assert not any(default_storage.exists(name) for name in files)
    # The others keep everything, the one on legal hold included.
    for key in ("complaint", "still_open", "held"):
        assert Resident.objects.get(pk=residents[key].pk).full_name == residents[key].full_name
    assert every_text_column_holding("Heldback")
    # The trail says it happened, once, without the values.
    redaction = AuditRedaction.objects.get()
    assert (redaction.reason, redaction.object_ids, redaction.by) == ("retention", [past.pk], None)
    assert redaction.rows["casework_residentaudit"] >= 2 and redaction.rows["casework_caseevent"] >= 2
    assert past.audit_rows.count() >= 2
    assert CaseEvent.objects.filter(case__resident=past, kind=CaseEvent.Kind.ANONYMISED).count() == 2


def test_a_complaint_is_kept_six_years_and_a_manager_set_period_counts(residents, manager):
    assert retention.residents_anonymise_past_retention(today=years_later(5, 300)).residents == 1
    assert retention.residents_anonymise_past_retention(today=years_later(6, 2)).resident_ids == [
        residents["complaint"].pk]
    retention.retention_period_set(by=manager, enquiry_type="complaint", years=10)
    assert RetentionPeriod.objects.get().years == 10


def test_the_next_30_days_list_shows_who_is_due_and_never_who_is_held(residents):
    soon = list(retention.residents_due_for_anonymisation(today=years_later(2, -20))[0:50])
    assert [due.resident_id for due in soon] == [residents["past"].pk]
    assert len(soon[0].references) == 2
    assert list(retention.residents_due_for_anonymisation(today=years_later(1))[0:50]) == []
    assert retention.residents_due_for_anonymisation(today=years_later(7)).count() == 2  # past and complaint


def test_lifting_a_legal_hold_lets_the_job_anonymise_and_both_are_on_the_timeline(residents, manager):
    held_case = residents["held"].cases.get()
    retention.case_legal_hold_clear(case=held_case, by=manager, reason="Investigation closed")
    assert list(held_case.events.filter(kind__startswith="legal_hold").values_list("kind", "text")) == [
        ("legal_hold_set", "Ombudsman investigation"), ("legal_hold_cleared", "Investigation closed")]
    assert residents["held"].pk in retention.residents_anonymise_past_retention(today=years_later(3)).resident_ids


def test_a_legal_hold_needs_a_reason_and_a_manager(case, manager, liaison):
    with pytest.raises(Refused, match="Enter why"):
        retention.case_legal_hold_set(case=case, by=manager, reason="  ")
    from django.core.exceptions import PermissionDenied
    with pytest.raises(PermissionDenied):
        retention.case_legal_hold_set(case=case, by=liaison, reason="Because")
    case.refresh_from_db()
    assert not case.legal_hold and not case.events.filter(kind="legal_hold_set").exists()


def test_erasure_anonymises_one_resident_now_and_the_audit_says_so_without_the_values(residents, manager):
    before = report_counts()
    still_open = residents["still_open"]
    files = [a.file.name for case in still_open.cases.all() for a in case.attachments.all()]
    request = retention.erasure_request_decide(
        resident=still_open, by=manager, received_on=timezone.localdate(), reason="Asked by letter",
        decision=ErasureRequest.Decision.APPROVED, decision_reason="No reason to keep it")

    assert every_text_column_holding("Stillopen") == []
    assert every_text_column_holding("Olwen") == []
    assert not any(default_storage.exists(name) for name in files)
    assert report_counts() == before
    assert Resident.objects.filter(anonymised_at__isnull=False).get() == still_open
    assert every_text_column_holding(SURNAME)  # nobody else was touched
    redaction = retention.erasure_redaction(request)
    assert (redaction.reason, redaction.by, redaction.object_ids) == ("erasure", manager, [still_open.pk])
    assert (request.decision, request.decided_by, request.reason) == ("approved", manager, "Asked by letter")
    events = CaseEvent.objects.filter(case__resident=still_open, kind=CaseEvent.Kind.ANONYMISED)
    assert {event.text for event in events} == {f"Right to erasure (erasure request {request.pk})"}
    # A second decision on the same resident is refused, and writes nothing.
    with pytest.raises(Refused, match="already"):
        retention.erasure_request_decide(resident=still_open, by=manager, received_on=timezone.localdate(),
                                         reason="Again", decision="approved", decision_reason="Again")
    assert ErasureRequest.objects.count() == 1


def test_erasure_is_refused_while_a_case_is_on_legal_hold_and_a_refusal_erases_nothing(residents, manager):
    with pytest.raises(Refused, match="legal hold"):
        retention.erasure_request_decide(resident=residents["held"], by=manager, received_on=timezone.localdate(),
                                         reason="Asked", decision="approved", decision_reason="Fine")
    assert not ErasureRequest.objects.exists() and not AuditRedaction.objects.exists()
    request = retention.erasure_request_decide(
        resident=residents["complaint"], by=manager, received_on=timezone.localdate(), reason="Asked",
        decision="refused", decision_reason="The complaint is still within its period")
    assert request.decision == "refused"
    assert Resident.objects.get(pk=residents["complaint"].pk).anonymised_at is None
    assert not AuditRedaction.objects.exists()


def test_the_redaction_function_refuses_residents_who_are_not_anonymised(residents):
    from django.db import DatabaseError, transaction
    with pytest.raises(DatabaseError, match="Only the audit rows of anonymised residents"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT audit_rows_redact_residents(%s, 'erasure', 'by hand', NULL)",
                           [[residents["past"].pk]])
    assert every_text_column_holding(SURNAME)


def test_the_retention_command_runs_the_job_and_records_the_run(residents, time_machine):
    time_machine.move_to(years_later(2, 5))
    call_command("run_retention")
    run = JobRun.objects.get(name="resident-retention")
    assert run.ok and run.summary.startswith("1 residents anonymised")


def test_the_runtime_role_runs_the_retention_job_but_may_not_rewrite_the_audit_itself(residents):
    """The worker runs as the runtime role: the redaction goes through the owner's function, while
    a direct UPDATE of an audit table or the timeline is refused; nobody else may call the function."""
    import io

    from django.db import ProgrammingError, transaction

    from ..kirklees.test_dbroles import new_role, sql

    runtime, other = new_role(), new_role()
    call_command("grant_runtime_role", runtime, stdout=io.StringIO())
    sql(f'GRANT USAGE ON SCHEMA public TO "{other}"')
    sql(f'SET ROLE "{other}"')
    try:
        with pytest.raises(ProgrammingError, match="permission denied for function"), transaction.atomic():
            sql("SELECT audit_rows_redact_residents(%s, 'erasure', 'x', NULL)", [[residents["past"].pk]])
    finally:
        sql("RESET ROLE")
    sql(f'SET ROLE "{runtime}"')
    try:
        for statement in ["UPDATE casework_residentaudit SET full_name = 'x'",
                          "UPDATE casework_caseevent SET text = ''"]:
            with pytest.raises(ProgrammingError, match="permission denied"), transaction.atomic():
                sql(statement)
        assert retention.residents_anonymise_past_retention(today=years_later(2, 3)).residents == 1
    finally:
        sql("RESET ROLE")
    assert every_text_column_holding(SURNAME) == []
    assert AuditRedaction.objects.get().db_user != runtime  # written by the owner's function


def test_erasure_also_removes_a_handover_letter_emailed_to_the_resident(residents, manager):
    still_open = residents["still_open"]
    case = still_open.cases.first()
    OutboundEmail.objects.create(to="olwen@example.org", subject=f"Your case {case.reference}",
                                 body="Dear Olwen Stillopen, your councillor has left.", topic=handover.LETTER_TOPIC,
                                 topic_id=case.pk, sent_at=timezone.now())
    retention.erasure_request_decide(
        resident=still_open, by=manager, received_on=timezone.localdate(), reason="Asked by letter",
        decision=ErasureRequest.Decision.APPROVED, decision_reason="No reason to keep it")
    assert every_text_column_holding("Stillopen") == []
    assert every_text_column_holding("olwen@example.org") == []
    letter = OutboundEmail.objects.get(topic=handover.LETTER_TOPIC)
    assert (letter.to, letter.topic_id) == ("", case.pk)


def test_erasure_forgets_where_the_residents_updates_went_and_what_they_said(residents, manager, owner, liaison,
                                                                             django_capture_on_commit_callbacks):
    from kirklees.notifications.models import Update
    from kirklees.notifications.updates import updates_send

    still_open = residents["still_open"]
    with django_capture_on_commit_callbacks(execute=True):
        case = services.case_create(by=owner.user, resident=still_open, ward=owner.ward,
                                    category=still_open.cases.first().category, summary="Olwen Stillopen's fence",
                                    updates_by=Case.Updates.EMAIL)
        case = walk(case, Case.Status.IN_PROGRESS, team=liaison)  # accepted: an update to olwen@example.org
    assert updates_send().sent == 1
    assert "notifications_update.to" in every_text_column_holding("olwen@example.org")
    retention.erasure_request_decide(
        resident=still_open, by=manager, received_on=timezone.localdate(), reason="Asked by letter",
        decision=ErasureRequest.Decision.APPROVED, decision_reason="No reason to keep it")
    assert every_text_column_holding("olwen@example.org") == []
    assert every_text_column_holding("Stillopen") == []
    update = Update.objects.get(topic_id=case.pk)
    assert (update.to, update.personalisation, update.sent_at is not None) == ("", {}, True)
    case.refresh_from_db()
    assert (case.updates_by, case.updates_consent_at) == (Case.Updates.NONE, None)
