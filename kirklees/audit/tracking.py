"""`tracked()`: the one way a model joins the audit trail."""

import pghistory
import pgtrigger
from django.db import models

from .models import AuditEvent, no_truncate

AUDIT_MODEL_SUFFIX = "Audit"


def tracked(*, exclude: tuple[str, ...] = ()):
    """Class decorator: every insert, update and delete of the model's rows writes a row to its
    `<Model>Audit` table by trigger, whatever wrote it (the ORM, a bulk `.update()`, raw SQL, the
    admin, a migration). The audit table refuses UPDATE, DELETE and TRUNCATE, and the model's own
    table refuses TRUNCATE, which would empty it without a row trigger seeing.

    `exclude`: columns not to copy (a password hash, a time that changes at every sign-in); a change
    to only those writes no audit row."""

    def decorate(model):
        name = model.__name__
        pghistory.track(
            pghistory.InsertEvent(),
            pghistory.UpdateEvent(),
            pghistory.DeleteEvent(),
            exclude=list(exclude),
            obj_field=pghistory.ObjForeignKey(related_name="audit_rows"),
            model_name=f"{name}{AUDIT_MODEL_SUFFIX}",
            base_model=AuditEvent,
            append_only=True,
            meta={
                "triggers": [no_truncate("no_truncate", "the audit trail is append-only")],
                "indexes": [models.Index(fields=["pgh_created_at"], name=f"{name.lower()[:18]}_audit_at")],
            },
        )(model)
        return pgtrigger.register(no_truncate("audited_no_truncate", "its changes are audited row by row"))(model)

    return decorate
