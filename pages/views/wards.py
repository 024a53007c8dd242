"""Ward pages that also show casework: a priority's page and a ward meeting's page, each with how
many cases bear on it (the number only: which cases they are is for those who may read them).

The ward data comes from wards' fetches and forms, the counts from casework's selectors; they meet
here because wards/ may not ask casework. The pages keep wards' addresses and URL names
(config/urls.py mounts these in the wards namespace). Adding progress to a priority and an action
to a meeting are here too, since a refused one shows the page again.
"""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from casework.selectors import case_count_for_priority, case_counts_for_meeting_actions
from kirklees.refusals import Refused, add_refusal
from wards import permissions
from wards.forms.meetings import ActionForm
from wards.forms.priorities import PriorityUpdateForm
from wards.models import Priority, WardMeeting
from wards.services import meetings as meeting_services
from wards.services import priorities as priority_services


def _render_priority(request, priority: Priority, update_form=None):
    can_edit = permissions.can_edit_ward_content(request.user, priority.ward_id)
    priority.case_count = case_count_for_priority(priority.pk)
    return render(request, "pages/wards/priority_detail.html", {
        "priority": priority,
        "updates": priority.updates.all(),
        "awards": priority.funding_awards.all(),
        "meetings": priority.meetings.all(),
        "can_edit": can_edit,
        "update_form": update_form or (PriorityUpdateForm(priority=priority) if can_edit else None),
    })


@login_required
def priority_detail(request, pk):
    return _render_priority(request, permissions.get_priority_for_user(request.user, pk, details=True))


@login_required
@require_POST
def priority_update_add(request, pk):
    priority = permissions.get_priority_for_user(request.user, pk, to="edit", details=True)
    form = PriorityUpdateForm(request.POST, priority=priority)
    if form.is_valid():
        try:
            priority_services.priority_add_update(priority=priority, by=request.user, **form.cleaned_data)
        except Refused as exc:
            add_refusal(form, exc)
        else:
            messages.success(request, "Progress recorded")
            return redirect(reverse("wards:priority-detail", kwargs={"pk": priority.pk}) + "#progress")
    return _render_priority(request, priority, update_form=form)


def _render_meeting(request, meeting: WardMeeting, action_form=None):
    user = request.user
    can_edit = permissions.can_edit_ward_content(user, meeting.ward_id)
    actions = list(meeting.actions.all())
    counts = case_counts_for_meeting_actions(action.pk for action in actions)
    for action in actions:
        action.case_count = counts.get(action.pk, 0)
    return render(request, "pages/wards/meeting_detail.html", {
        "meeting": meeting,
        "actions": actions,
        "can_edit": can_edit,
        "action_form": action_form or (ActionForm(meeting=meeting) if can_edit else None),
        # Only a councillor records cases, and only from their own ward's meetings.
        "can_make_cases": user.is_councillor and permissions.councillor_ward_id(user) == meeting.ward_id,
        # Linking needs cases the user works on: councillors of the ward and the liaison team.
        "can_link_cases": can_edit and (user.is_councillor or user.is_liaison),
        "today": timezone.localdate(),
    })


@login_required
def meeting_detail(request, pk):
    return _render_meeting(request, permissions.get_meeting_for_user(request.user, pk))


@login_required
@require_POST
def meeting_action_add(request, pk):
    meeting = permissions.get_meeting_for_user(request.user, pk, to="edit")
    form = ActionForm(request.POST, meeting=meeting)
    if form.is_valid():
        try:
            meeting_services.meeting_action_add(meeting=meeting, by=request.user, **form.cleaned_data)
        except Refused as exc:
            add_refusal(form, exc)
        else:
            messages.success(request, "Action added")
            return redirect("wards:meeting-detail", pk=meeting.pk)
    return _render_meeting(request, meeting, action_form=form)
