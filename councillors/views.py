from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from kirklees.govuk.forms import posted, query_without_page
from kirklees.permissions import require
from kirklees.refusals import Refused, add_refusal

from . import forms, permissions, selectors, services
from .diff import text_changes
from .filters import CouncillorFilter
from .models import AdvocacyRollout, Councillor, RoleProfileVersion


# ---------------------------------------------------------------- councillors and groups

@login_required
def councillor_list(request):
    require(permissions.can_view_councillors(request.user))
    filterset = CouncillorFilter(request.GET or None, queryset=selectors.councillors_for_list())
    paginator = Paginator(filterset.qs, getattr(settings, "COUNCILLORS_PER_PAGE", 50))
    page = paginator.get_page(request.GET.get("page"))
    today, rollout = timezone.localdate(), AdvocacyRollout.current()
    for councillor in page:
        councillor.advocacy_status = _advocacy_status(councillor, rollout, today)
        councillor.serving = councillor.is_serving(today)
    return render(request, "councillors/councillor_list.html", {
        "filter": filterset, "page": page, "query": query_without_page(request),
        "rolled_out": rollout.is_rolled_out(today),
        "can_edit": permissions.can_manage_reference_data(request.user),
    })


def _advocacy_status(councillor: Councillor, rollout: AdvocacyRollout, today) -> str:
    if councillor.in_pilot_on(today):
        since = councillor.advocacy_enrolled_on
        return f"Pilot, since {since:%-d %b %Y}" if since else "Pilot"
    if rollout.is_rolled_out(today):
        return "Yes, rolled out to all"
    if councillor.advocacy_enrolled:
        return f"Pilot, from {councillor.advocacy_enrolled_on:%-d %b %Y}"
    return "Not yet"


@login_required
def councillor_edit(request, pk):
    councillor = permissions.get_councillor_for_manager(request.user, pk)
    form = forms.CouncillorForm(posted(request), instance=councillor)
    if request.method == "POST" and form.is_valid():
        services.councillor_update(by=request.user, councillor=councillor,
                                   **{name: form.cleaned_data[name] for name in services.COUNCILLOR_FIELDS})
        messages.success(request, f"{councillor} saved.")
        return redirect("councillors:list")
    return render(request, "councillors/councillor_edit.html", {"form": form, "councillor": councillor})


