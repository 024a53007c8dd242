"""The IMAP poller against a real IMAP server (Dovecot, started by the test on a loopback port):
each message lands once, whether one poller runs, two race, or one dies halfway."""

import logging
import ssl
import threading
from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection, connections

from kirklees.jobs.models import JobRun
from kirklees.mailin.imap import mailbox_poll
from kirklees.mailin.models import ImapFolder, ImapMessage, InboundEmail
from kirklees.mailin.testserver import DOVECOT, dovecot

pytestmark = [pytest.mark.skipif(not DOVECOT.exists(), reason=f"{DOVECOT} is missing: apt-get install "
                                 "dovecot-imapd (.ci/run installs it)"),
              pytest.mark.django_db(transaction=True)]


def message(n: int, *, subject: str | None = None) -> bytes:
    return (f"From: Priya Patel <priya.patel@example.org>\r\nTo: casework@example.org\r\n"
            f"Subject: {subject or f'Message {n}'}\r\nMessage-ID: <m{n}@example.org>\r\n"
            f"Date: Sun, 06 Dec 2026 10:00:00 +0000\r\n\r\nReply number {n}.\r\n").encode()


@pytest.fixture(scope="module")
def server():
    with dovecot() as running:
        yield running


@pytest.fixture
def mailbox(server, settings):
    """An empty folder on the running server (made again for each test: its UIDs start at 1), and
    the poller pointed at it."""
    client = server.client()
    for name in ("Test", "Replies"):
        client.delete(name)
    client.create("Test")
    client.logout()
    server.folder = "Test"
    for name, value in server.settings().items():
        setattr(settings, name, value)
    return server


def landed() -> Counter:
    return Counter(InboundEmail.objects.values_list("message_id", flat=True))


def test_polled_messages_land_once_and_a_second_poll_takes_nothing(mailbox):
    mailbox.append(message(n) for n in range(1, 6))
    result = mailbox_poll()
    assert result.taken == 5
    assert landed() == Counter({f"<m{n}@example.org>": 1 for n in range(1, 6)})
    row = InboundEmail.objects.get(message_id="<m3@example.org>")
    assert (row.via, row.sender, row.subject) == ("imap", "priya.patel@example.org", "Message 3")
    assert ImapMessage.objects.get(inbound=row).uid == 3

    again = mailbox_poll()
    assert (again.taken, again.skipped) == (0, 0)  # the watermark is past them: not even asked for
    assert InboundEmail.objects.count() == 5
    assert ImapFolder.objects.get().watermark == 5

    mailbox.append([message(6)])
    assert mailbox_poll().taken == 1
    assert landed()["<m6@example.org>"] == 1

    client = mailbox.client()
    client.select("Test", readonly=True)
    assert client.search(None, "UNSEEN") == ("OK", [b""])  # each taken message is flagged read
    client.logout()


def test_two_pollers_at_once_take_each_message_exactly_once(mailbox):
    mailbox.append(message(n) for n in range(1, 121))
    start = threading.Barrier(2)
    results, errors = [], []

    def poller():
        try:
            start.wait()
            results.append(mailbox_poll())
        except Exception as exc:  # the test fails on it below
            errors.append(exc)
        finally:
            connections.close_all()  # this thread's own database connection

    threads = [threading.Thread(target=poller) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors
    assert sum(r.taken for r in results) == 120
    assert landed() == Counter({f"<m{n}@example.org>": 1 for n in range(1, 121)})
    assert ImapMessage.objects.count() == 120
    assert ImapFolder.objects.get().watermark == 120


def test_two_processes_polling_at_once_take_each_message_exactly_once(mailbox, settings):
    import os
    import subprocess
    import sys

    from django.conf import settings as live

    mailbox.append(message(n) for n in range(1, 81))
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test",
           "INBOUND_IMAP_HOST": mailbox.host, "INBOUND_IMAP_PORT": str(mailbox.port), "INBOUND_IMAP_SSL": "no",
           "INBOUND_IMAP_USER": mailbox.user, "INBOUND_IMAP_PASSWORD": mailbox.password,
           "INBOUND_IMAP_FOLDER": mailbox.folder, "DATABASE_URL": _database_url(live)}
    processes = [subprocess.Popen([sys.executable, "manage.py", "poll_mailbox"], env=env, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, cwd=str(live.BASE_DIR)) for _ in range(2)]
    outputs = [p.communicate(timeout=120) for p in processes]
    assert [p.returncode for p in processes] == [0, 0], outputs
    taken = [int(out.split()[0]) for out, _ in outputs]
    print("two processes took", taken)
    assert sum(taken) == 80, outputs
    assert landed() == Counter({f"<m{n}@example.org>": 1 for n in range(1, 81)})


