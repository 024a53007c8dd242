"""Replies to referral emails, as kirklees.mailin hands them over: matched to their referral, put on
the case's timeline, and offered to the officer as the service's response.

A reply is matched to its referral, in this order, by:
1. the plus-address token it was sent to (referral+<reply_token>@INBOUND_EMAIL_DOMAIN, in the
   envelope recipients, To, Cc or Delivered-To);
2. In-Reply-To/References naming a Message-ID we sent for a referral (OutboundEmail, topic "referral");
3. only when the sender is a service's or officer's confirmed address and that service's referral on
   the case is still open, the case reference in the subject.
Anything else waits in the team's "unmatched email" list, where a liaison officer attaches it to a
case or discards it. A bounce of a referral email marks the referral and tells the team once.
"""

import re

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from kirklees.mailin.models import InboundEmail
from kirklees.mailin.services import (
    Claim, ParsedMessage, inbound_email_handled, inbound_emails_for_the_team, inbound_message_parse,
)
from kirklees.notifications.models import OutboundEmail
from kirklees.notifications.services import Message, notify_many
from kirklees.refusals import Refused
from wards.models import Officer, Service

from . import permissions
from .models import Attachment, Case, CaseEvent, Referral, ReferralReply, Status, notice_text
from .notify import TRIAGERS, _people
from .referral_emails import TOPIC

Kind = CaseEvent.Kind
_TOKEN = r"([0-9a-f]{32})"
_REFERENCE = re.compile(r"\bKC-[0-9]{4}-[0-9]{5,}\b", re.IGNORECASE)


def _domain() -> str:
    return re.escape(settings.INBOUND_EMAIL_DOMAIN.lower())


def _by_plus_address(parsed: ParsedMessage) -> Referral | None:
    pattern = re.compile(rf"^referral\+{_TOKEN}@{_domain()}$")
    tokens = [m.group(1) for a in parsed.addresses if (m := pattern.match(a))]
    return Referral.objects.filter(reply_token__in=tokens).first() if tokens else None


def _by_thread(parsed: ParsedMessage) -> Referral | None:
    ids = [*parsed.in_reply_to, *reversed(parsed.references)]
    if not ids:
        return None
    sent = dict(OutboundEmail.objects.filter(topic=TOPIC, message_id__in=ids).values_list("message_id", "topic_id"))
    for message_id in ids:  # the message replied to first, then the thread from the newest
        if message_id in sent:
            return Referral.objects.filter(pk=sent[message_id]).first()
    return None


def _by_subject_from_known_sender(parsed: ParsedMessage) -> Referral | None:
    references = [r.upper() for r in _REFERENCE.findall(parsed.subject)]
    if not references or not parsed.sender:
        return None
    sender = parsed.sender.lower()
    known = (Service.objects.filter(confirmed_email__iexact=sender).exists()
             or Officer.objects.filter(confirmed_email__iexact=sender).exists())
    if not known:
        return None
    return (Referral.objects.filter(case__reference__in=references, responded_at__isnull=True)
            .filter(Q(service__confirmed_email__iexact=sender) | Q(officer__confirmed_email__iexact=sender))
            .order_by("-sent_at", "-id").first())


def referral_for(parsed: ParsedMessage) -> tuple[Referral | None, bool]:
    """The referral a reply answers, and whether it was found by something only the people we wrote
    to know (the reply address's token, a Message-ID we sent) rather than by a From and a subject,
    which anyone can forge."""
    if referral := _by_plus_address(parsed) or _by_thread(parsed):
        return referral, True
    return _by_subject_from_known_sender(parsed), False


def _bounced_referral(parsed: ParsedMessage) -> Referral | None:
    text = parsed.bounced_text.lower()
    domain = _domain()
    tokens = re.findall(rf"referral\.{_TOKEN}\.[0-9a-f]+@{domain}", text) + \
        re.findall(rf"referral\+{_TOKEN}@{domain}", text)
    return Referral.objects.filter(reply_token__in=tokens).first() if tokens else None


