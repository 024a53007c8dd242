"""Working-day arithmetic for due dates: weekends and England & Wales bank holidays don't count.

The one place that knows what a working day is. (Council closure days and paused clocks come
with the timed-work issue; they belong here too.)
"""

import datetime
from functools import lru_cache

import holidays


@lru_cache(maxsize=64)
def _bank_holidays(year: int) -> frozenset[datetime.date]:
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year).keys())


def is_working_day(day: datetime.date) -> bool:
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


def working_days_from(start: datetime.date, days: int) -> datetime.date:
    """The date `days` working days after `start` (start itself does not count)."""
    day = start
    remaining = days
    while remaining > 0:
        day += datetime.timedelta(days=1)
        if is_working_day(day):
            remaining -= 1
    return day


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """How many working days after `start`, up to and including `end` (0 if end <= start)."""
    count = 0
    day = start
    while day < end:
        day += datetime.timedelta(days=1)
        if is_working_day(day):
            count += 1
    return count
