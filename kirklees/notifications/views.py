from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from kirklees.redirects import redirect_to_next

from . import services
from .models import Notification, Preference


@login_required
def inbox(request):
    notifications = Notification.objects.filter(user=request.user).order_by("-created_at", "-id")
    page = Paginator(notifications, 30).get_page(request.GET.get("page"))
    return render(request, "notifications/inbox.html", {"page": page})


@login_required
@require_POST
def mark_read(request):
    """Mark one notification (`id`) or all of them read; then go where the link pointed."""
    ids = [int(i) for i in request.POST.getlist("id") if i.isdigit()] or None
    services.notifications_mark_read(user=request.user, ids=ids)
    return redirect_to_next(request, "notifications:inbox")


class PreferenceForm(forms.ModelForm):
    class Meta:
        model = Preference
        fields = ["email", "daily_digest"]


@login_required
def preferences(request):
    preference = services.preference_for(request.user)
    form = PreferenceForm(request.POST if request.method == "POST" else None, instance=preference)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Your notification settings are saved")
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})


# No sign-in and no CSRF token: the signed token in the link is the authority, and all it can do is
# turn one person's notification emails off. A mail client's one-click POST (RFC 8058) carries only
# "List-Unsubscribe=One-Click"; a person who follows the link sees a page to confirm first.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    user_id = services.unsubscribe_user_id(token)
    if user_id is None or not services.user_exists(user_id):
        return render(request, "notifications/unsubscribe.html", {"refused": True}, status=400)
    if request.method == "POST":
        services.email_preference_turn_off(user_id=user_id)
        return render(request, "notifications/unsubscribe.html", {"done": True})
    return render(request, "notifications/unsubscribe.html", {"token": token})
