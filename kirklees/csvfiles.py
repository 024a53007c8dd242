"""CSV files in and out: reading the files people give us, and downloads that spreadsheets open safely.

Read by the load_wards command, the uploads at /data/ and the Place Standard response import.

People make these files in Excel, so the reader is strict about what could silently go wrong
(the text encoding, the columns) and forgiving about what cannot (column order, the case and
spacing of headings, UK dates when asked for). Every message about a row starts "Row N:", N being
the row number the spreadsheet shows, the heading row being row 1.
"""
import csv
import datetime
import decimal
import io
import re

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.http import StreamingHttpResponse

from .refusals import Refused

GSS_WARD_CODE = re.compile(r"^E05[0-9]{6}$")
UK_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
YES = {"yes", "y", "true", "1"}
NO = {"no", "n", "false", "0"}
SAVE_AS_UTF8 = ("It must be a CSV saved as UTF-8: in Excel choose File > Save As and pick "
                "‘CSV UTF-8 (Comma delimited)’, then upload that file.")


class CsvFileError(Refused):
    """The file as a whole cannot be read: its encoding, its columns, or it has no rows."""

    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("; ".join(errors))

    @property
    def reasons(self) -> list[str]:
        return self.errors


def decode_csv(data: bytes) -> str:
    """The text of a file that must be UTF-8 (with or without the BOM Excel writes).

    Anything else is refused rather than guessed at: a Windows-1252 file decoded as Latin-1 would
    load "Almondbury – Fenay" as mojibake without anyone noticing.
    """
    if data.startswith(b"PK\x03\x04"):
        raise CsvFileError(["The file is an Excel workbook, not a CSV file. " + SAVE_AS_UTF8])
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise CsvFileError(["The file is UTF-16 text, not UTF-8. " + SAVE_AS_UTF8])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise CsvFileError([f"The file is not UTF-8 text (the first character that is not is on line {line}). "
                            + SAVE_AS_UTF8]) from exc
    if "\x00" in text:
        raise CsvFileError(["The file is not a CSV file: it has characters in it that text files do not. "
                            + SAVE_AS_UTF8])
    return text


def _heading(name: str) -> str:
    return re.sub(r"[\s-]+", "_", (name or "").strip().lower())


def read_records(text: str, columns: list[str], *, max_rows: int | None = None) -> list[tuple[int, dict]]:
    """(row number, {column: cell}) for every row after the heading row, which must name `columns`.

    Columns may come in any order. Rows left entirely blank (Excel writes them at the end) are
    skipped; they keep their place in the numbering, as they do in the spreadsheet. So are columns
    with no name (Excel keeps a column someone once typed in), unless a row has something in one.
    """
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
        if header is None or not any(cell.strip() for cell in header):
            raise CsvFileError(["The file is empty: the first row must name the columns: " + ", ".join(columns)])
        header = [_heading(cell) for cell in header]
        missing = [c for c in columns if c not in header]
        unknown = [c for c in header if c and c not in columns]
        doubled = sorted({c for c in header if c and header.count(c) > 1})
        if missing or unknown or doubled:
            errors = [f"The columns must be exactly: {', '.join(columns)} (in any order)"]
            errors += [f"Column missing: {c}" for c in missing]
            errors += [f"Column not expected: {c}" for c in unknown]
            errors += [f"Column named twice: {c}" for c in doubled]
            raise CsvFileError(errors)
        records = []
        for number, cells in enumerate(reader, start=2):
            if not any(cell.strip() for cell in cells):
                continue
            if max_rows is not None and len(records) >= max_rows:
                raise CsvFileError([f"The file has more than {max_rows:,} rows: split it into smaller files"])
            record = {name: cells[i] if i < len(cells) else "" for i, name in enumerate(header) if name}
            unnamed = [cell for i, cell in enumerate(cells) if i >= len(header) or not header[i]]
            if any(cell.strip() for cell in unnamed):
                record[None] = unnamed  # as csv.DictReader keeps cells beyond the named columns
            records.append((number, record))
    except csv.Error as exc:
        raise CsvFileError([f"Row {reader.line_num}: the file cannot be read as CSV ({exc})"]) from exc
    return records


