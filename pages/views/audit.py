"""The audit search, for liaison managers: who changed or read what, and when."""

import datetime

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from kirklees.audit.reads import Kind as ReadKind
from kirklees.audit.reads import personal_data_csv
from kirklees.audit.search import audit_search
from kirklees.govuk.forms import query_without_page
from kirklees.permissions import require

from ..forms.audit import AuditSearchForm
from ..selectors import audit as scopes

SHOWN = 200
EXPORTED = 10_000


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _search(filters: dict, limit: int):
    """The audit rows the filters ask for; a note when the filters could not be used as typed."""
    objects, notes = None, []
    if filters.get("reference"):
        objects = scopes.both(objects, scopes.rows_of_case(filters["reference"]))
    if filters.get("resident"):
        residents, too_many = scopes.rows_of_residents(filters["resident"])
        objects = scopes.both(objects, residents)
        if too_many:
            notes.append(f"More than {scopes.RESIDENTS_AT_MOST} residents match “{filters['resident']}”: "
                         f"only the first {scopes.RESIDENTS_AT_MOST} are searched. Type more of the name.")
    user_id = None
    if filters.get("person"):
        user_id = scopes.person_id(filters["person"])
        if user_id is None:
            notes.append(f"Nobody has the email address {filters['person']}.")
            return [], False, notes
    rows, more = audit_search(
        objects=objects, user_id=user_id,
        since=_start_of(filters["since"]) if filters.get("since") else None,
        until=_start_of(filters["until"] + datetime.timedelta(days=1)) if filters.get("until") else None,
        limit=limit)
    return rows, more, notes


@login_required
def audit_search_page(request):
    require(request.user.is_liaison_manager)
    form = AuditSearchForm(request.GET or None)
    rows, more, notes = [], False, []
    if not form.is_bound or form.is_valid():
        filters = form.cleaned_data if form.is_bound else {}
        if request.GET.get("format") == "csv":
            return _csv(request, filters)
        rows, more, notes = _search(filters, SHOWN)
    return render(request, "pages/audit/search.html", {
        "form": form, "rows": rows, "more": more, "notes": notes, "shown": SHOWN,
        "csv_query": query_without_page(request),
    })


def _csv(request, filters):
    rows, _, _ = _search(filters, EXPORTED)
    return personal_data_csv(request, f"audit-{timezone.localdate().isoformat()}.csv", [
        "when", "person", "action", "what", "id", "label", "fields changed", "how"], (
        [timezone.localtime(row.at).isoformat(timespec="seconds"), row.user.email if row.user else "",
         row.action, row.what, row.object_id, row.label, "; ".join(row.changed), row.source]
        for row in rows), label="Audit search", kind=ReadKind.AUDIT_EXPORTED)
