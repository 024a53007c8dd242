"""How the service is, for whoever runs it: the database, Redis, each scheduled job's last run and
the oldest email still waiting. Counts and times only, never a person's details.
"""
import redis
from django.conf import settings
from django.db import DatabaseError, connection
from django.db.models import Min
from django.utils import timezone

from .jobs.services import jobs_latest_runs
from .notifications.models import Notification, OutboundEmail

TIMEOUT_SECONDS = 2


def _database_up() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return False
    return True


def _redis_up() -> bool:
    """The Redis that the worker and beat take their work from (a cache miss alone harms nobody).

    REDIS_URL as given (redis://, or unix:// for the embedded server), which redis-py reads; the
    broker's own spelling of it (redis+socket://) is kombu's."""
    try:
        client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=TIMEOUT_SECONDS,
                                      socket_timeout=TIMEOUT_SECONDS)
        try:
            return bool(client.ping())
        finally:
            client.close()
    except redis.RedisError:
        return False


def _age_seconds(moment, now) -> int | None:
    return None if moment is None else max(0, int((now - moment).total_seconds()))


def health_report() -> tuple[bool, dict]:
    """(whether people can use the service, what to show). Down means the database or Redis cannot
    be reached: without the database no page works, without Redis no email, reminder or chaser goes."""
    now = timezone.now()
    checks = {"database": _database_up(), "redis": _redis_up()}
    report = {"ok": all(checks.values()), **{name: "up" if up else "down" for name, up in checks.items()}}
    if checks["database"]:
        report["jobs"] = {
            name: None if run is None else {"last_started_seconds_ago": _age_seconds(run.started_at, now),
                                            "finished": run.finished_at is not None, "ok": run.ok}
            for name, _description, run in jobs_latest_runs()
        }
        unsent = [Notification.objects.filter(email_wanted=True, email_sent_at__isnull=True),
                  OutboundEmail.objects.filter(sent_at__isnull=True)]
        waiting = [at for at in (emails.aggregate(at=Min("created_at"))["at"] for emails in unsent) if at is not None]
        report["oldest_unsent_email_seconds"] = _age_seconds(min(waiting), now) if waiting else None
    return report["ok"], report
