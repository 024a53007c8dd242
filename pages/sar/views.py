"""Subject access requests: the list, starting one from a case's resident, the request's page
with its clock, the bundle's download, the extension and marking it sent."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from casework.models import Case
from kirklees.audit.reads import Kind as ReadKind
from kirklees.audit.reads import record_read
from kirklees.govuk.forms import posted
from kirklees.refusals import Refused, add_refusal

from . import bundle as bundles
from . import clock, permissions, selectors, services
from .forms import SarExtendForm, SarStartForm


@login_required
def sar_list(request):
    requests = permissions.sars_visible_to(request.user)
    open_requests, answered = selectors.sars_for_list(requests)
    return render(request, "sar/sar_list.html", {"open_requests": open_requests, "answered": answered,
                                                 "today": timezone.localdate()})


@login_required
def sar_start(request, resident_id):
    resident = permissions.get_resident_for_sar(request.user, resident_id)
    scope = permissions.scope_for(request.user)
    cases = Case.objects.filter(resident=resident)
    if scope is not None:
        cases = cases.filter(owner=scope)
    form = SarStartForm(posted(request), initial={"received_on": timezone.localdate()})
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            sar = services.sar_start(by=request.user, resident=resident, **form.cleaned_data)
        except Refused as refusal:
            status = add_refusal(form, refusal)
        else:
            messages.success(request, f"Subject access request started: it is due on {sar.due_on:%-d %B %Y}.")
            return redirect(sar)
    return render(request, "sar/sar_start.html", {"form": form, "resident": resident, "scope": scope,
                                                  "case_count": cases.count()}, status=status)


@login_required
def sar_detail(request, pk):
    sar = permissions.get_sar_for_user(request.user, pk)
    return render(request, "sar/sar_detail.html", {"sar": sar, "exports": selectors.sar_exports(sar),
                                                   "today": timezone.localdate()})


@login_required
def sar_bundle(request, pk):
    sar = permissions.get_sar_for_user(request.user, pk)
    bundle = bundles.bundle_gather(sar, by=request.user)
    zip_file = bundles.bundle_write(bundle)
    record_read(request.user, ReadKind.SAR_EXPORTED, obj=sar, label=f"Subject access request {sar.pk}",
                rows=bundle.item_count, request=request)
    return FileResponse(zip_file, as_attachment=True, filename=f"subject-access-request-{sar.pk}.zip",
                        content_type="application/zip")


@login_required
def sar_extend(request, pk):
    sar = permissions.get_sar_for_user(request.user, pk)
    form = SarExtendForm(posted(request))
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            sar = services.sar_extend(by=request.user, sar=sar, reason=form.cleaned_data["reason"])
        except Refused as refusal:
            status = add_refusal(form, refusal)
        else:
            messages.success(request, f"Extended: the request is now due on {sar.due_on:%-d %B %Y}. "
                                      "Tell the resident, and why.")
            return redirect(sar)
    return render(request, "sar/sar_extend.html", {
        "form": form, "sar": sar, "extended_due_on": clock.sar_extended_due_on(sar.received_on)}, status=status)


@login_required
@require_POST
def sar_complete(request, pk):
    sar = permissions.get_sar_for_user(request.user, pk)
    try:
        services.sar_complete(by=request.user, sar=sar)
    except Refused as refusal:
        add_refusal(request, refusal)
    else:
        messages.success(request, "Marked as sent to the resident.")
    return redirect(sar)
