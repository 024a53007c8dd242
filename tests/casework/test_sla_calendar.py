"""Working-day arithmetic: weekends, England's bank holidays, council closure days, paused clocks."""

import datetime

import pytest
import time_machine

from casework import services
from casework.models import Case, ClosureDay
from casework.sla import WorkingCalendar

from ..factories.casework import make_case, walk

D = datetime.date
CAL = WorkingCalendar()


@pytest.mark.parametrize("start,days,expected", [
    (D(2026, 11, 20), 1, D(2026, 11, 23)),  # Friday + 1 = Monday
    (D(2026, 11, 21), 1, D(2026, 11, 23)),  # from a Saturday
    (D(2026, 11, 23), 5, D(2026, 11, 30)),  # a week
    (D(2026, 12, 24), 1, D(2026, 12, 29)),  # Christmas Day, weekend, Boxing Day observed on Monday
    (D(2026, 12, 31), 1, D(2027, 1, 4)),  # New Year's Day 2027 is a Friday
    (D(2027, 3, 25), 1, D(2027, 3, 30)),  # Good Friday and Easter Monday 2027
    (D(2027, 3, 25), 0, D(2027, 3, 25)),
])
def test_adding_working_days(start, days, expected):
    assert CAL.add(start, days) == expected


def test_a_closure_day_is_not_a_working_day():
    calendar = WorkingCalendar([D(2026, 12, 29), D(2026, 12, 30), D(2026, 12, 31)])
    assert calendar.add(D(2026, 12, 24), 1) == D(2027, 1, 4)
    assert not calendar.is_working_day(D(2026, 12, 30))


def test_counting_working_days_between_dates():
    assert CAL.between(D(2026, 12, 23), D(2027, 1, 5)) == 6  # 24, 29, 30, 31 Dec; 4, 5 Jan
    assert CAL.between(D(2026, 11, 23), D(2026, 11, 23)) == 0
    assert CAL.between(D(2026, 11, 25), D(2026, 11, 23)) == 0


def test_subtract_is_the_latest_due_date_whose_wait_has_passed():
    # For every end date and wait across the holidays: d <= subtract(end, n)  <=>  add(d, n) <= end.
    start = D(2026, 12, 1)
    days = [start + datetime.timedelta(days=i) for i in range(60)]
    for n in range(0, 6):
        for end in days[20:]:
            cutoff = CAL.subtract(end, n)
            for d in days:
                assert (d <= cutoff) == (CAL.add(d, n) <= end), (d, n, end)


def test_overdue_by_counts_working_days(db):
    assert CAL.overdue_by(D(2026, 12, 24), today=D(2026, 12, 29)) == 1
    assert CAL.overdue_by(None) == 0


def test_the_calendar_loads_the_councils_closure_days(db):
    ClosureDay.objects.create(date=D(2026, 12, 29), reason="Council closed")
    assert not WorkingCalendar.load().is_working_day(D(2026, 12, 29))


def test_a_new_case_is_due_in_working_days_and_urgent_cases_sooner(owner, category, db):
    with time_machine.travel(datetime.datetime(2026, 12, 23, 10, tzinfo=datetime.UTC), tick=False):
        normal = make_case(owner, category=category)  # resolution 10 working days
        urgent = make_case(owner, category=category, priority="urgent")
    assert normal.resolution_due == CAL.add(D(2026, 12, 23), category.resolution_days) == D(2027, 1, 11)
    assert urgent.resolution_due == CAL.add(D(2026, 12, 23), category.urgent_resolution_days)
    assert urgent.resolution_due < normal.resolution_due


def test_closure_days_move_due_dates(owner, category, db):
    ClosureDay.objects.create(date=D(2026, 12, 29), reason="Closed")
    with time_machine.travel(datetime.datetime(2026, 12, 23, 10, tzinfo=datetime.UTC), tick=False):
        case = make_case(owner, category=category)
    assert case.resolution_due == D(2027, 1, 12)


def test_waiting_on_the_resident_pauses_the_clock_and_resuming_extends_it(owner, category, liaison, db):
    with time_machine.travel(datetime.datetime(2026, 11, 23, 9, tzinfo=datetime.UTC), tick=False) as traveller:
        case = walk(make_case(owner, category=category), Case.Status.IN_PROGRESS, team=liaison)
        due_before = case.resolution_due
        case = services.case_request_info(case=case, by=liaison, version=case.version, request="Photo")
        assert case.due_date is None and case.paused_on == D(2026, 11, 23)
        traveller.move_to(datetime.datetime(2026, 11, 26, 9, tzinfo=datetime.UTC))  # Thursday: 3 working days
        case = services.case_info_received(case=case, by=liaison, version=case.version, information="Sent")
    assert case.resolution_due == CAL.add(due_before, 3)
    assert case.due_date == case.resolution_due and case.paused_on is None
