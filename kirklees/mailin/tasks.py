"""Thin Celery wrapper around the IMAP poller; also a management command (poll_mailbox), so cron
or a person can run it by hand."""

from kirklees.jobs.periodic import periodic_job

from .imap import mailbox_poll as poll


# Safe to redeliver or to overlap with another run: each message is claimed once (kirklees.mailin.imap).
@periodic_job("mailbox-poll", acks_late=True, failed=lambda result: bool(result.failed))
def mailbox_poll():
    return poll()
