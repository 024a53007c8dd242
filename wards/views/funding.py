"""Funding for staff: the year's totals, schemes, awards and their export, and moving an award on."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from kirklees.csvfiles import csv_response
from kirklees.govuk.forms import posted, query_without_page
from kirklees.refusals import Refused, add_refusal

from .. import permissions
from ..forms.funding import AwardFilterForm, AwardStatusForm, FundingAwardForm, FundingSchemeForm, parse_year
from ..forms.wards import WardChoiceForm
from ..models import FundingAward
from ..selectors import funding as selectors
from ..services import funding as services
from .wards import ward_from_query

PER_PAGE = 25


@login_required
def funding_overview(request):
    permissions.require(permissions.can_view_ward_data(request.user))
    today = timezone.localdate()
    day = parse_year(request.GET.get("year"), today)
    start, _ = selectors.financial_year(today)
    return render(request, "wards/intel/funding.html", {
        "year_label": selectors.financial_year_label(day),
        "is_this_year": selectors.financial_year(day) == selectors.financial_year(today),
        "by_ward": selectors.funding_totals_by_ward(day),
        "by_scheme": selectors.funding_totals_by_scheme(day),
        "total": selectors.funding_year_total(day),
        "years": [(year, f"{year}–{(year + 1) % 100:02d}") for year in range(start.year, start.year - 6, -1)],
        "chosen_year": selectors.financial_year(day)[0].year,
        "admin": permissions.can_manage_reference_data(request.user),
    })


@login_required
def funding_scheme_create(request):
    permissions.require(permissions.can_manage_reference_data(request.user))
    form = FundingSchemeForm(posted(request))
    if request.method == "POST" and form.is_valid():
        scheme = services.funding_scheme_create(by=request.user, **form.cleaned_data)
        messages.success(request, f"{scheme.name} added")
        return redirect("wards:funding")
    return render(request, "wards/intel/scheme_form.html", {"form": form, "scheme": None})


@login_required
def funding_scheme_edit(request, pk):
    scheme = permissions.get_scheme_for_user(request.user, pk)
    form = FundingSchemeForm(posted(request), scheme=scheme)
    if request.method == "POST" and form.is_valid():
        services.funding_scheme_update(scheme=scheme, by=request.user, **form.cleaned_data)
        messages.success(request, f"{scheme.name} saved")
        return redirect("wards:funding")
    return render(request, "wards/intel/scheme_form.html", {"form": form, "scheme": scheme})


@login_required
def funding_award_list(request):
    permissions.require(permissions.can_view_ward_data(request.user))
    form = AwardFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    awards = selectors.funding_awards_list(ward=filters.get("ward"), scheme=filters.get("scheme"),
                                                 status=filters.get("status", ""), text=filters.get("q", ""))
    return render(request, "wards/intel/award_list.html", {
        "form": form, "page": Paginator(awards, PER_PAGE).get_page(request.GET.get("page")),
        "query": query_without_page(request), "today": timezone.localdate(),
        "admin": permissions.can_manage_reference_data(request.user),
    })


@login_required
def funding_awards_export(request):
    permissions.require(permissions.can_view_ward_data(request.user))
    form = AwardFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    awards = selectors.funding_awards_list(ward=filters.get("ward"), scheme=filters.get("scheme"),
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
    ward = ward_from_query(request, own_by_default=False)
    if ward is None:
        return render(request, "wards/choose_ward.html", {
            "form": WardChoiceForm(label="Which ward is the award in?"), "title": "Record a funding award",
            "action": reverse("wards:funding-award-create"), "back": reverse("wards:funding-awards")})
    form = FundingAwardForm(posted(request), ward=ward)
    if request.method == "POST" and form.is_valid():
        try:
            award = services.funding_award_create(by=request.user, ward=ward, **form.cleaned_data)
        except Refused as exc:
            add_refusal(form, exc)
        else:
            messages.success(request, f"Award to {award.recipient} recorded")
            return redirect("wards:funding-award-detail", pk=award.pk)
    return render(request, "wards/intel/award_form.html", {"form": form, "ward": ward, "award": None})


def _render_award(request, award: FundingAward, status_form=None, status=200):
    admin = permissions.can_manage_reference_data(request.user)
    following = services.FUNDING_NEXT[award.status]
    return render(request, "wards/intel/award_detail.html", {
        "award": award, "admin": admin, "today": timezone.localdate(),
        "status_form": status_form or (AwardStatusForm(award=award) if admin and following else None),
        "path": [(s, FundingAward.Status(s).label) for s in services.FUNDING_PATH],
        "reached": services.FUNDING_PATH.index(award.status),
    }, status=status)


@login_required
def funding_award_detail(request, pk):
    return _render_award(request, permissions.get_award_for_user(request.user, pk))


@login_required
def funding_award_edit(request, pk):
    award = permissions.get_award_for_user(request.user, pk, to="manage")
    form = FundingAwardForm(posted(request), ward=award.ward, award=award)
    if request.method == "POST" and form.is_valid():
        try:
            services.funding_award_update(award=award, by=request.user, **form.cleaned_data)
        except Refused as exc:
            add_refusal(form, exc)
        else:
            messages.success(request, "Award saved")
            return redirect("wards:funding-award-detail", pk=award.pk)
    return render(request, "wards/intel/award_form.html", {"form": form, "ward": award.ward, "award": award})


@login_required
@require_POST
def funding_award_status(request, pk):
    award = permissions.get_award_for_user(request.user, pk, to="manage")
    form = AwardStatusForm(request.POST, award=award)
    if form.is_valid():
        try:
            services.funding_award_set_status(award=award, by=request.user, **form.cleaned_data)
        except Refused as exc:
            add_refusal(form, exc)
        else:
            messages.success(request, f"Award marked {award.get_status_display().lower()}")
            return redirect("wards:funding-award-detail", pk=award.pk)
    return _render_award(request, award, status_form=form)

