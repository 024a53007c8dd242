"""Every change to wards and their places: loading a set of dated wards from a file, and places.

Places are reference data (wards/permissions.py: the ward data admin); a place moves ward only in
a boundary change.
"""
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from kirklees.csvfiles import CsvFileError, RowReader, decode_csv, read_records
from kirklees.refusals import Refused

from .. import permissions
from ..models import Place, Ward

WARD_COLUMNS = ["name", "gss_code", "councillors", "valid_from", "valid_to"]


class WardFileError(CsvFileError):
    pass


class WardRefused(Refused, ValidationError):
    """A ward rule says no: `message`, beside `field` (kirklees/refusals.py), and `others` for any
    more fields that are wrong at the same time.

    Also a ValidationError with the same reasons by field: these services refused with Django's
    before there was a Refused, and callers outside the views (and the tests) still catch that. A
    view treats it as any other refusal, through add_refusal.
    """

    def __init__(self, message: str, *, field: str | None = None, others: dict[str, str] | None = None):
        super().__init__(message, field=field)
        ValidationError.__init__(self, {field: message, **(others or {})} if field else message)


@dataclass
class WardLoadResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    wards: list[Ward] = field(default_factory=list)


def ward_row_read(row: RowReader) -> dict:
    """One ward from a row of a wards file: the one parser for `load_wards` and the data import."""
    name = row.text("name", required=True, max_length=Ward._meta.get_field("name").max_length)
    gss_code = row.gss_code("gss_code")
    seats = row.integer("councillors", minimum=1, maximum=5, required=True)
    valid_from = row.date("valid_from", required=True)
    valid_to = row.date("valid_to")
    if valid_from and valid_to and valid_to <= valid_from:
        row.error("valid_to must be after valid_from")
    return dict(name=name, gss_code=gss_code, councillor_seats=seats, valid_from=valid_from, valid_to=valid_to)


def _parse_rows(text: str) -> list[dict]:
    # ISO dates only here: a file given to the command is made by a script, not typed by a person.
    try:
        records = read_records(text, WARD_COLUMNS)
    except CsvFileError as exc:
        raise WardFileError(exc.errors) from exc
    errors: list[str] = []
    rows: list[dict] = []
    seen: dict[tuple, int] = {}
    for number, cells in records:
        row = RowReader(number, cells)
        ward = ward_row_read(row)
        key = (ward["name"].lower(), ward["valid_from"])
        if ward["name"] and key in seen:
            row.error(f"{ward['name']} appears twice (also on row {seen[key]})")
        seen.setdefault(key, number)
        errors += row.errors
        rows.append(ward)
    if not rows and not errors:
        errors.append("The file has no wards in it")
    if errors:
        raise WardFileError(errors)
    return rows


@transaction.atomic
def wards_load_csv(*, path) -> WardLoadResult:
    """Load a set of dated wards; all or nothing, and loading the same file again changes nothing."""
    with open(path, "rb") as handle:
        data = handle.read()
    try:
        text = decode_csv(data)
    except CsvFileError as exc:
        raise WardFileError(exc.errors) from exc
    rows = _parse_rows(text)
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


def tidy(text: str) -> str:
    """One space between words, none at the ends (what a person meant to type)."""
    return " ".join((text or "").split())


# --- places --------------------------------------------------------------------------------------

PLACE_NAME_TAKEN = "There is already a place with this name in {ward}"


def place_name_taken(ward: Ward, name: str, *, exclude: Place | None = None) -> bool:
    others = Place.objects.filter(ward=ward, name__iexact=name)
    return (others.exclude(pk=exclude.pk) if exclude is not None else others).exists()


def _save_place(place: Place, *, update_fields=None) -> Place:
    if place_name_taken(place.ward, place.name, exclude=place if place.pk else None):
        raise WardRefused(PLACE_NAME_TAKEN.format(ward=place.ward.name), field="name")
    try:
        with transaction.atomic():  # a savepoint: someone may have added the same name a moment ago
            place.save(update_fields=update_fields)
    except IntegrityError:
        raise WardRefused(PLACE_NAME_TAKEN.format(ward=place.ward.name), field="name") from None
    return place


@transaction.atomic
def place_create(*, by, ward: Ward, name: str, kind: str = Place.Kind.NEIGHBOURHOOD) -> Place:
    permissions.require(permissions.can_manage_reference_data(by))
    return _save_place(Place(ward=ward, name=tidy(name), kind=kind))


@transaction.atomic
def place_update(*, place: Place, by, name: str, kind: str) -> Place:
    """The ward stays: a place moves ward only in a boundary change."""
    permissions.require(permissions.can_manage_reference_data(by))
    place.name, place.kind = tidy(name), kind
    return _save_place(place, update_fields=["name", "kind"])
