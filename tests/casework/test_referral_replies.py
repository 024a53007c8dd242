"""Services answer referrals by replying to the email: the reply lands on the case, threaded, and the
officer records it as the response with one click. What must not land on a case does not: automatic
replies, bounces (the referral is marked, the team told once), our own mail, too large or unreadable
messages, executables dressed as PDFs, HTML. Unmatched mail waits in a list for the team."""

import smtplib
import socket
from email.message import EmailMessage
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.urls import reverse

from casework import services
from casework.models import Attachment, Case, CaseEvent, Referral, ReferralReply
from kirklees.mailin.models import InboundEmail
from kirklees.mailin.services import inbound_message_receive
from kirklees.mailin.smtp import smtp_controller
from kirklees.notifications.models import Notification, OutboundEmail
from kirklees.notifications.services import outbound_emails_send

from ..factories.casework import ResidentFactory, walk
from ..factories.wards import OfficerFactory, ServiceFactory

Kind = CaseEvent.Kind
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"PE\x00\x00" + b"\x00" * 200


@pytest.fixture
def highways(db):
    return ServiceFactory(name="Highways", email="highways@kirklees.example", )


@pytest.fixture
def priya(highways):
    return OfficerFactory(full_name="Priya Patel", service=highways, email="priya.patel@kirklees.example")


@pytest.fixture
def referral(owner, liaison, category, highways, priya):
    resident = ResidentFactory(created_by=owner.user, full_name="Jane Smith", email="jane@example.net")
    case = services.case_create(by=owner.user, resident=resident, ward=owner.ward, category=category,
                                summary="Pothole on Market Street", details="Deep one.")
    case = walk(case, Case.Status.IN_PROGRESS, team=liaison)
    referral = services.case_refer_to_service(case=case, by=liaison, version=case.version, service=highways,
                                              officer=priya, details="Please fill the pothole.")
    outbound_emails_send()
    return referral


def files_stored() -> int:
    root = Path(django_settings.STORAGES["default"]["OPTIONS"]["location"])
    return sum(1 for p in root.rglob("*") if p.is_file()) if root.exists() else 0


def counts() -> tuple[int, int, int, int]:
    return CaseEvent.objects.count(), Attachment.objects.count(), files_stored(), InboundEmail.objects.count()


def reply_address(referral) -> str:
    return f"referral+{referral.reply_token}@{django_settings.INBOUND_EMAIL_DOMAIN}"


def sent_message_id(referral) -> str:
    return OutboundEmail.objects.filter(topic="referral", topic_id=referral.pk).first().message_id


def reply(*, to="someone@kirklees.example", sender="Priya Patel <priya.patel@kirklees.example>",
          subject="Re: Referral from councillor casework", body=None, message_id="<r1@mail.kirklees.example>",
          html=None, attachments=(), **headers) -> bytes:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = message_id
    for name, value in headers.items():
        message[name.replace("_", "-")] = value
    if html is not None and body is None:
        message.set_content(html, subtype="html")
    else:
        message.set_content(body if body is not None else (
            "We have filled the pothole today.\n\nPriya\n\n-- \nPriya Patel, Highways\n01484 000000\n\n"
            "On Tue, 1 Dec 2026 at 10:00, Casework <casework@kirklees.example> wrote:\n"
            "> Please fill the pothole.\n"))
    for name, data, mime in attachments:
        maintype, subtype = mime.split("/")
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return bytes(message)


# --- by SMTP, to the referral's reply address ---------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp_server():
    controller = smtp_controller(host="127.0.0.1", port=_free_port())
    controller.start()
    yield controller
    controller.stop()


