"""The Councillor Account: a councillor's home page, composed from every app's selectors.

It lives here, at the top, because it shows cases (casework) next to ward intelligence (wards)
and councillor details (councillors). Each part is one selector with a fixed number of queries,
so the page costs the same however much the ward holds.
"""
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from casework.permissions import case_access_of, read_only_until
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

from pages import permissions

DUE_SOON_WORKING_DAYS = 5
WAITING_SHOWN = 10
BOOKINGS_DAYS = 14
PLACE_STANDARD_SHOWN = 2
STORIES_SHOWN = 3
IN_PROGRESS = [Priority.Status.ACTIVE, Priority.Status.PROPOSED]


def _account(request, councillor: Councillor, *, own: bool):
    today = timezone.localdate()
    ward = councillor.ward
    awards = list(funding_awarded_in_year(ward, today))
    cases = caseload_summary(councillor, today=today,
                             soon=WorkingCalendar.load().add(today, DUE_SOON_WORKING_DAYS))
    waiting = cases_waiting_for_confirmation(councillor, user=request.user, limit=WAITING_SHOWN)
    waiting_total = waiting[0].waiting_total if waiting else 0
    return render(request, "pages/account/councillor_account.html", {
        "councillor": councillor,
        "own": own,
        # Their own Account offers only the case links their term still allows (the team's view is unchanged).
        "case_access": case_access_of(councillor, today),
        "read_only_until": read_only_until(request.user) if own else None,
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


@login_required
def councillor_account(request):
    return _account(request, permissions.get_own_account(request.user), own=True)


@login_required
def councillor_account_for(request, pk):
    """The same page, as the councillor's liaison officer (or a manager) sees it."""
    return _account(request, permissions.get_account_for_user(request.user, pk), own=False)


@login_required
def supported_councillors(request):
    """The councillors whose Accounts a member of the team may open."""
    councillors = permissions.accounts_for_user(request.user).serving().order_by("ward__name", "user__full_name", "pk")
    return render(request, "pages/account/supported_councillors.html", {"councillors": councillors})
