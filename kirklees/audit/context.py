"""Who is acting, for every row the audit triggers write.

django-pghistory prefixes each statement that writes with `set_config('pghistory.context_metadata',
...)`, local to its transaction, and the triggers copy that into the audit row (settings:
PGHISTORY_CONTEXT_FIELD, one JSON column per row, so an audit row never depends on another table
the app may update). Three kinds of actor set it:

- a request: the signed-in person's id, the method and the path, never the query string (which
  may hold a resident's name);
- a Celery task: the task's name and id (a periodic job's own rows are the job's);
- a management command: the command and the operating-system account that ran it.

A statement with no context at all (psql, another program) still records the database role that
ran it (`pgh_db_user`, the column's own default in the database).
"""

import pghistory
from celery import signals
from pghistory.middleware import HistoryMiddleware

_task_contexts: dict[str, pghistory.context] = {}
_command_context: pghistory.context | None = None


class AuditContextMiddleware(HistoryMiddleware):
    """Every request's writes are the signed-in person's (pghistory updates it when sign-in or
    sign-out changes request.user mid-request)."""

    def get_context(self, request):
        user = getattr(request, "user", None)
        return {
            "user": user.pk if getattr(user, "is_authenticated", False) else None,
            "method": request.method,
            "path": request.path,
        }


def command_context_enter(command: str, os_user: str) -> None:
    """For the rest of the process. The context is kept: were it collected, its hook would go too."""
    global _command_context
    _command_context = pghistory.context(command=command, os_user=os_user)
    _command_context.__enter__()


def _task_started(task_id=None, task=None, **kwargs):
    context = pghistory.context(task=task.name, task_id=task_id)
    context.__enter__()
    _task_contexts[task_id] = context


def _task_ended(task_id=None, **kwargs):
    context = _task_contexts.pop(task_id, None)
    if context is not None:
        context.__exit__(None, None, None)


def connect_job_signals():
    signals.task_prerun.connect(_task_started, weak=False, dispatch_uid="audit-task-started")
    signals.task_postrun.connect(_task_ended, weak=False, dispatch_uid="audit-task-ended")