def _database_url(live) -> str:
    db = live.DATABASES["default"]
    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{connection.settings_dict['NAME']}"


@pytest.fixture
def database_fails_on_message_4():
    """The database itself refuses the 4th message's row (a trigger), as if the poller's database
    went away at that moment."""
    with connection.cursor() as cursor:
        cursor.execute("""
            CREATE FUNCTION test_fail_message_4() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              IF NEW.message_id = '<m4@example.org>' THEN RAISE EXCEPTION 'the database went away'; END IF;
              RETURN NEW;
            END $$;
            CREATE TRIGGER test_fail_message_4 BEFORE INSERT ON mailin_inboundemail
              FOR EACH ROW EXECUTE FUNCTION test_fail_message_4();""")
    yield
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER IF EXISTS test_fail_message_4 ON mailin_inboundemail;"
                       "DROP FUNCTION IF EXISTS test_fail_message_4();")


def test_a_poll_that_crashes_midway_then_runs_again_takes_the_rest_and_nothing_twice(
        mailbox, database_fails_on_message_4, caplog):
    mailbox.append(message(n) for n in range(1, 9))
    with pytest.raises(Exception, match="the database went away"), \
            caplog.at_level(logging.INFO, logger="kirklees.mailin.imap"):
        call_command("poll_mailbox", stdout=StringIO())
    assert set(landed()) == {"<m1@example.org>", "<m2@example.org>", "<m3@example.org>"}
    assert sorted(ImapMessage.objects.values_list("uid", flat=True)) == [1, 2, 3]  # 4's claim rolled back
    assert ImapFolder.objects.get().watermark == 3
    run = JobRun.objects.get(name="mailbox-poll")
    assert not run.ok and "the database went away" in run.summary
    assert "IMAP poll stopped at UID 4" in caplog.text

    with connection.cursor() as cursor:  # the database is back
        cursor.execute("DROP TRIGGER test_fail_message_4 ON mailin_inboundemail")
    out = StringIO()
    call_command("poll_mailbox", stdout=out)
    assert out.getvalue().startswith("5 messages taken from the mailbox")
    assert landed() == Counter({f"<m{n}@example.org>": 1 for n in range(1, 9)})
    assert ImapFolder.objects.get().watermark == 8


def test_a_new_uidvalidity_reads_the_folder_again_without_landing_anything_twice(mailbox, settings):
    settings.INBOUND_IMAP_FOLDER = "Replies"
    client = mailbox.client()
    client.create("Replies")
    client.logout()
    mailbox.append((message(n) for n in range(1, 4)), folder="Replies")
    assert mailbox_poll().taken == 3
    # The folder is rebuilt (deleted and made again): a new UIDVALIDITY, the same messages and one more.
    client = mailbox.client()
    client.delete("Replies")
    client.create("Replies")
    client.logout()
    mailbox.append((message(n) for n in range(1, 5)), folder="Replies")
    assert mailbox_poll().taken == 4  # read again from the start ...
    assert landed() == Counter({f"<m{n}@example.org>": 1 for n in range(1, 5)})  # ... landing each once
    assert ImapFolder.objects.count() == 2 and len(set(ImapFolder.objects.values_list("uidvalidity", flat=True))) == 2
    assert mailbox_poll().taken == 0


