"""The database's two roles: what the runtime role (the app and its workers) may not do, what it still
can, and that the owner still migrates.

Each test makes its runtime role inside the test's own transaction (CREATE ROLE is transactional in
Postgres), grants it with the command, and runs as it with SET ROLE; the rollback at the end of the
test takes the role away again, so no other database on the server ever sees it.
"""

import io
import secrets

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import ProgrammingError, connection, transaction
from django.db.utils import InternalError

from casework import services
from casework.models import Case, CaseEvent
from tests.factories.casework import ResidentFactory

TIMELINE = "casework_caseevent"


def sql(statement, params=None):
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.fetchall() if cursor.description else None


def refused(statement, params=None):
    """Run a statement expected to fail; return Postgres's message. The savepoint keeps the test's
    transaction usable afterwards."""
    with pytest.raises((ProgrammingError, InternalError)) as error, transaction.atomic():
        sql(statement, params)
    return str(error.value)


def new_role(*attributes):
    name = f"kirklees_test_{secrets.token_hex(6)}"
    sql(f'CREATE ROLE "{name}" NOLOGIN ' + " ".join(attributes))
    return name


@pytest.fixture
def runtime_role(db):
    role = new_role()
    call_command("grant_runtime_role", role, stdout=io.StringIO())
    return role


@pytest.fixture
def as_runtime(runtime_role):
    """The test's connection runs as the runtime role until the end of the test."""
    sql(f'SET ROLE "{runtime_role}"')
    assert sql("SELECT current_user")[0][0] == runtime_role
    yield runtime_role
    sql("RESET ROLE")


@pytest.fixture
def event(case):
    return case.events.first()


# --- what the runtime role may not do ------------------------------------------------------------


def test_the_runtime_role_cannot_truncate_the_case_timeline(event, as_runtime):
    assert "permission denied for table casework_caseevent" in refused(f"TRUNCATE {TIMELINE}")
    assert "permission denied" in refused("TRUNCATE casework_case CASCADE")
    assert CaseEvent.objects.filter(pk=event.pk).exists()


def test_the_runtime_role_cannot_disable_the_timelines_triggers(event, as_runtime):
    assert "must be owner of" in refused(f"ALTER TABLE {TIMELINE} DISABLE TRIGGER ALL")
    assert "must be owner" in refused(f"DROP TRIGGER pgtrigger_caseevent_append_only_1d815 ON {TIMELINE}")


def test_the_runtime_role_cannot_skip_triggers_with_session_replication_role(as_runtime):
    assert 'permission denied to set parameter "session_replication_role"' in refused(
        "SET session_replication_role = replica")


@pytest.mark.parametrize("statement", [f"UPDATE {TIMELINE} SET text = 'rewritten' WHERE id = %s",
                                       f"DELETE FROM {TIMELINE} WHERE id = %s"])
def test_the_runtime_role_cannot_rewrite_the_timeline_even_when_it_asks_pgtrigger_to_look_away(
        event, as_runtime, statement):
    # Any session may set pgtrigger.ignore, which skips the append-only trigger: the privilege holds.
    written = event.text
    sql("SELECT set_config('pgtrigger.ignore', '{pgtrigger_caseevent_append_only_1d815}', false)")
    assert "permission denied for table casework_caseevent" in refused(statement, [event.pk])
    sql("RESET pgtrigger.ignore")
    event.refresh_from_db()
    assert event.text == written != "rewritten"


def test_the_append_only_trigger_alone_would_not_hold(event):
    """Why the privileges matter: any session that may UPDATE may also tell pgtrigger to skip its
    trigger. Here the owner does (the runtime role gets "permission denied" first, above)."""
    sql("SELECT set_config('pgtrigger.ignore', '{pgtrigger_caseevent_append_only_1d815}', false)")
    sql(f"UPDATE {TIMELINE} SET text = 'rewritten' WHERE id = %s", [event.pk])
    sql("RESET pgtrigger.ignore")
    event.refresh_from_db()
    assert event.text == "rewritten"


