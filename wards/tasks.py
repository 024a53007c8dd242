"""Thin Celery wrappers around ward services. The periodic job is also a management command
(send_funding_monitoring_reminders), so cron or a person can run it by hand."""

from celery import shared_task

from kirklees.jobs.services import job_run

from .services import funding as services


# Idempotent by construction (a conditional UPDATE claims each award once), so a redelivered
# message does no harm.
@shared_task(acks_late=True)
def funding_monitoring_reminders():
    with job_run(services.JOB_FUNDING_REMINDERS) as run:
        marked = services.funding_monitoring_reminders_send()
        run.summary = f"{marked} award{'s' if marked != 1 else ''} marked monitoring due"
    return run.summary
