from celery import shared_task

from kirklees.jobs.periodic import periodic_job

from . import services


# Idempotent (each email is claimed before it is sent), so acks_late is safe: a worker that dies
# mid-task has its message redelivered and the claim stops a second send.
@shared_task(acks_late=True, autoretry_for=(Exception,), retry_backoff=True, retry_backoff_max=600,
             max_retries=8)
def send_notification_emails(ids):
    return services.notifications_send_emails(ids=ids)


def _counts(result: dict[str, int]) -> str:
    return ", ".join(f"{count} {what}" for what, count in result.items())


def _some_failed(result: dict[str, int]) -> bool:
    return any(what.endswith("failed") for what in result)


@periodic_job("send-pending-emails", acks_late=True, summary=_counts, failed=_some_failed)
def send_pending_emails():
    return services.emails_send_pending()


# Idempotent like the emails: each update is claimed before it goes.
@shared_task(acks_late=True, autoretry_for=(Exception,), retry_backoff=True, retry_backoff_max=600,
             max_retries=8)
def send_updates(ids):
    from .updates import updates_send_now

    return updates_send_now(ids=ids)