def test_with_no_mailbox_set_the_poller_does_nothing_and_says_so(db, settings, caplog):
    settings.INBOUND_IMAP_HOST = ""
    out = StringIO()
    with caplog.at_level(logging.INFO, logger="kirklees.mailin.imap"):
        call_command("poll_mailbox", stdout=out)
    assert out.getvalue().strip() == "IMAP polling is off: INBOUND_IMAP_HOST is not set"
    assert "IMAP polling is off: INBOUND_IMAP_HOST is not set" in caplog.text
    assert not InboundEmail.objects.exists() and not ImapFolder.objects.exists()
    assert JobRun.objects.get(name="mailbox-poll").ok


def test_a_wrong_password_is_an_error_the_job_records(mailbox, settings):
    settings.INBOUND_IMAP_PASSWORD = "wrong"
    with pytest.raises(Exception, match="(?i)auth"):
        call_command("poll_mailbox", stdout=StringIO())
    assert not JobRun.objects.get(name="mailbox-poll").ok
    assert not InboundEmail.objects.exists()


@pytest.fixture(scope="module")
def tls_server():
    with dovecot(tls=True) as running:
        yield running


@pytest.fixture
def tls_mailbox(tls_server, settings):
    for name, value in tls_server.settings().items():
        setattr(settings, name, value)
    client = tls_server.client()
    client.delete("Test")
    client.create("Test")
    client.logout()
    tls_server.folder = settings.INBOUND_IMAP_FOLDER = "Test"
    tls_server.append([message(1)])
    return tls_server


@pytest.mark.parametrize("how", ["tls", "starttls"])
def test_a_server_whose_certificate_is_not_trusted_is_refused_and_nothing_is_taken(tls_mailbox, settings, how,
                                                                                   monkeypatch):
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    settings.INBOUND_IMAP_SSL, settings.INBOUND_IMAP_STARTTLS = how == "tls", how == "starttls"
    settings.INBOUND_IMAP_PORT = tls_mailbox.tls_port if how == "tls" else tls_mailbox.port
    with pytest.raises(ssl.SSLCertVerificationError):
        mailbox_poll()
    assert not InboundEmail.objects.exists()


@pytest.mark.parametrize("how", ["tls", "starttls"])
def test_a_server_with_a_trusted_certificate_is_polled_over_tls(tls_mailbox, settings, how, monkeypatch):
    monkeypatch.setenv("SSL_CERT_FILE", str(tls_mailbox.ca_file))  # as if the CA were the system's
    settings.INBOUND_IMAP_SSL, settings.INBOUND_IMAP_STARTTLS = how == "tls", how == "starttls"
    settings.INBOUND_IMAP_PORT = tls_mailbox.tls_port if how == "tls" else tls_mailbox.port
    assert mailbox_poll().taken == 1
    assert landed() == Counter({"<m1@example.org>": 1})


def test_large_messages_are_fetched_a_few_at_a_time_and_all_land(mailbox, monkeypatch):
    from kirklees.mailin import imap

    monkeypatch.setattr(imap, "FETCH_BYTES", 1024 * 1024)  # a fetch holds about 1 MB
    big = [message(n).replace(b"Reply number", b"x" * 600_000 + b"\r\nReply number") for n in range(1, 4)]
    mailbox.append(big + [message(4), message(5)])
    client = mailbox.client()
    client.select(mailbox.folder)
    assert list(imap._chunks(client, [1, 2, 3, 4, 5])) == [[1], [2], [3, 4, 5]]
    client.logout()
    assert mailbox_poll().taken == 5
    assert landed() == Counter({f"<m{n}@example.org>": 1 for n in range(1, 6)})
    assert InboundEmail.objects.get(message_id="<m2@example.org>").size > 600_000

