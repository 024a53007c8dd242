"""Reads for the data page, each one query however many imports there have been."""
from wards.models import ImportBatch

from pages.importers import Importer
from pages.importers.references import References


def import_batches_recent(limit: int = 20):
    return ImportBatch.objects.select_related("uploaded_by").order_by("-uploaded_at", "-pk")[:limit]


def import_batches_last_applied() -> dict[str, ImportBatch]:
    """The latest applied import of each kind."""
    batches = (ImportBatch.objects.filter(applied_at__isnull=False).select_related("uploaded_by")
               .order_by("kind", "-applied_at").distinct("kind"))
    return {batch.kind: batch for batch in batches}


def export_rows(importer: Importer):
    """Every record of the kind, as rows of the columns its import reads (so they round-trip)."""
    refs = References()
    for record in importer.export_records(refs):
        cells = importer.cells(importer.values_of(record, refs), refs)
        yield [cells[column] for column in importer.column_names]
