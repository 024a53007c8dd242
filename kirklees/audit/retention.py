"""How long the audit trail keeps its rows: settings.AUDIT_RETENTION_DAYS (six years unless set;
never less than one).

The audit tables refuse DELETE twice over: the runtime role has no DELETE privilege on them
(settings.APPEND_ONLY_TABLES) and each has an append-only trigger. The one way round both is the
database function `audit_rows_delete_before` (migration audit 0002), which runs with the schema
owner's privileges, deletes only rows older than its cutoff, and refuses any cutoff less than a
year ago, whoever calls it. So the worker runs this job as the runtime role, with no owner's password.
"""

import datetime
import logging

from django.apps import apps
from django.conf import settings
from django.db import connection
from django.utils import timezone

from .models import AuditEvent

logger = logging.getLogger("kirklees.audit")


def audit_models() -> list:
    """Every audit table's model (one per @tracked() model), in a stable order."""
    return sorted((model for model in apps.get_models() if issubclass(model, AuditEvent)),
                  key=lambda model: model._meta.label)


def audit_rows_delete_old(*, now: datetime.datetime | None = None) -> int:
    """Delete audit rows and read records older than the retention period; returns how many."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=settings.AUDIT_RETENTION_DAYS)
    with connection.cursor() as cursor:
        cursor.execute("SELECT audit_rows_delete_before(%s)", [cutoff])
        deleted = cursor.fetchone()[0]
    logger.info("audit retention: %s rows older than %s deleted", deleted, cutoff.date().isoformat())
    return deleted
