"""Holes an attacker would use, and faults that lose work (issue 10, section 5)."""

import datetime
import io
import re
import socket
import threading
import time
from unittest import mock

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client, override_settings
from django.urls import reverse

from ..factories.kirklees import PASSWORD
from ..helpers import sign_in
from ..samples import PDF, docx_inflating_to


# --- Account takeover through allauth's email page -------------------------------------------------

@pytest.mark.parametrize("url", ["/accounts/email/", "/accounts/signup/", "/accounts/password/set/",
                                 "/accounts/confirm-email/", "/accounts/2fa/trust/", "/accounts/2fa/webauthn/login/",
                                 "/accounts/2fa/webauthn/signup/"])
def test_self_service_account_pages_are_not_mounted(client, liaison, url):
    client.force_login(liaison)
    assert client.get(url).status_code == 404


def test_a_signed_in_person_cannot_add_an_email_address_to_their_account(client, liaison):
    client.force_login(liaison)
    response = client.post("/accounts/email/", {"action_add": "", "email": "attacker@example.com"})
    assert response.status_code == 404
    assert not EmailAddress.objects.filter(email="attacker@example.com").exists()
    liaison.refresh_from_db()
    assert liaison.email != "attacker@example.com"


def test_signing_in_and_resetting_a_password_are_still_there(client, liaison):
    assert client.get("/accounts/login/").status_code == 200
    assert client.get("/accounts/password/reset/").status_code == 200
    assert client.get("/accounts/password/reset/done/").status_code == 200
    response = sign_in(client, liaison)
    assert response.status_code == 302 and "_auth_user_id" in client.session


# --- Sign-in and password reset while Redis is down ------------------------------------------------

