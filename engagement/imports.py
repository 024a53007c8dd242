"""Reading a CSV of responses from another survey tool, and saying exactly what is wrong with it.

Parsing only: no writes. The service stores a file that parses cleanly, shows a preview, and
writes every row or none when it is confirmed.

The columns (a header row is required; the order does not matter; case, spaces and hyphens in
names do not matter):
- one per theme, named by its slug or its name (``moving_around`` or ``Moving around``):
  a score from 1 to 7, or blank for skipped;
- optional comments, ``<theme>_good`` and ``<theme>_better`` (``Moving around good``…);
- optional ``age_band`` (our code, like ``25_34``, or its words, like ``25 to 34``) and
  ``postcode_district`` (like ``HD8``).
"""
import csv
import io
import re
from dataclasses import dataclass, field

from kirklees.csvfiles import CsvFileError, decode_csv

from .models import AGE_BANDS, Response, ResponseComment, Theme
from .scores import parse_postcode_district, parse_score

MAX_ROWS = 50_000
MAX_BYTES = 10 * 1024 * 1024
MAX_COMMENT = 2000
MAX_ERRORS_SHOWN = 100


def normalise(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", name.strip().lower()).strip("_")


AGE_BAND_WORDS = {normalise(label): code for code, label in Response.AgeBand.choices}
AGE_BAND_WORDS.update({code: code for code in AGE_BANDS})
AGE_BAND_ERROR = "Age band must be one of: " + ", ".join(label for _, label in Response.AgeBand.choices)


@dataclass
class ParsedRow:
    line: int
    scores: dict[int, int | None]
    comments: list[tuple[int, str, str]]  # (theme number, kind, text)
    age_band: str = ""
    postcode_district: str = ""


@dataclass
class ParsedFile:
    rows: list[ParsedRow] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # about the file as a whole
    row_errors: list[tuple[int, str]] = field(default_factory=list)  # (line, message)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and not self.row_errors


def decode(data: bytes) -> str:
    """The file's text, or CsvFileError saying why it cannot be read (too big, not UTF-8 text)."""
    if len(data) > MAX_BYTES:
        raise CsvFileError([f"The file must be smaller than {MAX_BYTES // (1024 * 1024)} MB"])
    return decode_csv(data)


def _columns(header: list[str], themes: list[Theme]) -> tuple[dict, list[str]]:
    """Which column holds what: {index: ("score", n) | ("good"/"better", n) | ("age_band",) | ...}."""
    wanted = {}
    for theme in themes:
        for name in {theme.slug, normalise(theme.name)}:
            wanted[name] = ("score", theme.number)
            wanted[f"{name}_good"] = (ResponseComment.Kind.GOOD, theme.number)
            wanted[f"{name}_better"] = (ResponseComment.Kind.BETTER, theme.number)
    wanted["age_band"] = ("age_band",)
    wanted["postcode_district"] = ("postcode_district",)
    columns, unknown, seen = {}, [], {}
    for index, raw in enumerate(header):
        key = normalise(raw)
        if not key:
            continue
        meaning = wanted.get(key)
        if meaning is None:
            unknown.append(raw.strip())
        elif meaning in seen:
            raise CsvFileError([f"The columns “{seen[meaning]}” and “{raw.strip()}” are the same question"])
        else:
            columns[index] = meaning
            seen[meaning] = raw.strip()
    return columns, unknown


def parse_responses_csv(text: str, themes: list[Theme]) -> ParsedFile:
    result = ParsedFile()
    names = {theme.number: theme.name for theme in themes}
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
        if not header or not any(cell.strip() for cell in header):
            result.errors.append("The file is empty: it needs a header row, then one row per response")
            return result
        columns, unknown = _columns(header, themes)
        scored = sorted(meaning[1] for meaning in columns.values() if meaning[0] == "score")
        if not scored:
            result.errors.append("No column is named after a theme: name score columns like "
                                 "“moving_around” or “Moving around” (download the template to see them all)")
            return result
        if unknown:
            result.warnings.append("These columns are not ones we use and will be ignored: " + ", ".join(
                f"“{name}”" for name in unknown))
        missing = [names[n] for n in sorted(names) if n not in scored]
        if missing:
            result.warnings.append("No column for " + ", ".join(missing) + ": those themes will be recorded as skipped")
        count = 0
        for line, cells in enumerate(reader, start=2):
            if not any(cell.strip() for cell in cells):
                continue
            count += 1
            if count > MAX_ROWS:
                result.errors.append(f"The file has more than {MAX_ROWS:,} responses: split it into smaller files")
                return result
            row = _parse_row(line, cells, columns, names, result.row_errors)
            if row is not None:
                result.rows.append(row)
    except csv.Error as error:
        result.errors.append(f"The file is not a CSV we can read ({error})")
    if not result.errors and not result.rows and not result.row_errors:
        result.errors.append("The file has a header row but no responses")
    return result


def _parse_row(line: int, cells: list[str], columns: dict, names: dict, errors: list) -> ParsedRow | None:
    row = ParsedRow(line=line, scores={}, comments=[])
    before = len(errors)
    for index, meaning in columns.items():
        value = cells[index].strip() if index < len(cells) else ""
        kind = meaning[0]
        if kind == "score":
            try:
                row.scores[meaning[1]] = parse_score(value)
            except ValueError as error:
                errors.append((line, f"{names[meaning[1]]}: “{value}” is not a score. {error}"))
        elif kind == "age_band":
            if value and normalise(value) not in AGE_BAND_WORDS:
                errors.append((line, f"“{value}” is not an age band. {AGE_BAND_ERROR}"))
            row.age_band = AGE_BAND_WORDS.get(normalise(value), "") if value else ""
        elif kind == "postcode_district":
            try:
                row.postcode_district = parse_postcode_district(value)
            except ValueError as error:
                errors.append((line, f"“{value}” is not a postcode district. {error}"))
        elif value:
            if len(value) > MAX_COMMENT:
                errors.append((line, f"{names[meaning[1]]} comment must be {MAX_COMMENT} characters or fewer"))
            row.comments.append((meaning[1], kind, value))
    if len(errors) == before and not any(score is not None for score in row.scores.values()):
        errors.append((line, "No scores: a response needs at least one theme scored from 1 to 7"))
    return row if len(errors) == before else None
