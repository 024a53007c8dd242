"""Reads for ward priorities and their progress."""
from django.db.models import Case, Count, F, IntegerField, Prefetch, Q, Value, When, Window
from django.db.models.functions import RowNumber

from ..models import FundingAward, Priority, PriorityUpdate, Ward, WardMeeting


def _latest_update_per_priority():
    """Only the newest update of each priority (a window function), never the whole history."""
    return (PriorityUpdate.objects.annotate(
        newest=Window(RowNumber(), partition_by=[F("priority_id")], order_by=[F("at").desc(), F("id").desc()]),
    ).filter(newest=1).select_related("by"))


def _status_rank():
    """Work in progress first: active, proposed, then the finished ones."""
    return Case(*(When(status=s, then=Value(i)) for i, s in enumerate(
        [Priority.Status.ACTIVE, Priority.Status.PROPOSED, Priority.Status.ACHIEVED, Priority.Status.DROPPED])),
        output_field=IntegerField())


def priorities_list(*, ward: Ward | None = None, status: str = "", text: str = ""):
    """Priorities with their ward, place and newest update (as `latest`, a list of at most one)."""
    priorities = Priority.objects.select_related("ward", "place").prefetch_related(
        Prefetch("updates", queryset=_latest_update_per_priority(), to_attr="latest"),
    ).annotate(update_count=Count("updates"), rank=_status_rank())
    if ward is not None:
        priorities = priorities.filter(ward=ward)
    if status:
        priorities = priorities.filter(status=status)
    for word in text.split():
        priorities = priorities.filter(Q(title__icontains=word) | Q(description__icontains=word))
    return priorities.order_by("rank", "ward__name", "title", "pk")


def priority_with_details(pk: int) -> Priority:
    """One priority with the ward data its page shows, or Priority.DoesNotExist (the page, in pages/,
    adds how many cases bear on it, from casework)."""
    return (Priority.objects.select_related("ward", "place", "created_by")
            .prefetch_related(
                Prefetch("updates", queryset=PriorityUpdate.objects.select_related("by").order_by("-at", "-id")),
                Prefetch("funding_awards", queryset=FundingAward.objects.select_related("scheme", "place")
                         .order_by("-applied_on", "-id")),
                Prefetch("meetings", queryset=WardMeeting.objects.order_by("-held_on", "-id")),
            ).get(pk=pk))

