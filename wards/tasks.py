"""Thin Celery wrappers around ward services. The periodic job is also a management command
(send_funding_monitoring_reminders), so cron or a person can run it by hand."""

from kirklees.jobs.periodic import periodic_job

from .services import funding as services


# Idempotent by construction (a conditional UPDATE claims each award once), so a redelivered
# message does no harm.
@periodic_job("funding-monitoring-reminders", acks_late=True)
def funding_monitoring_reminders():
    marked = services.funding_monitoring_reminders_send()
    return f"{marked} award{'s' if marked != 1 else ''} marked monitoring due"
