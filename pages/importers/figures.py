"""Ward profile figures: population, IMD decile and the like, each with its source and date."""
from django.utils import timezone

from wards.models import WardFigure

from .base import Column, Importer, iso


def _number(value) -> str:
    """17250.00 → "17250", 4.50 → "4.5": how people write numbers, and the same either way round."""
    if value is None:
        return ""
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


class FigureImporter(Importer):
    kind = "figures"
    title = "Profile figures"
    noun = "profile figure"
    key_description = "ward, name and as_of: a row updates the ward’s figure of that name for that date"
    about = "Facts in each ward’s profile. A figure for a new date is added beside the older ones, which stay."
    columns = [
        Column("ward", "The ward: its name (a current ward) or its GSS code.", "Dalton", required=True),
        Column("name", "What the figure is.", "Population", required=True),
        Column("value", "A number, up to 2 decimal places.", "17250", required=True),
        Column("unit", "For example people, %, decile. May be empty.", "people"),
        Column("source", "Where it comes from.", "ONS mid-year estimates 2023", required=True),
        Column("as_of", "The date the figure describes: today or earlier.", "2023-06-30", required=True),
    ]

    def read(self, row, refs):
        ward = None
        ward_text = row.text("ward", required=True)
        if ward_text:
            ward, problem = refs.ward(ward_text)
            if problem:
                row.error(problem)
        field = WardFigure._meta.get_field
        values = {
            "ward": ward,
            "name": row.text("name", required=True, max_length=field("name").max_length),
            "value": row.decimal("value", max_digits=field("value").max_digits,
                                 decimal_places=field("value").decimal_places, required=True),
            "unit": row.text("unit", max_length=field("unit").max_length),
            "source": row.text("source", required=True, max_length=field("source").max_length),
            "as_of": row.date("as_of", required=True),
        }
        if values["as_of"] and values["as_of"] > timezone.localdate():
            row.error("as_of must be today or in the past")
        return values

    def key(self, values):
        if values["ward"] is None or not values["name"] or values["as_of"] is None:
            return None
        return (values["ward"].pk, values["name"].casefold(), values["as_of"])

    def label(self, values):
        return f"{values['name']} in {values['ward'].name} as of {values['as_of']:%-d %B %Y}"

    def existing(self, refs):
        figures = WardFigure.objects.order_by("ward__name", "ward__valid_from", "name", "as_of")
        return {(f.ward_id, f.name.casefold(), f.as_of): f for f in figures}

    def values_of(self, figure, refs):
        return {"ward": refs.wards_by_id[figure.ward_id], "name": figure.name, "value": figure.value,
                "unit": figure.unit, "source": figure.source, "as_of": figure.as_of}

    def cells(self, values, refs):
        return {"ward": refs.ward_name(values["ward"]), "name": values["name"], "value": _number(values["value"]),
                "unit": values["unit"], "source": values["source"], "as_of": iso(values["as_of"])}

    def write(self, row, *, by):
        if row.existing is None:
            WardFigure.objects.create(**row.values)
            return
        fields = ["name", "value", "unit", "source"]
        for name in fields:
            setattr(row.existing, name, row.values[name])
        row.existing.save(update_fields=fields)