@login_required
def councillor_add(request):
    require(permissions.can_manage_reference_data(request.user))
    form = forms.CouncillorCreateForm(posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            councillor = services.councillor_create(
                by=request.user, email=data["email"], full_name=data["full_name"],
                **{name: data[name] for name in services.COUNCILLOR_FIELDS})
        except Refused as refusal:
            add_refusal(form, refusal)
        else:
            messages.success(request, f"{councillor} added. {councillor.user.email} will get an email to set a "
                                      "password, unless they already had an account.")
            return redirect("councillors:list")
    return render(request, "councillors/councillor_add.html", {"form": form})


@login_required
def group_list(request):
    require(permissions.can_manage_reference_data(request.user))
    return render(request, "councillors/group_list.html", {"groups": selectors.political_groups_with_counts()})


@login_required
def group_add(request):
    require(permissions.can_manage_reference_data(request.user))
    form = forms.PoliticalGroupForm(posted(request))
    if request.method == "POST" and form.is_valid():
        group = services.political_group_create(by=request.user, **form.cleaned_data)
        messages.success(request, f"{group} added.")
        return redirect("councillors:groups")
    return render(request, "councillors/group_form.html", {"form": form, "group": None})


@login_required
def group_edit(request, pk):
    group = permissions.get_group_for_manager(request.user, pk)
    form = forms.PoliticalGroupForm(posted(request), instance=group)
    if request.method == "POST" and form.is_valid():
        services.political_group_update(by=request.user, group=group, **form.cleaned_data)
        messages.success(request, f"{group} saved.")
        return redirect("councillors:groups")
    return render(request, "councillors/group_form.html", {"form": form, "group": group})


# ---------------------------------------------------------------- advocacy roll-out

@login_required
def advocacy(request):
    require(permissions.can_manage_advocacy_rollout(request.user))
    today = timezone.localdate()
    form = forms.RolloutForm(posted(request), today=today)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "undo":
                services.advocacy_rollout_cancel(by=request.user)
                messages.success(request, "The planned roll-out has been undone. Only the pilot cohort may refer.")
                return redirect("councillors:advocacy")
            if form.is_valid():
                rollout = services.advocacy_rollout_schedule(by=request.user,
                                                             rolled_out_on=form.cleaned_data["rolled_out_on"])
                messages.success(request, "Advocacy opens to every councillor on "
                                 f"{rollout.rolled_out_on:%-d %B %Y}.")
                return redirect("councillors:advocacy")
        except services.RolloutError as refusal:
            add_refusal(request, refusal)
            return redirect("councillors:advocacy")
    rollout = selectors.advocacy_rollout()
    return render(request, "councillors/advocacy.html", {
        "form": form, "rollout": rollout, "rolled_out": rollout.is_rolled_out(today), "today": today,
        "cohort": selectors.pilot_cohort(),
    })


# ---------------------------------------------------------------- role profile


def _with_progress(version: RoleProfileVersion) -> RoleProfileVersion:
    """Attach each step of the workflow, reached or not, for the template."""
    reached = {step.status: step for step in version.steps.all()}
    version.progress = [(status, label, reached.get(status)) for status, label in RoleProfileVersion.Status.choices]
    next_status = RoleProfileVersion.next_status(version.status)
    version.next_step = (next_status, RoleProfileVersion.Status(next_status).label) if next_status else None
    return version


@login_required
def role_profile(request):
    require(permissions.can_read_role_profile(request.user))
    versions = [_with_progress(v) for v in selectors.role_profile_versions()]
    current = next((v.number for v in versions if v.is_published), None)
    return render(request, "councillors/role_profile_list.html", {
        "versions": versions, "current_number": current,
        "can_manage": permissions.can_manage_role_profile(request.user),
    })


@login_required
def role_profile_version(request, number):
    version = _with_progress(permissions.get_role_profile_version_for_user(request.user, number))
    return render(request, "councillors/role_profile_version.html", {
        "version": version, "can_manage": permissions.can_manage_role_profile(request.user),
        "advance_form": forms.AdvanceForm(initial={"to": version.next_step[0]}) if version.next_step else None,
        "previous": selectors.role_profile_version_before(number),
    })


@login_required
def role_profile_new(request):
    require(permissions.can_manage_role_profile(request.user))
    newest = selectors.newest_role_profile()
    initial = {"title": newest.title, "body": newest.body} if newest else {}
    form = forms.RoleProfileForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        version = services.role_profile_draft_create(by=request.user, **form.cleaned_data)
        messages.success(request, f"{version} saved as a draft.")
        return redirect("councillors:role-profile-version", number=version.number)
    return render(request, "councillors/role_profile_form.html", {"form": form, "version": None, "newest": newest})


@login_required
def role_profile_edit(request, number):
    version = permissions.get_role_profile_version_for_manager(request.user, number)
    if not version.is_editable:
        messages.error(request, f"{version} is ‘{version.get_status_display()}’; only a draft can be changed. "
                       "Start a new version instead.")
        return redirect("councillors:role-profile-version", number=number)
    form = forms.RoleProfileForm(posted(request), instance=version)
    if request.method == "POST" and form.is_valid():
        try:
            services.role_profile_draft_update(by=request.user, version=version, **form.cleaned_data)
        except services.RoleProfileError as refusal:
            add_refusal(request, refusal)
        else:
            messages.success(request, f"{version} saved.")
        return redirect("councillors:role-profile-version", number=number)
    return render(request, "councillors/role_profile_form.html", {"form": form, "version": version})


@login_required
@require_POST
def role_profile_advance(request, number):
    version = permissions.get_role_profile_version_for_manager(request.user, number)
    form = forms.AdvanceForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose the next step from the version's page.")
        return redirect("councillors:role-profile-version", number=number)
    try:
        version = services.role_profile_advance(by=request.user, version=version, to=form.cleaned_data["to"])
    except services.RoleProfileError as refusal:
        add_refusal(request, refusal)
    else:
        messages.success(request, f"{version} is now ‘{version.get_status_display()}’.")
    return redirect("councillors:role-profile-version", number=number)


def _number(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@login_required
def role_profile_diff(request):
    require(permissions.can_read_role_profile(request.user))
    versions = list(selectors.role_profile_versions_to_compare())
    by_number = {v.number: v for v in versions}
    a, b = _number(request.GET.get("a")), _number(request.GET.get("b"))
    error = ""
    changes = None
    old = new = None
    if request.GET:
        if a not in by_number or b not in by_number:
            error = "Choose two versions from the lists"
        elif a == b:
            error = "Choose two different versions"
        else:
            old, new = sorted([a, b])  # always read as "from the older to the newer"
            texts = selectors.role_profile_texts([old, new])
            changes = text_changes(texts[old], texts[new])
            old, new = by_number[old], by_number[new]
    return render(request, "councillors/role_profile_diff.html", {
        "versions": versions, "a": a, "b": b, "error": error, "changes": changes, "old": old, "new": new,
    })


# ---------------------------------------------------------------- public page (mounted in kirklees/public_urls.py)

def role_profile_public(request):
    """No login. Only the newest published version: never drafts, and never who did what."""
    return render(request, "councillors/role_profile_public.html", {"version": selectors.published_role_profile()})
