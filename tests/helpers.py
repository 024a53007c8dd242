"""Helpers that tests in several files need, so that no test file imports another: signing in, a form's errors,
a page's query count, a CSV download's rows, a date as typed, racing threads; the forms of a new
case and of a resident's details; a day to stand on and the escalation sweep; the broker and the
database as a worker or another process reaches them."""
import csv
import datetime
import io
import threading
from contextlib import contextmanager
from urllib.parse import quote

import time_machine
from django.core.cache import cache
from django.db import connection
from django.urls import reverse
from django.test.utils import CaptureQueriesContext

from casework import escalation
from config.celery import app
from kirklees.notifications.models import OutboundEmail
from kirklees.users.models import User

from .factories.kirklees import PASSWORD, code_for


def sign_in(client, user, password=PASSWORD, **extra):
    """Sign in as a person does: the password, then (if they have one) the code their authenticator
    app shows now. `user` is a User or an email address. A code works once, so a test signing the
    same person in twice within one 30-second step is let through as a later step would be (the
    used-code mark is dropped). The response is the last one: 302 when signed in."""
    email = getattr(user, "email", user)
    response = client.post(reverse("account_login"), {"login": email, "password": password}, **extra)
    if response.status_code == 302 and response.url == reverse("mfa_authenticate"):
        person = User.objects.get(email__iexact=email)
        code = code_for(person)
        cache.delete(f"allauth.mfa.totp.used?user={person.pk}&code={code}")
        response = client.post(reverse("mfa_authenticate"), {"code": code}, **extra)
    return response


def errors_of(response, name="form") -> dict:
    """The errors of the form called `name` on the page, field by field."""
    return {field: list(errors) for field, errors in response.context[name].errors.items()}


def queries_for(client, url) -> int:
    """How many queries the page takes to open (it must open)."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def csv_rows(response) -> list[list[str]]:
    """The rows of a CSV download (it must be one)."""
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def d(day: datetime.date) -> str:
    """A date as a user types it into a date box: 25/11/2026."""
    return day.strftime("%d/%m/%Y")


def run_at_once(*calls) -> list[Exception]:
    """Run each call in its own thread, all let go at the same moment, and wait for them all.

    Each thread has its own database connection, so the calls race as two requests or workers
    would; the test needs `django_db(transaction=True)` for them to see its data. Returns what the
    calls raised: a race that breaks something shows there rather than vanishing with its thread.
    """
    start = threading.Barrier(len(calls))
    errors = []

    def run(call):
        try:
            start.wait()
            call()
        except Exception as exc:  # pragma: no cover - handed back to the test
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=[call]) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


# ---------------------------------------------------------------- casework forms

def new_case_data(ward_, category_, **overrides):
    data = {
        "full_name": "Jane  Smith", "postcode": "hd12ta", "address": "1 Market Street\nHuddersfield",
        "email": "", "phone": "01484 221000", "preferred_contact": "phone",
        "lawful_basis": "public_task", "capacity": "ward_councillor",
        "ward": ward_.pk, "category": category_.pk, "summary": "Bins not collected", "details": "",
        "enquiry_type": "member_enquiry", "priority": "normal",
    }
    data.update(overrides)
    return data


def resident_data(case, **overrides):
    resident = case.resident
    data = {"version": case.version, "resident_version": resident.version,
            "full_name": resident.full_name, "postcode": resident.postcode,
            "address": resident.address, "email": resident.email, "phone": resident.phone,
            "preferred_contact": resident.preferred_contact, "lawful_basis": resident.lawful_basis}
    data.update(overrides)
    return data


# ---------------------------------------------------------------- the escalation ladder

def at(day: datetime.date, hour=9):
    return time_machine.travel(datetime.datetime(day.year, day.month, day.day, hour, tzinfo=datetime.UTC),
                               tick=False)


def chasers():
    """The ladder's emails to services (the referral's own email is not one, nor the People
    Finder's emails about a change of address)."""
    return OutboundEmail.objects.exclude(topic__in=["referral", "email_change"])


def sweep_on(day):
    with at(day):
        return escalation.sla_sweep()


# ---------------------------------------------------------------- the broker and the database, from outside

UNREACHABLE_BROKER = "redis://127.0.0.1:1/0"  # nothing listens on port 1: refused at once


def _use_broker(url: str) -> None:
    """Point the app's publishing at `url`. The app caches its connection pool and producer pool,
    so both are dropped; the next send_task builds them afresh from the new URL."""
    app.conf.broker_url = url
    app._pool = None
    app.amqp._producer_pool = None


@contextmanager
def broker_at(url: str, monkeypatch):
    # CELERY_BROKER_URL in the environment would win over the configuration.
    for name in ("CELERY_BROKER_URL", "CELERY_BROKER_WRITE_URL"):
        monkeypatch.delenv(name, raising=False)
    original = app.conf.broker_url
    _use_broker(url)
    try:
        yield
    finally:
        _use_broker(original)


def url_of_the_test_database() -> str:
    """The DATABASE_URL that lets a worker or another process reach this run's test database."""
    db = connection.settings_dict  # the test database pytest-django created, e.g. test_kirklees_celery
    credentials = quote(db["USER"] or "", safe="")
    if db.get("PASSWORD"):
        credentials += ":" + quote(db["PASSWORD"], safe="")
    # The embedded Postgres listens on a unix socket: its HOST is a directory, which a URL carries
    # percent-encoded (as scripts/devservices.py writes it), or the path would be read as the database.
    host = f"{quote(db['HOST'] or '127.0.0.1', safe='')}:{db['PORT'] or 5432}"
    return f"postgres://{credentials}@{host}/{db['NAME']}"
