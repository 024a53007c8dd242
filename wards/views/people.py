"""The People Finder: council services and the officers in them, and its CSV export."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from kirklees.audit.reads import personal_data_csv
from kirklees.govuk.forms import posted, query_without_page
from kirklees.redirects import redirect_to_next

from .. import permissions
from ..forms.people import OfficerForm, OfficerSearchForm, ServiceForm
from ..selectors import people as selectors
from ..selectors.email_changes import email_changes_pending_count
from ..services import people as services

OFFICERS_PER_PAGE = 25


def _pending_note(record) -> str:
    record.refresh_from_db()
    pending = [a for a in (record.email_pending, getattr(record, "head_of_service_email_pending", "")) if a]
    if not pending:
        return ""
    return (f". {' and '.join(pending)} will be used once confirmed from the email sent to "
            f"{'it' if len(pending) == 1 else 'them'}, or approved by a liaison manager")


@login_required
def people(request):
    permissions.require(permissions.can_view_ward_data(request.user))
    admin = permissions.can_manage_reference_data(request.user)
    today = timezone.localdate()
    form = OfficerSearchForm(request.GET or None, admin=admin)
    filters = form.cleaned_data if form.is_valid() else {}
    officers = selectors.officers_search(
        text=filters.get("q", ""), service=filters.get("service"), ward=filters.get("ward"),
        include_inactive=admin, unconfirmed_only=admin and filters.get("unconfirmed", False), today=today,
    )
    page = Paginator(officers, OFFICERS_PER_PAGE).get_page(request.GET.get("page"))
    query = query_without_page(request)
    return render(request, "wards/people/people.html", {
        "form": form,
        "page": page,
        "query": query,
        "searched": bool(filters and any(filters.values())),
        "admin": admin,
        "confirm_before": selectors.confirmation_due_before(today),
        "unconfirmed_count": selectors.officers_unconfirmed_count(today) if admin else None,
        "error_title": bool(form.errors),
    })


@login_required
def officer_create(request):
    permissions.require(permissions.can_manage_reference_data(request.user))
    form = OfficerForm(posted(request))
    if request.method == "POST" and form.is_valid():
        officer = services.officer_create(by=request.user, **form.cleaned_data)
        messages.success(request, f"{officer.full_name} added to the People Finder" + _pending_note(officer))
        return redirect("wards:people")
    return render(request, "wards/people/officer_form.html", {"form": form, "officer": None})


@login_required
def officer_edit(request, pk):
    officer = permissions.get_officer_for_user(request.user, pk)
    form = OfficerForm(posted(request), officer=officer)
    if request.method == "POST" and form.is_valid():
        services.officer_update(officer=officer, by=request.user, **form.cleaned_data)
        messages.success(request, f"{officer.full_name}'s details saved" + _pending_note(officer))
        return redirect("wards:people")
    return render(request, "wards/people/officer_form.html", {"form": form, "officer": officer})


@login_required
@require_POST
def officer_confirm(request, pk):
    officer = permissions.get_officer_for_user(request.user, pk)
    services.officer_confirm(officer=officer, by=request.user)
    messages.success(request, f"{officer.full_name}'s details confirmed as correct today")
    return redirect_to_next(request, "wards:people")


@login_required
def service_list(request):
    permissions.require(permissions.can_view_ward_data(request.user))
    admin = permissions.can_manage_reference_data(request.user)
    council_services = selectors.services_with_officer_counts()
    if not admin:
        council_services = council_services.filter(is_active=True)
    approver = permissions.can_approve_email_changes(request.user)
    return render(request, "wards/people/services.html", {
        "services": council_services, "admin": admin, "approver": approver,
        "pending_changes": email_changes_pending_count() if approver else None})


@login_required
def service_create(request):
    permissions.require(permissions.can_manage_reference_data(request.user))
    form = ServiceForm(posted(request))
    if request.method == "POST" and form.is_valid():
        service = services.service_create(by=request.user, **form.cleaned_data)
        messages.success(request, f"{service.name} added" + _pending_note(service))
        return redirect("wards:services")
    return render(request, "wards/people/service_form.html", {"form": form, "service": None})


@login_required
def service_edit(request, pk):
    service = permissions.get_service_for_user(request.user, pk)
    form = ServiceForm(posted(request), service=service)
    if request.method == "POST" and form.is_valid():
        services.service_update(service=service, by=request.user, **form.cleaned_data)
        messages.success(request, f"{service.name} saved" + _pending_note(service))
        return redirect("wards:services")
    return render(request, "wards/people/service_form.html", {"form": form, "service": service})


@login_required
def people_export(request):
    """The People Finder as CSV, with the same search as its page."""
    permissions.require(permissions.can_view_ward_data(request.user))
    admin = permissions.can_manage_reference_data(request.user)
    today = timezone.localdate()
    form = OfficerSearchForm(request.GET or None, admin=admin)
    filters = form.cleaned_data if form.is_valid() else {}
    officers = selectors.officers_search(
        text=filters.get("q", ""), service=filters.get("service"), ward=filters.get("ward"),
        include_inactive=admin, unconfirmed_only=admin and filters.get("unconfirmed", False), today=today)
    return personal_data_csv(request, "people-finder.csv", [
        "email", "full_name", "job_title", "service", "phone", "wards", "places", "last_confirmed", "active"], (
        (o.email, o.full_name, o.job_title, o.service.name, o.phone,
         "; ".join(w.name for w in o.wards.all()),
         "; ".join(f"{p.name} ({p.ward.name})" for p in o.places.all()),
         o.last_confirmed.isoformat() if o.last_confirmed else "", "yes" if o.is_active else "no")
        for o in officers.iterator(chunk_size=500)))