class RowReader:
    """Reads the cells of one row, collecting "Row N: …" messages instead of stopping at the first.

    Each reader method returns the cleaned value, or None (or the default) when the cell is
    empty or wrong, so that a caller can read every cell and then look at `errors`.
    """

    def __init__(self, number: int, cells: dict, *, uk_dates: bool = False):
        self.number = number
        self.cells = cells
        self.uk_dates = uk_dates
        self.errors: list[str] = []
        if cells.get(None):
            self.error("there is something in a column with no name in the first row (is there a comma that "
                       "should be inside quotes?)")

    def error(self, message: str) -> None:
        self.errors.append(f"Row {self.number}: {message}")

    def raw(self, column: str) -> str:
        value = (self.cells.get(column) or "").strip()
        # Exports put an apostrophe before a cell a spreadsheet would run as a formula
        # (csv_response, below): take it off again, so that an exported file imports unchanged.
        if value[:1] == "'" and value[1:2] in ("=", "+", "-", "@"):
            value = value[1:]
        return value

    def text(self, column: str, *, required: bool = False, max_length: int | None = None) -> str:
        value = " ".join(self.raw(column).split())
        if required and not value:
            self.error(f"{column} is empty")
        elif max_length is not None and len(value) > max_length:
            self.error(f"{column} must be {max_length} characters or fewer (it has {len(value)})")
            return value[:max_length]
        return value

    def integer(self, column: str, *, minimum: int, maximum: int, required: bool = False) -> int | None:
        value = self.raw(column)
        if not value and not required:
            return None
        try:
            number = int(value)
            if not minimum <= number <= maximum:
                raise ValueError
        except ValueError:
            self.error(f"{column} must be a whole number from {minimum} to {maximum}")
            return None
        return number

    def decimal(self, column: str, *, max_digits: int, decimal_places: int,
                required: bool = False) -> decimal.Decimal | None:
        value = self.raw(column).replace(",", "").replace(" ", "")
        if not value:
            if required:
                self.error(f"{column} is empty")
            return None
        try:
            number = decimal.Decimal(value)
            if not number.is_finite():
                raise decimal.InvalidOperation
        except decimal.InvalidOperation:
            self.error(f"{column} '{self.raw(column)}' is not a number")
            return None
        if abs(number) >= decimal.Decimal(10) ** (max_digits - decimal_places):
            self.error(f"{column} must be less than {10 ** (max_digits - decimal_places):,}")
            return None
        rounded = number.quantize(decimal.Decimal(1).scaleb(-decimal_places))
        if rounded != number:
            self.error(f"{column} '{self.raw(column)}' has more than {decimal_places} decimal places")
            return None
        return rounded

    def date(self, column: str, *, required: bool = False) -> datetime.date | None:
        value = self.raw(column)
        if not value:
            if required:
                self.error(f"{column} is empty")
            return None
        parsed = parse_date(value, uk=self.uk_dates)
        if parsed is None:
            like = "2004-06-10 or 10/06/2004" if self.uk_dates else "2004-06-10"
            self.error(f"{column} '{value}' is not a date like {like}")
        return parsed

    def boolean(self, column: str, *, default: bool) -> bool:
        value = self.raw(column).lower()
        if not value:
            return default
        if value in YES:
            return True
        if value not in NO:
            self.error(f"{column} must be yes or no, not '{self.raw(column)}'")
        return False

    def email(self, column: str, *, required: bool = False) -> str:
        value = self.raw(column).lower()
        if not value:
            if required:
                self.error(f"{column} is empty")
            return ""
        try:
            if len(value) > 254:
                raise ValidationError("too long")
            validate_email(value)
        except ValidationError:
            self.error(f"{column} '{self.raw(column)}' is not an email address like name@example.com")
            return ""
        return value

    def gss_code(self, column: str) -> str:
        value = self.raw(column).upper()
        if value and not GSS_WARD_CODE.match(value):
            self.error(f"{column} '{value}' is not an ONS code for a ward, like E05001389 (E05 and six digits)")
            return ""
        return value

    def items(self, column: str) -> list[str]:
        """A cell holding several values separated by semicolons, e.g. "Dalton; Almondbury"."""
        return [" ".join(item.split()) for item in self.raw(column).split(";") if item.strip()]


def parse_date(value: str, *, uk: bool = False) -> datetime.date | None:
    """2004-06-10; and 10/06/2004 too when `uk`, as people in the UK type (and Excel saves) dates."""
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            return datetime.date.fromisoformat(value)
        match = UK_DATE.match(value) if uk else None
        if match:
            day, month, year = (int(part) for part in match.groups())
            return datetime.date(year, month, day)
    except ValueError:
        return None
    return None


# --- downloads ----------------------------------------------------------------------------------


class _Echo:
    def write(self, value):
        return value


def _safe(value) -> str:
    """Spreadsheets run cells that start with = + - @ as formulas: quote them (CSV injection)."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") and not _is_number(text) else text


def spreadsheet_text(value) -> str:
    """Text for a spreadsheet cell that no spreadsheet will run as a formula (for the .xlsx downloads too)."""
    return _safe(value)


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def csv_response(filename: str, header: list[str], rows) -> StreamingHttpResponse:
    """Download a list as CSV (UTF-8 with BOM, so Excel reads it), streamed row by row."""
    writer = csv.writer(_Echo())

    def lines():
        yield "\ufeff" + writer.writerow(header)
        for row in rows:
            yield writer.writerow([_safe(value) for value in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