def test_the_runtime_role_cannot_change_the_schema(as_runtime):
    assert "permission denied for schema public" in refused("CREATE TABLE intruder (id int)")
    assert "must be owner" in refused("ALTER TABLE casework_case ADD COLUMN intruder int")
    assert "must be owner" in refused("DROP TABLE casework_note")


def test_the_runtime_role_cannot_mark_a_migration_applied(as_runtime):
    """Else it could make the owner's next migrate skip a migration that adds a trigger."""
    assert "permission denied for table django_migrations" in refused(
        "INSERT INTO django_migrations (app, name, applied) VALUES ('casework', '9999_later', now())")
    assert sql("SELECT count(*) FROM django_migrations WHERE app = 'casework'")[0][0] >= 10


def test_the_runtime_role_cannot_migrate(as_runtime):
    with pytest.raises(ProgrammingError, match="must be owner"), transaction.atomic():
        call_command("migrate", "casework", "0009", verbosity=0)


# --- what it still does ------------------------------------------------------------------------------


def test_the_runtime_role_records_a_case_and_shows_its_page(client, owner, category, as_runtime):
    resident = ResidentFactory(created_by=owner.user)
    case = services.case_create(by=owner.user, resident=resident, ward=owner.ward, category=category,
                                summary="Fly-tipping behind the library")
    case = services.case_refer_to_advocacy(case=case, by=owner.user, version=case.version)
    services.case_add_note(case=case, by=owner.user, text="Resident called again")

    client.force_login(owner.user)
    response = client.get(case.get_absolute_url())

    assert response.status_code == 200
    page = response.content.decode()
    assert "Fly-tipping behind the library" in page and "Resident called again" in page
    assert list(case.events.values_list("kind", flat=True)) == [
        CaseEvent.Kind.CREATED, CaseEvent.Kind.REFERRED_TO_ADVOCACY, CaseEvent.Kind.NOTE_ADDED]
    assert sql("SELECT current_user")[0][0] == as_runtime  # all of it as the runtime role


def test_the_runtime_role_adds_to_the_timeline(case, as_runtime):
    CaseEvent.objects.create(case=case, kind=CaseEvent.Kind.NOTE_ADDED, text="Written by the runtime role")
    sql(f"INSERT INTO {TIMELINE} (case_id, kind, created_at, text, from_status, to_status) "
        "VALUES (%s, 'note_added', now(), 'And by hand', '', '')", [case.pk])
    assert case.events.count() == 3


# --- the command -------------------------------------------------------------------------------------


def may(role, table, privilege):
    return sql("SELECT has_table_privilege(%s, %s, %s)", [role, table, privilege])[0][0]


def test_the_grants_are_what_the_runtime_role_needs_and_no_more(runtime_role):
    assert [may(runtime_role, "casework_case", p) for p in ("SELECT", "INSERT", "UPDATE", "DELETE")] == [True] * 4
    assert not may(runtime_role, "casework_case", "TRUNCATE")
    assert [may(runtime_role, TIMELINE, p) for p in ("SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE")] == [
        True, True, False, False, False]
    assert sql("SELECT has_sequence_privilege(%s, 'casework_caseevent_id_seq', 'USAGE'), "
               "has_sequence_privilege(%s, 'casework_caseevent_id_seq', 'UPDATE')",
               [runtime_role, runtime_role])[0] == (True, False)
    assert sql("SELECT has_schema_privilege(%s, 'public', 'CREATE')", [runtime_role])[0][0] is False
    assert sql("SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = %s", [runtime_role])[0] == (False, False)