def closed_port() -> int:
    """A loopback port nothing listens on: connections to it are refused at once."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def cache_down(settings):
    cache = dict(settings.CACHES["default"], LOCATION=f"redis://127.0.0.1:{closed_port()}/1")
    with override_settings(CACHES={"default": cache}):
        yield


def test_signing_in_works_while_the_cache_is_down(client, liaison, cache_down):
    response = sign_in(client, liaison)
    assert response.status_code == 302
    assert "_auth_user_id" in client.session


def test_a_wrong_password_is_still_refused_and_counted_while_the_cache_is_down(client, liaison, cache_down):
    for _ in range(5):
        response = client.post("/accounts/login/", {"login": liaison.email, "password": "wrong-password"})
        assert response.status_code in (200, 429)
    # axes counts in the database: the lockout stands without Redis.
    assert client.post("/accounts/login/", {"login": liaison.email, "password": PASSWORD}).status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_password_reset_is_sent_while_the_cache_is_down(client, liaison, cache_down):
    response = client.post("/accounts/password/reset/", {"email": liaison.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [liaison.email]


# --- A dropped database connection --------------------------------------------------------------

def wsgi(method, path, cookies, form=None):
    """One request through Django's real WSGI handler, as a worker serves it: unlike the test
    client, it runs the request_started/finished housekeeping that keeps or replaces connections."""
    from urllib.parse import urlencode

    from django.core.handlers.wsgi import WSGIHandler
    from django.test.client import FakePayload

    body = urlencode(form or {}, doseq=True).encode()
    environ = {
        "REQUEST_METHOD": method, "PATH_INFO": path, "QUERY_STRING": "", "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "80", "SERVER_PROTOCOL": "HTTP/1.1", "REMOTE_ADDR": "127.0.0.1",
        "HTTP_HOST": "127.0.0.1", "HTTP_COOKIE": "; ".join(f"{k}={v}" for k, v in cookies.items()),
        "CONTENT_TYPE": "application/x-www-form-urlencoded", "CONTENT_LENGTH": str(len(body)),
        "wsgi.input": FakePayload(body), "wsgi.errors": io.StringIO(), "wsgi.url_scheme": "http",
        "wsgi.version": (1, 0), "wsgi.multithread": False, "wsgi.multiprocess": True, "wsgi.run_once": False,
    }
    status = []
    response = WSGIHandler()(environ, lambda s, headers, exc_info=None: status.append(s))
    content = b"".join(response)
    response.close()  # request_finished
    return int(status[0].split()[0]), content.decode()


def terminate_other_connections():
    """What a database restart or an operator's pg_terminate_backend does to the app's connections."""
    import psycopg2
    from django.db import connection

    params = connection.get_connection_params()
    with psycopg2.connect(**params) as killer, killer.cursor() as cursor:
        cursor.execute("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                       "WHERE datname = current_database() AND pid <> pg_backend_pid()")
        killed = cursor.fetchone()[0]
    killer.close()
    return killed


@pytest.mark.django_db(transaction=True)
def test_a_note_is_saved_on_the_first_request_after_the_database_dropped_the_connection(client, owner):
    from django.db import connection

    from casework.models import Note

    from ..factories.casework import make_case

    case = make_case(owner)
    client.force_login(owner.user)
    csrf = "a" * 32
    cookies = {"sessionid": client.cookies["sessionid"].value, "csrftoken": csrf}
    status, page = wsgi("GET", case.get_absolute_url(), cookies)
    assert status == 200
    assert connection.connection is not None  # kept for the next request (CONN_MAX_AGE)
    note_form = re.search(r'<form[^>]*action="[^"]*/notes/"[^>]*>(.*?)</form>', page, re.S).group(1)
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', note_form))
    fields["csrfmiddlewaretoken"] = csrf

    assert terminate_other_connections() >= 1

    status, _ = wsgi("POST", f"/cases/{case.reference}/notes/", cookies, dict(fields, text="Rang the resident back"))
    assert status == 302
    assert Note.objects.filter(case=case, text="Rang the resident back").exists()


# --- 500s from input ------------------------------------------------------------------------------

def test_marking_notifications_read_with_a_next_that_is_not_a_path_goes_to_the_inbox(client, liaison):
    client.force_login(liaison)
    for target in ["abc", "casework:queue", "https://evil.example/", "//evil.example/x"]:
        response = client.post(reverse("notifications:mark-read"), {"next": target})
        assert response.status_code == 302 and response.url == reverse("notifications:inbox"), target
    response = client.post(reverse("notifications:mark-read"), {"next": "/cases/?page=2"})
    assert response.url == "/cases/?page=2"


def test_bulk_assign_with_a_next_that_is_not_a_path_goes_to_the_queue(client, liaison):
    client.force_login(liaison)
    response = client.post(reverse("casework:queue-assign"), {"assignee": liaison.pk, "next": "abc"})
    assert response.status_code == 302 and response.url == reverse("casework:queue")


def test_confirming_an_officer_with_a_next_that_is_not_a_path_goes_to_the_people_list(client, data_admin):
    from ..factories.wards import OfficerFactory

    client.force_login(data_admin)
    officer = OfficerFactory()
    response = client.post(reverse("wards:officer-confirm", args=[officer.pk]), {"next": "abc"})
    assert response.status_code == 302 and response.url == reverse("wards:people")


def test_a_nul_byte_in_the_address_is_a_404_not_a_500(client, db):
    assert client.get("/have-your-say/abc%00def/").status_code == 404
    assert client.get("/cases/%00/").status_code == 404


def test_a_nul_byte_in_the_query_is_a_400(client, liaison):
    client.force_login(liaison)
    assert client.get("/cases/?q=bins%00").status_code == 400


@pytest.mark.django_db(transaction=True)
def test_closure_days_added_at_once_give_one_day_and_a_form_error_not_a_500(client, manager):
    """The form checks first, but two requests can both pass the check: the database decides."""
    from django.db.models.query import QuerySet

    from casework.models import ClosureDay

    client.force_login(manager)
    exists = QuerySet.exists
    raced = []

    def check_then_other_inserts(queryset):  # the other request's insert lands just after our check
        answer = exists(queryset)
        if queryset.model is ClosureDay and not answer and not raced:
            raced.append(ClosureDay.objects.create(date=datetime.date(2026, 12, 29), reason="The other request"))
        return answer

    with mock.patch.object(QuerySet, "exists", check_then_other_inserts):
        response = client.post(reverse("casework:targets"), {"date": "29/12/2026", "reason": "Council closed"})
    assert response.status_code == 200
    assert response.context["form"].errors["date"] == ["That day is already a closure day"]
    assert ClosureDay.objects.count() == 1



@pytest.mark.django_db(transaction=True)
def test_six_simultaneous_posts_of_one_closure_day_store_it_once_and_none_is_a_500(manager):
    from casework.models import ClosureDay

    from ..helpers import run_at_once

    statuses = []
    clients = [Client() for _ in range(6)]
    for each in clients:
        each.force_login(manager)

    def send(each):
        return lambda: statuses.append(each.post(reverse("casework:targets"),
                                                 {"date": "30/12/2026", "reason": "Council closed"}).status_code)

    errors = run_at_once(*[send(each) for each in clients])

    assert errors == []
    assert sorted(set(statuses)) <= [200, 302] and 302 in statuses  # one stored; the rest told on the form
    assert ClosureDay.objects.filter(date=datetime.date(2026, 12, 30)).count() == 1

# --- Outbound connections have timeouts --------------------------------------------------------------

@pytest.fixture
def stalling_relay():
    """An SMTP relay on a loopback port that takes the message's envelope, then never answers
    after DATA: what held a worker for over a minute."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    stop = threading.Event()

    def serve():
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except OSError:
                continue
            with conn:
                conn.sendall(b"220 relay.example ESMTP\r\n")
                reader = conn.makefile("rb")
                for line in reader:
                    if line.upper().startswith(b"DATA"):
                        conn.sendall(b"354 go ahead\r\n")
                        stop.wait()  # ... and never a 250
                        break
                    if line.upper().startswith(b"QUIT"):
                        break
                    conn.sendall(b"250 ok\r\n")

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield server.getsockname()[1]
    stop.set()
    thread.join(5)
    server.close()


