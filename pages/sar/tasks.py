"""Thin Celery wrapper around the subject access reminders; also a management command
(send_sar_reminders), so cron or a person can run it by hand."""

from kirklees.jobs.periodic import periodic_job

from . import services


# Idempotent by construction (each reminder is claimed by an insert that only one run wins), so a
# redelivered message does no harm.
@periodic_job("sar-reminders", acks_late=True)
def sar_reminders():
    reminded = services.sar_reminders_send()
    return f"{reminded} subject access request{'s' if reminded != 1 else ''} reminded about"
