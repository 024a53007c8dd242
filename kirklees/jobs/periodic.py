"""A periodic job is declared once: its schedule and description in settings.SCHEDULED_JOBS (which
beat runs and the scheduled jobs page reads, importing no app), its work in the function that
`periodic_job` makes into the task that entry names."""

import functools
from collections.abc import Callable
from typing import Any

from celery import shared_task

from .services import job_run


def _never_failed(result: Any) -> bool:
    return False


def periodic_job(name: str, *, summary: Callable[[Any], str] = str,
                 failed: Callable[[Any], bool] = _never_failed, **task_options):
    """Make the decorated function the Celery task that beat runs as `name` (its key in
    settings.SCHEDULED_JOBS, whose "task" is the function's dotted path), recording each run under
    that name: when it started and ended, and what it did.

    The function's result is the task's. `summary(result)` is what the jobs page says the run did;
    `failed(result)` says it did its work but some of it failed (an email that could not be sent).
    An exception is recorded with its error, then re-raised. `task_options` go to Celery
    (`acks_late=True` only where a redelivered message does no harm).
    """
    def decorate(work):
        @functools.wraps(work)
        def run_and_record(*args, **kwargs):
            with job_run(name) as run:
                result = work(*args, **kwargs)
                run.summary = summary(result)
                run.failed = failed(result)
            return result

        return shared_task(job_name=name, **task_options)(run_and_record)

    return decorate
