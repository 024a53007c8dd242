"""Everything held about a resident, gathered for a subject access request, and the ZIP that
carries it: summary.html (for a person to read), data.json (for a machine), attachments/.

The gathering reads casework and engagement (so it lives in pages/) in a fixed number of queries,
whatever the number of cases. The ZIP is written to a temporary file, the attachments copied in
from storage a block at a time, so a bundle with hundreds of files never sits in memory whole.
"""

import datetime
import json
import re
import shutil
import tempfile
import zipfile
from dataclasses import dataclass, field

from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import get_valid_filename

from casework.models import Attachment, Case, CaseEvent, Note, Referral, ReferralReply
from casework.referral_emails import TOPIC as REFERRAL_EMAIL_TOPIC
from casework.resident_updates import updates_for_cases
from engagement.models import ResponseComment
from kirklees.audit.models import ReadRecord
from kirklees.notifications.models import OutboundEmail

from .models import SubjectAccessRequest
from .redaction import Marker, other_residents_named

QUESTIONNAIRES_NOTE = (
    "Place Standard questionnaires are anonymous by design: they hold no name, address or email address, "
    "so none can be linked to a person. Listed here are the comments written in a questionnaire that contain "
    "the resident's email address, the only way one can be linked to them.")
INBOUND_EMAIL_NOTE = (
    "Emails received about a case (a council service's reply to a referral, or an email the team attached to "
    "the case) are listed with the case, as emails_received, with the words of each; the original messages and "
    "the files that came with them are among the case's files.")
FILES_NOTE = ("Files are included as they were uploaded. Their contents cannot be checked automatically: "
              "review each one for other people's personal data before release.")


def _when(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).isoformat(timespec="seconds")
    return value.isoformat()


def _person(user) -> str | None:
    return user.full_name if user is not None else None


@dataclass
class Bundle:
    sar: SubjectAccessRequest
    data: dict
    attachments: list[tuple[Attachment, str]]  # each file, and its name in the ZIP
    marker: Marker
    missing: list[str] = field(default_factory=list)  # files not found in storage

    @property
    def item_count(self) -> int:
        cases = self.data["cases"]
        per_case = sum(len(c["notes"]) + len(c["referrals"]) + len(c["attachments"]) + len(c["timeline"])
                       + len(c["reads"]) + len(c["other_emails"]) + len(c["emails_received"])
                       + len(c["updates_to_resident"])
                       + sum(len(r["emails"]) for r in c["referrals"])
                       for c in cases)
        return 1 + len(cases) + per_case + len(self.data["place_standard_comments"])


def attachment_zip_name(attachment: Attachment) -> str:
    return f"attachments/{attachment.pk}-{get_valid_filename(attachment.original_name)[-100:] or 'file'}"


def _by_case(rows) -> dict[int, list]:
    grouped: dict[int, list] = {}
    for row in rows:
        grouped.setdefault(row.case_id, []).append(row)
    return grouped


def _other_emails(cases) -> dict[int, list[OutboundEmail]]:
    """The emails to services about each case that are not a referral's own (the escalation's
    chasers, the head of service told): they carry no topic, but name the case in their subject."""
    if not cases:
        return {}
    about = Q()
    for case in cases:
        about |= Q(subject__contains=case.reference)
    names = {case.reference: case.pk for case in cases}
    reference = re.compile(r"KC-[0-9]{4}-[0-9]{5,}")
    found: dict[int, list[OutboundEmail]] = {}
    for email in OutboundEmail.objects.filter(about).exclude(topic=REFERRAL_EMAIL_TOPIC).order_by("created_at", "id"):
        for named in dict.fromkeys(reference.findall(email.subject)):
            if named in names:
                found.setdefault(names[named], []).append(email)
    return found


