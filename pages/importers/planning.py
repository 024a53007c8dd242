"""Read a whole file and work out, row by row, what importing it would do; nothing is written here.

The same plan is made for the preview and again, inside the transaction, when the admin
confirms: the database may have changed in between, and what is written is always what a plan
made a moment before says.
"""
import hashlib
import json
from dataclasses import dataclass

from kirklees.csvfiles import CsvFileError, RowReader, read_records

from .base import Importer, Row
from .references import References

MAX_ROWS = 10_000
ACTIONS = ("create", "update", "unchanged", "error")


@dataclass
class Plan:
    importer: Importer
    rows: list[Row]

    @property
    def errors(self) -> list[str]:
        return [error for row in self.rows for error in row.errors]

    @property
    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(ACTIONS, 0)
        for row in self.rows:
            counts[row.action] += 1
        return counts

    @property
    def changes_anything(self) -> bool:
        return any(row.action in ("create", "update") for row in self.rows)

    def as_report(self) -> list[dict]:
        """The rows that change something, JSON-ready: what the ImportBatch keeps as its record."""
        return [{"row": row.number, "label": row.label, "action": row.action,
                 "changes": [list(change) for change in row.changes], "notes": row.notes}
                for row in self.rows if row.action in ("create", "update")]

    @property
    def fingerprint(self) -> str:
        """Names exactly what the admin was shown, so that a confirm can tell if it is still true."""
        shown = [(row.number, row.action, row.changes, row.notes) for row in self.rows]
        return hashlib.sha256(json.dumps(shown, default=str).encode()).hexdigest()


def plan_import(importer: Importer, text: str) -> Plan:
    """Raises CsvFileError when the file as a whole is wrong; row problems are on the rows."""
    records = read_records(text, importer.column_names, max_rows=MAX_ROWS)
    if not records:
        raise CsvFileError([f"The file has no {importer.title.lower()} in it: only the row of column names"])
    refs = References()
    existing = importer.existing(refs)
    rows: list[Row] = []
    first_seen: dict = {}
    for number, cells in records:
        reader = RowReader(number, cells, uk_dates=True)
        values = importer.read(reader, refs)
        row = Row(number=number, values=values, errors=reader.errors)
        key = importer.key(values)
        if key is not None:
            row.key, row.label = key, importer.label(values)
            if key in first_seen:
                row.errors.append(f"Row {number}: {row.label} appears twice (also on row {first_seen[key]})")
            else:
                first_seen[key] = number
                row.existing = existing.get(key)
        rows.append(row)
    importer.check(rows, existing, refs)
    for row in rows:
        _compare(importer, row, refs)
    return Plan(importer=importer, rows=rows)


def _compare(importer: Importer, row: Row, refs: References) -> None:
    if row.errors:
        row.action = "error"
        return
    new = importer.cells(row.values, refs)
    if row.existing is None:
        row.action = "create"
        row.changes = [(column, "", new[column]) for column in importer.column_names if new[column]]
    else:
        old = importer.cells(importer.values_of(row.existing, refs), refs)
        row.changes = [(column, old[column], new[column]) for column in importer.column_names
                       if old[column] != new[column]
                       and not (column in importer.blank_keeps and new[column] == "")]
        row.action = "update" if row.changes else "unchanged"
    row.notes = importer.notes(row, refs)
