"""The audit trail (kirklees.audit): every change to a tracked table leaves a row naming who made
it, whichever way it was made, and nobody can change or remove those rows; reads are recorded by
the app; a liaison manager searches both."""

import datetime
import io
import os
import re
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from casework import services
from casework.models import Case, Category, Resident
from kirklees.audit.models import AuditEvent, ReadRecord
from kirklees.audit.retention import audit_models, audit_rows_delete_old
from kirklees.audit.tracking import AUDIT_MODEL_SUFFIX
from wards.models import FundingAward, Place, Service, Ward

from ..factories.casework import make_case
from ..factories.wards import FundingAwardFactory
from ..helpers import csv_rows, resident_data
from ..samples import PDF
from .test_dbroles import new_role, refused, sql

CaseAudit = Case.audit_rows.rel.related_model
ResidentAudit = Resident.audit_rows.rel.related_model


def audit_of(model, pk):
    return list(model.audit_rows.rel.related_model.objects.filter(pgh_obj_id=pk).order_by("pgh_id"))


def edit_resident(client, case, **changes):
    url = reverse("casework:case-action", args=[case.reference, "edit-resident"])
    return client.post(url, resident_data(case, **changes))


# --- every way of writing leaves a row, naming who -------------------------------------------------


def test_a_change_through_a_page_names_the_person_and_the_page(client, case):
    client.force_login(case.owner.user)
    response = edit_resident(client, case, full_name="Janet Smith")
    assert response.status_code == 302

    update = audit_of(Resident, case.resident_id)[-1]
    assert update.pgh_label == "update"
    assert update.full_name == "Janet Smith"
    assert update.pgh_context["user"] == case.owner.user_id
    assert update.pgh_context["method"] == "POST"
    assert update.pgh_context["path"] == f"/cases/{case.reference}/edit-resident/"


def test_a_bulk_update_and_raw_sql_each_leave_a_row_per_row(case, owner, category):
    other = make_case(owner, category=category, summary="Streetlight out")
    Case.objects.filter(pk__in=[case.pk, other.pk]).update(priority=Case.Priority.URGENT)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE casework_case SET summary = 'Changed behind the app' WHERE id = %s", [case.pk])

    rows = audit_of(Case, case.pk)
    assert [r.pgh_label for r in rows] == ["insert", "update", "update"]
    assert rows[1].priority == "urgent" and audit_of(Case, other.pk)[-1].priority == "urgent"
    assert rows[2].summary == "Changed behind the app"
    # No person or job was acting: the row still says who, as the database knows them.
    assert rows[2].pgh_context is None
    assert rows[2].pgh_db_user == sql("SELECT current_user")[0][0]


def test_a_delete_keeps_what_was_deleted(db):
    category = Category.objects.create(name="Dog fouling")
    Category.objects.filter(pk=category.pk).delete()
    rows = audit_of(Category, category.pk)
    assert [r.pgh_label for r in rows] == ["insert", "delete"]
    assert rows[-1].name == "Dog fouling"


def test_an_admin_edit_names_the_superuser(client, admin_user, ward):
    client.force_login(admin_user)
    response = client.post(reverse("admin:wards_place_add"), {"ward": ward.pk, "name": "Moldgreen",
                                                              "kind": "village"})
    assert response.status_code == 302, response.content.decode()[:2000]
    place = ward.places.get(name="Moldgreen")
    insert = audit_of(Place, place.pk)[0]
    assert insert.pgh_context["user"] == admin_user.pk
    assert insert.pgh_context["path"] == "/admin/wards/place/add/"
    assert audit_of(Ward, ward.pk)[0].pgh_context is None  # made by the test itself, outside any request


