"""Where a person is signed in, and ending those sessions; who may use what (People and access)."""
import hashlib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from kirklees.govuk.forms import posted, query_without_page
from kirklees.permissions import require
from kirklees.refusals import Refused, add_refusal

from .forms import AccessForm
from .models import User, UserSession
from .services import user_access_change

PEOPLE_PER_PAGE = 50


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


# ---------------------------------------------------------------- people and access

@login_required
def people_list(request):
    """Everyone with an account, for the people who manage access (User.manages_access)."""
    require(request.user.manages_access)
    query = request.GET.get("q", "").strip()[:100]
    people = User.objects.order_by("full_name", "email")
    if query:
        people = people.filter(Q(full_name__icontains=query) | Q(email__icontains=query))
    page = Paginator(people, PEOPLE_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "users/people_list.html", {"page": page, "q": query,
                                                       "query": query_without_page(request)})


@login_required
def person_access(request, pk):
    require(request.user.manages_access)
    person = get_object_or_404(User, pk=pk)
    form = AccessForm.for_user(person, posted(request))
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            user_access_change(user=person, by=request.user, request=request, **form.access())
        except Refused as refusal:
            status = add_refusal(form, refusal)
        else:
            messages.success(request, f"Access saved for {person}")
            return redirect("access:person", pk=person.pk)
    return render(request, "users/person_access.html", {
        "person": person, "form": form, "yourself": person.pk == request.user.pk,
        "history": person.access_changes.select_related("by")[:20],
    }, status=status)
