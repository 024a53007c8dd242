from celery import shared_task

from kirklees.jobs.services import job_run

from . import services

JOB_EMAILS = "send-pending-emails"  # its name in settings.SCHEDULED_JOBS


# Idempotent (each email is claimed before it is sent), so acks_late is safe: a worker that dies
# mid-task has its message redelivered and the claim stops a second send.
@shared_task(acks_late=True, autoretry_for=(Exception,), retry_backoff=True, retry_backoff_max=600,
             max_retries=8)
def send_notification_emails(ids):
    return services.notifications_send_emails(ids=ids)


@shared_task(acks_late=True)
def send_pending_emails():
    with job_run(JOB_EMAILS) as run:
        result = services.emails_send_pending()
        run.summary = ", ".join(f"{count} {what}" for what, count in result.items())
        run.failed = any(what.endswith("failed") for what in result)
    return result
