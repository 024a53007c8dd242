"""Briefings for staff: the list and its export, writing, correcting and deleting one, and its file."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from kirklees.csvfiles import csv_response
from kirklees.govuk.forms import posted, query_without_page
from kirklees.govuk.uploads import download_name
from kirklees.refusals import Refused, add_refusal

from .. import permissions
from ..forms.briefings import BriefingFilterForm, BriefingForm
from ..models import Briefing
from ..selectors import briefings as selectors
from ..services import briefings as services

PER_PAGE = 25


def _after_briefing_saved(briefing: Briefing):
    state = selectors.briefing_state(briefing, timezone.localdate())
    return redirect(reverse("wards:briefings") + f"?show={state}")


@login_required
def briefing_list(request):
    permissions.require(permissions.can_write_briefings(request.user))
    today = timezone.localdate()
    state = request.GET.get("show", "current")
    if state not in selectors.BRIEFING_STATES:
        state = "current"
    form = BriefingFilterForm(request.GET or None)
    ward = form.cleaned_data.get("ward") if form.is_valid() else None
    briefings = selectors.briefings_list(state=state, today=today, ward=ward)
    counts = selectors.briefing_counts(today, ward)
    ward_query = f"&ward={ward.pk}" if ward else ""
    return render(request, "wards/intel/briefing_list.html", {
        "form": form, "state": state, "ward": ward, "today": today,
        "page": Paginator(briefings, PER_PAGE).get_page(request.GET.get("page")),
        "query": query_without_page(request),
        "states": [{"key": key, "label": label, "count": counts[key],
                    "href": f"?show={key}{ward_query}"} for key, label in selectors.BRIEFING_STATES.items()],
    })


@login_required
def briefings_export(request):
    permissions.require(permissions.can_write_briefings(request.user))
    today = timezone.localdate()
    form = BriefingFilterForm(request.GET or None)
    briefings = selectors.briefings_export(ward=form.cleaned_data.get("ward") if form.is_valid() else None)
    return csv_response("briefings.csv", [
        "id", "ward", "title", "text", "link", "file", "key_issue", "publish_on", "expires_on", "state", "author"], (
        (b.pk, b.ward.name if b.ward else "All wards", b.title, b.text, b.link, b.file_name,
         "yes" if b.key_issue else "no", b.publish_on.isoformat(), b.expires_on.isoformat(),
         selectors.briefing_state(b, today), b.author.full_name) for b in briefings.iterator()))


@login_required
def briefing_create(request):
    permissions.require(permissions.can_write_briefings(request.user))
    initial = {}
    if request.GET.get("ward", "").isdigit():
        initial["ward"] = int(request.GET["ward"])
    form = BriefingForm(posted(request), request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("remove_file", None)
        try:
            briefing = services.briefing_create(by=request.user, **data)
        except Refused as exc:
            add_refusal(form, exc)
        else:
            messages.success(request, f"Briefing “{briefing.title}” saved")
            return _after_briefing_saved(briefing)
    return render(request, "wards/intel/briefing_form.html", {"form": form, "briefing": None})


@login_required
def briefing_edit(request, pk):
    briefing = permissions.get_briefing_for_user(request.user, pk, to="write")
    form = BriefingForm(posted(request), request.FILES or None, briefing=briefing)
    if request.method == "POST" and form.is_valid():
        try:
            services.briefing_update(briefing=briefing, by=request.user, **form.cleaned_data)
        except Refused as exc:
            add_refusal(form, exc)
        else:
            messages.success(request, f"Briefing “{briefing.title}” saved")
            return _after_briefing_saved(briefing)
    return render(request, "wards/intel/briefing_form.html", {"form": form, "briefing": briefing})


@login_required
def briefing_delete(request, pk):
    briefing = permissions.get_briefing_for_user(request.user, pk, to="write")
    if request.method == "POST":
        services.briefing_delete(briefing=briefing, by=request.user)
        messages.success(request, f"Briefing “{briefing.title}” deleted")
        return redirect("wards:briefings")
    return render(request, "wards/intel/briefing_delete.html", {"briefing": briefing})


@login_required
def briefing_file(request, pk):
    """A briefing's file, only through this view: staff may read a published one; the team, any."""
    briefing = permissions.get_briefing_for_user(request.user, pk)
    if not briefing.file:
        raise Http404("No such file")
    handle = briefing.file.open("rb")
    content_type = services.briefing_file_type(handle.read(8192)) or "application/octet-stream"
    handle.seek(0)
    response = FileResponse(handle, as_attachment=True,
                            filename=download_name(briefing.file_name, content_type, "briefing"),
                            content_type=content_type)
    response["Cache-Control"] = "private, no-store"
    return response