def bundle_gather(sar: SubjectAccessRequest, *, by) -> Bundle:
    """What the request covers, as plain data, with the texts that name another resident listed
    in `redaction_review`. A manager's request: every case of the resident's, under any councillor;
    a councillor's: the cases that councillor holds."""
    resident = sar.resident
    cases = Case.objects.filter(resident=resident).select_related("ward", "category", "owner__user", "assigned_to",
                                                                   "created_by").order_by("created_at", "id")
    if sar.councillor_id is not None:
        cases = cases.filter(owner_id=sar.councillor_id)
    cases = list(cases)
    case_ids = [c.pk for c in cases]
    notes = _by_case(Note.objects.filter(case_id__in=case_ids).select_related("author"))
    referrals_list = list(Referral.objects.filter(case_id__in=case_ids).select_related("service", "officer",
                                                                                       "created_by"))
    referrals = _by_case(referrals_list)
    attachments = _by_case(Attachment.objects.filter(case_id__in=case_ids).select_related("uploaded_by"))
    events = _by_case(CaseEvent.objects.filter(case_id__in=case_ids).select_related("actor"))
    replies = _by_case(ReferralReply.objects.filter(case_id__in=case_ids).order_by("received_at", "id"))
    emails: dict[int, list] = {}
    for email in OutboundEmail.objects.filter(topic=REFERRAL_EMAIL_TOPIC,
                                              topic_id__in=[r.pk for r in referrals_list]).order_by("created_at",
                                                                                                    "id"):
        emails.setdefault(email.topic_id, []).append(email)
    other_emails = _other_emails(cases)
    updates = updates_for_cases(case_ids)
    attachment_ids = [a.pk for rows in attachments.values() for a in rows]
    reads: dict[int, list] = {}
    case_of_attachment = {a.pk: a.case_id for rows in attachments.values() for a in rows}
    read_records = ReadRecord.objects.filter(
        Q(object_type="casework.case", object_id__in=[str(i) for i in case_ids])
        | Q(object_type="casework.attachment", object_id__in=[str(i) for i in attachment_ids])).select_related("user")
    for read in read_records:
        object_id = int(read.object_id)
        case_id = object_id if read.object_type == "casework.case" else case_of_attachment[object_id]
        reads.setdefault(case_id, []).append(read)
    comments = []
    if sar.councillor_id is None and resident.email:
        # The council's, not a councillor's: only in a request that covers everything.
        comments = list(ResponseComment.objects.filter(text__icontains=resident.email)
                        .select_related("response", "exercise", "theme").order_by("response__submitted_at", "id"))

    texts: list[tuple[str, str, int, str, str]] = []  # (where, item, id, field, text) to look for names in

    def scanned(where: str, item: str, pk: int, name: str, text: str) -> str:
        texts.append((where, item, pk, name, text or ""))
        return text

    data_cases, files = [], []
    for case in cases:
        here = f"Case {case.reference}"
        case_files = []
        for a in attachments.get(case.pk, []):
            zip_name = attachment_zip_name(a)
            files.append((a, zip_name))
            case_files.append({"id": a.pk, "name": a.original_name, "type": a.content_type, "size": a.size,
                               "added_at": _when(a.created_at), "added_by": _person(a.uploaded_by),
                               "file": zip_name})
        data_cases.append({
            "reference": case.reference, "summary": scanned(here, "case", case.pk, "summary", case.summary),
            "details": scanned(here, "case", case.pk, "details", case.details),
            "outcome": scanned(here, "case", case.pk, "outcome", case.outcome),
            "status": case.get_status_display(), "ward": case.ward.name, "category": case.category.name,
            "enquiry_type": case.get_enquiry_type_display(), "priority": case.get_priority_display(),
            "sensitive": case.sensitive, "councillor": case.owner.user.full_name, "controller": case.controller,
            "held_by": case.get_capacity_display(), "article_6_basis": case.get_lawful_basis_display(),
            "article_9_condition": case.get_special_category_condition_display() or None,
            "advocacy": case.advocacy, "assigned_to": _person(case.assigned_to),
            "created_at": _when(case.created_at), "created_by": _person(case.created_by),
            "resolved_at": _when(case.resolved_at), "closed_at": _when(case.closed_at),
            "notes": [{"id": n.pk, "at": _when(n.created_at), "by": _person(n.author),
                       "text": scanned(f"{here}, note {n.pk}", "note", n.pk, "text", n.text)}
                      for n in notes.get(case.pk, [])],
            "referrals": [{
                "id": r.pk, "service": r.service.name, "officer": r.officer.full_name if r.officer else r.officer_name,
                "sent_at": _when(r.sent_at), "due_on": _when(r.due_date), "by": _person(r.created_by),
                "details": scanned(f"{here}, referral {r.pk}", "referral", r.pk, "details", r.details),
                "details_shared": [Referral.Shared(s).label for s in r.shared],
                "resident_agreed": r.resident_agreed,
                "response": scanned(f"{here}, referral {r.pk}", "referral", r.pk, "response", r.response),
                "responded_at": _when(r.responded_at),
                "emails": [{"id": e.pk, "to": e.to, "subject": e.subject, "queued_at": _when(e.created_at),
                            "sent_at": _when(e.sent_at),
                            "body": scanned(f"{here}, referral {r.pk}, email {e.pk}", "email", e.pk, "body",
                                            e.body)}
                           for e in emails.get(r.pk, [])],
            } for r in referrals.get(case.pk, [])],
            "other_emails": [{"id": e.pk, "to": e.to, "subject": e.subject, "queued_at": _when(e.created_at),
                              "sent_at": _when(e.sent_at),
                              "body": scanned(f"{here}, email {e.pk}", "email", e.pk, "body", e.body)}
                             for e in other_emails.get(case.pk, [])],
            "emails_received": [{"id": m.pk, "received_at": _when(m.received_at), "what": m.heading,
                                 "referral": m.referral_id, "original_file": m.original_id,
                                 "text": scanned(f"{here}, email received {m.pk}", "email_received", m.pk, "text",
                                                 m.text)}
                                for m in replies.get(case.pk, [])],
            "consent_to_updates": {"by": case.get_updates_by_display(), "given_at": _when(case.updates_consent_at)},
            "updates_to_resident": [{
                "id": u.pk, "by": u.get_channel_display(), "to": u.to,
                "said": (f"Your councillor casework case {u.personalisation.get('reference')}: "
                         f"{u.personalisation.get('status')}." if u.personalisation else ""),
                "queued_at": _when(u.created_at), "sent_at": _when(u.sent_at), "status": u.status,
            } for u in updates.get(case.pk, [])],
            "attachments": case_files,
            "timeline": [{"id": e.pk, "at": _when(e.created_at), "what": e.get_kind_display(),
                          "by": _person(e.actor) or "The system",
                          "text": scanned(f"{here}, timeline entry {e.pk}", "event", e.pk, "text", e.text)}
                         for e in events.get(case.pk, [])],
            "reads": [{"at": _when(r.at), "by": _person(r.user), "what": r.get_kind_display(), "label": r.label}
                      for r in sorted(reads.get(case.pk, []), key=lambda r: (r.at, r.pk))],
        })
    data_comments = [{
        "id": c.pk, "exercise": c.exercise.title, "theme": c.theme.name, "question": c.get_kind_display(),
        "submitted_at": _when(c.response.submitted_at),
        "text": scanned(f"Place Standard comment {c.pk}", "place_standard_comment", c.pk, "text", c.text),
    } for c in comments]

    marker = Marker(other_residents_named((t[4] for t in texts), subject=resident))
    review = []
    for where, item, pk, name, text in texts:
        found = marker.found(text)
        if found:
            review.append({"where": where, "item": item, "id": pk, "field": name, "names": found,
                           "why": "Names another resident"})
    review += [{"where": f"File {zip_name}", "item": "attachment", "id": a.pk, "field": "file", "names": [],
                "why": "File contents are not checked automatically"} for a, zip_name in files]
    data = {
        "request": {
            "id": sar.pk, "received_on": _when(sar.received_on), "due_on": _when(sar.due_on),
            "first_due_on": _when(sar.first_due_on), "extended": sar.is_extended,
            "extension_reason": sar.extension_reason or None, "covers": sar.scope_description,
            "scope": "everything" if sar.councillor_id is None else "councillor",
            "started_by": _person(sar.started_by), "generated_at": _when(timezone.now()), "generated_by": _person(by),
        },
        "resident": {
            "full_name": resident.full_name, "address": resident.address, "postcode": resident.postcode,
            "email": resident.email, "phone": resident.phone,
            "preferred_contact": resident.get_preferred_contact_display(),
            "lawful_basis": resident.get_lawful_basis_display(), "basis_recorded_on": _when(resident.basis_recorded_on),
            "recorded_at": _when(resident.created_at), "recorded_by": _person(resident.created_by),
        },
        "cases": data_cases,
        "place_standard_comments": data_comments,
        "notes": {"place_standard": QUESTIONNAIRES_NOTE, "emails_received": INBOUND_EMAIL_NOTE, "files": FILES_NOTE},
        "redaction_review": review,
    }
    return Bundle(sar=sar, data=data, attachments=files, marker=marker)


def bundle_write(bundle: Bundle):
    """The ZIP, in a temporary file (deleted when closed), positioned at its start."""
    out = tempfile.TemporaryFile()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for attachment, zip_name in bundle.attachments:
            try:
                source = attachment.file.open("rb")
            except FileNotFoundError:
                bundle.missing.append(zip_name)
                continue
            with source, zf.open(zipfile.ZipInfo(zip_name, _zip_time()), "w", force_zip64=True) as target:
                shutil.copyfileobj(source, target, 1024 * 1024)
        if bundle.missing:
            bundle.data["notes"]["files_missing"] = bundle.missing
        zf.writestr("data.json", json.dumps(bundle.data, indent=2, ensure_ascii=False))
        zf.writestr("summary.html", render_to_string("sar/bundle/summary.html", {
            "data": bundle.data, "marker": bundle.marker, "missing": bundle.missing}))
    out.seek(0)
    return out


def _zip_time():
    return timezone.localtime().timetuple()[:6]
