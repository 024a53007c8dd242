"""Changes of the addresses that residents' details go to: a service's inbox, its head of service,
an officer's email.

The People Finder's fields are reference data that a ward data admin, an import or the Django
admin may type into (`Service.email`, `Service.head_of_service_email`, `Officer.email`). Referrals
and chasers read only the confirmed copies (`confirmed_email`, ...), which change here and
nowhere else: when the new inbox confirms with a signed, one-time, expiring link, or a liaison
manager who did not ask for the change approves it. Every write path calls `addresses_changed`
after saving the record, so that whatever was typed becomes a pending request.
"""
import hashlib
import secrets
from dataclasses import dataclass

from django.core import signing
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from kirklees.links import absolute_url
from kirklees.notifications.services import OutboundMessage, outbound_emails_queue
from kirklees.permissions import require
from kirklees.refusals import Refused

from .. import permissions
from ..models import EmailChange, Officer, Service

Address = EmailChange.Address
Status = EmailChange.Status

LINK_VALID_FOR = timezone.timedelta(days=7)
SALT = "wards.email-change"
TOPIC = "email_change"


@dataclass(frozen=True)
class AddressField:
    entered: str  # what a person types
    confirmed: str  # where residents' details go


FIELDS = {
    Address.SERVICE: AddressField("email", "confirmed_email"),
    Address.HEAD_OF_SERVICE: AddressField("head_of_service_email", "confirmed_head_of_service_email"),
    Address.OFFICER: AddressField("email", "confirmed_email"),
}


def _addresses_of(record) -> list[str]:
    return [Address.OFFICER] if isinstance(record, Officer) else [Address.SERVICE, Address.HEAD_OF_SERVICE]


def _record_kwargs(record) -> dict:
    return {"officer": record} if isinstance(record, Officer) else {"service": record}


def _hash(nonce: str) -> str:
    return hashlib.sha256(nonce.encode()).hexdigest()


def addresses_changed(record: Service | Officer, *, by, via: str) -> list[EmailChange]:
    """Call after saving a service or officer: each typed address that is not the confirmed one
    becomes a pending change (emailed to the new address, and told to the old one), replacing any
    earlier request for that address. Saving again with nothing new does nothing; a removed head
    of service address takes effect at once (it sends residents' details nowhere).

    The caller has checked `by` may change the record; this runs in the caller's transaction.
    """
    model = type(record)
    record = model.objects.select_for_update().get(pk=record.pk)  # one request at a time per record
    now = timezone.now()
    made = []
    for address in _addresses_of(record):
        field = FIELDS[address]
        entered, confirmed = getattr(record, field.entered), getattr(record, field.confirmed)
        pending = EmailChange.objects.pending().filter(address=address, **_record_kwargs(record)).first()
        if pending and pending.new_email == entered and pending.expires_at > now:
            continue  # already asked, and the link still works
        if pending:
            EmailChange.objects.filter(pk=pending.pk, status=Status.PENDING).update(
                status=Status.SUPERSEDED, decided_by=by, decided_at=now)
        if entered == confirmed:
            continue  # back to (or still) the confirmed address
        if not entered:
            setattr(record, field.confirmed, "")
            model.objects.filter(pk=record.pk).update(**{field.confirmed: ""})
            made.append(EmailChange.objects.create(
                address=address, old_email=confirmed, new_email="", status=Status.REMOVED, requested_by=by,
                requested_at=now, requested_via=via, decided_by=by, decided_at=now, **_record_kwargs(record)))
            continue
        nonce = secrets.token_urlsafe(32)
        change = EmailChange.objects.create(
            address=address, old_email=confirmed, new_email=entered, requested_by=by, requested_at=now,
            requested_via=via, token_hash=_hash(nonce), expires_at=now + LINK_VALID_FOR, **_record_kwargs(record))
        _emails_queue(change, token=signing.TimestampSigner(salt=SALT).sign_object({"c": change.pk, "n": nonce}))
        made.append(change)
    return made


