import logging
from contextlib import contextmanager
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from .models import JobRun

logger = logging.getLogger(__name__)


def jobs_scheduled() -> dict[str, str]:
    """Each job beat runs -> what it does: read from the schedule itself (settings.SCHEDULED_JOBS),
    so the page lists every job whichever modules this process happens to have imported."""
    return {name: job["description"] for name, job in settings.SCHEDULED_JOBS.items()}


@contextmanager
def job_run(name: str):
    """Record a run of a periodic job: when it started and ended, and what it did.

    The body sets `run.summary`, and `run.failed` when it did its work but some of it failed (an
    email that could not be sent); an exception is recorded with its error, then re-raised.
    """
    run = JobRun.objects.create(name=name)
    try:
        yield run
    except Exception as exc:
        JobRun.objects.filter(pk=run.pk).update(finished_at=timezone.now(), ok=False,
                                                summary=f"Failed: {exc!r}"[:2000])
        raise
    JobRun.objects.filter(pk=run.pk).update(finished_at=timezone.now(), ok=not getattr(run, "failed", False),
                                            summary=run.summary)
    # A job that runs every minute would otherwise add half a million rows a year: its own runs
    # older than JOB_RUNS_KEPT_DAYS go (through the index on name and start).
    JobRun.objects.filter(name=name, started_at__lt=run.started_at - timedelta(days=settings.JOB_RUNS_KEPT_DAYS)
                          ).delete()


def jobs_latest_runs() -> list[tuple[str, str, JobRun | None]]:
    """Each known job with its latest run, in one query."""
    jobs = jobs_scheduled()
    latest = {run.name: run for run in JobRun.objects.filter(name__in=jobs).order_by("name", "-started_at")
              .distinct("name")}
    return [(name, description, latest.get(name)) for name, description in sorted(jobs.items())]
