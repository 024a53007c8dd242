import csv
import datetime
import re
from dataclasses import dataclass, field

from django.db import transaction

from .models import Ward

WARD_COLUMNS = ["name", "gss_code", "councillors", "valid_from", "valid_to"]
GSS_CODE = re.compile(r"^[EWSN][0-9]{8}$")


class WardFileError(Exception):
    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("; ".join(errors))


@dataclass
class WardLoadResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    wards: list[Ward] = field(default_factory=list)


def _parse_date(value: str, *, row: int, column: str, errors: list[str]) -> datetime.date | None:
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        errors.append(f"Row {row}: {column} {value!r} is not a date like 2004-06-10")
        return None


def _parse_rows(lines) -> list[dict]:
    reader = csv.DictReader(lines)
    if reader.fieldnames is None or [c.strip() for c in reader.fieldnames] != WARD_COLUMNS:
        raise WardFileError([f"The columns must be exactly: {', '.join(WARD_COLUMNS)}"])
    errors: list[str] = []
    rows: list[dict] = []
    seen: set[tuple[str, datetime.date | None]] = set()
    for number, raw in enumerate(reader, start=2):
        name = (raw["name"] or "").strip()
        gss_code = (raw["gss_code"] or "").strip().upper()
        if not name:
            errors.append(f"Row {number}: name is empty")
        if gss_code and not GSS_CODE.match(gss_code):
            errors.append(f"Row {number}: gss_code {gss_code!r} is not an ONS code like E05001389")
        try:
            seats = int(raw["councillors"])
            if not 1 <= seats <= 5:
                raise ValueError
        except (TypeError, ValueError):
            errors.append(f"Row {number}: councillors must be a whole number from 1 to 5")
            seats = None
        valid_from = _parse_date((raw["valid_from"] or "").strip(), row=number,
                                 column="valid_from", errors=errors)
        valid_to = _parse_date((raw["valid_to"] or "").strip(), row=number,
                               column="valid_to", errors=errors)
        if valid_from is None and not any(e.startswith(f"Row {number}: valid_from") for e in errors):
            errors.append(f"Row {number}: valid_from is empty")
        if valid_from and valid_to and valid_to <= valid_from:
            errors.append(f"Row {number}: valid_to must be after valid_from")
        if (name.lower(), valid_from) in seen:
            errors.append(f"Row {number}: {name} appears twice")
        seen.add((name.lower(), valid_from))
        rows.append(dict(name=name, gss_code=gss_code, councillor_seats=seats,
                         valid_from=valid_from, valid_to=valid_to))
    if not rows and not errors:
        errors.append("The file has no wards in it")
    if errors:
        raise WardFileError(errors)
    return rows


@transaction.atomic
def wards_load_csv(*, path) -> WardLoadResult:
    """Load a set of dated wards; all or nothing, and loading the same file again changes nothing."""
    try:
        with open(path, newline="", encoding="utf-8-sig") as handle:
            rows = _parse_rows(handle)
    except UnicodeDecodeError as exc:
        raise WardFileError(["The file is not UTF-8 text (save it as CSV UTF-8)"]) from exc
    result = WardLoadResult()
    for row in rows:
        ward, created = Ward.objects.get_or_create(
            name=row["name"], valid_from=row["valid_from"],
            defaults={k: row[k] for k in ("gss_code", "councillor_seats", "valid_to")},
        )
        if created:
            result.created += 1
        else:
            changed = [k for k in ("gss_code", "councillor_seats", "valid_to") if getattr(ward, k) != row[k]]
            for key in changed:
                setattr(ward, key, row[key])
            if changed:
                ward.save(update_fields=changed)
                result.updated += 1
            else:
                result.unchanged += 1
        result.wards.append(ward)
    return result
