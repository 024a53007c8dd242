from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from pages.forms.boundary import BoundaryMappingForm
from pages.services.boundary import (BoundaryChangeError, arrangements, boundary_change_apply, boundary_change_done,
                                     boundary_preview, preview_fingerprint)
from kirklees.refusals import add_refusal
from wards import permissions
from wards.models import BoundaryChange


@login_required
def boundary_change(request):
    permissions.require(permissions.can_manage_reference_data(request.user))
    found = arrangements()
    context = {"arrangements": found, "history": BoundaryChange.objects.select_related("made_by")[:10]}
    if found is None:
        return render(request, "pages/boundary/boundary_change.html", context)
    done = boundary_change_done(found.effective_on)
    if done:
        return render(request, "pages/boundary/boundary_change.html", context | {"done": done})

    form = BoundaryMappingForm(request.POST or None, arrangements=found)
    report = refused = None
    if request.method == "POST" and form.is_valid():
        if "confirm" in request.POST:
            try:
                change = boundary_change_apply(mapping=form.mapping(), effective_on=found.effective_on,
                                               fingerprint=form.cleaned_data["fingerprint"], by=request.user)
            except BoundaryChangeError as error:
                refused = error
            else:
                totals = change.report["totals"]
                messages.success(request, f"Boundary change made: {totals['cases']} open cases, "
                                          f"{totals['priorities']} priorities and {totals['places']} places moved.")
                return redirect("boundary:change")
        report = boundary_preview(mapping=form.mapping())
        data = form.data.copy()
        data["fingerprint"] = preview_fingerprint(report)
        form = BoundaryMappingForm(data, arrangements=found)
        form.is_valid()
        if refused:
            add_refusal(form, refused)
    return render(request, "pages/boundary/boundary_change.html", context | {
        "form": form, "report": report,
        "groups": [{**g, "main": form[g["main"]], "also": form[g["also"]], "places": [form[p] for p in g["places"]]}
                   for g in form.groups],
    })
