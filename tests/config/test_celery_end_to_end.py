"""Notifications end to end: a case action puts a message in the inbox at once, and its email goes
out through a real Celery worker; with the broker down the action still succeeds and the periodic
sweep sends what the worker never heard about."""

import email
import logging
import os
import subprocess
import sys
import threading
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from kombu import Exchange, Queue

from casework.models import Case
from config.celery import app
from kirklees.notifications.models import Notification

from ..factories.casework import make_case, walk
from ..helpers import UNREACHABLE_BROKER, broker_at, url_of_the_test_database
from ..factories.kirklees import give_second_factor

pytestmark = pytest.mark.django_db(transaction=True)  # the worker and on_commit need real commits

WORKER_READY_SECONDS = 30
EMAIL_SECONDS = 20


# --- helpers ------------------------------------------------------------------------------------


@contextmanager
def publishing_to(queue: str):
    """Make this process publish to `queue` (the router reads task_default_queue on each send)."""
    original = app.conf.task_default_queue
    app.conf.task_default_queue = queue
    try:
        assert app.amqp.router.route({}, "any.task")["queue"].name == queue
        yield
    finally:
        app.conf.task_default_queue = original


class Worker:
    """A `celery -A config worker` on its own queue, its output collected as it runs."""

    def __init__(self, queue: str, email_dir: Path):
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test",
               "DATABASE_URL": url_of_the_test_database(), "REDIS_URL": settings.REDIS_URL,
               "CELERY_QUEUE": queue,
               "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
               "EMAIL_FILE_PATH": str(email_dir)}
        self.lines: list[str] = []
        self.process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo", "--concurrency=1",
             "-Q", queue, "-n", f"{queue}@%h", "--without-heartbeat", "--without-gossip",
             "--without-mingle", "-l", "info"],
            cwd=settings.BASE_DIR, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self):
        for line in self.process.stdout:
            self.lines.append(line)

    @property
    def output(self) -> str:
        return "".join(self.lines)

    def wait_until_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if any(" ready." in line for line in self.lines):
                return
            if self.process.poll() is not None:
                break
            time.sleep(0.1)
        pytest.fail(f"The Celery worker was not ready within {timeout} s. Its output:\n{self.output}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()  # warm shutdown
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        self._reader.join(timeout=5)


def _purge(queue: str) -> None:
    """Empty the test's queue and delete it with its binding, so that nothing is left in Redis."""
    with app.connection_for_write() as conn:
        bound = Queue(queue, Exchange(queue), routing_key=queue)(conn.default_channel)
        bound.declare()  # so that this channel knows the binding it is to delete
        bound.purge()
        bound.delete()


def _emails_in(directory: Path) -> list[email.message.Message]:
    messages = []
    for path in sorted(directory.glob("*.log")):
        for raw in path.read_text().split("-" * 79):
            if raw.strip():
                messages.append(email.message_from_string(raw.strip()))
    return messages


def _text_of(message: email.message.Message) -> str:
    part = next(p for p in message.walk() if p.get_content_type() == "text/plain")
    return part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8")


def _wait_for(predicate, timeout: float, interval: float = 0.2):
    deadline = time.monotonic() + timeout
    while True:
        result = predicate()
        if result or time.monotonic() >= deadline:
            return result
        time.sleep(interval)


def _accept(client, case, liaison):
    url = reverse("casework:case-action", kwargs={"reference": case.reference, "action": "accept"})
    client.force_login(liaison)
    started = time.monotonic()
    response = client.post(url, {"version": case.version, "assignee": liaison.pk})
    return response, time.monotonic() - started


def _could_not_queue(caplog) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "kirklees.tasks" and r.getMessage().startswith("Could not queue")]


def _assert_calm_success(page: str, banner: str) -> None:
    assert "govuk-notification-banner--success" in page and banner in page
    assert ">Important<" not in page and "<title>Error: " not in page and "govuk-error-summary" not in page
    for alarming in ("broker", "Redis", "Celery", "Could not queue", "Traceback"):
        assert alarming not in page


# --- tests --------------------------------------------------------------------------------------


