"""The IMAP poller logging in with OAuth 2.0 (SASL XOAUTH2), as Microsoft 365 needs: a real Dovecot
whose oauth2 passdb asks a token-introspection URL, and a local stand-in for the Microsoft identity
platform's token endpoint (client-credentials flow) that also answers that introspection."""

import imaplib
import logging
from io import StringIO

import pytest
from django.core.cache import cache
from django.core.management import call_command

from kirklees.jobs.models import JobRun
from kirklees.mailin import oauth
from kirklees.mailin.imap import mailbox_poll
from kirklees.mailin.models import InboundEmail
from kirklees.mailin.testserver import DOVECOT, dovecot, token_endpoint

pytestmark = [pytest.mark.skipif(not DOVECOT.exists(), reason=f"{DOVECOT} is missing: apt-get install "
                                 "dovecot-imapd (.ci/run installs it)"),
              pytest.mark.django_db(transaction=True)]


def message(n: int) -> bytes:
    return (f"From: Priya Patel <priya.patel@example.org>\r\nTo: casework@example.org\r\n"
            f"Subject: Message {n}\r\nMessage-ID: <o{n}@example.org>\r\n"
            f"Date: Sun, 06 Dec 2026 10:00:00 +0000\r\n\r\nReply number {n}.\r\n").encode()


@pytest.fixture(scope="module")
def oauth_server():
    with token_endpoint(user="council") as endpoint, \
            dovecot("council", oauth2_introspection_url=endpoint.introspection_url) as server:
        yield endpoint, server


@pytest.fixture
def endpoint(oauth_server, settings):
    """An empty folder, the poller pointed at it with OAuth 2.0 (and no password), no cached token."""
    endpoint, server = oauth_server
    client = server.client()  # the test's own LOGIN with the password, to set the folder up
    client.delete("Test")
    client.create("Test")
    client.logout()
    server.folder = "Test"
    for name, value in server.settings().items():
        setattr(settings, name, value)
    settings.INBOUND_IMAP_PASSWORD = ""
    settings.INBOUND_IMAP_AUTH = "oauth2"
    settings.INBOUND_IMAP_OAUTH_TOKEN_URL = endpoint.url
    settings.INBOUND_IMAP_OAUTH_CLIENT_ID = endpoint.client_id
    settings.INBOUND_IMAP_OAUTH_CLIENT_SECRET = endpoint.client_secret
    settings.INBOUND_IMAP_OAUTH_SCOPE = "https://outlook.office365.com/.default"
    endpoint.issued.clear()
    endpoint.revoked.clear()
    endpoint.refusals, endpoint.body, endpoint.server = 0, None, server
    oauth.forget_token()
    yield endpoint
    oauth.forget_token()


def landed() -> set[str]:
    return set(InboundEmail.objects.values_list("message_id", flat=True))


def no_secrets_in(text: str, endpoint) -> None:
    assert endpoint.client_secret not in text
    for token in endpoint.issued:
        assert token not in text
        assert token[9:] not in text


def test_oauth2_polls_the_mailbox_and_asks_for_one_token_for_two_polls(endpoint, caplog):
    endpoint.server.append(message(n) for n in range(1, 4))
    with caplog.at_level(logging.INFO):
        assert mailbox_poll().taken == 3
        endpoint.server.append([message(4)])
        assert mailbox_poll().taken == 1
    assert landed() == {f"<o{n}@example.org>" for n in range(1, 5)}
    assert len(endpoint.issued) == 1  # the second poll used the cached token
    assert cache.get(oauth._key(endpoint.client_id)) == endpoint.issued[0]
    log = (endpoint.server.directory / "dovecot.log").read_text()
    assert log.count("user=<council>, method=XOAUTH2") == 2  # Dovecot checked the token both times
    no_secrets_in(caplog.text, endpoint)


def test_a_wrong_client_secret_fails_the_poll_clearly_and_takes_nothing(endpoint, settings, caplog):
    endpoint.server.append([message(1)])
    settings.INBOUND_IMAP_OAUTH_CLIENT_SECRET = "a-wrong-secret"
    with caplog.at_level(logging.INFO), \
            pytest.raises(oauth.TokenError, match=r"gave no access token .* \(HTTP 401: invalid_client") as error:
        call_command("poll_mailbox", stdout=StringIO())
    assert endpoint.refusals == 1 and not endpoint.issued
    assert not InboundEmail.objects.exists()
    run = JobRun.objects.get(name="mailbox-poll")
    assert not run.ok and "invalid_client" in run.summary
    assert "failed before logging in" in caplog.text
    for text in (caplog.text, str(error.value), run.summary):
        assert "a-wrong-secret" not in text
    assert cache.get(oauth._key(endpoint.client_id)) is None


def test_a_token_endpoint_answer_that_is_not_json_fails_the_poll_and_takes_nothing(endpoint):
    endpoint.server.append([message(1)])
    endpoint.body = b"<html>Service unavailable</html>"
    with pytest.raises(oauth.TokenError, match="HTTP 200, not a token answer"):
        mailbox_poll()
    assert not InboundEmail.objects.exists()
    assert cache.get(oauth._key(endpoint.client_id)) is None


def test_a_token_the_server_refuses_fails_the_poll_and_is_dropped_from_the_cache(endpoint, caplog):
    endpoint.server.append([message(1)])
    assert mailbox_poll().taken == 1
    first = endpoint.issued[0]
    endpoint.revoked.add(first)  # introspection now says {"active": false}
    endpoint.server.append([message(2)])
    with caplog.at_level(logging.INFO), \
            pytest.raises(imaplib.IMAP4.error, match="AUTHENTICATE XOAUTH2 failed for council: the server "
                                                     "refused the access token"):
        call_command("poll_mailbox", stdout=StringIO())
    assert landed() == {"<o1@example.org>"}  # nothing taken
    assert cache.get(oauth._key(endpoint.client_id)) is None  # dropped
    assert not JobRun.objects.filter(name="mailbox-poll").latest("pk").ok
    assert "the cached token was dropped" in caplog.text
    no_secrets_in(caplog.text, endpoint)

    assert mailbox_poll().taken == 1  # the next poll asks for a new token, and goes on
    assert len(endpoint.issued) == 2 and endpoint.issued[1] != first
    assert landed() == {"<o1@example.org>", "<o2@example.org>"}


def test_the_token_is_asked_for_with_the_client_credentials_form(endpoint, settings):
    settings.INBOUND_IMAP_OAUTH_SCOPE = "https://graph.microsoft.com/.default"  # the stand-in wants outlook's
    with pytest.raises(oauth.TokenError, match="HTTP 400: invalid_request"):
        mailbox_poll()
    assert endpoint.refusals == 1
