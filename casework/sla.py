"""Working days: the one place that knows what one is.

Weekends, England & Wales bank holidays (the `holidays` library, subdivision England) and the
council's closure days (ClosureDay, edited by admins) are not working days. Due dates are set in
working days from these, and "overdue by N working days" is counted the same way.
"""

import datetime
from functools import lru_cache

import holidays
from django.utils import timezone


@lru_cache(maxsize=64)
def _bank_holidays(year: int) -> frozenset[datetime.date]:
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year).keys())


class WorkingCalendar:
    def __init__(self, closures=()):
        self.closures = frozenset(closures)

    @classmethod
    def load(cls) -> "WorkingCalendar":
        """The calendar with the council's closure days as they stand now (one query)."""
        from .models import ClosureDay

        return cls(ClosureDay.objects.values_list("date", flat=True))

    def is_working_day(self, day: datetime.date) -> bool:
        return day.weekday() < 5 and day not in _bank_holidays(day.year) and day not in self.closures

    def add(self, start: datetime.date, days: int) -> datetime.date:
        """The date `days` working days after `start` (start itself does not count)."""
        day, remaining = start, days
        while remaining > 0:
            day += datetime.timedelta(days=1)
            if self.is_working_day(day):
                remaining -= 1
        return day

    def subtract(self, end: datetime.date, days: int) -> datetime.date:
        """The latest date d with add(d, days) <= end: a step waiting `days` working days after a
        due date d has come by `end` exactly when d <= subtract(end, days)."""
        day, remaining = end, days
        while remaining > 0:
            if self.is_working_day(day):
                remaining -= 1
            day -= datetime.timedelta(days=1)
        return day

    def between(self, start: datetime.date, end: datetime.date) -> int:
        """Working days after `start` up to and including `end` (0 if end <= start)."""
        count, day = 0, start
        while day < end:
            day += datetime.timedelta(days=1)
            if self.is_working_day(day):
                count += 1
        return count

    def margin(self, due: datetime.date, end: datetime.date) -> int:
        """Working days to spare when a stage ended on `end` against its due date: positive when early,
        0 on the day, negative (working days late) after it."""
        return self.between(end, due) if end <= due else -self.between(due, end)

    def overdue_by(self, due: datetime.date | None, today: datetime.date | None = None) -> int:
        if due is None:
            return 0
        return self.between(due, today or timezone.localdate())


# Without closure days: for callers with no database to hand (the demo data maker).
BANK_HOLIDAYS_ONLY = WorkingCalendar()
