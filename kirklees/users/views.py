"""Where a person is signed in, and ending those sessions; who may use what (People and access), and
resetting someone's lost second factor."""
import hashlib

from allauth.mfa.models import Authenticator
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from kirklees.govuk.forms import posted, query_without_page
from kirklees.permissions import require
from kirklees.security_log import security_event
from kirklees.refusals import Refused, add_refusal

from .forms import AccessForm
from .models import User, UserSession
from .services import may_reset_second_factor, user_access_change, user_second_factor_reset

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
        "has_second_factor": Authenticator.objects.filter(user=person).exists(),
        "may_reset": may_reset_second_factor(by=request.user, user=person),
    }, status=status)
