"""The Councillor Account: a councillor's home page, composed from every app's selectors.

It lives here, at the top, because it shows cases (casework) next to ward intelligence (wards)
and councillor details (councillors). Each part is one selector with a fixed number of queries,
so the page costs the same however much the ward holds.
"""
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from casework.selectors import caseload_summary, cases_waiting_for_confirmation
from casework.sla import WorkingCalendar
from councillors.models import Councillor
from engagement.learning.selectors import bookings_starting_soon_for_user
from engagement.selectors import published_results_for_ward
from engagement.stories.selectors import recent_published_stories
from wards.models import Priority
from wards.selectors.briefings import current_briefings_for_ward
from wards.selectors.funding import financial_year_label, funding_awarded_in_year
from wards.selectors.meetings import open_actions_for_ward
from wards.selectors.people import officers_covering_ward
from wards.selectors.priorities import priorities_list

DUE_SOON_WORKING_DAYS = 5
WAITING_SHOWN = 10
BOOKINGS_DAYS = 14
PLACE_STANDARD_SHOWN = 2
STORIES_SHOWN = 3
IN_PROGRESS = [Priority.Status.ACTIVE, Priority.Status.PROPOSED]


def councillors_supported_by(user):
    """Whose Account a member of the team may open: their own councillors; a manager, anyone's."""
    if user.is_liaison_manager:
        return Councillor.objects.all()
    if user.is_liaison:
        return Councillor.objects.for_liaison_officer(user)
    return Councillor.objects.none()


def _account(request, councillor: Councillor, *, own: bool):
    today = timezone.localdate()
    ward = councillor.ward
    awards = list(funding_awarded_in_year(ward, today))
    cases = caseload_summary(councillor, today=today,
                             soon=WorkingCalendar.load().add(today, DUE_SOON_WORKING_DAYS))
    waiting = cases_waiting_for_confirmation(councillor, user=request.user, limit=WAITING_SHOWN)
    waiting_total = waiting[0].waiting_total if waiting else 0
    return render(request, "account/councillor_account.html", {
        "councillor": councillor,
        "own": own,
        "today": today,
        "cases": cases,
        "due_soon_days": DUE_SOON_WORKING_DAYS,
        "waiting": waiting,
        "waiting_total": waiting_total,
        # A manager opening the Account of a councillor who has no liaison officer may count, but
        # not read, the cases that councillor handles alone.
        "waiting_unseen": max(cases["resolved"] - waiting_total, 0),
        "bookings": list(bookings_starting_soon_for_user(councillor.user, days=BOOKINGS_DAYS)),
        "bookings_days": BOOKINGS_DAYS,
        "briefings": list(current_briefings_for_ward(ward, today)),
        "priorities": list(priorities_list(ward=ward).filter(status__in=IN_PROGRESS)),
        "awards": awards,
        "awarded_total": sum(award.amount for award in awards),
        "funding_year": financial_year_label(today),
        "officers": list(officers_covering_ward(ward)),
        "actions": list(open_actions_for_ward(ward)),
        "place_standard": published_results_for_ward(ward, limit=PLACE_STANDARD_SHOWN),
        "stories": recent_published_stories(ward=ward, limit=STORIES_SHOWN),
    })


def _with_details(queryset):
    return queryset.select_related("user", "ward", "group", "liaison_officer")


@login_required
def councillor_account(request):
    if not request.user.is_councillor:
        raise PermissionDenied("The Councillor Account is for councillors.")
    councillor = get_object_or_404(_with_details(Councillor.objects), user=request.user)
    return _account(request, councillor, own=True)


@login_required
def councillor_account_for(request, pk):
    """The same page, as the councillor's liaison officer (or a manager) sees it."""
    if not request.user.is_liaison:
        raise PermissionDenied("Only the Support & Liaison Team may view another councillor's Account.")
    councillor = get_object_or_404(_with_details(councillors_supported_by(request.user)), pk=pk)
    return _account(request, councillor, own=False)


@login_required
def supported_councillors(request):
    """The councillors whose Accounts a member of the team may open."""
    if not request.user.is_liaison:
        raise PermissionDenied("Only the Support & Liaison Team supports councillors.")
    councillors = _with_details(councillors_supported_by(request.user).serving()).order_by(
        "ward__name", "user__full_name", "pk")
    return render(request, "account/supported_councillors.html", {"councillors": councillors})
