"""Reads for ward intelligence: the ward page, places, profile figures, priorities, briefings and
funding. Each is a fixed number of queries, however much a ward holds.

kirklees/account.py (the Councillor Account) calls `current_briefings_for_ward` and
`funding_awarded_in_year`; keep their arguments as they are.
"""
import datetime
import itertools
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import (
    Case, Count, Exists, F, IntegerField, Max, OuterRef, Prefetch, Q, Sum, Value, When, Window,
)
from django.db.models.functions import Coalesce, RowNumber

from . import selectors_people
from .models import (
    Briefing, FundingAward, FundingScheme, Place, Priority, PriorityUpdate, Ward, WardFigure, WardMeeting,
)

Status = FundingAward.Status
# Money counts as awarded from the decision on: an application is only a request.
AWARDED_STATUSES = [Status.APPROVED, Status.PAID, Status.MONITORING_DUE, Status.CLOSED]
ZERO = Decimal("0.00")


# --- dates ---------------------------------------------------------------------------------------


def financial_year(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The council's financial year (1 April to 31 March) that contains `today`."""
    start_year = today.year if today.month >= 4 else today.year - 1
    return datetime.date(start_year, 4, 1), datetime.date(start_year + 1, 3, 31)


def financial_year_label(today: datetime.date) -> str:
    start, end = financial_year(today)
    return f"{start.year}–{end.year % 100:02d}"


def age_in_words(day: datetime.date, today: datetime.date) -> str:
    """How old a dated figure is, as people say it: "3 years old", "5 months old"."""
    if day > today:
        return "dated in the future"
    months = (today.year - day.year) * 12 + today.month - day.month - (today.day < day.day)
    if months >= 12:
        years = months // 12
        return f"{years} year{'s' if years != 1 else ''} old"
    if months >= 1:
        return f"{months} month{'s' if months != 1 else ''} old"
    return "less than a month old"


# A profile figure this old is flagged, so nobody quotes a stale number as today's (the census is
# ten-yearly, so a census figure is flagged for half its life: that is the point).
FIGURE_STALE_YEARS = 5


def _years_before(today: datetime.date, years: int) -> datetime.date:
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


def _with_age(figures, today: datetime.date) -> list[WardFigure]:
    figures = list(figures)
    stale_before = _years_before(today, FIGURE_STALE_YEARS)
    for figure in figures:
        figure.age = age_in_words(figure.as_of, today)
        figure.is_stale = figure.as_of <= stale_before
    return figures


# --- wards ---------------------------------------------------------------------------------------


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


# --- profile figures and places --------------------------------------------------------------------


def ward_figures_latest(ward: Ward, today: datetime.date) -> list[WardFigure]:
    """The newest figure of each name (one query: Postgres DISTINCT ON), with its age."""
    figures = WardFigure.objects.filter(ward=ward).order_by("name", "-as_of", "-id").distinct("name")
    return _with_age(figures, today)


def ward_figures_all(ward: Ward, today: datetime.date) -> list[WardFigure]:
    """Every figure the ward has had, newest first within each name (for the admin's list)."""
    return _with_age(WardFigure.objects.filter(ward=ward).order_by("name", "-as_of", "-id"), today)


def places_in_ward(ward: Ward):
    return Place.objects.filter(ward=ward).annotate(
        priority_count=Count("priorities", distinct=True),
    ).order_by("name")


def places_export(ward: Ward | None = None):
    places = Place.objects.select_related("ward").order_by("ward__name", "ward__valid_from", "name")
    return places.filter(ward=ward) if ward is not None else places


def figures_export(ward: Ward | None = None):
    figures = WardFigure.objects.select_related("ward").order_by("ward__name", "ward__valid_from", "name", "-as_of")
    return figures.filter(ward=ward) if ward is not None else figures


# --- priorities ----------------------------------------------------------------------------------


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
    """One priority with everything its page shows, or Priority.DoesNotExist.

    Linked cases are only counted: residents' details never reach ward pages.
    """
    case_count = Count("cases", distinct=True)
    return (Priority.objects.select_related("ward", "place", "created_by").annotate(case_count=case_count)
            .prefetch_related(
                Prefetch("updates", queryset=PriorityUpdate.objects.select_related("by").order_by("-at", "-id")),
                Prefetch("funding_awards", queryset=FundingAward.objects.select_related("scheme", "place")
                         .order_by("-applied_on", "-id")),
                Prefetch("meetings", queryset=WardMeeting.objects.order_by("-held_on", "-id")),
            ).get(pk=pk))


# --- briefings -----------------------------------------------------------------------------------


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


# --- funding -------------------------------------------------------------------------------------


def _awarded_between(start: datetime.date, end: datetime.date) -> Q:
    return Q(status__in=AWARDED_STATUSES, decided_on__gte=start, decided_on__lte=end)


def funding_awarded_in_year(ward: Ward, today: datetime.date):
    """Awards in the ward decided (approved or further on) in the financial year containing `today`."""
    start, end = financial_year(today)
    return (FundingAward.objects.filter(_awarded_between(start, end), ward=ward)
            .select_related("scheme", "place").order_by("-decided_on", "-id"))


@dataclass
class WardFunding:
    year_label: str
    year_total: Decimal
    year_count: int
    all_total: Decimal
    applied_total: Decimal
    applied_count: int
    by_scheme: list


def _money(value) -> Decimal:
    return value if value is not None else ZERO


def funding_summary_for_ward(ward: Ward, today: datetime.date) -> WardFunding:
    """Totals for one ward, this financial year and overall, and by scheme: summed by the database,
    in two queries."""
    start, end = financial_year(today)
    year, awarded, applied = _awarded_between(start, end), Q(status__in=AWARDED_STATUSES), Q(status=Status.APPLIED)
    awards = FundingAward.objects.filter(ward=ward)
    totals = awards.aggregate(
        year_total=Sum("amount", filter=year), year_count=Count("pk", filter=year),
        all_total=Sum("amount", filter=awarded),
        applied_total=Sum("amount", filter=applied), applied_count=Count("pk", filter=applied),
    )
    by_scheme = list(awards.values("scheme_id", "scheme__name").annotate(
        year_total=Coalesce(Sum("amount", filter=year), ZERO), year_count=Count("pk", filter=year),
        all_total=Coalesce(Sum("amount", filter=awarded), ZERO), all_count=Count("pk", filter=awarded),
        applied_total=Coalesce(Sum("amount", filter=applied), ZERO),
    ).order_by("scheme__name"))
    return WardFunding(
        year_label=financial_year_label(today), year_total=_money(totals["year_total"]),
        year_count=totals["year_count"], all_total=_money(totals["all_total"]),
        applied_total=_money(totals["applied_total"]), applied_count=totals["applied_count"], by_scheme=by_scheme,
    )


def funding_totals_by_ward(today: datetime.date) -> list[dict]:
    """Money awarded in each ward in the financial year containing `today` (one query)."""
    start, end = financial_year(today)
    return list(FundingAward.objects.filter(_awarded_between(start, end))
                .values("ward_id", "ward__name", "ward__valid_from")
                .annotate(total=Sum("amount"), awards=Count("pk"))
                .order_by("ward__name", "-ward__valid_from"))


def funding_totals_by_scheme(today: datetime.date) -> list[FundingScheme]:
    """Each scheme with what it has awarded this financial year and in all, and what is applied for
    (one query)."""
    start, end = financial_year(today)
    year = Q(awards__status__in=AWARDED_STATUSES, awards__decided_on__gte=start, awards__decided_on__lte=end)
    awarded, applied = Q(awards__status__in=AWARDED_STATUSES), Q(awards__status=Status.APPLIED)
    return list(FundingScheme.objects.annotate(
        year_total=Coalesce(Sum("awards__amount", filter=year), ZERO), year_count=Count("awards", filter=year),
        all_total=Coalesce(Sum("awards__amount", filter=awarded), ZERO),
        all_count=Count("awards", filter=awarded),
        applied_total=Coalesce(Sum("awards__amount", filter=applied), ZERO),
        applied_count=Count("awards", filter=applied),
    ).order_by("name"))


def funding_year_total(today: datetime.date) -> dict:
    start, end = financial_year(today)
    return FundingAward.objects.filter(_awarded_between(start, end)).aggregate(
        total=Coalesce(Sum("amount"), ZERO), awards=Count("pk"))


def funding_awards_list(*, ward: Ward | None = None, scheme: FundingScheme | None = None, status: str = "",
                        text: str = ""):
    awards = FundingAward.objects.select_related("scheme", "ward", "place", "priority")
    if ward is not None:
        awards = awards.filter(ward=ward)
    if scheme is not None:
        awards = awards.filter(scheme=scheme)
    if status:
        awards = awards.filter(status=status)
    for word in text.split():
        awards = awards.filter(Q(recipient__icontains=word) | Q(purpose__icontains=word))
    return awards.order_by("-applied_on", "-id")


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
        officers=list(selectors_people.officers_covering_ward(ward)),
        meetings=list(selectors_people.meetings_list(ward=ward)[:RECENT_MEETINGS]),
        actions=list(selectors_people.open_actions_for_ward(ward)),
    )
