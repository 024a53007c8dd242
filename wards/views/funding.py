"""Ward intelligence for staff: the ward page, places, profile figures, priorities and their
progress, briefings and funding; and the CSV exports of each list."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from kirklees.csvfiles import csv_response
from kirklees.govuk.forms import posted, query_without_page
from kirklees.refusals import add_refusal
from kirklees.govuk.uploads import download_name

from . import permissions, selectors_intel, selectors_people, services_intel
from .forms_intel import (
    AwardFilterForm, AwardStatusForm, BriefingFilterForm, BriefingForm, FundingAwardForm, FundingSchemeForm,
    PlaceForm, PriorityFilterForm, PriorityForm, PriorityUpdateForm, WardChoiceForm, WardFigureForm, parse_year,
)
from .forms_people import OfficerSearchForm
from .models import Briefing, FundingAward, FundingScheme, Place, Priority, Ward, WardFigure

PER_PAGE = 25


def _ward_from_query(request, *, own_by_default: bool) -> Ward | None:
    """The ward a new record is for: ?ward=, or a councillor's own ward; None means ask."""
    chosen = request.GET.get("ward")
    if chosen is None and own_by_default:
        chosen = permissions.councillor_ward_id(request.user)
    if chosen is None:
        return None
    if not str(chosen).isdigit():
        raise Http404("No such ward")
    return get_object_or_404(Ward, pk=chosen)


def _filters(form) -> dict:
    return form.cleaned_data if form.is_valid() else {}


def _works_across_wards(user) -> bool:
    """The liaison team and the ward data admin work in every ward; a councillor in their own."""
    return user.is_liaison or user.is_ward_data_admin or user.is_superuser


def _after_briefing_saved(briefing: Briefing):
    state = selectors_intel.briefing_state(briefing, timezone.localdate())
    return redirect(reverse("wards:briefings") + f"?show={state}")


# --- the ward page -------------------------------------------------------------------------------


@login_required
def ward_detail(request, pk):
    permissions.require(permissions.can_view_ward_data(request.user))
    ward = get_object_or_404(Ward, pk=pk)
    today = timezone.localdate()
    user = request.user
    return render(request, "wards/intel/ward_detail.html", {
        "ward": ward,
        "page": selectors_intel.ward_page(ward, today),
        "today": today,
        "standing": selectors_intel.ward_standing(ward, today),
        "admin": permissions.can_manage_reference_data(user),
        "can_edit": permissions.can_edit_ward_content(user, ward.pk),
        "can_brief": permissions.can_write_briefings(user),
    })


# --- places --------------------------------------------------------------------------------------


@login_required
def place_list(request, pk):
    permissions.require(permissions.can_view_ward_data(request.user))
    ward = get_object_or_404(Ward, pk=pk)
    return render(request, "wards/intel/place_list.html", {
        "ward": ward, "places": selectors_intel.places_in_ward(ward),
        "admin": permissions.can_manage_reference_data(request.user),
    })


@login_required
def place_create(request, pk):
    permissions.require(permissions.can_manage_reference_data(request.user))
    ward = get_object_or_404(Ward, pk=pk)
    form = PlaceForm(posted(request), ward=ward)
    if request.method == "POST" and form.is_valid():
        try:
            place = services_intel.place_create(by=request.user, ward=ward, **form.cleaned_data)
        except ValidationError as exc:
            add_refusal(form, exc)
        else:
            messages.success(request, f"{place.name} added to {ward.name}")
            return redirect("wards:places", pk=ward.pk)
    return render(request, "wards/intel/place_form.html", {"form": form, "ward": ward, "place": None})


