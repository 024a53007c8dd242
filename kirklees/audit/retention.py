"""How long the audit trail keeps its rows: settings.AUDIT_RETENTION_DAYS (six years unless set;
never less than one).

The audit tables refuse DELETE twice over: the runtime role has no DELETE privilege on them
(settings.APPEND_ONLY_TABLES) and each has an append-only trigger. Deleting old rows is the schema
owner's, with those triggers skipped for its one transaction, and is itself logged.
"""

import datetime
import logging

import pgtrigger
from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from kirklees.dbroles.grants import connected_as_owner

from .models import AuditEvent, ReadRecord

logger = logging.getLogger("kirklees.audit")


def audit_models() -> list:
    """Every audit table's model (one per @tracked() model), in a stable order."""
    return sorted((model for model in apps.get_models() if issubclass(model, AuditEvent)),
                  key=lambda model: model._meta.label)


def audit_rows_delete_old(*, now: datetime.datetime | None = None) -> int:
    """Delete audit rows and read records older than the retention period; returns how many."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=settings.AUDIT_RETENTION_DAYS)
    models = audit_models()
    append_only = [f"{model._meta.label}:append_only" for model in models]
    deleted = 0
    with connected_as_owner(), transaction.atomic(), \
            pgtrigger.ignore(*append_only, "audit.ReadRecord:readrecord_append_only"):
        for model in models:
            deleted += model.objects.filter(pgh_created_at__lt=cutoff).delete()[0]
        deleted += ReadRecord.objects.filter(at__lt=cutoff).delete()[0]
    logger.info("audit retention: %s rows older than %s deleted", deleted, cutoff.date().isoformat())
    return deleted
