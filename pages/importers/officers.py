"""Officers: the People Finder, with the wards and places each one covers."""
from django.utils import timezone

from wards.forms.people import PHONE
from wards.models import Officer
from wards.services.email_changes import addresses_changed

from .base import Column, Importer, iso, yes_no


def _unique(records) -> list:
    return list({record.pk: record for record in records}.values())


class OfficerImporter(Importer):
    kind = "officers"
    title = "Officers"
    noun = "officer"
    key_description = "email: a row updates the officer with that email address"
    about = ("People in council services whom councillors may need. The wards and places in a row replace "
             "the ones the officer covered.")
    columns = [
        Column("email", "Their work email address.", "amir.khan@kirklees.gov.uk", required=True),
        Column("full_name", "Their name.", "Amir Khan", required=True),
        Column("job_title", "Their job title.", "Highways inspector", required=True),
        Column("service", "The council service they work in, by its name.", "Highways", required=True),
        Column("phone", "A phone number. May be empty.", "01484 221000"),
        Column("wards", "The wards they cover, separated by semicolons. May be empty.", "Dalton; Almondbury"),
        Column("places", "Places they cover (if only part of a ward), separated by semicolons: a place’s name, "
               "or its name and ward in brackets.", "Rawthorpe (Dalton)"),
        Column("last_confirmed", "When someone last checked these details. Empty leaves it as it is.",
               "2026-01-15"),
        Column("active", "no when they have left or changed role. Empty means yes.", "yes"),
    ]
    blank_keeps = frozenset({"last_confirmed"})

    def read(self, row, refs):
        service = None
        service_text = row.text("service", required=True)
        if service_text:
            service, problem = refs.service(service_text)
            if problem:
                row.error(problem)
        phone = row.text("phone", max_length=Officer._meta.get_field("phone").max_length)
        if phone and (not PHONE.match(phone) or not 10 <= sum(c.isdigit() for c in phone) <= 15):
            row.error(f"phone '{phone}' is not a phone number like 01484 221000")
        wards, places = [], []
        for text in row.items("wards"):
            ward, problem = refs.ward(text, column="wards")
            if problem:
                row.error(problem)
            else:
                wards.append(ward)
        for text in row.items("places"):
            place, problem = refs.place(text, column="places")
            if problem:
                row.error(problem)
            else:
                places.append(place)
        last_confirmed = row.date("last_confirmed")
        if last_confirmed and last_confirmed > timezone.localdate():
            row.error("last_confirmed cannot be in the future")
        field = Officer._meta.get_field
        return {
            "email": row.email("email", required=True),
            "full_name": row.text("full_name", required=True, max_length=field("full_name").max_length),
            "job_title": row.text("job_title", required=True, max_length=field("job_title").max_length),
            "service": service,
            "phone": phone,
            "wards": _unique(wards),
            "places": _unique(places),
            "last_confirmed": last_confirmed,
            "is_active": row.boolean("active", default=True),
        }

    def key(self, values):
        return values["email"] or None

    def label(self, values):
        return values["email"]

    def existing(self, refs):
        officers = Officer.objects.select_related("service").prefetch_related("wards", "places").order_by(
            "full_name", "pk")
        return {officer.email.lower(): officer for officer in officers}

    def values_of(self, officer, refs):
        return {"email": officer.email, "full_name": officer.full_name, "job_title": officer.job_title,
                "service": officer.service, "phone": officer.phone, "wards": list(officer.wards.all()),
                "places": list(officer.places.all()), "last_confirmed": officer.last_confirmed,
                "is_active": officer.is_active}

    def cells(self, values, refs):
        return {
            "email": values["email"].lower(), "full_name": values["full_name"], "job_title": values["job_title"],
            "service": values["service"].name if values["service"] else "", "phone": values["phone"],
            "wards": "; ".join(sorted(refs.ward_name(w) for w in values["wards"])),
            "places": "; ".join(sorted(refs.place_name(p) for p in values["places"])),
            "last_confirmed": iso(values["last_confirmed"]), "active": yes_no(values["is_active"]),
        }

    def notes(self, row, refs):
        if row.existing is None and row.values.get("email"):
            return [f"Referrals name them by email once {row.values['email'].lower()} is confirmed from the email "
                    "sent to it, or approved by a liaison manager."]
        return []

    def write(self, row, *, by):
        values = dict(row.values)
        wards, places = values.pop("wards"), values.pop("places")
        if values["last_confirmed"] is None:
            values.pop("last_confirmed")  # empty: as it was (never confirmed, for someone new)
        officer = row.existing
        if officer is None:
            officer = Officer.objects.create(**values)
        else:
            for name, value in values.items():
                setattr(officer, name, value)
            officer.save(update_fields=list(values))
        officer.wards.set(wards)
        officer.places.set(places)
        addresses_changed(officer, by=by, via="import")  # a new officer's address waits for confirmation
