"""Reads for briefings.

The Councillor Account calls `current_briefings_for_ward`; keep its arguments as they are.
"""
import datetime

from django.db.models import Count, Q

from ..models import Briefing, Ward


def current_briefings_for_ward(ward: Ward, today: datetime.date):
    """What a ward's councillors should read today: the ward's own briefings and those for every
    ward, published on or before today and not yet expired (shown through their expiry day);
    key community issues first, then the newest."""
    return (Briefing.objects.filter(Q(ward=ward) | Q(ward__isnull=True), publish_on__lte=today, expires_on__gte=today)
            .order_by("-key_issue", "-publish_on", "-id"))


BRIEFING_STATES = {
    "current": "Current",
    "scheduled": "Scheduled",
    "expired": "Expired",
}


def _briefing_state_filter(state: str, today: datetime.date) -> Q:
    return {
        "current": Q(publish_on__lte=today, expires_on__gte=today),
        "scheduled": Q(publish_on__gt=today),
        "expired": Q(expires_on__lt=today),
    }[state]


def briefings_list(*, state: str, today: datetime.date, ward: Ward | None = None):
    briefings = Briefing.objects.filter(_briefing_state_filter(state, today)).select_related("ward", "author")
    if ward is not None:
        briefings = briefings.filter(Q(ward=ward) | Q(ward__isnull=True))
    order = {"current": ["-key_issue", "-publish_on", "-id"], "scheduled": ["publish_on", "id"],
             "expired": ["-expires_on", "-id"]}[state]
    return briefings.order_by(*order)


def briefing_counts(today: datetime.date, ward: Ward | None = None) -> dict[str, int]:
    """How many briefings are current, scheduled and expired (one query)."""
    briefings = Briefing.objects.all()
    if ward is not None:
        briefings = briefings.filter(Q(ward=ward) | Q(ward__isnull=True))
    return briefings.aggregate(**{state: Count("pk", filter=_briefing_state_filter(state, today))
                                  for state in BRIEFING_STATES})


def briefing_state(briefing: Briefing, today: datetime.date) -> str:
    if briefing.publish_on > today:
        return "scheduled"
    return "expired" if briefing.expires_on < today else "current"


def briefings_export(*, ward: Ward | None = None):
    briefings = Briefing.objects.select_related("ward", "author")
    if ward is not None:
        briefings = briefings.filter(Q(ward=ward) | Q(ward__isnull=True))
    return briefings.order_by("-publish_on", "-id")

