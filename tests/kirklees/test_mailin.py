"""kirklees.mailin on its own: the words kept from a reply, HTML read as text, and the refusals."""

from email.message import EmailMessage

from kirklees.mailin.models import InboundEmail
from kirklees.mailin.services import attachment_check, inbound_message_receive, text_from_html, text_trim

from ..samples import PDF


def test_gmail_style_quotes_and_the_signature_are_trimmed():
    text = ("Thanks, fixed.\n\n-- \nJo Bloggs\nStreet Lighting\n\n"
            "On Tue, 1 Dec 2026 at 10:00, Casework <c@example.org>\nwrote:\n> Please fix the lamp.\n")
    assert text_trim(text) == "Thanks, fixed."


def test_outlook_blocks_are_trimmed():
    original = "Done today.\r\n\r\n-----Original Message-----\r\nFrom: Casework\r\nSent: 1 December\r\nPlease."
    assert text_trim(original) == "Done today."
    headers = ("Done today.\n\n________________________________\nFrom: Casework <c@example.org>\n"
               "Sent: 01 December 2026 10:00\nTo: Highways\nSubject: Referral\n\nPlease.")
    assert text_trim(headers) == "Done today."
    bare = "Done.\n\nFrom: Casework <c@example.org>\nSent: Tuesday\nTo: Highways\n\nPlease."
    assert text_trim(bare) == "Done."


def test_quoted_lines_are_dropped_and_the_new_words_between_them_kept():
    assert text_trim("> Is it fixed?\nYes.\n> When?\nMonday.") == "Yes.\nMonday."


def test_html_becomes_text_without_scripts_styles_or_link_targets():
    html = ("<html><head><title>T</title><style>.x{}</style></head><body><h1>Hello</h1><p>A &lt;b&gt; &amp; "
            "<a href='http://tracker.example/x'>link</a></p><script>steal()</script><img src='http://x/p.gif'>"
            "<ul><li>one</li><li>two</li></ul></body></html>")
    text = text_from_html(html)
    assert text == "Hello\n\nA <b> & link\n\none\n\ntwo"
    assert "steal" not in text and "tracker" not in text and ".x" not in text


def test_an_attachment_is_typed_by_its_content_not_its_name():
    assert attachment_check("report.pdf", PDF) == ("application/pdf", "")
    mime, reason = attachment_check("invoice.pdf", b"MZ\x90\x00" + b"\x00" * 300)
    assert mime == "" and "Not a PDF" in reason
    assert attachment_check("empty.pdf", b"")[1] == "The selected file is empty"


def _message(**headers) -> bytes:
    message = EmailMessage()
    for name, value in headers.items():
        message[name.replace("_", "-")] = value
    message.set_content("Hello")
    return bytes(message)


def test_auto_submitted_no_is_a_person_writing(db):
    raw = _message(From="a@example.net", Message_ID="<p1@example.net>", Auto_Submitted="no")
    assert inbound_message_receive(raw, via="imap").outcome == InboundEmail.Outcome.UNMATCHED


def test_a_message_without_a_from_address_is_refused_and_kept(db):
    inbound = inbound_message_receive(_message(Subject="Hi", Message_ID="<p2@example.net>"), via="webhook",
                                      recipients=["casework@example.org"])
    assert (inbound.outcome, inbound.recipients) == ("refused", ["casework@example.org"])
    assert inbound.raw.read().startswith(b"Subject: Hi")


def test_a_mailer_daemon_report_with_an_empty_return_path_is_a_bounce(db):
    raw = (b"From: postmaster@example.net\r\nReturn-Path: <>\r\nMessage-ID: <d1@example.net>\r\n"
           b"Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nFailed\r\n"
           b"--b\r\nContent-Type: message/delivery-status\r\n\r\nAction: failed\r\n--b--\r\n")
    inbound = inbound_message_receive(raw, via="imap")
    assert inbound.outcome == "bounce" and inbound.topic == ""  # not about anything of ours