def test_a_csv_import_names_the_data_admin(client, data_admin):
    client.force_login(data_admin)
    content = "name,email,head_of_service_email,active\nBins,bins@example.org,,yes\n"
    response = client.post(reverse("dataimport:index"), {
        "kind": "services", "file": SimpleUploadedFile("s.csv", content.encode(), content_type="text/csv")})
    assert response.status_code == 302, response.content.decode()[:3000]
    preview = client.get(response.url).content.decode()
    fingerprint = re.search(r'name="fingerprint" value="(\w+)"', preview).group(1)
    batch = response.url.rstrip("/").split("/")[-1]
    assert client.post(reverse("dataimport:confirm", args=[batch]), {"fingerprint": fingerprint}).status_code == 302
    service = Service.objects.get(name="Bins")
    insert = audit_of(Service, service.pk)[0]
    assert insert.pgh_context["user"] == data_admin.pk
    assert insert.pgh_context["path"] == f"/data/imports/{batch}/confirm/"


def test_a_celery_job_names_itself(db):
    award = FundingAwardFactory()
    from kirklees.audit.context import _task_ended, _task_started

    class Task:
        name = "wards.tasks.funding_monitoring_reminders"

    # What Celery's worker sends around every task it runs (celery.signals task_prerun/postrun).
    _task_started(task_id="t-1", task=Task())
    try:
        FundingAward.objects.filter(pk=award.pk).update(purpose="Changed by the job")
    finally:
        _task_ended(task_id="t-1")
    rows = audit_of(FundingAward, award.pk)
    assert rows[-2].pgh_context is None
    assert rows[-1].pgh_context == {"task": "wards.tasks.funding_monitoring_reminders", "task_id": "t-1"}


@pytest.mark.django_db(transaction=True)
def test_a_management_command_names_the_command_and_who_ran_it(db):
    category = Category.objects.create(name="Fly-tipping")
    name = settings.DATABASES["default"]["NAME"]
    url = settings.DATABASE_URL.rsplit("/", 1)[0] + f"/{name}"
    code = f"from casework.models import Category; Category.objects.filter(pk={category.pk}).update(name='Fly tipping')"
    subprocess.run([sys.executable, "manage.py", "shell", "-c", code], check=True, cwd=settings.BASE_DIR,
                   env={**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "config.settings.test"},
                   capture_output=True, timeout=120)
    update = audit_of(Category, category.pk)[-1]
    assert update.name == "Fly tipping"
    assert update.pgh_context["command"] == "shell"
    assert update.pgh_context["os_user"]


def test_a_password_is_never_copied_and_signing_in_writes_no_row(client, owner):
    rows = audit_of(type(owner.user), owner.user_id)
    assert not hasattr(rows[0], "password")
    before = len(rows)
    owner.user.set_password("a new long password 1")
    owner.user.save(update_fields=["password"])
    type(owner.user).objects.filter(pk=owner.user_id).update(last_login=timezone.now())
    assert len(audit_of(type(owner.user), owner.user_id)) == before


# --- nobody changes or removes an audit row --------------------------------------------------------


def test_the_audit_refuses_update_delete_and_truncate_even_from_the_owner(case):
    sql("SET CONSTRAINTS ALL IMMEDIATE")  # else Postgres refuses TRUNCATE first, for pending FK checks
    table = CaseAudit._meta.db_table
    assert "append_only" in refused(f"UPDATE {table} SET summary = 'rewritten'")
    assert "append_only" in refused(f"DELETE FROM {table}")
    assert "Cannot truncate" in refused(f"TRUNCATE {table}")
    assert "Cannot truncate casework_case table" in refused("TRUNCATE casework_case CASCADE")
    ReadRecord.objects.create(user=case.owner.user, kind="case_viewed")
    assert "append_only" in refused("DELETE FROM audit_readrecord")
    assert "append_only" in refused("UPDATE audit_readrecord SET label = 'rewritten'")


def test_the_runtime_role_may_not_update_delete_or_truncate_the_audit(case):
    role = new_role()
    call_command("grant_runtime_role", role, stdout=io.StringIO())
    sql(f'SET ROLE "{role}"')
    try:
        for model in [*audit_models(), ReadRecord]:
            table = model._meta.db_table
            for statement in (f"UPDATE {table} SET id = id", f"DELETE FROM {table}", f"TRUNCATE {table}"):
                assert "permission denied" in refused(statement), statement
            assert "must be owner" in refused(f"ALTER TABLE {table} DISABLE TRIGGER ALL")
        # What the app does still works as that role, and is audited.
        services.case_add_note(case=case, by=case.owner.user, text="Rang the resident")
        assert sql("SELECT current_user")[0][0] == role
    finally:
        sql("RESET ROLE")
    assert case.notes.get().audit_rows.get().pgh_db_user == role


