"""Where a person is signed in, and ending those sessions; resetting someone's lost second factor."""
import hashlib

from allauth.mfa.models import Authenticator
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from kirklees.permissions import require
from kirklees.security_log import security_event

from .models import User, UserSession
from .services import may_reset_second_factor, user_second_factor_reset


def session_id(session_key: str) -> str:
    """What the page calls a session: never its key, which would let anyone who saw it use it."""
    return hashlib.sha256(session_key.encode()).hexdigest()[:20]


@login_required
def session_list(request):
    sessions = UserSession.objects.filter(user=request.user).order_by("-last_seen_at")
    current = request.session.session_key
    return render(request, "users/sessions.html", {"sessions": [
        {"id": session_id(s.session_key), "this": s.session_key == current, "device": s.device,
         "signed_in_at": s.signed_in_at, "last_seen_at": s.last_seen_at}
        for s in sessions
    ]})


@login_required
@require_POST
def session_end(request):
    """End one of the person's other sessions, or (`everywhere`) all of them but this one."""
    others = UserSession.objects.filter(user=request.user).exclude(session_key=request.session.session_key)
    if request.POST.get("everywhere"):
        ended, _ = others.delete()
        messages.success(request, f"Signed out of {ended} other session{'s' if ended != 1 else ''}")
        return redirect("users:sessions")
    wanted = request.POST.get("session", "")
    keys = [key for key in others.values_list("session_key", flat=True) if session_id(key) == wanted]
    if not keys:
        raise Http404("No such session")
    others.filter(session_key__in=keys).delete()
    messages.success(request, "Signed out of that session")
    return redirect("users:sessions")


@login_required
def second_factor_reset(request, pk):
    """A liaison manager (or a superuser) resets the second factor of someone who lost theirs."""
    person = get_object_or_404(User, pk=pk)
    require(may_reset_second_factor(by=request.user, user=person))
    has_one = Authenticator.objects.filter(user=person).exists()
    if request.method == "POST":
        user_second_factor_reset(user=person, by=request.user)
        security_event("second_factor_reset", request, account=person.email)
        messages.success(request, f"{person.full_name}'s second factor was reset. They have been signed out "
                                  "everywhere and will set up a new one when they next sign in.")
        return redirect("users:second-factor-reset", pk=person.pk)
    return render(request, "users/second_factor_reset.html", {"person": person, "has_one": has_one})