def _emails_queue(change: EmailChange, *, token: str) -> None:
    """The link goes only to the new address; the old one hears that a change was asked for, so
    that a change nobody there expected is noticed."""
    context = {"change": change, "by": change.requested_by, "what": change.described,
               "link": absolute_url(reverse("wards:email-change-confirm", args=[token])),
               "expires_at": change.expires_at}
    emails = [OutboundMessage(
        to=change.new_email, subject="Confirm this address for councillor casework referrals",
        body=render_to_string("wards/email/email_change_confirm.txt", context), topic=TOPIC, topic_id=change.pk)]
    if change.old_email:
        emails.append(OutboundMessage(
            to=change.old_email, subject="A change of address was asked for: councillor casework referrals",
            body=render_to_string("wards/email/email_change_notice.txt", context), topic=TOPIC, topic_id=change.pk))
    outbound_emails_queue(emails)


# --- the link ------------------------------------------------------------------------------

LINK_REFUSED = ("This link does not work. It may have been copied wrongly. Nothing has been changed. "
                "Ask the Councillor Support & Liaison Team for a new one.")
LINK_EXPIRED = ("This link has expired. Nothing has been changed. Ask the Councillor Support & Liaison Team "
                "for a new one.")
LINK_USED = ("This link has already been used, or the change it was for has been replaced or turned down. "
             "Nothing has been changed.")


def email_change_for_link(token: str) -> EmailChange:
    """The pending change a link is for, or Refused saying why the link does not work."""
    try:
        payload = signing.TimestampSigner(salt=SALT).unsign_object(token, max_age=LINK_VALID_FOR)
    except signing.SignatureExpired:
        raise Refused(LINK_EXPIRED) from None
    except (signing.BadSignature, ValueError):
        raise Refused(LINK_REFUSED) from None
    try:
        change = EmailChange.objects.select_related("service", "officer__service", "requested_by").get(
            pk=payload["c"])
    except (EmailChange.DoesNotExist, KeyError, TypeError, ValueError):
        raise Refused(LINK_REFUSED) from None
    if not secrets.compare_digest(change.token_hash, _hash(str(payload.get("n", "")))):
        raise Refused(LINK_REFUSED)
    if change.status != Status.PENDING:
        raise Refused(LINK_USED)
    if change.expires_at <= timezone.now():
        raise Refused(LINK_EXPIRED)
    return change


@transaction.atomic
def email_change_confirm(*, token: str) -> EmailChange:
    """The new inbox confirms: from now on residents' details go there. Works once."""
    change = email_change_for_link(token)
    return _take_effect(change, status=Status.CONFIRMED, by=None)


# --- a liaison manager's decision ----------------------------------------------------------


def _pending_for_decision(change: EmailChange, by) -> EmailChange:
    require(permissions.can_approve_email_changes(by))
    if change.status != Status.PENDING:
        raise Refused(f"This change is no longer pending: {change.get_status_display().lower()}.")
    return change


@transaction.atomic
def email_change_approve(*, change: EmailChange, by) -> EmailChange:
    _pending_for_decision(change, by)
    if change.requested_by_id == by.pk:
        raise Refused("You asked for this change, so someone else must approve it: another liaison manager, "
                      "or the new address, from the link it was sent.")
    return _take_effect(change, status=Status.APPROVED, by=by)


@transaction.atomic
def email_change_reject(*, change: EmailChange, by) -> EmailChange:
    """Turn a change down: the typed address goes back to the confirmed one, where there is one."""
    _pending_for_decision(change, by)
    _decide(change, status=Status.REJECTED, by=by)
    field, record = FIELDS[change.address], change.record
    model = type(record)
    clash = model is Officer and Officer.objects.filter(email__iexact=change.old_email).exclude(pk=record.pk)
    if change.old_email and not (clash and clash.exists()):
        model.objects.filter(pk=record.pk, **{field.entered: change.new_email}).update(
            **{field.entered: change.old_email})
    return change


def _decide(change: EmailChange, *, status: str, by) -> None:
    now = timezone.now()
    # Conditional, so that two clicks (or a click and a manager) cannot both decide.
    if not EmailChange.objects.filter(pk=change.pk, status=Status.PENDING).update(
            status=status, decided_by=by, decided_at=now):
        raise Refused(LINK_USED if by is None else "This change has just been decided by someone else.")
    change.status, change.decided_by, change.decided_at = status, by, now


def _take_effect(change: EmailChange, *, status: str, by) -> EmailChange:
    _decide(change, status=status, by=by)
    field, record = FIELDS[change.address], change.record
    # Only if the record still asks for this address (a later change supersedes this one anyway).
    type(record).objects.filter(pk=record.pk, **{field.entered: change.new_email}).update(
        **{field.confirmed: change.new_email})
    return change
