"""Thin Celery wrappers: each periodic job is also a management command (run_sla_sweep, run_retention,
send_daily_digest, check_handover), so cron or a person can run it by hand."""

from kirklees.jobs.periodic import periodic_job

from . import escalation, handover, retention


# Idempotent by construction (see escalation.py), so a redelivered message does no harm.
@periodic_job("sla-sweep", acks_late=True)
def sla_sweep():
    return str(escalation.sla_sweep())


@periodic_job("daily-digest", acks_late=True)
def daily_digest():
    return f"{escalation.digests_send()} digests sent"


@periodic_job("handover-check", acks_late=True)
def handover_check():
    return str(handover.handover_check())


# Idempotent: a resident anonymised once is skipped by every later run (casework.retention).
@periodic_job("resident-retention", acks_late=True)
def resident_retention():
    return str(retention.residents_anonymise_past_retention())