def test_the_runtime_role_cannot_ask_to_skip_the_audit_triggers(case):
    """pgtrigger skips a trigger a session names in pgtrigger.ignore; only the owner is listened to."""
    role = new_role()
    call_command("grant_runtime_role", role, stdout=io.StringIO())
    triggers = [name for (name,) in sql("SELECT tgname FROM pg_trigger WHERE tgrelid = 'casework_case'::regclass "
                                        "AND tgname LIKE 'pgtrigger_%'")]
    assert any(name.startswith("pgtrigger_update_update_") for name in triggers)
    before = len(audit_of(Case, case.pk))
    sql(f'SET ROLE "{role}"')
    try:
        sql("SELECT set_config('pgtrigger.ignore', %s, true)", ["{" + ",".join(triggers) + "}"])
        sql("UPDATE casework_case SET summary = 'Unseen?' WHERE id = %s", [case.pk])
        # The status trigger is not skipped either: in progress is not a step from open.
        assert "case_status_transitions" in refused(
            "UPDATE casework_case SET status = 'in_progress', advocacy = true WHERE id = %s", [case.pk])
    finally:
        sql("RESET ROLE")
    rows = audit_of(Case, case.pk)
    assert len(rows) == before + 1 and rows[-1].summary == "Unseen?"
    assert rows[-1].pgh_db_user == role
    # The owner still may (a superuser here, as the tests' database user is).
    sql("UPDATE casework_case SET summary = 'Seen' WHERE id = %s", [case.pk])
    assert len(audit_of(Case, case.pk)) == before + 1


def test_migrate_leaves_the_projects_trigger_ignore_check_in_place(db):
    """pgtrigger writes its own check again with every trigger it installs; ours must be the one left:
    owner-only, and without the EXCEPTION block that made every bulk write slower than the last."""
    call_command("migrate", verbosity=0)
    source = sql("SELECT prosrc FROM pg_proc WHERE proname = '_pgtrigger_should_ignore'")[0][0]
    assert "pg_has_role" in source and "EXCEPTION" not in source


def test_every_tracked_model_has_an_append_only_audit_table():
    tracked = {m.pgh_tracked_model._meta.db_table: m._meta.db_table for m in audit_models()}
    assert sorted(tracked) == sorted(settings.AUDITED_TABLES)
    for table, audit_table in tracked.items():
        assert audit_table == f"{table}{AUDIT_MODEL_SUFFIX.lower()}"
        assert audit_table in settings.APPEND_ONLY_TABLES
    assert all(issubclass(m, AuditEvent) for m in audit_models())


# --- reads -------------------------------------------------------------------------------------------


def test_opening_a_case_its_forms_and_its_files_is_recorded(client, case):
    attachment = services.case_add_attachment(case=case, by=case.owner.user,
                                              upload=SimpleUploadedFile("letter.pdf", PDF, "application/pdf"))
    client.force_login(case.owner.user)
    assert client.get(case.get_absolute_url()).status_code == 200
    assert client.get(reverse("casework:case-action", args=[case.reference, "edit"])).status_code == 200
    assert client.get(reverse("casework:case-action", args=[case.reference, "edit-resident"])).status_code == 200
    assert client.get(reverse("casework:case-action", args=[case.reference, "withdraw"])).status_code == 200
    assert client.get(reverse("casework:attachment-download", args=[case.reference, attachment.pk])).status_code == 200

    reads = list(ReadRecord.objects.order_by("id").values_list("kind", "object_type", "object_id", "user_id"))
    who = case.owner.user_id
    assert reads == [
        ("case_viewed", "casework.case", str(case.pk), who),
        ("case_edit_opened", "casework.case", str(case.pk), who),
        ("resident_edit_opened", "casework.case", str(case.pk), who),
        ("attachment_downloaded", "casework.attachment", str(attachment.pk), who),
    ]


