"""Reads for funding: the council's financial year, awards and the totals summed by the database.

The Councillor Account calls `funding_awarded_in_year`; keep its arguments as they are.
"""
import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce

from ..models import FundingAward, FundingScheme, Ward

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
