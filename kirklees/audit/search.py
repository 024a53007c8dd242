"""Searching the audit trail: the changes in every audit table and the reads, as one list, newest
first. What the filters mean in the service's terms (a case reference, a resident) is the caller's:
it passes the rows it means as `objects`, {"casework.case": {ids}, ...}."""

import datetime
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import OuterRef, Q, Subquery

from .models import ReadRecord
from .retention import audit_models

ACTIONS = {"insert": "Added", "update": "Changed", "delete": "Deleted"}
# The column a person would know a row by, the first a model has.
LABEL_FIELDS = ("reference", "full_name", "name", "title", "original_name", "label", "email", "reason")


@dataclass
class AuditRow:
    at: datetime.datetime
    action: str
    what: str  # "case", "resident", ...: the model's verbose name
    object_type: str
    object_id: str
    label: str
    user_id: int | None
    source: str  # how it was done: a page, a job, a command, or SQL from outside the app
    changed: list[str] = field(default_factory=list)
    user: object = None


def _source(context: dict | None, db_user: str) -> str:
    context = context or {}
    if context.get("path"):
        return f"{context.get('method', '')} {context['path']}".strip()
    if context.get("task"):
        return f"Job {context['task']}"
    if context.get("command"):
        return f"Command {context['command']} (run by {context.get('os_user') or 'unknown'})"
    return f"SQL outside the app (database role {db_user})"


def _snapshot_fields(model) -> list:
    return [f for f in model._meta.concrete_fields if not f.name.startswith("pgh_")]


def _label(event, fields) -> str:
    names = {f.name for f in fields}
    for name in LABEL_FIELDS:
        if name in names and getattr(event, name):
            return str(getattr(event, name))
    return f"#{event.pgh_obj_id}"


def _changes(model, events) -> dict[int, list[str]]:
    """For each update row, the names of the columns that differ from the row before it."""
    updates = [e for e in events if e.pgh_label == "update" and e.previous_id]
    if not updates:
        return {}
    previous = model.objects.in_bulk([e.previous_id for e in updates], field_name="pgh_id")
    fields = [f for f in _snapshot_fields(model) if f.name not in ("updated_at", "version")]
    changed = {}
    for event in updates:
        before = previous.get(event.previous_id)
        if before is not None:
            changed[event.pgh_id] = [str(f.verbose_name) for f in fields
                                     if getattr(before, f.attname) != getattr(event, f.attname)]
    return changed


def _change_rows(model, *, ids, user_id, since, until, limit) -> list[AuditRow]:
    rows = model.objects.all()
    if ids is not None:
        rows = rows.filter(pgh_obj_id__in=ids)
    if user_id is not None:
        rows = rows.filter(pgh_context__user=user_id)
    if since is not None:
        rows = rows.filter(pgh_created_at__gte=since)
    if until is not None:
        rows = rows.filter(pgh_created_at__lt=until)
    rows = rows.annotate(previous_id=Subquery(
        model.objects.filter(pgh_obj_id=OuterRef("pgh_obj_id"), pgh_id__lt=OuterRef("pgh_id"))
        .order_by("-pgh_id").values("pgh_id")[:1]))
    events = list(rows.order_by("-pgh_created_at", "-pgh_id")[:limit])
    changed = _changes(model, events)
    tracked = model.pgh_tracked_model._meta
    fields = _snapshot_fields(model)
    return [AuditRow(at=e.pgh_created_at, action=ACTIONS.get(e.pgh_label, e.pgh_label), what=str(tracked.verbose_name),
                     object_type=tracked.label_lower, object_id=str(e.pgh_obj_id), label=_label(e, fields),
                     user_id=(e.pgh_context or {}).get("user"), source=_source(e.pgh_context, e.pgh_db_user),
                     changed=changed.get(e.pgh_id, []))
            for e in events]


def _read_rows(*, objects, user_id, since, until, limit) -> list[AuditRow]:
    reads = ReadRecord.objects.all()
    if objects is not None:
        wanted = Q(pk__in=[])
        for object_type, ids in objects.items():
            wanted |= Q(object_type=object_type, object_id__in=[str(i) for i in ids])
        reads = reads.filter(wanted)
    if user_id is not None:
        reads = reads.filter(user_id=user_id)
    if since is not None:
        reads = reads.filter(at__gte=since)
    if until is not None:
        reads = reads.filter(at__lt=until)
    return [AuditRow(at=r.at, action=r.get_kind_display(), what=r.object_type.rpartition(".")[2] or "export",
                     object_type=r.object_type, object_id=r.object_id, label=r.label + (
                         f" ({r.rows} rows)" if r.rows is not None else ""),
                     user_id=r.user_id, source=r.path or "")
            for r in reads.order_by("-at", "-id")[:limit]]


def audit_search(*, objects: dict[str, set] | None = None, user_id: int | None = None,
                 since: datetime.datetime | None = None, until: datetime.datetime | None = None,
                 limit: int = 500) -> tuple[list[AuditRow], bool]:
    """The newest `limit` audit rows matching every filter given, and whether there were more.

    `objects` limits the search to those rows of those models ("app.model" → ids) and the reads of
    them; None means every row. `user_id` is the person acting; `since`/`until` a time range."""
    found = []
    for model in audit_models():
        label = model.pgh_tracked_model._meta.label_lower
        if objects is not None and not objects.get(label):
            continue
        found += _change_rows(model, ids=None if objects is None else objects[label], user_id=user_id,
                              since=since, until=until, limit=limit + 1)
    found += _read_rows(objects=objects, user_id=user_id, since=since, until=until, limit=limit + 1)
    found.sort(key=lambda row: row.at, reverse=True)
    more = len(found) > limit
    found = found[:limit]
    users = get_user_model().objects.in_bulk({row.user_id for row in found if row.user_id})
    for row in found:
        row.user = users.get(row.user_id)
    return found, more