@login_required
def place_edit(request, pk):
    permissions.require(permissions.can_manage_reference_data(request.user))
    place = get_object_or_404(Place.objects.select_related("ward"), pk=pk)
    form = PlaceForm(posted(request), ward=place.ward, place=place)
    if request.method == "POST" and form.is_valid():
        try:
            services_intel.place_update(place=place, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_refusal(form, exc)
        else:
            messages.success(request, f"{place.name} saved")
            return redirect("wards:places", pk=place.ward_id)
    return render(request, "wards/intel/place_form.html", {"form": form, "ward": place.ward, "place": place})


def _ward_param(request) -> Ward | None:
    value = request.GET.get("ward", "")
    return get_object_or_404(Ward, pk=value) if value.isdigit() else None


@login_required
def places_export(request):
    permissions.require(permissions.can_view_ward_data(request.user))
    places = selectors_intel.places_export(_ward_param(request))
    # The same columns as the import (kirklees/dataimport), so that a download can be corrected and loaded back.
    return csv_response("places.csv", ["ward", "name", "kind"],
                        ((p.ward.name, p.name, p.kind) for p in places.iterator()))


# --- ward profile figures ------------------------------------------------------------------------


@login_required
def figure_list(request, pk):
    permissions.require(permissions.can_view_ward_data(request.user))
    ward = get_object_or_404(Ward, pk=pk)
    return render(request, "wards/intel/figure_list.html", {
        "ward": ward, "figures": selectors_intel.ward_figures_all(ward, timezone.localdate()),
        "admin": permissions.can_manage_reference_data(request.user),
    })


@login_required
def figure_create(request, pk):
    permissions.require(permissions.can_manage_reference_data(request.user))
    ward = get_object_or_404(Ward, pk=pk)
    form = WardFigureForm(posted(request), ward=ward)
    if request.method == "POST" and form.is_valid():
        try:
            figure = services_intel.ward_figure_create(by=request.user, ward=ward, **form.cleaned_data)
        except ValidationError as exc:
            add_refusal(form, exc)
        else:
            messages.success(request, f"{figure.name} added to {ward.name}’s profile")
            return redirect("wards:figures", pk=ward.pk)
    return render(request, "wards/intel/figure_form.html", {"form": form, "ward": ward, "figure": None})


@login_required
def figure_edit(request, pk):
    permissions.require(permissions.can_manage_reference_data(request.user))
    figure = get_object_or_404(WardFigure.objects.select_related("ward"), pk=pk)
    form = WardFigureForm(posted(request), ward=figure.ward, figure=figure)
    if request.method == "POST" and form.is_valid():
        try:
            services_intel.ward_figure_update(figure=figure, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_refusal(form, exc)
        else:
            messages.success(request, f"{figure.name} saved")
            return redirect("wards:figures", pk=figure.ward_id)
    return render(request, "wards/intel/figure_form.html", {"form": form, "ward": figure.ward, "figure": figure})


@login_required
def figure_delete(request, pk):
    permissions.require(permissions.can_manage_reference_data(request.user))
    figure = get_object_or_404(WardFigure.objects.select_related("ward"), pk=pk)
    if request.method == "POST":
        services_intel.ward_figure_delete(figure=figure, by=request.user)
        messages.success(request, f"{figure.name} as of {figure.as_of:%-d %B %Y} deleted")
        return redirect("wards:figures", pk=figure.ward_id)
    return render(request, "wards/intel/figure_delete.html", {"figure": figure, "ward": figure.ward})


@login_required
def figures_export(request):
    permissions.require(permissions.can_view_ward_data(request.user))
    figures = selectors_intel.figures_export(_ward_param(request))
    return csv_response(
        "ward-profile-figures.csv", ["ward", "name", "value", "unit", "source", "as_of"],
        ((f.ward.name, f.name, f.value, f.unit, f.source, f.as_of.isoformat()) for f in figures.iterator()))


# --- priorities ----------------------------------------------------------------------------------


@login_required
def priority_list(request):
    permissions.require(permissions.can_view_ward_data(request.user))
    own = permissions.councillor_ward_id(request.user)
    if not request.GET and own:
        # A councillor lands on their own ward's priorities; "All wards" is one choice away.
        form = PriorityFilterForm({"ward": own})
    else:
        form = PriorityFilterForm(request.GET or None)
    filters = _filters(form)
    priorities = selectors_intel.priorities_list(ward=filters.get("ward"), status=filters.get("status", ""),
                                                 text=filters.get("q", ""))
    return render(request, "wards/intel/priority_list.html", {
        "form": form, "page": Paginator(priorities, PER_PAGE).get_page(request.GET.get("page")),
        "query": query_without_page(request), "ward": filters.get("ward"),
        "export_query": urlencode({k: v for k, v in form.data.items() if k != "page" and v}),
        "can_create": _works_across_wards(request.user) or bool(own),
    })


@login_required
def priorities_export(request):
    permissions.require(permissions.can_view_ward_data(request.user))
    filters = _filters(PriorityFilterForm(request.GET or None))
    priorities = selectors_intel.priorities_list(ward=filters.get("ward"), status=filters.get("status", ""),
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
    ward = _ward_from_query(request, own_by_default=True)
    if ward is None:
        permissions.require(_works_across_wards(request.user))
        return render(request, "wards/intel/choose_ward.html", {
            "form": WardChoiceForm(label="Which ward is the priority for?"), "title": "Add a ward priority",
            "action": reverse("wards:priority-create"), "back": reverse("wards:priorities")})
    permissions.require(permissions.can_edit_ward_content(request.user, ward.pk))
    form = PriorityForm(posted(request), ward=ward)
    if request.method == "POST" and form.is_valid():
        try:
            priority = services_intel.priority_create(by=request.user, ward=ward, **form.cleaned_data)
        except ValidationError as exc:
            add_refusal(form, exc)
        else:
            messages.success(request, f"Priority “{priority.title}” added")
            return redirect("wards:priority-detail", pk=priority.pk)
    return render(request, "wards/intel/priority_form.html", {"form": form, "ward": ward, "priority": None})


def _priority(pk: int) -> Priority:
    try:
        return selectors_intel.priority_with_details(pk)
    except Priority.DoesNotExist:
        raise Http404("No such priority") from None


def _render_priority(request, priority: Priority, update_form=None):
    can_edit = permissions.can_edit_ward_content(request.user, priority.ward_id)
    return render(request, "wards/intel/priority_detail.html", {
        "priority": priority,
        "updates": priority.updates.all(),
        "awards": priority.funding_awards.all(),
        "meetings": priority.meetings.all(),
        "can_edit": can_edit,
        "update_form": update_form or (PriorityUpdateForm(priority=priority) if can_edit else None),
    })


@login_required
def priority_detail(request, pk):
    permissions.require(permissions.can_view_ward_data(request.user))
    return _render_priority(request, _priority(pk))


@login_required
def priority_edit(request, pk):
    permissions.require(permissions.can_view_ward_data(request.user))
    priority = get_object_or_404(Priority.objects.select_related("ward", "place"), pk=pk)
    permissions.require(permissions.can_edit_ward_content(request.user, priority.ward_id))
    form = PriorityForm(posted(request), ward=priority.ward, priority=priority)
    if request.method == "POST" and form.is_valid():
        try:
            services_intel.priority_update(priority=priority, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_refusal(form, exc)
        else:
            messages.success(request, "Priority saved")
            return redirect("wards:priority-detail", pk=priority.pk)
    return render(request, "wards/intel/priority_form.html",
                  {"form": form, "ward": priority.ward, "priority": priority})


@login_required
@require_POST
def priority_update_add(request, pk):
    permissions.require(permissions.can_view_ward_data(request.user))
    priority = _priority(pk)
    permissions.require(permissions.can_edit_ward_content(request.user, priority.ward_id))
    form = PriorityUpdateForm(request.POST, priority=priority)
    if form.is_valid():
        try:
            services_intel.priority_add_update(priority=priority, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_refusal(form, exc)
        else:
            messages.success(request, "Progress recorded")
            return redirect(reverse("wards:priority-detail", kwargs={"pk": priority.pk}) + "#progress")
    return _render_priority(request, priority, update_form=form)


# --- briefings -----------------------------------------------------------------------------------


@login_required
def briefing_list(request):
    permissions.require(permissions.can_write_briefings(request.user))
    today = timezone.localdate()
    state = request.GET.get("show", "current")
    if state not in selectors_intel.BRIEFING_STATES:
        state = "current"
    form = BriefingFilterForm(request.GET or None)
    ward = _filters(form).get("ward")
    briefings = selectors_intel.briefings_list(state=state, today=today, ward=ward)
    counts = selectors_intel.briefing_counts(today, ward)
    ward_query = f"&ward={ward.pk}" if ward else ""
    return render(request, "wards/intel/briefing_list.html", {
        "form": form, "state": state, "ward": ward, "today": today,
        "page": Paginator(briefings, PER_PAGE).get_page(request.GET.get("page")),
        "query": query_without_page(request),
        "states": [{"key": key, "label": label, "count": counts[key],
                    "href": f"?show={key}{ward_query}"} for key, label in selectors_intel.BRIEFING_STATES.items()],
    })


@login_required
def briefings_export(request):
    permissions.require(permissions.can_write_briefings(request.user))
    today = timezone.localdate()
    briefings = selectors_intel.briefings_export(ward=_filters(BriefingFilterForm(request.GET or None))
                                                 .get("ward"))
    return csv_response("briefings.csv", [
        "id", "ward", "title", "text", "link", "file", "key_issue", "publish_on", "expires_on", "state", "author"], (
        (b.pk, b.ward.name if b.ward else "All wards", b.title, b.text, b.link, b.file_name,
         "yes" if b.key_issue else "no", b.publish_on.isoformat(), b.expires_on.isoformat(),
         selectors_intel.briefing_state(b, today), b.author.full_name) for b in briefings.iterator()))


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
            briefing = services_intel.briefing_create(by=request.user, **data)
        except ValidationError as exc:
            add_refusal(form, exc)
        else:
            messages.success(request, f"Briefing “{briefing.title}” saved")
            return _after_briefing_saved(briefing)
    return render(request, "wards/intel/briefing_form.html", {"form": form, "briefing": None})


@login_required
def briefing_edit(request, pk):
    permissions.require(permissions.can_write_briefings(request.user))
    briefing = get_object_or_404(Briefing.objects.select_related("ward"), pk=pk)
    form = BriefingForm(posted(request), request.FILES or None, briefing=briefing)
    if request.method == "POST" and form.is_valid():
        try:
            services_intel.briefing_update(briefing=briefing, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_refusal(form, exc)
        else:
            messages.success(request, f"Briefing “{briefing.title}” saved")
            return _after_briefing_saved(briefing)
    return render(request, "wards/intel/briefing_form.html", {"form": form, "briefing": briefing})


@login_required
def briefing_delete(request, pk):
    permissions.require(permissions.can_write_briefings(request.user))
    briefing = get_object_or_404(Briefing.objects.select_related("ward"), pk=pk)
    if request.method == "POST":
        services_intel.briefing_delete(briefing=briefing, by=request.user)
        messages.success(request, f"Briefing “{briefing.title}” deleted")
        return redirect("wards:briefings")
    return render(request, "wards/intel/briefing_delete.html", {"briefing": briefing})


@login_required
def briefing_file(request, pk):
    """A briefing's file, only through this view: staff may read a published one; the team, any."""
    permissions.require(permissions.can_view_ward_data(request.user))
    briefing = get_object_or_404(Briefing, pk=pk)
    if not briefing.file or (briefing.publish_on > timezone.localdate()
                             and not permissions.can_write_briefings(request.user)):
        raise Http404("No such file")
    handle = briefing.file.open("rb")
    content_type = services_intel.briefing_file_type(handle.read(8192)) or "application/octet-stream"
    handle.seek(0)
    response = FileResponse(handle, as_attachment=True,
                            filename=download_name(briefing.file_name, content_type, "briefing"),
                            content_type=content_type)
    response["Cache-Control"] = "private, no-store"
    return response


# --- funding -------------------------------------------------------------------------------------


@login_required
def funding_overview(request):
    permissions.require(permissions.can_view_ward_data(request.user))
    today = timezone.localdate()
    day = parse_year(request.GET.get("year"), today)
    start, _ = selectors_intel.financial_year(today)
    return render(request, "wards/intel/funding.html", {
        "year_label": selectors_intel.financial_year_label(day),
        "is_this_year": selectors_intel.financial_year(day) == selectors_intel.financial_year(today),
        "by_ward": selectors_intel.funding_totals_by_ward(day),
        "by_scheme": selectors_intel.funding_totals_by_scheme(day),
        "total": selectors_intel.funding_year_total(day),
        "years": [(year, f"{year}–{(year + 1) % 100:02d}") for year in range(start.year, start.year - 6, -1)],
        "chosen_year": selectors_intel.financial_year(day)[0].year,
        "admin": permissions.can_manage_reference_data(request.user),
    })


@login_required
def funding_scheme_create(request):
    permissions.require(permissions.can_manage_reference_data(request.user))
    form = FundingSchemeForm(posted(request))
    if request.method == "POST" and form.is_valid():
        scheme = services_intel.funding_scheme_create(by=request.user, **form.cleaned_data)
        messages.success(request, f"{scheme.name} added")
        return redirect("wards:funding")
    return render(request, "wards/intel/scheme_form.html", {"form": form, "scheme": None})


@login_required
def funding_scheme_edit(request, pk):
    permissions.require(permissions.can_manage_reference_data(request.user))
    scheme = get_object_or_404(FundingScheme, pk=pk)
    form = FundingSchemeForm(posted(request), scheme=scheme)
    if request.method == "POST" and form.is_valid():
        services_intel.funding_scheme_update(scheme=scheme, by=request.user, **form.cleaned_data)
        messages.success(request, f"{scheme.name} saved")
        return redirect("wards:funding")
    return render(request, "wards/intel/scheme_form.html", {"form": form, "scheme": scheme})


@login_required
def funding_award_list(request):
    permissions.require(permissions.can_view_ward_data(request.user))
    form = AwardFilterForm(request.GET or None)
    filters = _filters(form)
    awards = selectors_intel.funding_awards_list(ward=filters.get("ward"), scheme=filters.get("scheme"),
                                                 status=filters.get("status", ""), text=filters.get("q", ""))
    return render(request, "wards/intel/award_list.html", {
        "form": form, "page": Paginator(awards, PER_PAGE).get_page(request.GET.get("page")),
        "query": query_without_page(request), "today": timezone.localdate(),
        "admin": permissions.can_manage_reference_data(request.user),
    })


@login_required
def funding_awards_export(request):
    permissions.require(permissions.can_view_ward_data(request.user))
    filters = _filters(AwardFilterForm(request.GET or None))
    awards = selectors_intel.funding_awards_list(ward=filters.get("ward"), scheme=filters.get("scheme"),
                                                 status=filters.get("status", ""), text=filters.get("q", ""))

    def day(value):
        return value.isoformat() if value else ""

    return csv_response("funding-awards.csv", [
        "id", "scheme", "recipient", "purpose", "amount", "ward", "place", "priority", "status", "applied_on",
        "decided_on", "monitoring_due_on"], (
        (a.pk, a.scheme.name, a.recipient, a.purpose, a.amount, a.ward.name, a.place.name if a.place else "",
         a.priority.title if a.priority else "", a.get_status_display(), day(a.applied_on), day(a.decided_on),
         day(a.monitoring_due_on)) for a in awards.iterator()))


@login_required
def funding_award_create(request):
    permissions.require(permissions.can_manage_reference_data(request.user))
    ward = _ward_from_query(request, own_by_default=False)
    if ward is None:
        return render(request, "wards/intel/choose_ward.html", {
            "form": WardChoiceForm(label="Which ward is the award in?"), "title": "Record a funding award",
            "action": reverse("wards:funding-award-create"), "back": reverse("wards:funding-awards")})
    form = FundingAwardForm(posted(request), ward=ward)
    if request.method == "POST" and form.is_valid():
        try:
            award = services_intel.funding_award_create(by=request.user, ward=ward, **form.cleaned_data)
        except ValidationError as exc:
            add_refusal(form, exc)
        else:
            messages.success(request, f"Award to {award.recipient} recorded")
            return redirect("wards:funding-award-detail", pk=award.pk)
    return render(request, "wards/intel/award_form.html", {"form": form, "ward": ward, "award": None})


def _award(pk: int) -> FundingAward:
    return get_object_or_404(FundingAward.objects.select_related("scheme", "ward", "place", "priority"), pk=pk)


def _render_award(request, award: FundingAward, status_form=None, status=200):
    admin = permissions.can_manage_reference_data(request.user)
    following = services_intel.FUNDING_NEXT[award.status]
    return render(request, "wards/intel/award_detail.html", {
        "award": award, "admin": admin, "today": timezone.localdate(),
        "status_form": status_form or (AwardStatusForm(award=award) if admin and following else None),
        "path": [(s, FundingAward.Status(s).label) for s in services_intel.FUNDING_PATH],
        "reached": services_intel.FUNDING_PATH.index(award.status),
    }, status=status)


@login_required
def funding_award_detail(request, pk):
    permissions.require(permissions.can_view_ward_data(request.user))
    return _render_award(request, _award(pk))


@login_required
def funding_award_edit(request, pk):
    permissions.require(permissions.can_manage_reference_data(request.user))
    award = _award(pk)
    form = FundingAwardForm(posted(request), ward=award.ward, award=award)
    if request.method == "POST" and form.is_valid():
        try:
            services_intel.funding_award_update(award=award, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_refusal(form, exc)
        else:
            messages.success(request, "Award saved")
            return redirect("wards:funding-award-detail", pk=award.pk)
    return render(request, "wards/intel/award_form.html", {"form": form, "ward": award.ward, "award": award})


@login_required
@require_POST
def funding_award_status(request, pk):
    permissions.require(permissions.can_manage_reference_data(request.user))
    award = _award(pk)
    form = AwardStatusForm(request.POST, award=award)
    if form.is_valid():
        try:
            services_intel.funding_award_set_status(award=award, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_refusal(form, exc)
        else:
            messages.success(request, f"Award marked {award.get_status_display().lower()}")
            return redirect("wards:funding-award-detail", pk=award.pk)
    return _render_award(request, award, status_form=form)


# --- People Finder export ----------------------------------------------------------------------


@login_required
def people_export(request):
    """The People Finder as CSV, with the same search as its page."""
    permissions.require(permissions.can_view_ward_data(request.user))
    admin = permissions.can_manage_reference_data(request.user)
    today = timezone.localdate()
    form = OfficerSearchForm(request.GET or None, admin=admin)
    filters = _filters(form)
    officers = selectors_people.officers_search(
        text=filters.get("q", ""), service=filters.get("service"), ward=filters.get("ward"),
        include_inactive=admin, unconfirmed_only=admin and filters.get("unconfirmed", False), today=today)
    return csv_response("people-finder.csv", [
        "email", "full_name", "job_title", "service", "phone", "wards", "places", "last_confirmed", "active"], (
        (o.email, o.full_name, o.job_title, o.service.name, o.phone,
         "; ".join(w.name for w in o.wards.all()),
         "; ".join(f"{p.name} ({p.ward.name})" for p in o.places.all()),
         o.last_confirmed.isoformat() if o.last_confirmed else "", "yes" if o.is_active else "no")
        for o in officers.iterator(chunk_size=500)))
