"""Changes of the addresses residents' details go to: the link the new address is sent, and the
liaison managers' Pending email changes page."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from kirklees.refusals import Refused, add_refusal

from .. import permissions
from ..selectors import email_changes as selectors
from ..services import email_changes as services


@never_cache
def email_change_confirm(request, token):
    """The link in the email to the new address: signed in or not. GET only shows what it would
    do (a mail scanner that follows links confirms nothing); the button POSTs."""
    try:
        change = services.email_change_for_link(token)
    except Refused as refusal:
        return render(request, "wards/email_changes/link_refused.html", {"reason": refusal.message}, status=400)
    if request.method == "POST":
        try:
            change = services.email_change_confirm(token=token)
        except Refused as refusal:
            return render(request, "wards/email_changes/link_refused.html", {"reason": refusal.message}, status=400)
        return render(request, "wards/email_changes/confirmed.html", {"change": change})
    return render(request, "wards/email_changes/confirm.html", {"change": change})


@login_required
def email_change_list(request):
    permissions.require(permissions.can_approve_email_changes(request.user))
    return render(request, "wards/email_changes/list.html", {
        "pending": selectors.email_changes_pending(),
        "decided": selectors.email_changes_decided(),
        "now": timezone.now(),
    })


def _decide(request, pk, decide, done: str):
    change = permissions.get_email_change_for_user(request.user, pk)
    try:
        decide(change=change, by=request.user)
    except Refused as refusal:
        add_refusal(request, refusal)
    else:
        messages.success(request, done.format(new=change.new_email, what=change.described))
    return redirect("wards:email-changes")


@login_required
@require_POST
def email_change_approve(request, pk):
    return _decide(request, pk, services.email_change_approve, "Approved. Emails for {what} now go to {new}")


@login_required
@require_POST
def email_change_reject(request, pk):
    return _decide(request, pk, services.email_change_reject, "Rejected. Emails for {what} do not go to {new}")
