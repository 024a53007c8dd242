"""Council services: where referrals go (the People Finder's services)."""
from wards.models import Service
from wards.services.email_changes import addresses_changed

from .base import Column, Importer, yes_no


class ServiceImporter(Importer):
    kind = "services"
    title = "Services"
    noun = "service"
    key_description = "name: a row updates the service of that name (capitals do not matter)"
    about = "The council services cases are referred to. Officers’ rows name their service."
    columns = [
        Column("name", "The service’s name.", "Highways", required=True),
        Column("email", "Where referrals and chasers go, once the new address confirms it (or a liaison manager "
               "approves it).", "highways@kirklees.gov.uk", required=True),
        Column("head_of_service_email", "Told when a referral is long overdue. May be empty.",
               "head.highways@kirklees.gov.uk"),
        Column("active", "yes if cases can be referred to it, no if it has closed. Empty means yes.", "yes"),
    ]

    def read(self, row, refs):
        return {"name": row.text("name", required=True, max_length=Service._meta.get_field("name").max_length),
                "email": row.email("email", required=True),
                "head_of_service_email": row.email("head_of_service_email"),
                "is_active": row.boolean("active", default=True)}

    def key(self, values):
        return values["name"].casefold() if values["name"] else None

    def label(self, values):
        return values["name"]

    def existing(self, refs):
        return {s.name.casefold(): s for s in Service.objects.order_by("name")}

    def values_of(self, service, refs):
        return {"name": service.name, "email": service.email, "head_of_service_email": service.head_of_service_email,
                "is_active": service.is_active}

    def cells(self, values, refs):
        return {"name": values["name"], "email": values["email"].lower(),
                "head_of_service_email": values["head_of_service_email"].lower(),
                "active": yes_no(values["is_active"])}

    def notes(self, row, refs):
        confirmed = row.existing.confirmed_email if row.existing is not None else ""
        email = (row.values.get("email") or "").lower()
        if email and email != confirmed:
            return [f"Referrals keep going to {confirmed or 'nobody'} until {email} is confirmed from the email "
                    "sent to it, or approved by a liaison manager."]
        return []

    def write(self, row, *, by):
        if row.existing is None:
            service = Service.objects.create(**row.values)
        else:
            service = row.existing
            for name, value in row.values.items():
                setattr(service, name, value)
            service.save(update_fields=list(row.values))
        # A file's addresses are requests like any other: they take effect once confirmed.
        addresses_changed(service, by=by, via="import")
