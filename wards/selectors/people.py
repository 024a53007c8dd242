"""Reads for the People Finder: services and the officers in them, each a fixed number of queries."""
import calendar
import datetime

from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, OuterRef, Prefetch, Q
from django.utils import timezone

from ..models import Officer, Place, Service, Ward

# An officer's details are due a check when nobody has confirmed them for six calendar months.
CONFIRM_EVERY_MONTHS = 6


def _months_before(day: datetime.date, months: int) -> datetime.date:
    """The same day of the month `months` earlier (the month's last day if it is shorter)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def confirmation_due_before(today: datetime.date | None = None) -> datetime.date:
    """Officers last confirmed before this day need confirming again: on 15 July, those last
    confirmed on 15 January or earlier have gone six months."""
    return _months_before(today or timezone.localdate(), CONFIRM_EVERY_MONTHS) + datetime.timedelta(days=1)


def kirklees_wide():
    """Named for no ward and no place: the officer covers all of Kirklees (an expression)."""
    return ~Exists(Officer.wards.through.objects.filter(officer_id=OuterRef("pk"))) & ~Exists(
        Officer.places.through.objects.filter(officer_id=OuterRef("pk")))


def covers_ward_locally(ward_id: int):
    """Covers the ward itself, or a place in it (as a subquery, so an officer never appears twice)."""
    direct = Officer.wards.through.objects.filter(officer_id=OuterRef("pk"), ward_id=ward_id)
    via_place = Officer.places.through.objects.filter(officer_id=OuterRef("pk"), place__ward_id=ward_id)
    return Exists(direct) | Exists(via_place)


def covers_ward(ward_id: int):
    """Works in the ward: covers it or a place in it, or covers all of Kirklees."""
    return covers_ward_locally(ward_id) | kirklees_wide()


def _marked_kirklees_wide(officers):
    return officers.annotate(kirklees_wide=ExpressionWrapper(kirklees_wide(), output_field=BooleanField()))


def officers_covering_ward(ward: Ward):
    """Active officers who work in the ward, with their service: those named for the ward or a
    place in it first, then the Kirklees-wide ones (each marked `kirklees_wide`)."""
    return (_marked_kirklees_wide(Officer.objects.filter(covers_ward(ward.pk), is_active=True))
            .select_related("service").order_by("kirklees_wide", "full_name", "pk"))


def officers_search(*, text: str = "", service: Service | None = None, ward: Ward | None = None,
                    include_inactive: bool = False, unconfirmed_only: bool = False,
                    today: datetime.date | None = None):
    """The People Finder: every word of `text` must match a name, job title or service."""
    officers = Officer.objects.all() if include_inactive else Officer.objects.filter(is_active=True)
    for word in text.split():
        officers = officers.filter(Q(full_name__icontains=word) | Q(job_title__icontains=word)
                                   | Q(service__name__icontains=word))
    if service is not None:
        officers = officers.filter(service=service)
    if ward is not None:
        officers = officers.filter(covers_ward(ward.pk))
    if unconfirmed_only:
        officers = officers.unconfirmed_since(confirmation_due_before(today))
    return officers.select_related("service").prefetch_related(
        Prefetch("wards", queryset=Ward.objects.order_by("name")),
        Prefetch("places", queryset=Place.objects.select_related("ward").order_by("name")),
    ).order_by("full_name", "pk")


def officers_for_referral(*, ward_id: int | None = None):
    """Officers a case may be referred to (active, in an active service), grouped by service, each
    marked `works_in_ward` if they cover the case's ward or a place in it, and `kirklees_wide`."""
    officers = _marked_kirklees_wide(Officer.objects.filter(is_active=True, service__is_active=True)
                                     .select_related("service"))
    if ward_id is not None:
        officers = officers.annotate(works_in_ward=ExpressionWrapper(covers_ward_locally(ward_id),
                                                                     output_field=BooleanField()))
    return officers.order_by("service__name", "full_name", "pk")


def officers_unconfirmed_count(today: datetime.date | None = None) -> int:
    return Officer.objects.unconfirmed_since(confirmation_due_before(today)).count()


def services_active():
    return Service.objects.filter(is_active=True)


def services_with_officer_counts():
    return Service.objects.annotate(
        officer_count=Count("officers", filter=Q(officers__is_active=True)),
    ).order_by("name")
