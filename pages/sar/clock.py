"""The subject access clock, as the ICO counts it: pure date arithmetic, nothing else.

A request received on a day is due on the corresponding day of the next calendar month; when that
month has no such day (31 January, 30 February) it is due on that month's last day (31 January ->
28 February, or 29 in a leap year). An extension adds two further months to the original due date,
counted the same way.

The ICO also allows until the next working day when the due date falls on a weekend or a bank
holiday; the service shows the calendar date, the stricter of the two, so that nobody relies on a
day's grace that a weekend might not give.
"""

import calendar
import datetime

EXTENSION_MONTHS = 2


def months_after(day: datetime.date, months: int) -> datetime.date:
    """The corresponding day `months` calendar months after `day`, or the last day of that month."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def sar_due_on(received_on: datetime.date) -> datetime.date:
    return months_after(received_on, 1)


def sar_extended_due_on(received_on: datetime.date) -> datetime.date:
    """The due date after an extension: two months after the original due date."""
    return months_after(sar_due_on(received_on), EXTENSION_MONTHS)
