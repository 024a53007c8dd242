"""A mail provider's inbound webhook (django-anymail): a message the provider signed lands once; one
that is not signed, or signed with another key, is refused and stores nothing; with no provider
set the URL is not there."""

import base64
import hashlib
import hmac
import json

import pytest
from django.test import Client
from django.urls import reverse

from kirklees.mailin.models import InboundEmail

SIGNING_KEY = "key-for-the-tests-only"
RAW = ("From: Priya Patel <priya.patel@example.org>\r\nTo: referral+abc123@casework.example.org\r\n"
       "Subject: =?utf-8?q?Re:_Pothole_on_Leeds_Road_=E2=80=93_fixed?=\r\n"
       "Message-ID: <reply-1@highways.example.org>\r\nDate: Sun, 06 Dec 2026 10:00:00 +0000\r\n"
       "Content-Type: text/plain; charset=utf-8\r\n\r\nWe filled it this morning.\r\n")


@pytest.fixture
def mailgun(settings):
    settings.INBOUND_EMAIL_PROVIDER = "mailgun"
    settings.ANYMAIL = {"MAILGUN_WEBHOOK_SIGNING_KEY": SIGNING_KEY}


def mailgun_post(*, key: str = SIGNING_KEY, raw: str = RAW, token: str = "a" * 50, timestamp: str = "1796551200",
                 signature: str | None = None):
    signed = hmac.new(key.encode(), f"{timestamp}{token}".encode(), hashlib.sha256).hexdigest()
    return Client(enforce_csrf_checks=True).post(reverse("mailin:webhook-mime"), {
        "body-mime": raw, "sender": "priya.patel@example.org", "recipient": "referral+abc123@casework.example.org",
        "timestamp": timestamp, "token": token, "signature": signed if signature is None else signature})


def test_a_message_mailgun_signed_lands_once(db, mailgun):
    response = mailgun_post()
    assert response.status_code == 200
    row = InboundEmail.objects.get()
    assert (row.via, row.message_id, row.sender, row.sender_name) == (
        "webhook", "<reply-1@highways.example.org>", "priya.patel@example.org", "Priya Patel")
    assert row.subject == "Re: Pothole on Leeds Road – fixed"
    assert mailgun_post(token="b" * 50).status_code == 200  # the provider sends it again
    assert InboundEmail.objects.count() == 1


@pytest.mark.parametrize("how", ["another key", "no signature", "tampered"])
def test_a_message_not_signed_with_our_key_is_refused_and_stores_nothing(db, mailgun, how):
    if how == "another key":
        response = mailgun_post(key="someone-elses-key")
    elif how == "no signature":
        response = Client().post(reverse("mailin:webhook"), {"body-mime": RAW, "timestamp": "1", "token": "t"})
    else:
        response = mailgun_post(signature=hmac.new(SIGNING_KEY.encode(), b"other", hashlib.sha256).hexdigest())
    assert response.status_code == 400
    assert not InboundEmail.objects.exists()


@pytest.fixture
def postmark(settings):
    settings.INBOUND_EMAIL_PROVIDER = "postmark"
    settings.ANYMAIL = {"WEBHOOK_SECRET": "postmark:a-long-random-secret"}


def postmark_post(auth: str | None):
    headers = {"HTTP_AUTHORIZATION": "Basic " + base64.b64encode(auth.encode()).decode()} if auth else {}
    return Client().post(reverse("mailin:webhook"), json.dumps({
        "RawEmail": RAW, "OriginalRecipient": "referral+abc123@casework.example.org",
        "MessageID": "0f1b3c1e-postmark", "Headers": []}), content_type="application/json", **headers)


def test_postmark_with_the_basic_auth_lands_and_without_it_is_refused(db, postmark):
    assert postmark_post(None).status_code == 400
    assert postmark_post("postmark:a-guess").status_code == 400
    assert not InboundEmail.objects.exists()
    assert postmark_post("postmark:a-long-random-secret").status_code == 200
    assert InboundEmail.objects.get().message_id == "<reply-1@highways.example.org>"


