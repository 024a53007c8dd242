"""Ward priorities for staff: the list and its export, a priority's page, adding and editing one,
and recording its progress."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from kirklees.csvfiles import csv_response
from kirklees.govuk.forms import posted, query_without_page
from kirklees.refusals import Refused, add_refusal

from .. import permissions
from ..forms.priorities import PriorityFilterForm, PriorityForm
from ..forms.wards import WardChoiceForm
from ..selectors import priorities as selectors
from ..services import priorities as services
from .wards import ward_from_query

PER_PAGE = 25


@login_required
def priority_list(request):
    permissions.require(permissions.can_view_ward_data(request.user))
    own = permissions.councillor_ward_id(request.user)
    if not request.GET and own:
        # A councillor lands on their own ward's priorities; "All wards" is one choice away.
        form = PriorityFilterForm({"ward": own})
    else:
        form = PriorityFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    priorities = selectors.priorities_list(ward=filters.get("ward"), status=filters.get("status", ""),
                                                 text=filters.get("q", ""))
    return render(request, "wards/intel/priority_list.html", {
        "form": form, "page": Paginator(priorities, PER_PAGE).get_page(request.GET.get("page")),
        "query": query_without_page(request), "ward": filters.get("ward"),
        "export_query": urlencode({k: v for k, v in form.data.items() if k != "page" and v}),
        "can_create": permissions.can_add_ward_content(request.user),
    })


@login_required
def priorities_export(request):
    permissions.require(permissions.can_view_ward_data(request.user))
    form = PriorityFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    priorities = selectors.priorities_list(ward=filters.get("ward"), status=filters.get("status", ""),
                                                   text=filters.get("q", ""))

    def rows():
        for p in priorities.iterator(chunk_size=500):
            latest = p.latest[0] if p.latest else None
            yield (p.pk, p.ward.name, p.place.name if p.place else "", p.title, p.get_status_display(),
                   p.description, p.outcome_sought, timezone.localtime(p.created_at).date().isoformat(),
                   p.update_count, timezone.localtime(latest.at).date().isoformat() if latest else "",
                   latest.text if latest else "")

    return csv_response("ward-priorities.csv", [
        "id", "ward", "place", "title", "status", "description", "outcome_sought", "created_on", "updates",
        "latest_update_on", "latest_update"], rows())


@login_required
def priority_create(request):
    permissions.require(permissions.can_view_ward_data(request.user))
    ward = ward_from_query(request, own_by_default=True)
    if ward is None:
        permissions.require(request.user.works_across_wards)
        return render(request, "wards/choose_ward.html", {
            "form": WardChoiceForm(label="Which ward is the priority for?"), "title": "Add a ward priority",
            "action": reverse("wards:priority-create"), "back": reverse("wards:priorities")})
    permissions.require(permissions.can_edit_ward_content(request.user, ward.pk))
    form = PriorityForm(posted(request), ward=ward)
    if request.method == "POST" and form.is_valid():
        try:
            priority = services.priority_create(by=request.user, ward=ward, **form.cleaned_data)
        except Refused as exc:
            add_refusal(form, exc)
        else:
            messages.success(request, f"Priority “{priority.title}” added")
            return redirect("wards:priority-detail", pk=priority.pk)
    return render(request, "wards/intel/priority_form.html", {"form": form, "ward": ward, "priority": None})


@login_required
def priority_edit(request, pk):
    priority = permissions.get_priority_for_user(request.user, pk, to="edit")
    form = PriorityForm(posted(request), ward=priority.ward, priority=priority)
    if request.method == "POST" and form.is_valid():
        try:
            services.priority_update(priority=priority, by=request.user, **form.cleaned_data)
        except Refused as exc:
            add_refusal(form, exc)
        else:
            messages.success(request, "Priority saved")
            return redirect("wards:priority-detail", pk=priority.pk)
    return render(request, "wards/intel/priority_form.html",
                  {"form": form, "ward": priority.ward, "priority": priority})