def test_a_case_action_reaches_the_inbox_and_the_email_outbox_through_a_real_worker(
        client, owner, liaison, category, tmp_path):
    queue = f"e2e-{uuid.uuid4().hex[:12]}"
    email_dir = tmp_path / "emails"
    email_dir.mkdir()
    worker = None
    try:
        with publishing_to(queue):
            worker = Worker(queue, email_dir)
            case = walk(make_case(owner, category=category), Case.Status.TRIAGE, team=liaison)
            worker.wait_until_ready(WORKER_READY_SECONDS)

            response, _ = _accept(client, case, liaison)
            assert response.status_code == 302

            # The inbox has it straight away: it was written in the same transaction as the change.
            client.force_login(owner.user)
            inbox = client.get(reverse("notifications:inbox")).content.decode()
            assert f"{case.reference} was accepted" in inbox

            # The email goes through Redis and the worker, which writes it to a file.
            def councillors_email():
                return next((m for m in _emails_in(email_dir)
                             if m["To"] == owner.user.email and "accepted" in m["Subject"]), None)

            sent = _wait_for(councillors_email, EMAIL_SECONDS)
            assert sent is not None, f"No email within {EMAIL_SECONDS} s. Worker output:\n{worker.output}"
            assert case.reference in sent["Subject"] and case.reference in _text_of(sent)

            notification = Notification.objects.get(user=owner.user, kind="case_accepted")
            assert _wait_for(lambda: Notification.objects.filter(pk=notification.pk,
                                                                 email_sent_at__isnull=False).exists(), 5)
            assert "send_notification_emails" in worker.output and "succeeded" in worker.output
    finally:
        if worker is not None:
            worker.stop()
        _purge(queue)


def test_a_case_action_succeeds_when_the_broker_is_down_and_the_sweep_sends_what_was_missed(
        client, owner, liaison, category, caplog, monkeypatch, mailoutbox):
    caplog.set_level(logging.WARNING, logger="kirklees.tasks")
    with broker_at(UNREACHABLE_BROKER, monkeypatch):
        assert ":1/" in app.connection_for_write().as_uri()
        case = walk(make_case(owner, category=category), Case.Status.TRIAGE, team=liaison)
        caplog.clear()

        response, took = _accept(client, case, liaison)

        assert response.status_code == 302 and response.url == case.get_absolute_url()
        assert took < 5, f"The accept took {took:.1f} s: publishing to a dead broker must fail fast"
        # It really tried the dead broker, and said so in the log, not to the user.
        [warning] = _could_not_queue(caplog)
        assert "send_notification_emails" in warning.getMessage()
        assert "127.0.0.1:1" in str(warning.exc_info[1])
        _assert_calm_success(client.get(response.url).content.decode(), "Case accepted")

    case.refresh_from_db()
    assert case.status == Case.Status.IN_PROGRESS and case.assigned_to == liaison
    notification = Notification.objects.get(user=owner.user, kind="case_accepted")
    assert notification.email_wanted and notification.email_sent_at is None

    call_command("send_pending_emails")  # the periodic sweep, which needs no broker

    [sent] = [m for m in mailoutbox if m.to == [owner.user.email]]
    assert case.reference in sent.subject and "accepted" in sent.subject
    notification.refresh_from_db()
    assert notification.email_sent_at is not None


def test_a_councillor_can_record_and_refer_a_case_while_the_broker_is_down(
        client, owner, liaison, ward, category, caplog, monkeypatch):
    caplog.set_level(logging.WARNING, logger="kirklees.tasks")
    give_second_factor(owner.user)  # no "set up a second factor" banner beside the page's own message
    client.force_login(owner.user)
    data = {"full_name": "Jane Smith", "postcode": "HD1 2TA", "address": "1 Market Street\nHuddersfield",
            "email": "", "phone": "01484 221000", "preferred_contact": "phone",
            "lawful_basis": "public_task", "capacity": "ward_councillor",
            "ward": ward.pk, "category": category.pk, "summary": "Bins not collected", "details": "",
            "enquiry_type": "member_enquiry", "priority": "normal", "refer_to_advocacy": "on"}
    with broker_at(UNREACHABLE_BROKER, monkeypatch):
        started = time.monotonic()
        response = client.post(reverse("casework:case-create"), data)
        took = time.monotonic() - started

        case = Case.objects.get()
        assert response.status_code == 302 and response.url == case.get_absolute_url()
        assert took < 5, f"Recording the case took {took:.1f} s"
        assert len(_could_not_queue(caplog)) == 1
        _assert_calm_success(client.get(response.url).content.decode(),
                             f"Case {case.reference} recorded and referred to the advocacy service.")

    assert case.status == Case.Status.TRIAGE and case.advocacy
    notification = Notification.objects.get(user=liaison, kind="case_referred_to_advocacy")
    assert notification.email_sent_at is None
