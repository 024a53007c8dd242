"""The scheduled jobs page and the beat schedule are one list (settings.SCHEDULED_JOBS)."""

import os
import subprocess
import sys
import textwrap
from datetime import timedelta
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from config.celery import app
from kirklees.jobs.models import JobRun
from kirklees.jobs.periodic import periodic_job
from kirklees.jobs.services import job_run

from ..helpers import url_of_the_test_database

# Imports the jobs page and nothing of the apps whose tasks it lists: the web process's view of it.
PAGE_IN_A_FRESH_PROCESS = textwrap.dedent("""
    import sys
    import django
    django.setup()
    from django.test import RequestFactory
    from kirklees.jobs import urls, views
    from kirklees.users.models import User

    not_imported = [m for m in ("casework.escalation", "casework.tasks", "kirklees.notifications.tasks",
                                "engagement.learning.services", "wards.services.funding") if m not in sys.modules]
    request = RequestFactory().get("/jobs/")
    request.user = User.objects.create_user("fresh.manager@example.org", full_name="Fresh Manager",
                                            role=User.Role.LIAISON_MANAGER)
    request.session = {}
    response = views.job_list(request)
    print("NOT IMPORTED:", ",".join(not_imported))
    print(response.content.decode())
""")


@pytest.mark.django_db(transaction=True)
def test_the_jobs_page_lists_every_beat_job_in_a_process_that_imported_none_of_their_modules():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test",
           "DATABASE_URL": url_of_the_test_database()}
    done = subprocess.run([sys.executable, "-c", PAGE_IN_A_FRESH_PROCESS], cwd=settings.BASE_DIR, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    not_imported, page = done.stdout.split("\n", 1)
    assert "casework.escalation" in not_imported  # so the page cannot rely on what importing it registered
    for name, job in settings.CELERY_BEAT_SCHEDULE.items():
        assert f"<strong>{name}</strong>" in page
        assert escape(settings.SCHEDULED_JOBS[name]["description"]) in page


def test_every_beat_entry_names_a_task_that_exists():
    app.loader.import_default_modules()  # what a worker imports at start (autodiscovered tasks)
    for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
        assert entry["task"] in app.tasks, f"{name}: no task {entry['task']}"


def test_every_scheduled_job_says_what_it_does():
    assert set(settings.SCHEDULED_JOBS) == set(settings.CELERY_BEAT_SCHEDULE)
    assert all(job["description"].strip() for job in settings.SCHEDULED_JOBS.values())


def test_the_jobs_page_is_for_managers_only(client, manager, liaison):
    client.force_login(liaison)
    assert client.get(reverse("jobs:list")).status_code == 403
    client.force_login(manager)
    page = client.get(reverse("jobs:list")).content.decode()
    assert all(name in page for name in settings.CELERY_BEAT_SCHEDULE)


def test_each_beat_entry_names_the_task_that_records_its_runs_under_the_entrys_name():
    app.loader.import_default_modules()
    for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
        assert app.tasks[entry["task"]].job_name == name


def test_a_job_that_raises_is_recorded_as_failed_with_its_error_and_the_error_goes_on(db):
    @periodic_job("a-job-that-breaks")
    def breaks():
        raise ValueError("no ward called Nowhere")

    with pytest.raises(ValueError):
        breaks()
    run = JobRun.objects.get(name="a-job-that-breaks")
    assert run.ok is False and run.finished_at and "no ward called Nowhere" in run.summary


def test_a_job_that_did_its_work_but_some_failed_says_so(db):
    @periodic_job("a-job-with-a-failure", summary="{} sent".format, failed=lambda sent: sent < 3)
    def sends():
        return 2

    assert sends() == 2
    run = JobRun.objects.get(name="a-job-with-a-failure")
    assert run.ok is False and run.summary == "2 sent"


def test_the_old_submission_keys_job_is_also_a_command(db):
    out = StringIO()
    call_command("delete_old_submission_keys", stdout=out)
    assert out.getvalue() == "0 deleted\n"
    assert JobRun.objects.get(name="delete-old-submission-keys").ok is True


def test_a_jobs_runs_older_than_the_kept_days_go_when_it_next_runs_and_no_other_jobs(db, settings):
    settings.JOB_RUNS_KEPT_DAYS = 90
    now = timezone.now()
    old = JobRun.objects.create(name="mailbox-poll", started_at=now - timedelta(days=91))
    kept = JobRun.objects.create(name="mailbox-poll", started_at=now - timedelta(days=89))
    other = JobRun.objects.create(name="sla-sweep", started_at=now - timedelta(days=400))
    with job_run("mailbox-poll") as run:
        run.summary = "Nothing new"
    names = set(JobRun.objects.values_list("pk", flat=True))
    assert old.pk not in names and {kept.pk, other.pk} <= names
