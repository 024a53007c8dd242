"""Thin Celery wrappers: each periodic job is also a management command (run_sla_sweep,
send_daily_digest), so cron or a person can run it by hand."""

from celery import shared_task

from kirklees.jobs.services import job_run

from . import escalation


# Idempotent by construction (see escalation.py), so a redelivered message does no harm.
@shared_task(acks_late=True)
def sla_sweep():
    with job_run(escalation.JOB_SWEEP) as run:
        run.summary = str(escalation.sla_sweep())
    return run.summary


@shared_task(acks_late=True)
def daily_digest():
    with job_run(escalation.JOB_DIGEST) as run:
        run.summary = f"{escalation.digests_send()} digests sent"
    return run.summary