def _sender_display(parsed: ParsedMessage, referral: Referral | None) -> str:
    if parsed.sender_name:
        return parsed.sender_name
    officer = referral.officer if referral is not None else None
    if officer is not None and officer.confirmed_email and officer.confirmed_email.lower() == parsed.sender:
        return officer.full_name
    return parsed.sender or "unknown sender"


def _attachment(case: Case, name: str, content_type: str, data: bytes) -> Attachment:
    attachment = Attachment(case=case, uploaded_by=None, original_name=name[-200:], content_type=content_type,
                            size=len(data))
    attachment.file.save("email", ContentFile(data), save=False)
    attachment.save()
    return attachment


def reply_land(*, case: Case, referral: Referral | None, parsed: ParsedMessage, inbound_id: int, by=None,
               threaded: bool = False) -> ReferralReply:
    """Put an emailed reply on the case: the timeline entry with its trimmed text, its attachments
    (those the content check accepted) and the original message, downloadable. In the caller's
    transaction; files written here are removed if it rolls back."""
    try:
        return _reply_land(case=case, referral=referral, parsed=parsed, inbound_id=inbound_id, by=by,
                           written=parsed.written, threaded=threaded)
    except BaseException:
        for name in parsed.written:
            default_storage.delete(name)
        raise


def _reply_land(*, case, referral, parsed, inbound_id, by, written, threaded) -> ReferralReply:
    from .services import referral_record_trusted_reply

    who = _sender_display(parsed, referral)
    heading = (f"Reply from {referral.service.name} ({who})" if referral is not None else f"Email from {who}")[:300]
    original = _attachment(case, "original-email.eml", "message/rfc822", parsed.raw)
    written.append(original.file.name)
    files = []
    for item in parsed.kept_attachments:
        attachment = _attachment(case, item.name, item.content_type, item.data)
        written.append(attachment.file.name)
        files.append(attachment)
    text = parsed.text or parsed.full_text or "(The email had no text.)"
    refused = [a for a in parsed.attachments if a.refused]
    if refused:
        text += "\n\n" + "\n".join(f"Attachment not kept: {a.name} ({a.refused})" for a in refused)
    event = CaseEvent.objects.create(case=case, kind=Kind.REPLY_RECEIVED, actor=by, text=text, referral=referral,
                                     attachment=original)
    CaseEvent.objects.bulk_create(CaseEvent(case=case, kind=Kind.ATTACHMENT_ADDED, actor=by, attachment=a)
                                  for a in files)
    reply = ReferralReply.objects.create(referral=referral, case=case, event=event, inbound_email_id=inbound_id,
                                         heading=heading, text=(parsed.text or parsed.full_text)[:5000],
                                         original=original)
    people = [p for p in _people(case, "assigned") if p is not None and p.pk != getattr(by, "pk", None)]
    notify_many([Message(p.pk, "case_reply_received", f"A service replied by email about {case.reference}",
                         notice_text(sensitive=case.sensitive, text=heading), case.get_absolute_url())
                 for p in people])
    # A trusted service's reply counts at once only when it came back on our thread: a forged From
    # with a case reference in the subject waits for an officer like any other.
    if (threaded and referral is not None and referral.is_pending and reply.text
            and case.status == Status.AWAITING_SERVICE and parsed.sender in settings.REFERRAL_REPLIES_TRUSTED_FROM
            and parsed.sender in {referral.service.confirmed_email.lower(),
                                  (referral.officer.confirmed_email.lower() if referral.officer else "")}):
        referral_record_trusted_reply(case=case, referral=referral, response=reply.text)
    return reply


