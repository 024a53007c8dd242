"""Uploading a CSV file, previewing it, and applying it: all of it or none of it, once.

Only people who may manage reference data (wards/permissions.py) import. A file is kept as an
ImportBatch from its upload, so the preview has an address and the record says who loaded what.
"""
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from wards import permissions
from kirklees.csvfiles import CsvFileError, decode_csv
from kirklees.refusals import Refused
from wards.models import ImportBatch

from pages.importers import importer_for
from pages.importers.planning import Plan, plan_import

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
# Any constant will do, as long as nothing else takes this advisory lock.
IMPORT_LOCK = 0x4B4952_494D50


class ImportRefused(Refused):
    """The batch cannot be applied, for the reason in `message` (and the rows' `errors`, if that is
    the reason). Nothing was written."""

    def __init__(self, message: str, errors: list[str] = ()):
        super().__init__(message)
        self.errors = list(errors)


class AlreadyApplied(ImportRefused):
    """Someone imported this file already (perhaps a moment ago, from another tab)."""


class PreviewOutdated(ImportRefused):
    """The data changed after the preview, so applying would not do what the admin was shown."""


def size_limit_message() -> str:
    return (f"The file is larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB. Split it into smaller files, "
            "or remove columns and rows that are not needed.")


def import_upload(*, by, kind: str, file_name: str, data: bytes) -> ImportBatch:
    """Keep an uploaded file for its preview. Raises CsvFileError if the file as a whole is wrong
    (too big, not UTF-8, wrong columns, no rows); then nothing is kept."""
    permissions.require(permissions.can_manage_reference_data(by))
    importer = importer_for(kind)
    if len(data) > MAX_UPLOAD_BYTES:
        raise CsvFileError([size_limit_message()])
    text = decode_csv(data)
    plan = plan_import(importer, text)
    return ImportBatch.objects.create(
        kind=kind, file_name=file_name[-255:], content=text, uploaded_by=by,
        report={"preview": plan.counts},
    )


def import_preview(*, batch: ImportBatch) -> Plan:
    """What applying the batch would do to the data as it is now (read only)."""
    return plan_import(importer_for(batch.kind), batch.content)


@transaction.atomic
def import_apply(*, batch: ImportBatch, by, fingerprint: str) -> ImportBatch:
    """Apply every row of a previewed batch, or none.

    Imports take turns (an advisory lock), so each one plans against data no other import is
    changing. The batch is claimed with a conditional update: a second confirm, even one sent at
    the same moment, waits for the first and then finds the batch already applied. The plan is
    made again, inside the transaction: if the data changed since the preview so that the file
    now has errors, or would now do something else than the admin was shown, nothing is written.
    """
    permissions.require(permissions.can_manage_reference_data(by))
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [IMPORT_LOCK])
    now = timezone.now()
    if ImportBatch.objects.filter(pk=batch.pk, applied_at__isnull=True).update(applied_at=now) != 1:
        batch.refresh_from_db()
        when = timezone.localtime(batch.applied_at)
        raise AlreadyApplied(f"This file was already imported, on {when:%-d %B %Y at %H:%M}. Nothing more was "
                             "changed.")
    importer = importer_for(batch.kind)
    try:
        plan = plan_import(importer, batch.content)
    except CsvFileError as exc:  # only if the columns the app expects have changed since the upload
        raise ImportRefused("Nothing was imported: the file no longer has the columns this import needs.",
                            exc.errors) from exc
    if plan.errors:
        raise ImportRefused("Nothing was imported: some rows now have problems, listed below (the data may have "
                            "changed since the preview).", plan.errors)
    if plan.fingerprint != fingerprint:
        raise PreviewOutdated("Nothing was imported: the data has changed since the preview, so the file would now "
                              "do something different. Check the new preview below and confirm again.")
    changing = [row for row in plan.rows if row.action in ("create", "update")]
    try:
        importer.before_writing(changing)
        for row in changing:
            importer.write(row, by=by)
    except IntegrityError as exc:
        # Someone saved a clashing record through a form while this import was being planned. The
        # transaction is rolled back as the exception leaves it.
        raise ImportRefused("Nothing was imported: someone changed the same records while this file was being "
                            "imported. Check the preview again.") from exc
    batch.applied_at = now
    batch.report = {"preview": batch.report.get("preview", {}), "applied": plan.counts,
                    "applied_by": str(by), "rows": plan.as_report()}
    ImportBatch.objects.filter(pk=batch.pk).update(report=batch.report)
    return batch