@pytest.mark.django_db(transaction=True)
def test_a_reply_sent_by_smtp_to_the_reply_address_lands_on_the_case_threaded_and_only_once(
        smtp_server, referral, client, liaison):
    raw = reply(to=reply_address(referral))
    for _ in range(2):  # the same message twice (same Message-ID): one event, one row
        with smtplib.SMTP(smtp_server.hostname, smtp_server.port) as smtp:
            smtp.sendmail("priya.patel@kirklees.example", [reply_address(referral)], raw)

    inbound = InboundEmail.objects.get()
    assert (inbound.outcome, inbound.via, inbound.topic_id) == ("matched", "smtp", referral.pk)
    assert inbound.recipients == [reply_address(referral)]
    [event] = CaseEvent.objects.filter(case=referral.case, kind=Kind.REPLY_RECEIVED)
    assert event.referral_id == referral.pk
    assert event.text == "We have filled the pothole today.\n\nPriya"  # quote and signature trimmed
    assert "Please fill the pothole" in ReferralReply.objects.get().event.attachment.file.read().decode()

    client.force_login(liaison)
    page = client.get(referral.case.get_absolute_url()).content.decode()
    assert "Reply from Highways (Priya Patel)" in page
    assert "We have filled the pothole today." in page
    assert "Reply received — record it as the response?" in page
    assert "Download the original email" in page


def test_without_the_plus_address_in_reply_to_threads_the_reply(referral):
    raw = reply(to="casework@kirklees.example", In_Reply_To=sent_message_id(referral),
                References=f"<older@elsewhere> {sent_message_id(referral)}")
    inbound = inbound_message_receive(raw, via="smtp", recipients=["casework@kirklees.example"])
    assert (inbound.outcome, inbound.topic_id) == ("matched", referral.pk)
    assert CaseEvent.objects.filter(case=referral.case, kind=Kind.REPLY_RECEIVED, referral=referral).count() == 1


def test_a_reference_in_the_subject_from_an_unknown_sender_goes_to_unmatched(referral):
    before = counts()
    inbound = inbound_message_receive(
        reply(sender="Someone <someone@gmail.example>", subject=f"About {referral.case.reference}"), via="smtp")
    assert inbound.outcome == "unmatched"
    assert counts()[:2] == before[:2]  # nothing on the case
    assert files_stored() == before[2] + 1  # the original, kept for the team


def test_a_reference_in_the_subject_from_the_services_confirmed_address_matches_its_open_referral(referral):
    inbound = inbound_message_receive(
        reply(sender="Highways <HIGHWAYS@kirklees.example>", subject=f"Re: case {referral.case.reference}"),
        via="imap")
    assert (inbound.outcome, inbound.topic_id) == ("matched", referral.pk)
    reply_row = ReferralReply.objects.get()
    assert reply_row.heading == "Reply from Highways (Highways)"


def test_a_subject_reference_does_not_match_once_the_referral_is_answered(referral, liaison):
    case = referral.case
    services.referral_record_response(case=case, by=liaison, version=case.version, referral=referral,
                                      response="Done")
    inbound = inbound_message_receive(
        reply(sender="highways@kirklees.example", subject=f"Re: {case.reference}"), via="imap")
    assert inbound.outcome == "unmatched"


# --- one click ----------------------------------------------------------------------------------


def test_one_click_records_the_reply_as_the_response_and_the_case_moves_on(referral, client, liaison):
    inbound_message_receive(reply(to=reply_address(referral)), via="smtp")
    case = Case.objects.get(pk=referral.case_id)
    assert case.status == Case.Status.AWAITING_SERVICE
    reply_row = ReferralReply.objects.get()
    client.force_login(liaison)
    response = client.post(reverse("casework:reply-record", kwargs={"reference": case.reference,
                                                                    "pk": reply_row.pk}),
                           {"version": case.version})
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.response == "We have filled the pothole today.\n\nPriya"
    case.refresh_from_db()
    assert case.status == Case.Status.IN_PROGRESS
    assert CaseEvent.objects.filter(case=case, kind=Kind.RESPONSE_RECORDED, actor=liaison).count() == 1


def test_edit_first_fills_the_record_response_form_with_the_reply(referral, client, liaison):
    inbound_message_receive(reply(to=reply_address(referral)), via="smtp")
    reply_row = ReferralReply.objects.get()
    client.force_login(liaison)
    page = client.get(reverse("casework:case-action", kwargs={"reference": referral.case.reference,
                                                              "action": "record-response"}),
                      {"reply": reply_row.pk}).content.decode()
    assert "We have filled the pothole today." in page