def test_a_refused_read_records_nothing(client, case, colleague):
    client.force_login(colleague.user)
    assert client.get(case.get_absolute_url()).status_code == 404
    assert not ReadRecord.objects.exists()


def test_an_export_with_personal_data_is_recorded_with_its_size(client, liaison, service):
    from ..factories.wards import OfficerFactory

    OfficerFactory.create_batch(3, service=service)
    client.force_login(liaison)
    response = client.get(reverse("wards:people-export"))
    assert response.status_code == 200
    assert len(csv_rows(response)) == 4
    read = ReadRecord.objects.get()
    assert (read.kind, read.rows, read.user, read.label) == ("export_downloaded", 3, liaison, "people-finder.csv")


# --- the search --------------------------------------------------------------------------------------


@pytest.fixture
def history(client, case, owner, category):
    """The councillor renames the resident through the page and opens the case; another case is
    someone else's business."""
    client.force_login(owner.user)
    edit_resident(client, case, full_name="Janet Smith")
    client.get(case.get_absolute_url())
    client.logout()
    other = make_case(owner, category=category, summary="Something else")
    return case, other


def search(client, **query):
    response = client.get(reverse("audit:search"), query)
    assert response.status_code == 200
    return response


def test_a_manager_finds_everything_about_a_case_by_its_reference(client, manager, history):
    case, other = history
    client.force_login(manager)
    page = search(client, reference=case.reference.lower()).content.decode()
    assert "Janet Smith" in page  # the resident's change, with the fields it changed
    assert "full name" in page
    assert "Opened the case" in page
    assert f"POST /cases/{case.reference}/edit-resident/" in page
    assert other.reference not in page


def test_a_manager_finds_a_resident_by_a_name_they_once_had(client, manager, history):
    case, _ = history
    client.force_login(manager)
    page = search(client, resident="Smith").content.decode()
    assert case.reference in page
    assert "Something else" not in page
    page = search(client, resident=case.resident.postcode.replace(" ", "").lower()).content.decode()
    assert case.reference in page


def test_a_manager_finds_what_one_person_did_in_a_date_range(client, manager, history):
    case, _ = history
    client.force_login(manager)
    today = timezone.localdate()
    page = search(client, person=case.owner.user.email.upper(), since=f"{today:%d/%m/%Y}").content.decode()
    assert "Opened the case" in page and "Janet Smith" in page
    tomorrow = today + datetime.timedelta(days=1)
    assert "No records match" in search(client, person=case.owner.user.email,
                                        since=f"{tomorrow:%d/%m/%Y}").content.decode()
    assert "Nobody has the email address" in search(client, person="nobody@example.org").content.decode()


def test_a_backwards_date_range_is_refused_with_a_message(client, manager, db):
    client.force_login(manager)
    page = search(client, since="10/11/2026", until="1/11/2026").content.decode()
    assert "The end date must be the same as or after the start date" in page
    assert "Download these records" not in page


def test_the_csv_has_the_rows_and_is_itself_recorded(client, manager, history):
    case, _ = history
    client.force_login(manager)
    response = client.get(reverse("audit:search"), {"reference": case.reference, "format": "csv"})
    rows = csv_rows(response)
    assert rows[0][:3] == ["when", "person", "action"]
    assert any(row[2] == "Opened the case" and row[1] == case.owner.user.email for row in rows[1:])
    assert any(row[2] == "Changed" and "full name" in row[6] for row in rows[1:])
    assert response["Cache-Control"].startswith("private") or "no-store" in response["Cache-Control"]
    assert ReadRecord.objects.filter(kind="audit_exported", user=manager).exists()


@pytest.mark.parametrize("person", ["owner", "liaison", "data_admin", "admin_user"])
def test_only_a_liaison_manager_may_search(client, person, request, db):
    user = request.getfixturevalue(person)
    client.force_login(getattr(user, "user", user))
    assert client.get(reverse("audit:search")).status_code == 403
    assert client.get(reverse("audit:search"), {"format": "csv"}).status_code == 403


