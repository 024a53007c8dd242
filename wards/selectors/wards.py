"""Reads for wards and their places, and for the staff ward page (which shows a little of every
feature). Each is a fixed number of queries, however much a ward holds."""
import datetime
import itertools
from dataclasses import dataclass, field

from django.db.models import Count, Exists, Max, OuterRef, Q

from ..models import Briefing, FundingAward, Place, Priority, Ward
from .briefings import current_briefings_for_ward
from .funding import WardFunding, funding_awards_list, funding_summary_for_ward
from .meetings import meetings_list, open_actions_for_ward
from .people import officers_covering_ward
from .priorities import priorities_list
from .profile import ward_figures_latest

@dataclass
class Arrangement:
    """A set of wards that came into force on one day."""

    kind: str  # "current", "future" or "earlier"
    valid_from: datetime.date
    wards: list = field(default_factory=list)

    @property
    def valid_to(self) -> datetime.date | None:
        ends = {ward.valid_to for ward in self.wards}
        return None if None in ends else max(ends)


def ward_arrangements(today: datetime.date) -> list[Arrangement]:
    """Every ward, grouped by arrangement: the one in force first, then any loaded for the future,
    then earlier ones, newest first. One query.

    The newest arrangement already in force is the current one even when its end date has passed,
    until a newer one is loaded (the same rule as `WardQuerySet.latest_arrangement`).
    """
    wards = list(Ward.objects.order_by("-valid_from", "name"))
    in_force = [w.valid_from for w in wards if w.valid_from <= today]
    current_from = max(in_force) if in_force else None
    groups = []
    for valid_from, members in itertools.groupby(wards, key=lambda w: w.valid_from):
        kind = "future" if valid_from > today else "current" if valid_from == current_from else "earlier"
        groups.append(Arrangement(kind=kind, valid_from=valid_from, wards=list(members)))
    order = {"current": 0, "future": 1, "earlier": 2}
    return sorted(groups, key=lambda g: (order[g.kind], -g.valid_from.toordinal()))


def ward_standing(ward: Ward, today: datetime.date) -> str:
    """"current", "future" or "replaced", by the same rule as `ward_arrangements` (one query)."""
    if ward.valid_from > today:
        return "future"
    newest = Ward.objects.filter(valid_from__lte=today).aggregate(newest=Max("valid_from"))["newest"]
    return "current" if ward.valid_from == newest else "replaced"


def wards_to_choose():
    """Wards offered when something new is filed: the newest arrangement."""
    return Ward.objects.latest_arrangement().order_by("name")


def wards_for_filter():
    """Wards offered in a list's filter: the newest arrangement, and any older ward with data.

    EXISTS, not joins: joining priorities, awards and briefings would multiply each ward's rows
    before DISTINCT threw them away again."""
    latest = Ward.objects.latest_arrangement().values("pk")
    has = {model: Exists(model.objects.filter(ward=OuterRef("pk"))) for model in (Priority, FundingAward, Briefing)}
    return Ward.objects.filter(
        Q(pk__in=latest) | has[Priority] | has[FundingAward] | has[Briefing]
    ).order_by("name", "-valid_from")


# --- places ----------------------------------------------------------------------------------------


def places_in_ward(ward: Ward):
    return Place.objects.filter(ward=ward).annotate(
        priority_count=Count("priorities", distinct=True),
    ).order_by("name")


def places_to_choose(ward: Ward, keep: Place | None = None):
    """The ward's places, to choose one; and the one already chosen, wherever it is now."""
    return Place.objects.filter(Q(ward=ward) | Q(pk=keep.pk if keep else None)).order_by("name")


def places_export(ward: Ward | None = None):
    places = Place.objects.select_related("ward").order_by("ward__name", "ward__valid_from", "name")
    return places.filter(ward=ward) if ward is not None else places


# --- the ward page -------------------------------------------------------------------------------

RECENT_MEETINGS = 5
RECENT_AWARDS = 10


@dataclass
class WardPage:
    ward: Ward
    figures: list
    places: list
    priorities: list
    briefings: list
    funding: WardFunding
    awards: list
    officers: list
    meetings: list
    actions: list


def ward_page(ward: Ward, today: datetime.date) -> WardPage:
    """Everything the staff ward page shows, in a fixed number of queries."""
    return WardPage(
        ward=ward,
        figures=ward_figures_latest(ward, today),
        places=list(places_in_ward(ward)),
        priorities=list(priorities_list(ward=ward)),
        briefings=list(current_briefings_for_ward(ward, today)),
        funding=funding_summary_for_ward(ward, today),
        awards=list(funding_awards_list(ward=ward)[:RECENT_AWARDS]),
        officers=list(officers_covering_ward(ward)),
        meetings=list(meetings_list(ward=ward)[:RECENT_MEETINGS]),
        actions=list(open_actions_for_ward(ward)),
    )
