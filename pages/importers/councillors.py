"""Councillors: their accounts, wards, groups, terms, liaison officer and advocacy enrolment.

A councillor without an account gets one the way every account is made (kirklees.users.services.
user_invite): no password, and an email with a link to set one, sent only once the import has
been committed.
"""
from django.contrib.auth import get_user_model

from councillors.models import Councillor
from kirklees.users.services import user_invite

from .base import Column, Importer, iso, yes_no

User = get_user_model()


class CouncillorImporter(Importer):
    kind = "councillors"
    title = "Councillors"
    noun = "councillor"
    key_description = "email: a row updates the councillor who signs in with that email address"
    about = ("Elected members and the ward each represents. A councillor with no account yet is sent an email "
             "to set a password when you confirm the import.")
    columns = [
        Column("email", "The email address they sign in with.", "sarah.haigh@kirklees.gov.uk", required=True),
        Column("full_name", "Their name as residents know it.", "Sarah Haigh", required=True),
        Column("ward", "The ward they represent: its name (a current ward) or its GSS code.", "Dalton",
               required=True),
        Column("group", "Their political group, by name or short name. May be empty.", "Labour"),
        Column("term_start", "The day their term began. May be empty.", "2024-05-03"),
        Column("term_end", "The day their term ends. May be empty.", "2028-05-04"),
        Column("liaison_officer_email", "The email address of their officer in the Support & Liaison Team. "
               "May be empty.", "lucy.liaison@kirklees.gov.uk"),
        Column("advocacy_enrolled", "yes if they are in the advocacy pilot. Empty means no.", "yes"),
        Column("advocacy_enrolled_on", "The day they joined the pilot. Only with advocacy_enrolled yes.",
               "2026-01-05"),
    ]

    def read(self, row, refs):
        email = row.email("email", required=True)
        user = refs.users.get(email) if email else None
        if user is not None and user.role != User.Role.COUNCILLOR:
            role = user.get_role_display() or "technical"
            row.error(f"email '{email}' is {user.full_name}’s {role.lower()} account, not a councillor’s")
        full_name = row.text("full_name", required=True, max_length=User._meta.get_field("full_name").max_length)
        ward = group = liaison_officer = None
        if ward_text := row.text("ward", required=True):
            ward, problem = refs.ward(ward_text)
            if problem:
                row.error(problem)
        if group_text := row.text("group"):
            group, problem = refs.group(group_text)
            if problem:
                row.error(problem)
        if liaison_email := row.email("liaison_officer_email"):
            liaison_officer, problem = refs.liaison_officer(liaison_email, column="liaison_officer_email")
            if problem:
                row.error(problem)
        term_start, term_end = row.date("term_start"), row.date("term_end")
        if term_start and term_end and term_end <= term_start:
            row.error("term_end must be after term_start")
        enrolled = row.boolean("advocacy_enrolled", default=False)
        enrolled_on = row.date("advocacy_enrolled_on")
        if enrolled_on and not enrolled:
            row.error("advocacy_enrolled_on must be empty when advocacy_enrolled is no")
        return {
            "email": email, "user": user, "full_name": full_name,
            "ward": ward, "group": group, "term_start": term_start, "term_end": term_end,
            "liaison_officer": liaison_officer, "advocacy_enrolled": enrolled, "advocacy_enrolled_on": enrolled_on,
        }

    def key(self, values):
        return values["email"] or None

    def label(self, values):
        return f"{values['full_name']} ({values['email']})" if values["full_name"] else values["email"]

    def existing(self, refs):
        councillors = Councillor.objects.select_related("user", "group", "liaison_officer").order_by(
            "user__full_name", "pk")
        return {c.user.email.lower(): c for c in councillors}

    def values_of(self, councillor, refs):
        return {"email": councillor.user.email, "user": councillor.user, "full_name": councillor.user.full_name,
                "ward": refs.wards_by_id[councillor.ward_id], "group": councillor.group,
                "term_start": councillor.term_start, "term_end": councillor.term_end,
                "liaison_officer": councillor.liaison_officer, "advocacy_enrolled": councillor.advocacy_enrolled,
                "advocacy_enrolled_on": councillor.advocacy_enrolled_on}

    def cells(self, values, refs):
        liaison_officer = values["liaison_officer"]
        return {
            "email": values["email"].lower(), "full_name": values["full_name"],
            "ward": refs.ward_name(values["ward"]), "group": values["group"].name if values["group"] else "",
            "term_start": iso(values["term_start"]), "term_end": iso(values["term_end"]),
            "liaison_officer_email": liaison_officer.email.lower() if liaison_officer else "",
            "advocacy_enrolled": yes_no(values["advocacy_enrolled"]),
            "advocacy_enrolled_on": iso(values["advocacy_enrolled_on"]),
        }

    def notes(self, row, refs):
        if row.existing is not None:
            return []
        if row.values["user"] is None:
            return [f"A new account: {row.values['email']} is emailed a link to set a password when you confirm."]
        return [f"Uses {row.values['user'].full_name}’s existing account."]

    def write(self, row, *, by):
        values = row.values
        user = values["user"]
        if user is None:
            user = user_invite(email=values["email"], full_name=values["full_name"], role=User.Role.COUNCILLOR)
        elif user.full_name != values["full_name"]:
            user.full_name = values["full_name"]
            user.save(update_fields=["full_name"])
        fields = ["ward", "group", "term_start", "term_end", "liaison_officer", "advocacy_enrolled",
                  "advocacy_enrolled_on"]
        if row.existing is None:
            Councillor.objects.create(user=user, **{name: values[name] for name in fields})
            return
        for name in fields:
            setattr(row.existing, name, values[name])
        row.existing.save(update_fields=fields)
