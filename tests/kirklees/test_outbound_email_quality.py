"""Every email the app sends has a text and an HTML part and a Message-ID we keep; notification
emails a person may turn off carry List-Unsubscribe with a one-click (RFC 8058) signed link."""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from kirklees.notifications.models import Notification, OutboundEmail, Preference
from kirklees.notifications.services import (
    OutboundMessage, notifications_send_emails, notify, outbound_emails_queue, outbound_emails_send,
    unsubscribe_token,
)
from kirklees.users.services import user_send_set_password_email

pytestmark = pytest.mark.django_db


def html_of(message) -> str:
    [(html, kind)] = [a for a in message.alternatives if a[1] == "text/html"]
    return html


def test_a_notification_email_has_both_parts_a_kept_message_id_and_one_click_unsubscribe(owner):
    notification = notify(user=owner.user, kind="test", title="Case KC-2026-00001 accepted", url="/cases/")
    notifications_send_emails()
    [message] = mail.outbox
    notification.refresh_from_db()
    headers = message.extra_headers
    assert notification.email_message_id and headers["Message-ID"] == notification.email_message_id
    assert headers["Message-ID"].startswith("<") and headers["Message-ID"].endswith(">")
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = headers["List-Unsubscribe"].strip("<>")
    assert link.startswith("http") and "/notifications/unsubscribe/" in link
    assert link in message.body and link in html_of(message)
    # The mail client's one-click POST: no session, no CSRF token, just the RFC 8058 body.
    path = link.split("://", 1)[1].split("/", 1)[1]
    response = Client(enforce_csrf_checks=True).post("/" + path, "List-Unsubscribe=One-Click",
                                                     content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200 and "You will not get notification emails" in response.content.decode()
    assert Preference.objects.get(user=owner.user).email is False
    notify(user=owner.user, kind="test", title="Another")
    notifications_send_emails()
    assert len(mail.outbox) == 1  # off means off; the inbox still has it
    assert Notification.objects.filter(user=owner.user).count() == 2


def test_following_the_link_shows_a_page_to_confirm_and_changes_nothing_until_then(client, owner):
    url = reverse("notifications:unsubscribe", kwargs={"token": unsubscribe_token(owner.user)})
    page = client.get(url).content.decode()
    assert "Stop notification emails" in page and f'action="{url}"' in page
    assert not Preference.objects.filter(user=owner.user, email=False).exists()
    client.post(url)
    assert Preference.objects.get(user=owner.user).email is False


@pytest.mark.parametrize("token", ["nonsense", "TAMPERED"])
def test_a_bad_or_tampered_token_is_refused_clearly_and_nothing_changes(client, owner, liaison, token):
    if token == "TAMPERED":  # someone else's id, the signature of the councillor's
        good, other = unsubscribe_token(owner.user), unsubscribe_token(liaison)
        token = other.split(":")[0] + ":" + good.split(":", 1)[1]
    url = reverse("notifications:unsubscribe", kwargs={"token": token})
    for response in (client.get(url), client.post(url)):
        assert response.status_code == 400
        assert "This unsubscribe link does not work" in response.content.decode()
        assert "Nothing has been changed" in response.content.decode()
    assert not Preference.objects.filter(email=False).exists()


def test_an_email_to_a_service_gets_an_html_part_and_a_message_id_kept_on_its_row(db):
    outbound_emails_queue([OutboundMessage(to="highways@example.org", subject="Chaser: case KC-2026-00001",
                                           body="Please answer.\n\nSee https://example.org/x <b>now</b>",
                                           reply_to="referral+abc@casework.example.org")])
    outbound_emails_send()
    [message] = mail.outbox
    row = OutboundEmail.objects.get()
    assert row.message_id and message.extra_headers["Message-ID"] == row.message_id
    assert message.reply_to == ["referral+abc@casework.example.org"]
    html = html_of(message)
    assert '<a href="https://example.org/x"' in html and "&lt;b&gt;now&lt;/b&gt;" in html and "<b>" not in html


def test_account_emails_have_an_html_part_too(owner):
    user_send_set_password_email(user=owner.user)
    [message] = mail.outbox
    assert "Set your password" in message.subject and message.extra_headers["Message-ID"]
    assert "<p>" in html_of(message)


def test_allauths_password_reset_email_has_an_html_part(client, owner):
    client.post(reverse("account_reset_password"), {"email": owner.user.email})
    [message] = mail.outbox
    assert html_of(message) and message.body
