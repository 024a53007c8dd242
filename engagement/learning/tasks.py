"""Thin Celery wrapper: the reminder job is also `manage.py send_event_reminders`."""
from kirklees.jobs.periodic import periodic_job

from . import services


# Idempotent (each booking is marked reminded in the UPDATE that picks it), so acks_late is safe.
@periodic_job("event-reminders", acks_late=True)
def send_event_reminders():
    return f"{services.event_reminders_send()} event reminders sent"