def test_a_stalled_mail_relay_cannot_hold_a_worker(stalling_relay, settings):
    from django.core.mail import EmailMessage, get_connection

    from config.settings import base

    assert 0 < base.EMAIL_TIMEOUT <= 30  # what production runs with
    outcome = []

    def send():
        connection = get_connection("django.core.mail.backends.smtp.EmailBackend", host="127.0.0.1",
                                    port=stalling_relay, use_tls=False, fail_silently=False)
        try:
            EmailMessage("Case update", "Body", "casework@example.org", ["someone@example.org"],
                         connection=connection).send()
            outcome.append("sent")
        except OSError as exc:  # smtplib says SMTPServerDisconnected("... timed out"), an OSError
            outcome.append(exc)

    started = time.monotonic()
    sender = threading.Thread(target=send, daemon=True)
    sender.start()
    sender.join((settings.EMAIL_TIMEOUT or 0) + 5)
    assert not sender.is_alive(), "the send is still waiting on the relay"
    assert isinstance(outcome[0], OSError) and "timed out" in str(outcome[0])
    assert time.monotonic() - started < settings.EMAIL_TIMEOUT + 5


# --- Uploads: the detected type's extension, and no zip bombs ---------------------------------------

def upload_to(client, case, name, content, content_type="application/octet-stream"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(reverse("casework:case-add-attachment", args=[case.reference]),
                       {"upload": SimpleUploadedFile(name, content, content_type)})


@pytest.mark.parametrize("name,expected", [("invoice.html", "invoice.pdf"), ("setup.exe", "setup.pdf"),
                                           ("letter", "letter.pdf"), ("Letter.PDF", "Letter.PDF")])
def test_a_file_is_stored_and_downloaded_with_the_extension_of_what_it_really_is(client, owner, name, expected):
    from casework.models import Attachment

    from ..factories.casework import make_case

    case = make_case(owner)
    client.force_login(owner.user)
    assert upload_to(client, case, name, PDF, "text/html").status_code == 302
    attachment = Attachment.objects.get()
    assert attachment.original_name == expected and attachment.file.name.endswith(".pdf")
    download = client.get(reverse("casework:attachment-download", args=[case.reference, attachment.pk]))
    assert f'filename="{expected}"' in download["Content-Disposition"]
    assert download["Content-Type"] == "application/pdf"


def test_an_attachment_stored_before_with_a_misleading_name_downloads_with_the_real_extension(client, owner):
    from casework.models import Attachment

    from ..factories.casework import make_case

    case = make_case(owner)
    client.force_login(owner.user)
    upload_to(client, case, "invoice.pdf", PDF)
    attachment = Attachment.objects.get()
    Attachment.objects.filter(pk=attachment.pk).update(original_name="invoice.html")  # as stored until now
    download = client.get(reverse("casework:attachment-download", args=[case.reference, attachment.pk]))
    assert 'filename="invoice.pdf"' in download["Content-Disposition"]


def test_a_word_shaped_zip_bomb_is_refused(client, owner):
    from casework.models import Attachment

    from ..factories.casework import make_case

    case = make_case(owner)
    client.force_login(owner.user)
    bomb = docx_inflating_to(1024 * 1024 * 1024)  # 1 GiB of spaces in about 1 MB
    assert len(bomb) < 10 * 1024 * 1024
    response = upload_to(client, case, "minutes.docx", bomb)
    assert response.status_code == 200
    assert "it unpacks to far more than its size" in response.content.decode()
    assert not Attachment.objects.exists()


def test_a_word_document_that_inflates_past_the_ratio_is_refused_and_a_real_one_accepted(client, owner):
    from casework.models import Attachment

    from ..factories.casework import make_case
    from ..samples import docx_bytes

    case = make_case(owner)
    client.force_login(owner.user)
    response = upload_to(client, case, "a.docx", docx_inflating_to(20 * 1024 * 1024))  # ~1000 times its size
    assert "it unpacks to far more" in response.content.decode()
    assert upload_to(client, case, "report.docx", docx_bytes()).status_code == 302
    assert Attachment.objects.get().original_name == "report.docx"
