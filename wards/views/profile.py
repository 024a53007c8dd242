"""Ward profile figures for staff: the list, adding, correcting and deleting one, and the export."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone

from kirklees.csvfiles import csv_response
from kirklees.govuk.forms import posted
from kirklees.refusals import Refused, add_refusal

from .. import permissions
from ..forms.profile import WardFigureForm
from ..selectors import profile as selectors
from ..services import profile as services
from .wards import ward_param


@login_required
def figure_list(request, pk):
    ward = permissions.get_ward_for_user(request.user, pk)
    return render(request, "wards/intel/figure_list.html", {
        "ward": ward, "figures": selectors.ward_figures_all(ward, timezone.localdate()),
        "admin": permissions.can_manage_reference_data(request.user),
    })


@login_required
def figure_create(request, pk):
    ward = permissions.get_ward_for_user(request.user, pk, to="manage")
    form = WardFigureForm(posted(request), ward=ward)
    if request.method == "POST" and form.is_valid():
        try:
            figure = services.ward_figure_create(by=request.user, ward=ward, **form.cleaned_data)
        except Refused as exc:
            add_refusal(form, exc)
        else:
            messages.success(request, f"{figure.name} added to {ward.name}’s profile")
            return redirect("wards:figures", pk=ward.pk)
    return render(request, "wards/intel/figure_form.html", {"form": form, "ward": ward, "figure": None})


@login_required
def figure_edit(request, pk):
    figure = permissions.get_figure_for_user(request.user, pk)
    form = WardFigureForm(posted(request), ward=figure.ward, figure=figure)
    if request.method == "POST" and form.is_valid():
        try:
            services.ward_figure_update(figure=figure, by=request.user, **form.cleaned_data)
        except Refused as exc:
            add_refusal(form, exc)
        else:
            messages.success(request, f"{figure.name} saved")
            return redirect("wards:figures", pk=figure.ward_id)
    return render(request, "wards/intel/figure_form.html", {"form": form, "ward": figure.ward, "figure": figure})


@login_required
def figure_delete(request, pk):
    figure = permissions.get_figure_for_user(request.user, pk)
    if request.method == "POST":
        services.ward_figure_delete(figure=figure, by=request.user)
        messages.success(request, f"{figure.name} as of {figure.as_of:%-d %B %Y} deleted")
        return redirect("wards:figures", pk=figure.ward_id)
    return render(request, "wards/intel/figure_delete.html", {"figure": figure, "ward": figure.ward})


@login_required
def figures_export(request):
    permissions.require(permissions.can_view_ward_data(request.user))
    figures = selectors.figures_export(ward_param(request))
    return csv_response(
        "ward-profile-figures.csv", ["ward", "name", "value", "unit", "source", "as_of"],
        ((f.ward.name, f.name, f.value, f.unit, f.source, f.as_of.isoformat()) for f in figures.iterator()))

