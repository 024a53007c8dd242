"""What every kind of import has in common: its columns, how a row is read, keyed and compared.

An importer describes one kind of file. It reads a row into typed values (reporting what is wrong
with it), says which existing record the row is about (its key), turns values back into the
text the export writes (so a row and a record are compared as text, exactly as the admin sees
them), and writes one row. The order of work (read everything, compare, write all or nothing)
is in kirklees/dataimport/planning.py.
"""
import csv
import io
from dataclasses import dataclass, field
from typing import Any

from kirklees.csvfiles import RowReader

from .references import References


@dataclass(frozen=True)
class Column:
    name: str
    says: str  # what goes in it, for the data page
    example: str
    required: bool = False


@dataclass
class Row:
    """One row of the file, and what applying it would do."""

    number: int
    values: dict
    errors: list[str]
    label: str = ""
    key: Any = None
    existing: Any = None
    action: str = ""  # create, update, unchanged or error
    changes: list[tuple[str, str, str]] = field(default_factory=list)  # (column, old, new)
    notes: list[str] = field(default_factory=list)


class Importer:
    kind: str = ""
    title: str = ""  # "Wards"
    noun: str = ""  # "ward"
    key_description: str = ""
    about: str = ""
    columns: list[Column] = []
    # Columns where an empty cell means "leave it as it is" rather than "make it empty".
    blank_keeps: frozenset[str] = frozenset()

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def read(self, row: RowReader, refs: References) -> dict:
        """The row's typed values; problems go to row.error()."""
        raise NotImplementedError

    def key(self, values: dict):
        """What identifies the record the row is about, or None if the row does not say."""
        raise NotImplementedError

    def label(self, values: dict) -> str:
        raise NotImplementedError

    def existing(self, refs: References) -> dict:
        """Every record of this kind, by key, in a fixed number of queries."""
        raise NotImplementedError

    def values_of(self, record, refs: References) -> dict:
        """A record's values, as `read` would give them for a row describing it exactly."""
        raise NotImplementedError

    def cells(self, values: dict, refs: References) -> dict[str, str]:
        """Values as the text a file holds, one string per column."""
        raise NotImplementedError

    def check(self, rows: list[Row], existing: dict, refs: References) -> None:
        """Problems that only show across rows or against other records (unique codes and the like)."""

    def notes(self, row: Row, refs: References) -> list[str]:
        """Anything the admin should know before confirming, beyond the changed values."""
        return []

    def before_writing(self, rows: list[Row]) -> None:
        """Anything to do before the rows are written one by one."""

    def write(self, row: Row, *, by) -> None:
        """Create or update the record of one row whose action is create or update."""
        raise NotImplementedError

    def export_records(self, refs: References):
        return self.existing(refs).values()

    def example_row(self) -> list[str]:
        return [c.example for c in self.columns]

    def example_lines(self) -> str:
        """The column names and the example row as they look in the file."""
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerows([self.column_names, self.example_row()])
        return out.getvalue()


def yes_no(value: bool) -> str:
    return "yes" if value else "no"


def iso(day) -> str:
    return day.isoformat() if day else ""
