"""The data page: upload a CSV file, check its preview, confirm it; and export every list."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_POST

from wards import permissions
from kirklees.audit.reads import personal_data_csv
from kirklees.csvfiles import CsvFileError, csv_response
from kirklees.govuk.uploads import UploadSizeLimit
from kirklees.refusals import add_refusal
from wards.models import ImportBatch

from pages.selectors import dataimport as selectors
from pages.services import dataimport as services
from pages.forms.dataimport import UploadForm
from pages.importers import IMPORTERS, importer_for


@csrf_exempt
def index(request):
    """The size limit has to be in place before anything reads the request body, and checking the
    CSRF token reads it: so the token is checked by the view this one calls, not by the middleware."""
    limit = None
    if request.method == "POST":
        limit = UploadSizeLimit(request, limit=services.MAX_UPLOAD_BYTES)
        request.upload_handlers.insert(0, limit)
    return _index(request, limit)


@csrf_protect
@login_required
def _index(request, limit: UploadSizeLimit | None):
    permissions.require(permissions.can_manage_reference_data(request.user))
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES, too_big=bool(limit and limit.too_big))
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                batch = services.import_upload(by=request.user, kind=form.cleaned_data["kind"],
                                               file_name=upload.name or "upload.csv", data=upload.read())
            except CsvFileError as exc:
                add_refusal(form, exc, field="file")
            else:
                return redirect("dataimport:preview", pk=batch.pk)
    else:
        form = UploadForm()
    last = selectors.import_batches_last_applied()
    recent = list(selectors.import_batches_recent())
    for batch in recent:
        batch.kind_title = IMPORTERS[batch.kind].title if batch.kind in IMPORTERS else batch.kind
    return render(request, "pages/dataimport/index.html", {
        "form": form,
        "kinds": [{"importer": importer, "last": last.get(kind)} for kind, importer in IMPORTERS.items()],
        "recent": recent,
    })


def _batch_or_404(pk) -> ImportBatch:
    return get_object_or_404(ImportBatch.objects.select_related("uploaded_by"), pk=pk, kind__in=list(IMPORTERS))


@login_required
@require_GET
def preview(request, pk):
    permissions.require(permissions.can_manage_reference_data(request.user))
    batch = _batch_or_404(pk)
    importer = importer_for(batch.kind)
    context = {"batch": batch, "importer": importer}
    if batch.applied_at is None:
        try:
            plan = services.import_preview(batch=batch)
        except CsvFileError as exc:
            context["file_errors"] = exc.errors
        else:
            context |= {"plan": plan, "counts": plan.counts, "errors": plan.errors}
    return render(request, "pages/dataimport/preview.html", context | {"error_title": bool(context.get("errors"))})


@login_required
@require_POST
def confirm(request, pk):
    permissions.require(permissions.can_manage_reference_data(request.user))
    batch = _batch_or_404(pk)
    try:
        services.import_apply(batch=batch, by=request.user, fingerprint=request.POST.get("fingerprint", ""))
    except services.ImportRefused as refused:
        add_refusal(request, refused)  # the preview it goes back to shows the rows as they now are
    else:
        counts = batch.report["applied"]
        messages.success(request, f"{batch.file_name} imported: {counts['create']} created, "
                                  f"{counts['update']} updated, {counts['unchanged']} unchanged")
    return redirect("dataimport:preview", pk=batch.pk)


@login_required
@require_GET
def export(request, kind):
    permissions.require(permissions.can_manage_reference_data(request.user))
    importer = importer_for(kind)
    return personal_data_csv(request, f"{kind}-{timezone.localdate().isoformat()}.csv", importer.column_names,
                             selectors.export_rows(importer))


@login_required
@require_GET
def template(request, kind):
    permissions.require(permissions.can_manage_reference_data(request.user))
    importer = importer_for(kind)
    return csv_response(f"{kind}-template.csv", importer.column_names, [importer.example_row()])
