"""Reads of personal data, recorded by the app: a trigger sees writes only."""

from kirklees.csvfiles import csv_response

from .models import ReadRecord

Kind = ReadRecord.Kind


def record_read(by, kind: str, *, obj=None, label: str = "", rows: int | None = None, request=None) -> ReadRecord:
    """One ReadRecord: `by` read `obj` (any model instance; what a person calls it in `label`), or
    an export of `rows` rows. The page's path is kept without its query string."""
    return ReadRecord.objects.create(
        user=by, kind=kind, label=label[:200], rows=rows,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        path=request.path[:300] if request is not None else "",
    )


def personal_data_csv(request, filename: str, header: list[str], rows, *, label: str = "",
                      kind: str = Kind.EXPORT_DOWNLOADED):
    """csv_response for a download that holds personal data, recorded with its row count first."""
    rows = list(rows)
    record_read(request.user, kind, label=label or filename, rows=len(rows), request=request)
    return csv_response(filename, header, rows)
