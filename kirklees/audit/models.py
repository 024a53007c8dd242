import pghistory.models
import pgtrigger
from django.contrib.postgres.fields import ArrayField
from django.conf import settings
from django.db import models
from django.utils import timezone


class CurrentRole(models.Expression):
    """SQL's CURRENT_USER: the database role running the statement, as a column's default."""

    allowed_default = True
    output_field = models.TextField()

    def as_sql(self, compiler, connection):
        return "CURRENT_USER", []


def no_truncate(name: str, what: str) -> pgtrigger.Trigger:
    """Row triggers do not fire on TRUNCATE, and a table's owner may truncate: this one refuses it.
    (The runtime role may not truncate anyway: settings.APPEND_ONLY_TABLES, kirklees.dbroles.)"""
    return pgtrigger.Trigger(
        name=name,
        level=pgtrigger.Statement,
        when=pgtrigger.Before,
        operation=pgtrigger.Truncate,
        func=f"RAISE EXCEPTION 'pgtrigger: Cannot truncate % table: {what}', TG_TABLE_NAME;",
    )


class AuditEvent(pghistory.models.Event):
    """What every audit row has beside the tracked model's own columns (a snapshot of the row after
    the change, or before a delete): pgh_created_at, pgh_label ("insert", "update", "delete"),
    pgh_obj (the row), pgh_context (who: kirklees.audit.context) and the database role."""

    pgh_db_user = models.TextField(db_default=CurrentRole(), editable=False)

    class Meta:
        abstract = True


class ReadRecord(models.Model):
    """Someone read personal data: opened a case or a form showing it, downloaded an attachment or
    an export. Written by the app (a read leaves nothing for a trigger to see); append-only."""

    class Kind(models.TextChoices):
        CASE_VIEWED = "case_viewed", "Opened the case"
        CASE_EDIT_OPENED = "case_edit_opened", "Opened the case's edit form"
        RESIDENT_EDIT_OPENED = "resident_edit_opened", "Opened the resident's details form"
        ATTACHMENT_DOWNLOADED = "attachment_downloaded", "Downloaded an attachment"
        EXPORT_DOWNLOADED = "export_downloaded", "Downloaded an export with personal data"
        AUDIT_EXPORTED = "audit_exported", "Downloaded audit records"
        SAR_EXPORTED = "sar_exported", "Downloaded a subject access request's bundle"

    at = models.DateTimeField(default=timezone.now, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    # What was read, named without a foreign key so that this floor knows no app: "casework.case"
    # and its id, and what a person would call it (the case reference, the export's name).
    object_type = models.CharField(max_length=60, blank=True)
    object_id = models.CharField(max_length=40, blank=True)
    label = models.CharField(max_length=200, blank=True)
    rows = models.PositiveIntegerField(null=True, blank=True, help_text="How many rows an export held.")
    path = models.CharField(max_length=300, blank=True, help_text="The page, without its query string.")

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["object_type", "object_id"], name="readrecord_by_object"),
            models.Index(fields=["user", "-at"], name="readrecord_by_user"),
        ]
        triggers = [
            pgtrigger.Protect(name="readrecord_append_only", operation=pgtrigger.Update | pgtrigger.Delete),
            no_truncate("readrecord_no_truncate", "the audit trail is append-only"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.label}"


class AuditRedaction(models.Model):
    """The audit rows of erased or anonymised people were redacted in place: who, when, why, how many.

    Written only by the database function `audit_rows_redact_residents` (migration audit 0003), in
    the same statement as the redaction itself, so that the trail says a redaction happened without
    keeping the values it removed. Append-only, like the rest of the trail.
    """

    class Reason(models.TextChoices):
        RETENTION = "retention", "Retention period passed"
        ERASURE = "erasure", "Right to erasure"

    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+",
                           help_text="Empty when the retention job acted.")
    reason = models.CharField(max_length=20, choices=Reason.choices)
    reference = models.CharField(max_length=100, help_text="What asked for it: an erasure request, a job run.")
    # The ids of the records whose audit rows were redacted (ids, never names).
    object_type = models.CharField(max_length=60)
    object_ids = ArrayField(models.BigIntegerField())
    rows = models.JSONField(default=dict, help_text="How many rows of each table were redacted.")
    db_user = models.TextField(db_default=CurrentRole(), editable=False)

    class Meta:
        ordering = ["-at", "-id"]
        triggers = [
            pgtrigger.Protect(name="auditredaction_append_only", operation=pgtrigger.Update | pgtrigger.Delete),
            no_truncate("auditredaction_no_truncate", "the audit trail is append-only"),
        ]

    def __str__(self):
        return f"{self.get_reason_display()}: {len(self.object_ids)} {self.object_type} ({self.reference})"