def referral_bounced(referral: Referral) -> bool:
    """Mark the referral's email as bounced; the first bounce goes on the timeline and tells the
    team (the councillor's liaison officer, or the liaison managers). True if this was the first."""
    if Referral.objects.filter(pk=referral.pk, bounced_at__isnull=True).update(bounced_at=timezone.now()) != 1:
        return False
    case = referral.case
    text = (f"The referral email to {referral.service.name} could not be delivered. Check the service’s "
            "address in the People Finder, then send the referral another way.")
    CaseEvent.objects.create(case=case, kind=Kind.EMAIL_BOUNCED, actor=None, text=text, referral=referral)
    notify_many([Message(p.pk, "case_email_bounced", f"A referral email about {case.reference} bounced",
                         text, case.get_absolute_url()) for p in _people(case, TRIAGERS) if p is not None])
    return True


def referral_reply_match(parsed: ParsedMessage) -> Claim | None:
    """The matcher kirklees.mailin calls (registered in CaseworkConfig.ready)."""
    if parsed.is_bounce:
        referral = _bounced_referral(parsed)
        if referral is None:
            return None
        referral_bounced(referral)
        return Claim(TOPIC, referral.pk)
    referral, threaded = referral_for(parsed)
    if referral is None:
        return None
    reply_land(case=referral.case, referral=referral, parsed=parsed, inbound_id=parsed.inbound.pk, threaded=threaded)
    return Claim(TOPIC, referral.pk)


# --- the team's list ----------------------------------------------------------------------


def _require(user) -> None:
    if not permissions.can_handle_unmatched_email(user):
        raise PermissionDenied("Only the liaison team deals with unmatched email.")


def unmatched_emails_for(user):
    _require(user)
    return inbound_emails_for_the_team().order_by("-received_at", "-id")


def unmatched_email_count(user) -> int:
    return inbound_emails_for_the_team().count() if permissions.can_handle_unmatched_email(user) else 0


@transaction.atomic
def unmatched_email_attach(*, by, inbound: InboundEmail, reference: str) -> Case:
    """Attach a message from the list to a case (to its open referral, if it has one, else its
    latest): it lands as a matched reply would."""
    _require(by)
    inbound = InboundEmail.objects.select_for_update().get(pk=inbound.pk)
    if inbound.handled_at is not None:
        raise Refused("Someone else has already dealt with this email")
    if not inbound.raw:
        raise Refused("This email was not kept (it was refused as too large), so it cannot be attached to a case")
    reference = reference.strip().upper()
    try:
        case = permissions.get_case_for_user(by, reference)
    except Exception:  # noqa: BLE001 - Http404: the same words whether it does not exist or is not theirs
        raise Refused("Enter the reference of a case you can see, like KC-2026-00012", field="reference") from None
    permissions.require_may(by, "add_note", case)
    referral = (case.referrals.filter(responded_at__isnull=True).order_by("-sent_at", "-id").first()
                or case.referrals.order_by("-sent_at", "-id").first())
    with inbound.raw.open("rb") as stored:
        parsed = inbound_message_parse(stored.read(), recipients=inbound.recipients)
    reply_land(case=case, referral=referral, parsed=parsed, inbound_id=inbound.pk, by=by)
    inbound_email_handled(inbound, by=by, claim=Claim(TOPIC if referral else "case", referral.pk if referral
                                                       else case.pk))
    return case


@transaction.atomic
def unmatched_email_discard(*, by, inbound: InboundEmail) -> InboundEmail:
    _require(by)
    try:
        return inbound_email_handled(inbound, by=by)
    except ValueError as error:
        raise Refused(str(error)) from None


def latest_replies_for(referrals) -> dict[int, ReferralReply]:
    """Each pending referral's latest emailed reply, for "Reply received — record it as the response?"."""
    latest: dict[int, ReferralReply] = {}
    for reply in ReferralReply.objects.filter(referral__in=[r.pk for r in referrals if r.is_pending]).order_by(
            "received_at", "id"):
        latest[reply.referral_id] = reply
    return latest
