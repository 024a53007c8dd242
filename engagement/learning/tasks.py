"""Thin Celery wrapper: the reminder job is also `manage.py send_event_reminders`."""
from celery import shared_task

from kirklees.jobs.services import job_run

from . import services


# Idempotent (each booking is marked reminded in the UPDATE that picks it), so acks_late is safe.
@shared_task(acks_late=True)
def send_event_reminders():
    with job_run(services.JOB_REMINDERS) as run:
        run.summary = f"{services.event_reminders_send()} event reminders sent"
    return run.summary