def test_a_councillor_cannot_record_a_reply_for_a_case_held_by_the_team(referral, client, colleague):
    inbound_message_receive(reply(to=reply_address(referral)), via="smtp")
    reply_row = ReferralReply.objects.get()
    client.force_login(colleague.user)
    response = client.post(reverse("casework:reply-record", kwargs={"reference": referral.case.reference,
                                                                    "pk": reply_row.pk}), {"version": 1})
    assert response.status_code == 404
    assert Referral.objects.get(pk=referral.pk).responded_at is None


def test_a_trusted_services_reply_counts_as_the_response_at_once(referral, settings):
    settings.REFERRAL_REPLIES_TRUSTED_FROM = ["priya.patel@kirklees.example"]
    inbound_message_receive(reply(to=reply_address(referral)), via="smtp")
    referral.refresh_from_db()
    assert referral.response == "We have filled the pothole today.\n\nPriya"
    assert Case.objects.get(pk=referral.case_id).status == Case.Status.IN_PROGRESS
    assert CaseEvent.objects.get(case=referral.case_id, kind=Kind.RESPONSE_RECORDED).actor is None


def test_a_trusted_address_in_a_forgeable_from_with_only_the_reference_waits_for_an_officer(referral, settings):
    settings.REFERRAL_REPLIES_TRUSTED_FROM = ["priya.patel@kirklees.example"]
    inbound_message_receive(reply(subject=f"Re: case {referral.case.reference}"), via="smtp")
    assert ReferralReply.objects.get().referral_id == referral.pk  # on the case, to be confirmed
    referral.refresh_from_db()
    assert referral.responded_at is None
    assert Case.objects.get(pk=referral.case_id).status == Case.Status.AWAITING_SERVICE


# --- what must not land on a case ------------------------------------------------------------


def test_an_out_of_office_reply_does_not_land(referral):
    before = counts()
    inbound = inbound_message_receive(reply(to=reply_address(referral), Auto_Submitted="auto-replied",
                                            body="I am out of the office until Monday."), via="smtp")
    assert inbound.outcome == "auto_reply" and "Auto-Submitted" in inbound.reason
    assert counts()[:2] == before[:2]
    x_auto = inbound_message_receive(reply(to=reply_address(referral), X_Autoreply="yes",
                                           message_id="<r2@x>"), via="smtp")
    precedence = inbound_message_receive(reply(to=reply_address(referral), Precedence="bulk",
                                               message_id="<r3@x>"), via="smtp")
    assert x_auto.outcome == precedence.outcome == "auto_reply"
    assert not ReferralReply.objects.exists()


def _bounce(referral, message_id) -> bytes:
    original = sent_message_id(referral)
    return (
        "From: Mail Delivery System <MAILER-DAEMON@mx.kirklees.example>\r\n"
        "To: casework@kirklees.example\r\nReturn-Path: <>\r\n"
        f"Message-ID: {message_id}\r\nSubject: Undelivered Mail Returned to Sender\r\nMIME-Version: 1.0\r\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="B"\r\n\r\n'
        "--B\r\nContent-Type: text/plain\r\n\r\nThe mail could not be delivered.\r\n"
        "--B\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.kirklees.example\r\n\r\n"
        "Final-Recipient: rfc822; highways@kirklees.example\r\nAction: failed\r\nStatus: 5.1.1\r\n"
        "--B\r\nContent-Type: text/rfc822-headers\r\n\r\n"
        f"Message-ID: {original}\r\nSubject: Referral from councillor casework\r\n"
        "--B--\r\n").encode()


