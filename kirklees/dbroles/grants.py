"""What the runtime role may do in the database, granted by the schema owner.

Two roles (README, "The database's two roles"):

- the **owner** (MIGRATE_DATABASE_URL) owns the schema and every table, and runs migrations;
- the **runtime** role (DATABASE_URL) runs the web app and the Celery workers. It may connect, read
  and write rows, and use sequences; it may not create, alter or drop anything, truncate, disable a
  trigger or skip triggers (`session_replication_role` is a superuser's setting), and on the
  append-only tables (settings.APPEND_ONLY_TABLES) it may only read and add rows.

The table triggers stay as a second lock, but a trigger alone does not hold: a table's owner may
disable it. Any session may set pgtrigger's `pgtrigger.ignore` to ask to skip a pgtrigger trigger,
but only the owner is listened to (OWNER_ONLY_TRIGGER_IGNORE). The privileges here are what the
runtime role cannot get round.

`runtime_role_grant` is idempotent (everything is revoked and granted again, in one transaction,
so no other session sees a moment in between) and must run after every migration that adds a
table: `manage.py migrate` runs it itself when the two roles differ.
"""

import contextlib
from dataclasses import dataclass

import dj_database_url
from django.conf import settings
from django.db import connections, transaction

RUNTIME_TABLE_PRIVILEGES = "SELECT, INSERT, UPDATE, DELETE"
APPEND_ONLY_PRIVILEGES = "SELECT, INSERT"
# The list of applied migrations: were the runtime role able to add a row, it could mark a
# migration (a new trigger, say) as applied, and the owner's next migrate would skip it.
READ_ONLY_TABLES = ("django_migrations",)
# Role attributes that would let the runtime role round its privileges: a superuser and BYPASSRLS
# skip the checks; CREATEROLE (before Postgres 16) may make itself a member of the owner;
# REPLICATION and CREATEDB are not the app's business.
FORBIDDEN_ATTRIBUTES = {"rolsuper": "SUPERUSER", "rolbypassrls": "BYPASSRLS", "rolcreaterole": "CREATEROLE",
                        "rolcreatedb": "CREATEDB", "rolreplication": "REPLICATION"}


# django-pgtrigger skips a trigger whose name a session lists in its `pgtrigger.ignore` setting, and
# any role may set that: the runtime role could skip the audit triggers and write unseen. This
# version of pgtrigger's check listens only to a member of the function's owner (the schema owner;
# a superuser). It also reads the setting without pgtrigger's EXCEPTION block: that block is a
# subtransaction on every row of every trigger, and within one transaction each costs more than the
# one before (a bulk insert of 100,000 rows slowed from seconds to many minutes). pgtrigger writes
# its own version again whenever a migration installs a trigger, so `migrate` writes this one back
# afterwards, every time (trigger_ignore_check_install).
OWNER_ONLY_TRIGGER_IGNORE = """
CREATE OR REPLACE FUNCTION "public"._pgtrigger_should_ignore(trigger_name NAME) RETURNS BOOLEAN AS $$
    DECLARE
        _setting TEXT := current_setting('pgtrigger.ignore', true);
    BEGIN
        IF _setting IS NULL OR _setting = '' OR NOT trigger_name = ANY(_setting::TEXT[]) THEN
            RETURN FALSE;
        END IF;
        RETURN pg_has_role(current_user, (SELECT proowner FROM pg_proc
                                          WHERE oid = '"public"._pgtrigger_should_ignore(name)'::regprocedure),
                           'MEMBER');
    END;
$$ LANGUAGE plpgsql;
"""


def trigger_ignore_check_install(using: str = "default") -> None:
    """Write OWNER_ONLY_TRIGGER_IGNORE over pgtrigger's own check (run as the owner)."""
    with connections[using].cursor() as cursor:
        cursor.execute(OWNER_ONLY_TRIGGER_IGNORE)


class RuntimeRoleRefused(Exception):
    """The role cannot be made a safe runtime role; the message says why and what to do."""


@dataclass
class Granted:
    role: str
    schema: str
    tables: int
    append_only: list[str]
    not_yet_created: list[str]
    sequences: int

    def __str__(self):
        lines = [f"{self.role}: {RUNTIME_TABLE_PRIVILEGES} on {self.tables} tables in schema {self.schema}, "
                 f"USAGE, SELECT on {self.sequences} sequences"]
        if self.append_only:
            lines.append(f"  append-only ({APPEND_ONLY_PRIVILEGES}): {', '.join(self.append_only)}")
        lines.append(f"  read-only (SELECT): {', '.join(READ_ONLY_TABLES)}")
        if self.not_yet_created:
            lines.append(f"  not created yet, so nothing to grant: {', '.join(self.not_yet_created)}")
        return "\n".join(lines)


