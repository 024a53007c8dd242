"""Database helpers that know no app (every floor may use them)."""

from django.db import connection
from psycopg2.extras import execute_values


def insert_rows(model, columns: list[str], rows: list[tuple], *, returning: str | None = None,
                page_size: int = 5000) -> list:
    """INSERT many plain tuples in a few statements, without building model instances.

    For the timed jobs, which write tens of thousands of rows at once: Django's bulk_create spends
    most of its time creating and preparing objects. `columns` are database column names.
    """
    if not rows:
        return []
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    sql = f"INSERT INTO {table} ({names}) VALUES %s" + (f" RETURNING {returning}" if returning else "")
    with connection.cursor() as cursor:
        # execute_values needs the raw psycopg2 cursor.
        result = execute_values(cursor.cursor, sql, rows, page_size=page_size, fetch=bool(returning))
    return [row[0] for row in result] if returning else []