def test_a_bounce_marks_the_referral_and_tells_the_team_once(referral, client, liaison):
    before = Notification.objects.filter(kind="case_email_bounced").count()
    first = inbound_message_receive(_bounce(referral, "<b1@mx>"), via="smtp")
    second = inbound_message_receive(_bounce(referral, "<b2@mx>"), via="smtp")
    assert first.outcome == second.outcome == "bounce"
    assert first.topic_id == referral.pk
    referral.refresh_from_db()
    assert referral.bounced_at is not None
    assert CaseEvent.objects.filter(case=referral.case, kind=Kind.EMAIL_BOUNCED).count() == 1
    told = Notification.objects.filter(kind="case_email_bounced")
    assert told.count() == before + 1 and told.get().user == liaison  # the councillor's liaison officer
    assert not ReferralReply.objects.exists()
    client.force_login(liaison)
    assert "Email bounced" in client.get(referral.case.get_absolute_url()).content.decode()


def test_a_30_mb_message_is_refused_with_its_reason_and_not_kept(referral):
    before = counts()
    raw = reply(to=reply_address(referral)).replace(b"We have filled", b"x" * (30 * 1024 * 1024) + b"We have filled")
    inbound = inbound_message_receive(raw, via="smtp", recipients=[reply_address(referral)])
    assert inbound.outcome == "refused" and "Larger than 25 MB" in inbound.reason
    assert not inbound.raw
    assert counts() == (before[0], before[1], before[2], before[3] + 1)


def test_a_message_that_cannot_be_read_is_refused_with_a_reason(db):
    inbound = inbound_message_receive(b"\x00\x01 not an email at all", via="webhook")
    assert inbound.outcome == "refused" and "Malformed" in inbound.reason
    assert inbound.raw  # kept, for the team to look at


def test_our_own_message_coming_back_is_a_loop(referral):
    raw = reply(to=reply_address(referral), message_id=sent_message_id(referral))
    before = counts()
    assert inbound_message_receive(raw, via="smtp").outcome == "loop"
    assert counts()[:2] == before[:2]


def test_an_executable_renamed_pdf_is_refused_and_the_rest_of_the_reply_lands(referral, client, liaison):
    before = counts()
    raw = reply(to=reply_address(referral), attachments=[("invoice.pdf", EXE, "application/pdf"),
                                                         ("photo-report.pdf", PDF, "application/pdf")])
    inbound = inbound_message_receive(raw, via="smtp")
    assert inbound.outcome == "matched"
    assert [a["name"] for a in inbound.refused_attachments] == ["invoice.pdf"]
    names = set(Attachment.objects.filter(case=referral.case).values_list("original_name", flat=True))
    assert names == {"original-email.eml", "photo-report.pdf"}  # the executable is not kept
    # reply event + one file event; the original, the PDF and the raw copy on disk.
    assert counts() == (before[0] + 2, before[1] + 2, before[2] + 3, before[3] + 1)
    for attachment in Attachment.objects.filter(case=referral.case):
        assert attachment.file.name.startswith("cases/") and "invoice" not in attachment.file.name
    event = CaseEvent.objects.get(kind=Kind.REPLY_RECEIVED)
    assert "Attachment not kept: invoice.pdf" in event.text


def test_an_html_only_reply_with_script_is_shown_as_text(referral, client, liaison):
    html = ("<html><head><style>p{color:red}</style></head><body><p>We <b>fixed</b> it &amp; tidied up.</p>"
            "<script>alert('pwned')</script><a href='https://evil.example/track'>See photos</a></body></html>")
    inbound_message_receive(reply(to=reply_address(referral), html=html), via="smtp")
    event = CaseEvent.objects.get(kind=Kind.REPLY_RECEIVED)
    assert event.text == "We fixed it & tidied up.\nSee photos"
    client.force_login(liaison)
    page = client.get(referral.case.get_absolute_url()).content.decode()
    assert "We fixed it &amp; tidied up." in page
    assert "pwned" not in page and "evil.example" not in page and "color:red" not in page


# --- the team's list ------------------------------------------------------------------------


