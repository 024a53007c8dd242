"""Wards for staff: the list of wards, a ward's page, its places and the places export."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from kirklees.csvfiles import csv_response
from kirklees.govuk.forms import posted
from kirklees.refusals import Refused, add_refusal

from .. import permissions
from ..forms.wards import PlaceForm
from ..models import Ward
from ..selectors import wards as selectors
from ..selectors.people import services_active
from ..services import wards as services


def ward_from_query(request, *, own_by_default: bool) -> Ward | None:
    """The ward a new record is for: ?ward=, or a councillor's own ward; None means ask."""
    chosen = request.GET.get("ward")
    if chosen is None and own_by_default:
        chosen = permissions.councillor_ward_id(request.user)
    if chosen is None:
        return None
    if not str(chosen).isdigit():
        raise Http404("No such ward")
    return permissions.get_ward_for_user(request.user, chosen)


def ward_param(request) -> Ward | None:
    """The ward an export is narrowed to (?ward=), if any."""
    value = request.GET.get("ward", "")
    return permissions.get_ward_for_user(request.user, value) if value.isdigit() else None


@login_required
def ward_list(request):
    """Every ward, the arrangement in force first and older ones marked, with links to ward data."""
    permissions.require(permissions.can_view_ward_data(request.user))
    today = timezone.localdate()
    user = request.user
    return render(request, "wards/ward_list.html", {
        "arrangements": selectors.ward_arrangements(today),
        "services": services_active(),
        "today": today,
        "admin": permissions.can_manage_reference_data(user),
        "can_brief": permissions.can_write_briefings(user),
        "own_ward_id": permissions.councillor_ward_id(user),
    })


@login_required
def ward_detail(request, pk):
    ward = permissions.get_ward_for_user(request.user, pk)
    today = timezone.localdate()
    user = request.user
    return render(request, "wards/intel/ward_detail.html", {
        "ward": ward,
        "page": selectors.ward_page(ward, today),
        "today": today,
        "standing": selectors.ward_standing(ward, today),
        "admin": permissions.can_manage_reference_data(user),
        "can_edit": permissions.can_edit_ward_content(user, ward.pk),
        "can_brief": permissions.can_write_briefings(user),
    })


# --- places --------------------------------------------------------------------------------------


@login_required
def place_list(request, pk):
    ward = permissions.get_ward_for_user(request.user, pk)
    return render(request, "wards/intel/place_list.html", {
        "ward": ward, "places": selectors.places_in_ward(ward),
        "admin": permissions.can_manage_reference_data(request.user),
    })


@login_required
def place_create(request, pk):
    ward = permissions.get_ward_for_user(request.user, pk, to="manage")
    form = PlaceForm(posted(request), ward=ward)
    if request.method == "POST" and form.is_valid():
        try:
            place = services.place_create(by=request.user, ward=ward, **form.cleaned_data)
        except Refused as exc:
            add_refusal(form, exc)
        else:
            messages.success(request, f"{place.name} added to {ward.name}")
            return redirect("wards:places", pk=ward.pk)
    return render(request, "wards/intel/place_form.html", {"form": form, "ward": ward, "place": None})


@login_required
def place_edit(request, pk):
    place = permissions.get_place_for_user(request.user, pk)
    form = PlaceForm(posted(request), ward=place.ward, place=place)
    if request.method == "POST" and form.is_valid():
        try:
            services.place_update(place=place, by=request.user, **form.cleaned_data)
        except Refused as exc:
            add_refusal(form, exc)
        else:
            messages.success(request, f"{place.name} saved")
            return redirect("wards:places", pk=place.ward_id)
    return render(request, "wards/intel/place_form.html", {"form": form, "ward": place.ward, "place": place})


@login_required
def places_export(request):
    permissions.require(permissions.can_view_ward_data(request.user))
    places = selectors.places_export(ward_param(request))
    # The same columns as the import (kirklees/dataimport), so that a download can be corrected and loaded back.
    return csv_response("places.csv", ["ward", "name", "kind"],
                        ((p.ward.name, p.name, p.kind) for p in places.iterator()))

