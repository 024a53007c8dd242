"""Places: the villages, estates and neighbourhoods within a ward."""
from wards.models import Place

from .base import Column, Importer


def _kind(text: str) -> str | None:
    """"town centre", "Town centre" and "town_centre" all mean Place.Kind.TOWN_CENTRE."""
    wanted = "_".join(text.lower().replace("_", " ").split())
    for value, label in Place.Kind.choices:
        if wanted in (value, "_".join(label.lower().split())):
            return value
    return None


class PlaceImporter(Importer):
    kind = "places"
    title = "Places"
    noun = "place"
    key_description = "ward and name: a row updates the place of that name in that ward"
    about = "Sub-ward areas residents recognise. A place moves to another ward only in a boundary change."
    columns = [
        Column("ward", "The ward it is in: its name (a current ward) or its GSS code.", "Dalton", required=True),
        Column("name", "The place’s name, unique within its ward.", "Rawthorpe", required=True),
        Column("kind", "One of: " + ", ".join(Place.Kind.values) + ". Empty means neighbourhood.", "estate"),
    ]

    def read(self, row, refs):
        ward = None
        ward_text = row.text("ward", required=True)
        if ward_text:
            ward, problem = refs.ward(ward_text)
            if problem:
                row.error(problem)
        name = row.text("name", required=True, max_length=Place._meta.get_field("name").max_length)
        kind = Place.Kind.NEIGHBOURHOOD
        if row.raw("kind"):
            kind = _kind(row.raw("kind"))
            if kind is None:
                row.error(f"kind '{row.raw('kind')}' must be one of: {', '.join(Place.Kind.values)}")
        return {"ward": ward, "name": name, "kind": kind}

    def key(self, values):
        if values["ward"] is None or not values["name"]:
            return None
        return (values["ward"].pk, values["name"].casefold())

    def label(self, values):
        return f"{values['name']} in {values['ward'].name}"

    def existing(self, refs):
        return {(p.ward_id, p.name.casefold()): p for p in refs.places}

    def values_of(self, place, refs):
        return {"ward": place.ward, "name": place.name, "kind": place.kind}

    def cells(self, values, refs):
        return {"ward": refs.ward_name(values["ward"]), "name": values["name"], "kind": values["kind"] or ""}

    def write(self, row, *, by):
        if row.existing is None:
            Place.objects.create(**row.values)
            return
        row.existing.name, row.existing.kind = row.values["name"], row.values["kind"]
        row.existing.save(update_fields=["name", "kind"])