def test_the_team_attaches_an_unmatched_email_to_its_case_and_discards_another(referral, client, liaison):
    lost = inbound_message_receive(reply(sender="resident@gmail.example", subject="My pothole",
                                         body="<b>Any news?</b>", message_id="<u1@x>"), via="smtp")
    spam = inbound_message_receive(reply(sender="spam@spam.example", subject="Win", message_id="<u2@x>"),
                                   via="smtp")
    client.force_login(liaison)
    queue = client.get(reverse("casework:queue")).content.decode()
    assert "2 emails not matched to a case" in queue
    listing = client.get(reverse("casework:unmatched-emails")).content.decode()
    assert "My pothole" in listing and "resident@gmail.example" in listing
    detail = client.get(reverse("casework:unmatched-email", kwargs={"pk": lost.pk})).content.decode()
    assert "&lt;b&gt;Any news?&lt;/b&gt;" in detail  # shown as text

    url = reverse("casework:unmatched-email", kwargs={"pk": lost.pk})
    assert client.post(url, {"do": "attach", "reference": "KC-1999-00001"}).status_code == 200
    response = client.post(url, {"do": "attach", "reference": referral.case.reference})
    assert response.status_code == 302
    lost.refresh_from_db()
    assert (lost.outcome, lost.handled_by, lost.topic_id) == ("matched", liaison, referral.pk)
    assert ReferralReply.objects.get().heading == "Reply from Highways (resident@gmail.example)"

    response = client.post(reverse("casework:unmatched-email", kwargs={"pk": spam.pk}), {"do": "discard"})
    assert response.status_code == 302
    spam.refresh_from_db()
    assert spam.discarded and spam.handled_by == liaison and spam.handled_at is not None
    assert InboundEmail.objects.filter(pk=spam.pk).exists()  # not deleted
    assert "not matched to a case" not in client.get(reverse("casework:queue")).content.decode()


def test_a_councillor_cannot_see_the_unmatched_list(db, client, owner):
    inbound = inbound_message_receive(reply(message_id="<u3@x>"), via="smtp")
    client.force_login(owner.user)
    assert client.get(reverse("casework:unmatched-emails")).status_code == 403
    assert client.get(reverse("casework:unmatched-email", kwargs={"pk": inbound.pk})).status_code == 403
    assert client.get(reverse("casework:unmatched-email-original", kwargs={"pk": inbound.pk})).status_code == 403
    assert client.post(reverse("casework:unmatched-email", kwargs={"pk": inbound.pk}),
                       {"do": "discard"}).status_code == 403
    assert InboundEmail.objects.get(pk=inbound.pk).handled_at is None


# --- the resident's data ----------------------------------------------------------------------


def test_erasure_forgets_the_replies_words_and_originals_and_a_subject_access_bundle_holds_them(
        referral, manager):
    from django.core.files.storage import default_storage
    from django.utils import timezone

    from casework import retention
    from pages.sar import services as sar_services
    from pages.sar.bundle import bundle_gather

    from .test_retention import every_text_column_holding

    Case.objects.filter(pk=referral.case_id).update(summary="Pothole")
    resident = referral.case.resident
    resident.full_name = "Zinnia Quorndon"
    resident.save()
    inbound = inbound_message_receive(reply(to=reply_address(referral), subject="Re: Mrs Quorndon",
                                            body="Mrs Quorndon's pothole is filled.",
                                            attachments=[("quorndon.pdf", PDF, "application/pdf")]), via="smtp")
    sar = sar_services.sar_start(by=manager, resident=resident, received_on=timezone.localdate())
    [case_data] = bundle_gather(sar, by=manager).data["cases"]
    assert [e["text"] for e in case_data["emails_received"]] == ["Mrs Quorndon's pothole is filled."]
    assert {a["name"] for a in case_data["attachments"]} >= {"original-email.eml", "quorndon.pdf"}

    files = [inbound.raw.name, *Attachment.objects.filter(case=referral.case).values_list("file", flat=True)]
    retention.erasure_request_decide(resident=resident, by=manager, received_on=timezone.localdate(),
                                     reason="Asked by letter", decision="approved", decision_reason="Nothing held")
    assert every_text_column_holding("Quorndon") == []
    assert not any(default_storage.exists(name) for name in files)
