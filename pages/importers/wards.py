"""Wards: the same file the load_wards command reads, and read by the same parser."""
from wards.models import Ward
from wards.services.wards import ward_row_read

from .base import Column, Importer, iso


class WardImporter(Importer):
    kind = "wards"
    title = "Wards"
    noun = "ward"
    key_description = "name and valid_from: a row updates the ward with that name starting that day"
    about = ("A set of wards for a period. To load the wards of a new boundary arrangement, give them the day "
             "they take effect as valid_from, then make the boundary change.")
    columns = [
        Column("name", "The ward’s name.", "Dalton", required=True),
        Column("gss_code", "The ONS GSS code: E05 and six digits. Empty if not known.", "E05001394"),
        Column("councillors", "How many councillors the ward elects: 1 to 5.", "3", required=True),
        Column("valid_from", "The first day of the ward: a date like 2004-06-10 or 10/06/2004.", "2004-06-10",
               required=True),
        Column("valid_to", "The day a new arrangement replaced it. Empty while it is current.", ""),
    ]

    def read(self, row, refs):
        return ward_row_read(row)

    def key(self, values):
        if not values["name"] or not values["valid_from"]:
            return None
        return (values["name"].casefold(), values["valid_from"])

    def label(self, values):
        return values["name"]

    def existing(self, refs):
        return {(w.name.casefold(), w.valid_from): w for w in refs.wards}

    def values_of(self, ward, refs):
        return dict(name=ward.name, gss_code=ward.gss_code, councillor_seats=ward.councillor_seats,
                    valid_from=ward.valid_from, valid_to=ward.valid_to)

    def cells(self, values, refs):
        seats = values["councillor_seats"]
        return {"name": values["name"], "gss_code": values["gss_code"],
                "councillors": "" if seats is None else str(seats),
                "valid_from": iso(values["valid_from"]), "valid_to": iso(values["valid_to"])}

    def check(self, rows, existing, refs):
        """A GSS code belongs to one ward; a code may move from one ward in the file to another."""
        final_code = {row.key: row.values["gss_code"] for row in rows if row.key is not None}
        holders = {w.gss_code: w for w in refs.wards if w.gss_code}
        first_with: dict[str, int] = {}
        for row in rows:
            code = row.values["gss_code"]
            if not code or row.key is None:
                continue
            if code in first_with:
                row.errors.append(f"Row {row.number}: gss_code {code} is also on row {first_with[code]}")
                continue
            first_with[code] = row.number
            holder = holders.get(code)
            if holder is None:
                continue
            holder_key = (holder.name.casefold(), holder.valid_from)
            if holder_key != row.key and final_code.get(holder_key, code) == code:
                row.errors.append(f"Row {row.number}: gss_code {code} already belongs to {holder.name} "
                                  f"(from {holder.valid_from.isoformat()})")

    def write(self, row, *, by):
        values = row.values
        fields = ["name", "gss_code", "councillor_seats", "valid_to"]
        if row.existing is None:
            Ward.objects.create(**values)
            return
        for name in fields:
            setattr(row.existing, name, values[name])
        row.existing.save(update_fields=fields)

    def before_writing(self, rows):
        """Codes moving between wards: free them all first, as the unique constraint is checked per row."""
        moving = [row.existing.pk for row in rows
                  if row.action == "update" and row.existing.gss_code != row.values["gss_code"]]
        Ward.objects.filter(pk__in=moving).update(gss_code="")
