"""Learning and networking: events and booking, your bookings, and the resource library."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from kirklees.audit.reads import personal_data_csv
from kirklees.govuk.forms import posted, query_without_page
from kirklees.govuk.uploads import download_name
from kirklees.permissions import require
from kirklees.refusals import Refused, add_refusal

from . import permissions, selectors, services
from .forms import EventCancelForm, EventFilterForm, EventForm, ResourceFilterForm, ResourceForm
from .models import Booking, Event

EVENTS_PER_PAGE = 20
RESOURCES_PER_PAGE = 25


def _page(request, items, per_page):
    return Paginator(items, per_page).get_page(request.GET.get("page")), query_without_page(request)


# --- events -------------------------------------------------------------------------------------


@login_required
def event_list(request):
    require(permissions.can_use(request.user))
    form = EventFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    when = filters.get("when") or selectors.WHEN_UPCOMING
    events = selectors.events_list(user=request.user, kind=filters.get("kind", ""), when=when)
    page, query = _page(request, events, EVENTS_PER_PAGE)
    return render(request, "learning/event_list.html", {
        "form": form, "page": page, "query": query, "when": when,
        "manager": permissions.can_manage(request.user), "error_title": bool(form.errors),
    })


@login_required
def event_detail(request, pk):
    event = selectors.event_for_page(request.user, pk)
    manager = permissions.can_manage(request.user)
    return render(request, "learning/event_detail.html", {
        "event": event,
        "manager": manager,
        "may_book": permissions.can_book(request.user),
        "started": event.has_started(),
        "attendees": list(selectors.event_attendees(event)) if manager else None,
    })


@login_required
def event_create(request):
    require(permissions.can_manage(request.user))
    form = EventForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            event = services.event_create(by=request.user, **form.event_fields())
        except ValidationError as refusal:
            add_refusal(form, refusal)
        else:
            messages.success(request, f"{event.title} added")
            return redirect(event)
    return render(request, "learning/event_form.html", {"form": form, "event": None})


@login_required
def event_edit(request, pk):
    event = permissions.get_event_for_manager(request.user, pk)
    form = EventForm(posted(request), event=event)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.event_update(event=event, by=request.user, **form.event_fields())
        except (Refused, ValidationError) as refusal:
            status = add_refusal(form, refusal)
        else:
            messages.success(request, f"{event.title} saved")
            return redirect(event)
    return render(request, "learning/event_form.html", {"form": form, "event": event}, status=status)


@login_required
def event_cancel(request, pk):
    event = permissions.get_event_for_manager(request.user, pk)
    form = EventCancelForm(posted(request))
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.event_cancel(event=event, by=request.user, reason=form.cleaned_data["reason"])
        except services.EventChangeRefused as refusal:
            status = add_refusal(form, refusal)
        else:
            messages.success(request, f"{event.title} cancelled. Everyone booked has been told.")
            return redirect(event)
    return render(request, "learning/event_cancel.html", {"form": form, "event": event}, status=status)


def _ward_of(user) -> str:
    councillor = getattr(user, "councillor", None)
    return councillor.ward.name if councillor else ""


@login_required
def event_attendees_csv(request, pk):
    event = permissions.get_event_for_manager(request.user, pk)
    rows = ([booking.user.full_name, booking.user.email, booking.user.get_role_display(), _ward_of(booking.user),
             booking.get_status_display(), timezone.localtime(booking.booked_at).strftime("%Y-%m-%d %H:%M")]
            for booking in selectors.event_attendees(event))
    return personal_data_csv(request, f"event-{event.pk}-attendees.csv",
                             ["Name", "Email", "Role", "Ward", "Booking", "Booked at"], rows)


def _booking_change(request, pk, change, done: str):
    event = get_object_or_404(Event, pk=pk)
    try:
        change(event=event, by=request.user)
    except services.BookingRefused as refusal:
        add_refusal(request, refusal)
    else:
        messages.success(request, done)
    return redirect(event)


@login_required
@require_POST
def booking_create(request, pk):
    waiting = request.POST.get("waiting_list") == "yes"
    return _booking_change(
        request, pk, lambda **kw: services.booking_create(waiting_list=waiting, **kw),
        "You are on the waiting list. We will tell you if a place comes up." if waiting
        else "Your place is booked. We will remind you the day before.")


@login_required
@require_POST
def booking_cancel(request, pk):
    return _booking_change(request, pk, services.booking_cancel, "Your booking has been cancelled")


@login_required
def my_bookings(request):
    require(permissions.can_use(request.user))
    return render(request, "learning/my_bookings.html", {
        "bookings": list(selectors.bookings_for_user(request.user)),
        "waiting": Booking.Status.WAITING,
    })


# --- resources ----------------------------------------------------------------------------------


@login_required
def resource_list(request):
    require(permissions.can_use(request.user))
    form = ResourceFilterForm(request.GET or None, tags=selectors.resource_tags())
    filters = form.cleaned_data if form.is_valid() else {}
    resources = selectors.resources_list(text=filters.get("q", ""), kind=filters.get("kind", ""),
                                         tag=filters.get("tag", ""))
    page, query = _page(request, resources, RESOURCES_PER_PAGE)
    return render(request, "learning/resource_list.html", {
        "form": form, "page": page, "query": query, "manager": permissions.can_manage(request.user),
        "searched": any(filters.values()) if filters else False, "error_title": bool(form.errors),
    })


@login_required
def resource_create(request):
    require(permissions.can_manage(request.user))
    form = ResourceForm(posted(request), request.FILES if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        resource = services.resource_create(by=request.user, **form.resource_fields())
        messages.success(request, f"{resource.title} added to the library")
        return redirect("learning:resources")
    return render(request, "learning/resource_form.html", {"form": form, "resource": None})


@login_required
def resource_edit(request, pk):
    resource = permissions.get_resource_for_manager(request.user, pk)
    form = ResourceForm(posted(request), request.FILES if request.method == "POST" else None, resource=resource)
    if request.method == "POST" and form.is_valid():
        services.resource_update(resource=resource, by=request.user, **form.resource_fields())
        messages.success(request, f"{resource.title} saved")
        return redirect("learning:resources")
    return render(request, "learning/resource_form.html", {"form": form, "resource": resource})


@login_required
@require_POST
def resource_delete(request, pk):
    resource = permissions.get_resource_for_manager(request.user, pk)
    services.resource_delete(resource=resource, by=request.user)
    messages.success(request, f"{resource.title} removed from the library")
    return redirect("learning:resources")


@login_required
def resource_download(request, pk):
    resource = permissions.get_resource_for_user(request.user, pk)
    if not resource.file:
        raise Http404("This resource has no file")
    response = FileResponse(resource.file.open("rb"), as_attachment=True,
                            filename=download_name(resource.file_name, resource.content_type),
                            content_type=resource.content_type)
    response["Cache-Control"] = "private, no-store"
    return response