def quote(identifier: str) -> str:
    """A Postgres identifier, quoted (Django's quote_name does not double an embedded quote)."""
    return '"' + identifier.replace('"', '""') + '"'


def owner_settings(alias: str = "default") -> dict:
    """The connection settings for the owner: the database's own settings, with MIGRATE_DATABASE_URL's
    user, password, host and port (it defaults to DATABASE_URL, a one-role setup)."""
    current = connections[alias].settings_dict
    owner = dj_database_url.parse(settings.MIGRATE_DATABASE_URL)
    runtime = dj_database_url.parse(settings.DATABASE_URL)
    if owner["NAME"] != runtime["NAME"]:
        raise RuntimeRoleRefused(
            f"MIGRATE_DATABASE_URL names database {owner['NAME']!r} but DATABASE_URL names {runtime['NAME']!r}: "
            "they are two roles in one database, so the name must be the same.")
    # The name stays the connection's own: under the tests it is the test database's.
    return {**current, **{key: owner[key] for key in ("USER", "PASSWORD", "HOST", "PORT")}}


@contextlib.contextmanager
def connected_as_owner(alias: str = "default"):
    """Within the block, `alias` connects as the owner; afterwards as before. Yields the owner's name.

    A second alias would not do: a data migration writes through the default alias, and must do so
    inside the owner's transaction.
    """
    connection = connections[alias]
    saved = dict(connection.settings_dict)
    wanted = owner_settings(alias)
    if all(wanted[key] == saved[key] for key in ("USER", "PASSWORD", "HOST", "PORT")):
        yield saved["USER"]
        return
    if connection.in_atomic_block:
        raise RuntimeError("Cannot change to the owner's connection inside a transaction")
    connection.close()
    connection.settings_dict.update(wanted)
    try:
        yield wanted["USER"]
    finally:
        connection.close()
        connection.settings_dict.clear()
        connection.settings_dict.update(saved)


def problems(cursor, role: str, *, owner: str, schema: str) -> list[str]:
    """Everything that would let `role` do more than a runtime role may, as sentences."""
    cursor.execute("SELECT rolsuper, rolbypassrls, rolcreaterole, rolcreatedb, rolreplication "
                   "FROM pg_roles WHERE rolname = %s", [role])
    row = cursor.fetchone()
    if row is None:
        return [f"There is no role {role!r} (create it first: CREATE ROLE {quote(role)} LOGIN PASSWORD '...')."]
    found = []
    attributes = [name for name, has in zip(FORBIDDEN_ATTRIBUTES.values(), row, strict=True) if has]
    if attributes:
        found.append(f"{role} has {', '.join(attributes)}: ALTER ROLE {quote(role)} "
                     + " ".join(f"NO{attribute}" for attribute in attributes) + " (as a superuser).")
    if role == owner:
        found.append(f"{role} is the role this connects as (MIGRATE_DATABASE_URL, else DATABASE_URL), the owner: "
                     "the runtime role must be another role.")
    else:
        cursor.execute("SELECT pg_has_role(%s, %s, 'MEMBER')", [role, owner])
        if cursor.fetchone()[0]:
            found.append(f"{role} is a member of the owner {owner}, so it may SET ROLE to it: "
                         f"REVOKE {quote(owner)} FROM {quote(role)}.")
    cursor.execute("SELECT has_schema_privilege(%s, %s, 'CREATE')", [role, schema])
    if cursor.fetchone()[0]:
        found.append(f"{role} may CREATE in schema {schema} (perhaps through PUBLIC): "
                     f"REVOKE CREATE ON SCHEMA {quote(schema)} FROM PUBLIC.")
    cursor.execute("""SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                      WHERE n.nspname = %s AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S')
                        AND pg_has_role(%s, c.relowner, 'USAGE') ORDER BY 1""", [schema, role])
    owned = [name for (name,) in cursor.fetchall()]
    if owned:
        found.append(f"{role} owns (or is a member of the owner of) {', '.join(owned[:5])}"
                     + (f" and {len(owned) - 5} more" if len(owned) > 5 else "") + ".")
    for table in [*settings.APPEND_ONLY_TABLES, *READ_ONLY_TABLES]:
        cursor.execute("SELECT to_regclass(%s)", [f"{quote(schema)}.{quote(table)}"])
        if cursor.fetchone()[0] is None:
            continue
        denied = "UPDATE, DELETE, TRUNCATE" + (", INSERT" if table in READ_ONLY_TABLES else "")
        for privilege in denied.split(", "):
            cursor.execute("SELECT has_table_privilege(%s, %s, %s)", [role, f"{quote(schema)}.{quote(table)}",
                                                                     privilege])
            if cursor.fetchone()[0]:
                found.append(f"{role} may {privilege} {table}.")
    return found