def test_granting_again_gives_a_new_table_its_privileges_and_keeps_append_only_tables_append_only(
        runtime_role, settings):
    sql("CREATE TABLE dbroles_probe (id int)")
    sql("CREATE TABLE dbroles_probe_log (id int)")
    # Made after the grant: readable and insertable only, until the grant runs again.
    assert [may(runtime_role, "dbroles_probe", p) for p in ("SELECT", "INSERT", "UPDATE", "DELETE")] == [
        True, True, False, False]

    settings.APPEND_ONLY_TABLES = [*settings.APPEND_ONLY_TABLES, "dbroles_probe_log"]
    call_command("grant_runtime_role", runtime_role, stdout=io.StringIO())
    call_command("grant_runtime_role", runtime_role, stdout=io.StringIO())  # and again: the same

    assert may(runtime_role, "dbroles_probe", "UPDATE") and may(runtime_role, "dbroles_probe", "DELETE")
    assert not may(runtime_role, "dbroles_probe_log", "UPDATE") and may(runtime_role, "dbroles_probe_log", "INSERT")
    assert not may(runtime_role, TIMELINE, "UPDATE")


@pytest.mark.parametrize("attribute", ["SUPERUSER", "CREATEROLE", "BYPASSRLS"])
def test_the_command_refuses_a_role_that_could_get_round_its_privileges(db, attribute):
    role = new_role(attribute)
    with pytest.raises(CommandError, match=f"Nothing was granted to {role}. {role} has {attribute}"):
        call_command("grant_runtime_role", role)
    assert sql("SELECT count(*) FROM information_schema.role_table_grants WHERE grantee = %s", [role])[0][0] == 0


def test_the_command_refuses_the_owner_itself(db):
    owner = sql("SELECT current_user")[0][0]
    with pytest.raises(CommandError, match="is the role this connects as .* the owner"):
        call_command("grant_runtime_role", owner)


def test_the_command_refuses_a_member_of_the_owner(db):
    owner = sql("SELECT current_user")[0][0]
    role = new_role()
    sql(f'GRANT "{owner}" TO "{role}"')
    with pytest.raises(CommandError, match="is a member of the owner"):
        call_command("grant_runtime_role", role)


def test_the_command_names_a_role_that_does_not_exist(db):
    with pytest.raises(CommandError, match="There is no role 'nobody_here_'"):
        call_command("grant_runtime_role", "nobody_here_")


# --- the owner ----------------------------------------------------------------------------------------


def test_not_even_the_owner_may_truncate_the_timeline(event):
    sql("SET CONSTRAINTS ALL IMMEDIATE")  # else Postgres refuses first, for the rows' pending FK checks
    assert "Cannot truncate casework_caseevent table: the case timeline is append-only" in refused(
        f"TRUNCATE {TIMELINE}")
    # The cases' own table refuses it first: its changes are audited row by row (kirklees.audit).
    assert "Cannot truncate casework_case table" in refused("TRUNCATE casework_case CASCADE")
    with pytest.raises(CommandError, match="couldn't be flushed") as flushing:
        call_command("flush", interactive=False, verbosity=0)
    assert "Cannot truncate" in str(flushing.value.__cause__)
    assert CaseEvent.objects.filter(pk=event.pk).exists() and Case.objects.exists()


def truncate_trigger_installed():
    return sql("SELECT count(*) FROM pg_trigger WHERE tgname LIKE 'pgtrigger_caseevent_no_truncate_%%'")[0][0] == 1


def test_the_owner_still_migrates_backwards_and_forwards(runtime_role):
    call_command("migrate", "casework", "0009", verbosity=0)
    assert not truncate_trigger_installed()
    call_command("migrate", "casework", verbosity=0)
    assert truncate_trigger_installed()
    call_command("migrate", "--check", verbosity=0)  # exits non-zero if anything is unapplied


def test_migrate_refuses_an_owner_url_that_names_another_database(db, settings):
    settings.MIGRATE_DATABASE_URL = settings.DATABASE_URL.rsplit("/", 1)[0] + "/somewhere_else"
    with pytest.raises(CommandError, match="MIGRATE_DATABASE_URL names database 'somewhere_else'"):
        call_command("migrate", "--check", verbosity=0)
