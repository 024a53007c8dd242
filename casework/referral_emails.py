"""The email that takes a referral to its council service (and to the named officer).

It carries what was asked, the due date and only the resident's details the referrer chose to
share; never the case's own details or summary, which may hold special-category information the
service has no need of. Each copy has a Reply-To and a Message-ID made from the referral's
unguessable token, so that a reply can be matched to the referral later.
"""

import secrets

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from kirklees.notifications.models import OutboundEmail
from kirklees.notifications.services import OutboundMessage, outbound_emails_queue

from .models import CaseEvent, Referral

TOPIC = "referral"


def reply_token_new() -> str:
    return secrets.token_hex(16)  # 128 bits; lower-case hex survives mail systems that fold case


def reply_address(referral: Referral) -> str:
    return f"referral+{referral.reply_token}@{settings.INBOUND_EMAIL_DOMAIN}"


def _message_id(referral: Referral) -> str:
    # One per copy (the service's and the officer's), each naming the referral.
    return f"<referral.{referral.reply_token}.{secrets.token_hex(4)}@{settings.INBOUND_EMAIL_DOMAIN}>"


def recipients(*, service: str, service_email: str, officer_name: str = "", officer_email: str = "",
               officer_active: bool = False) -> list[tuple[str, str]]:
    """(address, how to greet them) for a referral or its chaser: the service's inbox, and the
    named officer if they are still in post and have an address of their own.

    The one place that says where residents' details go. The addresses given are the confirmed
    ones (`Service.confirmed_email`, `Officer.confirmed_email`), never those typed into the People
    Finder, which wait for the new inbox or a liaison manager to confirm them
    (wards/services/email_changes.py); an empty one (never confirmed) gets nothing.
    """
    people = [(service_email, f"{service} team")] if service_email else []
    if officer_email and officer_active and officer_email.lower() != service_email.lower():
        people.append((officer_email, officer_name))
    return people


def referral_recipients(referral: Referral) -> list[tuple[str, str]]:
    service, officer = referral.service, referral.officer
    return recipients(service=service.name, service_email=service.confirmed_email,
                      officer_name=officer.full_name if officer else "",
                      officer_email=officer.confirmed_email if officer else "",
                      officer_active=officer is not None and officer.is_active)


def _resident_lines(referral: Referral) -> list[tuple[str, str]]:
    resident, shared = referral.case.resident, set(referral.shared)
    lines = []
    if Referral.Shared.NAME in shared:
        lines.append(("Name", resident.full_name))
    if Referral.Shared.CONTACT in shared:
        lines += [("Email", resident.email or "Not given"), ("Phone", resident.phone or "Not given"),
                  ("Prefers to be contacted by", resident.get_preferred_contact_display())]
    if Referral.Shared.ADDRESS in shared:
        lines += [("Address", resident.address), ("Postcode", resident.postcode)]
    return lines


def referral_emails_queue(referral: Referral, *, by) -> None:
    """Queue the referral's emails; they go when the transaction commits."""
    case = referral.case
    context = {
        "referral": referral, "case": case, "by": by, "service": referral.service,
        "councillor": case.owner, "resident_lines": _resident_lines(referral),
        "advocacy": case.advocacy, "reply_address": reply_address(referral),
    }
    subject = f"Referral from councillor casework: case {case.reference}, answer due {referral.due_date:%-d %B %Y}"
    emails = []
    for address, greeting in referral_recipients(referral):
        personal = {**context, "greeting": greeting, "for_officer": address != referral.service.confirmed_email}
        emails.append(OutboundMessage(
            to=address, subject=subject,
            body=render_to_string("casework/email/referral.txt", personal),
            html=render_to_string("casework/email/referral.html", personal),
            reply_to=reply_address(referral), message_id=_message_id(referral),
            topic=TOPIC, topic_id=referral.pk,
        ))
    outbound_emails_queue(emails)


def referral_emails_sent(emails: list[OutboundEmail]) -> None:
    """The timeline says a referral was sent only once its email has really gone to the mail backend."""
    cases = dict(Referral.objects.filter(pk__in={e.topic_id for e in emails}).values_list("pk", "case_id"))
    CaseEvent.objects.bulk_create(
        CaseEvent(case_id=cases[e.topic_id], referral_id=e.topic_id, kind=CaseEvent.Kind.REFERRAL_EMAILED,
                  created_at=e.sent_at,
                  text=f"Sent to {e.to} at {timezone.localtime(e.sent_at):%H:%M on %-d %B %Y}.")
        for e in emails if e.topic_id in cases
    )


def referral_emails_for(referrals) -> dict[int, list[OutboundEmail]]:
    """Each referral's emails, oldest first: one query for a case page's referrals."""
    by_referral: dict[int, list[OutboundEmail]] = {}
    for email in OutboundEmail.objects.filter(topic=TOPIC, topic_id__in=[r.pk for r in referrals]).order_by(
            "created_at", "id"):
        by_referral.setdefault(email.topic_id, []).append(email)
    return by_referral
