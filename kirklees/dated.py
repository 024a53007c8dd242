"""One rule for things that hold for a period: a ward's boundaries, a councillor's term.

A period starts on its first day and ends on its end date, which is the first day it no longer
holds (the day after the last day in office, the day the new wards come in). An empty start or
end means "not recorded", which counts as open on that side.

`grace` stretches a period past its end (a councillor's read-only days after their term): the
period then holds until `end + grace`, on the same rule.
"""
import datetime

from django.db.models import Q


NO_GRACE = datetime.timedelta(0)


def in_force_on(day: datetime.date, *, start: str, end: str, grace: datetime.timedelta = NO_GRACE) -> Q:
    """Rows whose period holds on `day`; `start` and `end` name the date fields (lookups allowed,
    such as "councillor__term_end")."""
    return ((Q(**{f"{start}__isnull": True}) | Q(**{f"{start}__lte": day}))
            & (Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__gt": day - grace})))


def holds_on(day: datetime.date, start: datetime.date | None, end: datetime.date | None,
             grace: datetime.timedelta = NO_GRACE) -> bool:
    """The same rule for one row already in memory."""
    return (start is None or start <= day) and (end is None or end + grace > day)