def runtime_role_grant(*, role: str, using: str = "default") -> Granted:
    """Give `role` the runtime role's privileges on the current schema, and no more.

    Runs as the connection's user, which must own the schema's tables. Refuses (RuntimeRoleRefused)
    a role that could round its privileges: a superuser, a member of the owner, and so on.
    """
    connection = connections[using]
    with transaction.atomic(using=using), connection.cursor() as cursor:
        cursor.execute("SELECT current_database(), current_schema(), current_user")
        database, schema, owner = cursor.fetchone()
        cursor.execute("""SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                          WHERE n.nspname = %s AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S')
                            AND NOT pg_has_role(current_user, c.relowner, 'USAGE') ORDER BY 1""", [schema])
        others = [name for (name,) in cursor.fetchall()]
        if others:
            raise RuntimeRoleRefused(
                f"This connects as {owner}, which does not own {len(others)} of the tables ({', '.join(others[:3])}"
                f"{', ...' if len(others) > 3 else ''}): set MIGRATE_DATABASE_URL to the schema owner's URL.")
        refused = problems(cursor, role, owner=owner, schema=schema)
        # CREATE on the schema is the one thing granting can mend (Postgres before 15 gives it to PUBLIC).
        if refused and all("may CREATE in schema" in problem for problem in refused):
            cursor.execute(f"REVOKE CREATE ON SCHEMA {quote(schema)} FROM PUBLIC, {quote(role)}")
            refused = problems(cursor, role, owner=owner, schema=schema)
        if refused:
            raise RuntimeRoleRefused(" ".join(refused))

        r, s = quote(role), quote(schema)
        cursor.execute("SELECT has_database_privilege(%s, %s, 'CONNECT')", [role, database])
        if not cursor.fetchone()[0]:
            cursor.execute(f"GRANT CONNECT ON DATABASE {quote(database)} TO {r}")
        cursor.execute(f"GRANT USAGE ON SCHEMA {s} TO {r}")
        cursor.execute(f"REVOKE ALL ON ALL TABLES IN SCHEMA {s} FROM {r}")
        cursor.execute(f"GRANT {RUNTIME_TABLE_PRIVILEGES} ON ALL TABLES IN SCHEMA {s} TO {r}")
        cursor.execute(f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA {s} FROM {r}")
        cursor.execute(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {s} TO {r}")

        append_only, not_yet_created = [], []
        for table in settings.APPEND_ONLY_TABLES:
            cursor.execute("SELECT to_regclass(%s)", [f"{s}.{quote(table)}"])
            if cursor.fetchone()[0] is None:
                not_yet_created.append(table)  # the migrate that creates it grants again
                continue
            cursor.execute(f"REVOKE UPDATE, DELETE ON {s}.{quote(table)} FROM {r}")
            append_only.append(table)
        for table in READ_ONLY_TABLES:
            cursor.execute("SELECT to_regclass(%s)", [f"{s}.{quote(table)}"])
            if cursor.fetchone()[0] is not None:
                cursor.execute(f"REVOKE INSERT, UPDATE, DELETE ON {s}.{quote(table)} FROM {r}")

        cursor.execute(OWNER_ONLY_TRIGGER_IGNORE)

        # Functions that run with the owner's privileges for one narrow task (settings.RUNTIME_FUNCTIONS:
        # deleting audit rows older than a year); nobody but the runtime role may call them.
        for function in settings.RUNTIME_FUNCTIONS:
            cursor.execute("SELECT to_regprocedure(%s)", [f"{s}.{function}"])
            if cursor.fetchone()[0] is not None:
                cursor.execute(f"GRANT EXECUTE ON FUNCTION {s}.{function} TO {r}")

        # Tables the owner makes later start out readable and insertable only (never updatable,
        # in case they are append-only), until this runs again after the migration.
        cursor.execute(f"ALTER DEFAULT PRIVILEGES FOR ROLE {quote(owner)} IN SCHEMA {s} "
                       f"REVOKE ALL ON TABLES FROM {r}")
        cursor.execute(f"ALTER DEFAULT PRIVILEGES FOR ROLE {quote(owner)} IN SCHEMA {s} "
                       f"GRANT {APPEND_ONLY_PRIVILEGES} ON TABLES TO {r}")
        cursor.execute(f"ALTER DEFAULT PRIVILEGES FOR ROLE {quote(owner)} IN SCHEMA {s} "
                       f"GRANT USAGE, SELECT ON SEQUENCES TO {r}")

        still = problems(cursor, role, owner=owner, schema=schema)
        if still:  # a grant that did not take (tables that another role owns, say): undo it all
            raise RuntimeRoleRefused(" ".join(still))
        cursor.execute("""SELECT count(*) FILTER (WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f')),
                                 count(*) FILTER (WHERE c.relkind = 'S')
                          FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = %s""",
                       [schema])
        tables, sequences = cursor.fetchone()
    return Granted(role=role, schema=schema, tables=tables, append_only=append_only,
                   not_yet_created=not_yet_created, sequences=sequences)