def test_postmark_without_a_secret_set_refuses_to_run_unguarded(db, settings):
    settings.INBOUND_EMAIL_PROVIDER = "postmark"
    settings.ANYMAIL = {}
    assert Client(raise_request_exception=False).post(
        reverse("mailin:webhook"), json.dumps({"RawEmail": RAW}), content_type="application/json").status_code == 500
    assert not InboundEmail.objects.exists()


def test_with_no_provider_set_the_webhook_is_not_there(db, settings):
    settings.INBOUND_EMAIL_PROVIDER = ""
    settings.ANYMAIL = {"MAILGUN_WEBHOOK_SIGNING_KEY": SIGNING_KEY}
    assert mailgun_post().status_code == 404
    assert Client().get(reverse("mailin:webhook")).status_code == 404
    assert not InboundEmail.objects.exists()


def test_a_get_is_not_a_delivery(db, mailgun):
    assert Client().get(reverse("mailin:webhook")).status_code == 405


def _with_photo(size: int) -> str:
    photo = base64.encodebytes(b"\xff\xd8\xff\xe0" + b"\x00" * size).decode()
    return ("From: Priya Patel <priya.patel@example.org>\r\nTo: referral+abc123@casework.example.org\r\n"
            "Subject: Re: Pothole\r\nMessage-ID: <reply-photo@highways.example.org>\r\nMIME-Version: 1.0\r\n"
            'Content-Type: multipart/mixed; boundary="b"\r\n\r\n'
            "--b\r\nContent-Type: text/plain\r\n\r\nPhoto attached.\r\n"
            "--b\r\nContent-Type: image/jpeg\r\nContent-Transfer-Encoding: base64\r\n"
            'Content-Disposition: attachment; filename="pothole.jpg"\r\n\r\n' + photo + "--b--\r\n")


def test_a_postmark_message_larger_than_a_form_may_be_still_lands(db, postmark, settings):
    raw = _with_photo(5 * 1024 * 1024)  # over DATA_UPLOAD_MAX_MEMORY_SIZE, the app's forms' limit
    assert len(raw) > settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    auth = "Basic " + base64.b64encode(b"postmark:a-long-random-secret").decode()
    response = Client().post(reverse("mailin:webhook"), json.dumps({"RawEmail": raw, "Headers": []}),
                             content_type="application/json", HTTP_AUTHORIZATION=auth)
    assert response.status_code == 200
    assert InboundEmail.objects.get().message_id == "<reply-photo@highways.example.org>"

    settings.INBOUND_WEBHOOK_MAX_BYTES = 1024 * 1024
    response = Client().post(reverse("mailin:webhook"), json.dumps({"RawEmail": raw.replace("photo@", "photo2@")}),
                             content_type="application/json", HTTP_AUTHORIZATION=auth)
    assert response.status_code == 413
    assert InboundEmail.objects.count() == 1


def test_a_mailgun_parsed_message_with_a_large_attachment_lands(db, mailgun):
    from django.core.files.uploadedfile import SimpleUploadedFile

    token, timestamp = "c" * 50, "1796551200"
    signature = hmac.new(SIGNING_KEY.encode(), f"{timestamp}{token}".encode(), hashlib.sha256).hexdigest()
    headers = [["From", "Priya Patel <priya.patel@example.org>"], ["To", "referral+abc123@casework.example.org"],
               ["Subject", "Re: Pothole"], ["Message-Id", "<reply-parsed@highways.example.org>"]]
    response = Client().post(reverse("mailin:webhook"), {
        "sender": "priya.patel@example.org", "recipient": "referral+abc123@casework.example.org",
        "message-headers": json.dumps(headers), "body-plain": "Photo attached.", "attachment-count": "1",
        "attachment-1": SimpleUploadedFile("pothole.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * (3 * 1024 * 1024),
                                           content_type="image/jpeg"),
        "timestamp": timestamp, "token": token, "signature": signature})
    assert response.status_code == 200
    row = InboundEmail.objects.get()
    assert (row.message_id, row.subject) == ("<reply-parsed@highways.example.org>", "Re: Pothole")
    assert row.size > 3 * 1024 * 1024