def test_the_search_costs_the_same_queries_with_more_history(client, manager, case, owner, category):
    client.force_login(manager)
    from django.test.utils import CaptureQueriesContext

    def queries():
        with CaptureQueriesContext(connection) as captured:
            search(client, reference=case.reference)
        return len(captured)

    services.case_add_note(case=case, by=owner.user, text="The first note")
    Case.objects.filter(pk=case.pk).update(summary="The first change")
    first = queries()
    for n in range(5):
        services.case_add_note(case=case, by=owner.user, text=f"Note {n}")
        Case.objects.filter(pk=case.pk).update(summary=f"Summary {n}")
    assert queries() == first


# --- retention -----------------------------------------------------------------------------------------


def test_retention_deletes_only_rows_older_than_the_period(case, settings):
    settings.AUDIT_RETENTION_DAYS = 400
    old = timezone.now() - datetime.timedelta(days=401)
    table = CaseAudit._meta.db_table
    columns = [f.column for f in CaseAudit._meta.concrete_fields if f.column not in ("pgh_id", "pgh_created_at")]
    # An audit row may only be added: one as if written 401 days ago, a copy of the case's first.
    sql(f"INSERT INTO {table} (pgh_created_at, {', '.join(columns)}) SELECT %s, {', '.join(columns)} "
        f"FROM {table} WHERE pgh_obj_id = %s AND pgh_label = 'insert'", [old, case.pk])
    ReadRecord.objects.create(user=case.owner.user, kind="case_viewed", at=old)
    recent = ReadRecord.objects.create(user=case.owner.user, kind="case_viewed")
    before = len(audit_of(Case, case.pk))

    assert audit_rows_delete_old() == 2
    assert len(audit_of(Case, case.pk)) == before - 1
    assert not CaseAudit.objects.filter(pgh_created_at__lt=timezone.now() - datetime.timedelta(days=400)).exists()
    assert list(ReadRecord.objects.all()) == [recent]
    assert audit_rows_delete_old() == 0  # run again: nothing more
    # And still nobody else may delete.
    assert "append_only" in refused(f"DELETE FROM {table}")


def test_retention_is_never_under_a_year(case):
    from importlib import reload

    import config.settings.base as base

    os.environ["AUDIT_RETENTION_DAYS"] = "30"
    try:
        assert reload(base).AUDIT_RETENTION_DAYS == 365
    finally:
        del os.environ["AUDIT_RETENTION_DAYS"]
        reload(base)
    # Nor can anyone with the database function, whatever cutoff they give it.
    assert "kept for at least 365 days" in refused("SELECT audit_rows_delete_before(now())")
    assert "kept for at least 365 days" in refused("SELECT audit_rows_delete_before(NULL)")
    assert audit_of(Case, case.pk)


def test_the_runtime_role_runs_retention_and_nobody_else_may(case, settings):
    settings.AUDIT_RETENTION_DAYS = 400
    runtime, other = new_role(), new_role()
    call_command("grant_runtime_role", runtime, stdout=io.StringIO())
    sql(f'GRANT USAGE ON SCHEMA public TO "{other}"')
    sql(f'SET ROLE "{other}"')
    try:
        assert "permission denied for function audit_rows_delete_before" in refused(
            "SELECT audit_rows_delete_before(now() - interval '2 years')")
    finally:
        sql("RESET ROLE")
    sql(f'SET ROLE "{runtime}"')
    try:
        assert audit_rows_delete_old() == 0
        assert "permission denied" in refused(f"DELETE FROM {CaseAudit._meta.db_table}")
    finally:
        sql("RESET ROLE")


def test_retention_is_a_scheduled_job_and_a_command(db):
    assert settings.SCHEDULED_JOBS["audit-retention"]["task"] == "kirklees.audit.tasks.audit_retention"
    out = io.StringIO()
    call_command("audit_retention", stdout=out)
    assert out.getvalue().strip() == "0 audit rows deleted"
