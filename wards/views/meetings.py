"""Ward solution meetings: councillors and officers solving ward problems, and the actions agreed."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from kirklees.govuk.forms import posted, query_without_page
from kirklees.refusals import Refused, add_refusal

from .. import permissions
from ..forms.meetings import ActionForm, ActionStatusForm, MeetingFilterForm, MeetingForm
from ..forms.wards import WardChoiceForm
from ..selectors import meetings as selectors
from ..services import meetings as services

MEETINGS_PER_PAGE = 25


@login_required
def meeting_list(request):
    permissions.require(permissions.can_view_ward_data(request.user))
    form = MeetingFilterForm(request.GET or None)
    ward = form.cleaned_data.get("ward") if form.is_valid() else None
    own = permissions.councillor_ward_id(request.user)
    if request.GET.get("ward") is None and own:
        # A councillor lands on their own ward's meetings; "All wards" is one choice away.
        ward = permissions.get_ward_for_user(request.user, own)
        form = MeetingFilterForm(initial={"ward": own})
    page = Paginator(selectors.meetings_list(ward=ward), MEETINGS_PER_PAGE).get_page(request.GET.get("page"))
    query = query_without_page(request)
    return render(request, "wards/meetings/meeting_list.html", {
        "form": form, "page": page, "query": query, "ward": ward,
        "can_create": permissions.can_add_ward_content(request.user),
    })


@login_required
def meeting_create(request):
    """A councillor records meetings in their own ward; the team and the data admin first say which ward."""
    user = request.user
    permissions.require(permissions.can_view_ward_data(user))
    own = permissions.councillor_ward_id(user)
    if own and not user.works_across_wards:
        if request.GET.get("ward", str(own)) != str(own):
            raise PermissionDenied("Councillors record meetings in their own ward.")
        ward = permissions.get_ward_for_user(user, own)
    else:
        permissions.require(user.works_across_wards)
        choice = WardChoiceForm(request.GET if "ward" in request.GET else None,
                                label="Which ward was the meeting in?", required="Choose the ward the meeting was in")
        if not choice.is_valid():
            return render(request, "wards/choose_ward.html", {
                "form": choice, "title": "Record a ward solution meeting", "action": reverse("wards:meeting-create"),
                "back": reverse("wards:meetings"), "back_text": "Back to ward solution meetings"})
        ward = choice.cleaned_data["ward"]
    permissions.require(permissions.can_edit_ward_content(user, ward.pk))
    form = MeetingForm(posted(request), ward=ward)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_create(by=user, ward=ward, **form.cleaned_data)
        except Refused as exc:
            add_refusal(form, exc)
        else:
            messages.success(request, "Meeting recorded. Add the actions agreed below.")
            return redirect("wards:meeting-detail", pk=meeting.pk)
    return render(request, "wards/meetings/meeting_form.html", {"form": form, "ward": ward, "meeting": None})


@login_required
def meeting_edit(request, pk):
    meeting = permissions.get_meeting_for_user(request.user, pk, to="edit")
    form = MeetingForm(posted(request), ward=meeting.ward, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_update(meeting=meeting, by=request.user, **form.cleaned_data)
        except Refused as exc:
            add_refusal(form, exc)
        else:
            messages.success(request, "Meeting saved")
            return redirect("wards:meeting-detail", pk=meeting.pk)
    return render(request, "wards/meetings/meeting_form.html",
                  {"form": form, "ward": meeting.ward, "meeting": meeting})


@login_required
def meeting_action_edit(request, pk):
    action = permissions.get_action_for_user(request.user, pk)
    form = ActionForm(posted(request), meeting=action.meeting, action=action)
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_action_update(action=action, by=request.user, **form.cleaned_data)
        except Refused as exc:
            add_refusal(form, exc)
        else:
            messages.success(request, "Action saved")
            return redirect(reverse("wards:meeting-detail", kwargs={"pk": action.meeting_id}) + f"#action-{action.pk}")
    return render(request, "wards/meetings/action_form.html", {"form": form, "action": action,
                                                               "meeting": action.meeting})


@login_required
@require_POST
def meeting_action_status(request, pk):
    action = permissions.get_action_for_user(request.user, pk)
    form = ActionStatusForm(request.POST)
    if form.is_valid():
        services.meeting_action_set_status(action=action, by=request.user,
                                                    status=form.cleaned_data["status"])
        messages.success(request, f"Action marked {action.get_status_display().lower()}")
    else:
        messages.error(request, "Choose whether the action is done, dropped or open")
    return redirect(reverse("wards:meeting-detail", kwargs={"pk": action.meeting_id}) + f"#action-{action.pk}")
