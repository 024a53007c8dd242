"""Pages for the public, no login: wards with their councillors and current priorities.

Only what a council already publishes: names, political groups, wards, priorities the ward has
agreed, and the published Place Standard scores (averages, never residents' comments). Never
residents, cases, officers' contact details or internal briefings.
"""
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from councillors.models import Councillor
from engagement.selectors import published_results_for_ward
from wards.models import Priority, Ward
from wards.selectors.wards import ward_standing

PLACE_STANDARD_SHOWN = 2
PUBLIC_PRIORITY_STATUSES = [Priority.Status.ACTIVE, Priority.Status.ACHIEVED]


def _serving_councillors():
    return Councillor.objects.serving().select_related("user", "group").order_by("user__full_name")


def ward_list(request):
    wards = Ward.objects.latest_arrangement().order_by("name").prefetch_related(
        Prefetch("councillors", queryset=_serving_councillors()))
    return render(request, "pages/public/ward_list.html", {"wards": wards})


def ward_detail(request, pk):
    ward = get_object_or_404(Ward.objects.prefetch_related(
        Prefetch("councillors", queryset=_serving_councillors()),
        Prefetch("priorities", queryset=Priority.objects.filter(status__in=PUBLIC_PRIORITY_STATUSES)
                 .select_related("place").order_by("status", "title")),
        "places",
    ), pk=pk)
    return render(request, "pages/public/ward_detail.html", {
        "ward": ward,
        # The same rule as the staff pages: the newest wards in force stay in use, even past their
        # end date, until the council loads the ones that replace them.
        "standing": ward_standing(ward, timezone.localdate()),
        "place_standard": published_results_for_ward(ward, limit=PLACE_STANDARD_SHOWN),
    })
