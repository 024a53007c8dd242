"""/healthz, for the operators' monitoring: the database, Redis, each job's last run and the oldest
waiting email, as JSON with no one's details; 503 when people cannot use the service."""
import datetime

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from kirklees.jobs.services import job_run
from kirklees.notifications.services import notify

from ..helpers import UNREACHABLE_BROKER


def test_health_reports_the_database_redis_each_job_and_the_oldest_waiting_email(client, owner):
    with time_machine.travel(timezone.now() - datetime.timedelta(minutes=10), tick=False):
        notify(user=owner.user, kind="x", title="KC-2026-00001 was accepted", body="Bins at 4 Mill Lane")
        with job_run("sla-sweep") as run:
            run.summary = "nothing due"

    response = client.get(reverse("healthz"))

    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    report = response.json()
    assert report["ok"] is True and report["database"] == "up" and report["redis"] == "up"
    assert set(report["jobs"]) == set(settings.SCHEDULED_JOBS)
    assert report["jobs"]["daily-digest"] is None  # never run
    sweep = report["jobs"]["sla-sweep"]
    assert sweep["ok"] is True and sweep["finished"] and 590 <= sweep["last_started_seconds_ago"] <= 700
    assert 590 <= report["oldest_unsent_email_seconds"] <= 700
    text = response.content.decode()
    assert owner.user.email not in text and "Mill Lane" not in text and "KC-2026" not in text


@pytest.mark.parametrize("redis_url", [UNREACHABLE_BROKER, "unix:///nonexistent/redis.sock?db=0"])
def test_health_says_503_when_redis_cannot_be_reached(client, settings, db, redis_url):
    settings.REDIS_URL = redis_url  # a server, or the embedded one's socket

    response = client.get(reverse("healthz"))

    assert response.status_code == 503
    assert response.json()["ok"] is False and response.json()["redis"] == "down"
    assert response.json()["database"] == "up"


def test_health_with_nothing_waiting_says_so(client, db):
    assert client.get(reverse("healthz")).json()["oldest_unsent_email_seconds"] is None
