"""Where a person is signed in, and ending those sessions."""
import hashlib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from .models import UserSession


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
