"""Ward intelligence pages and selectors run a fixed number of queries, however much there is to
show."""
import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from wards.models import FundingAward, Priority
from wards.selectors.briefings import current_briefings_for_ward
from wards.selectors.funding import funding_awarded_in_year

from ..factories.casework import make_case
from ..factories.kirklees import UserFactory
from ..factories.wards import (
    BriefingFactory, FundingAwardFactory, FundingSchemeFactory, MeetingActionFactory, OfficerFactory, PlaceFactory,
    PriorityFactory, PriorityUpdateFactory, WardFactory, WardFigureFactory, WardMeetingFactory,
)
from ..helpers import queries_for

S = FundingAward.Status
PS = Priority.Status
TODAY = timezone.localdate
DAY = datetime.timedelta(days=1)


def fill_ward(ward, liaison, size: int, scheme):
    for n in range(size):
        place = PlaceFactory(ward=ward)
        WardFigureFactory(ward=ward, as_of=datetime.date(2020 + n % 4, 1, 1))
        priority = PriorityFactory(ward=ward, place=place, created_by=liaison, status=PS.ACTIVE)
        for _ in range(2):
            PriorityUpdateFactory(priority=priority, by=liaison)
        BriefingFactory(ward=ward, author=liaison, key_issue=n % 2 == 0)
        FundingAwardFactory(scheme=scheme if n % 2 else FundingSchemeFactory(), ward=ward, priority=priority,
                            status=S.PAID, decided_on=TODAY() - DAY, monitoring_due_on=TODAY() + 60 * DAY)
        officer = OfficerFactory(wards=[ward])
        officer.places.add(place)
        meeting = WardMeetingFactory(ward=ward, created_by=liaison)
        meeting.priorities.add(priority)
        meeting.officers.add(officer)
        MeetingActionFactory(meeting=meeting, owner_officer=officer, due_on=TODAY() + n * DAY)


def test_the_ward_page_runs_the_same_queries_for_a_small_and_a_large_ward(client, people_in_two_wards, liaison):
    small, large = WardFactory(name="Small"), WardFactory(name="Large")
    scheme = FundingSchemeFactory()
    fill_ward(small, liaison, 1, scheme)
    fill_ward(large, liaison, 12, scheme)
    client.force_login(people_in_two_wards["councillor"])
    assert queries_for(client, reverse("wards:detail", args=[small.pk])) == queries_for(
        client, reverse("wards:detail", args=[large.pk]))


@pytest.mark.parametrize("url_name", ["wards:priorities", "wards:funding-awards", "wards:briefings", "wards:funding",
                                      "wards:list"])
def test_a_list_runs_the_same_queries_for_few_and_many_rows(client, people_in_two_wards, liaison, url_name):
    client.force_login(people_in_two_wards["liaison"])
    scheme = FundingSchemeFactory()
    fill_ward(WardFactory(), liaison, 1, scheme)
    few = queries_for(client, reverse(url_name))
    for _ in range(3):
        fill_ward(WardFactory(), liaison, 4, scheme)
    assert queries_for(client, reverse(url_name)) == few


def test_the_priority_page_runs_the_same_queries_however_much_it_links_to(
        client, people_in_two_wards, liaison, ward, owner):
    priority = PriorityFactory(ward=ward, created_by=liaison)
    client.force_login(people_in_two_wards["liaison"])
    url = reverse("wards:priority-detail", args=[priority.pk])
    few = queries_for(client, url)
    for _ in range(6):
        PriorityUpdateFactory(priority=priority, by=UserFactory())
        FundingAwardFactory(ward=ward, priority=priority)
        WardMeetingFactory(ward=ward, created_by=liaison).priorities.add(priority)
    case = make_case(owner)
    type(case).objects.filter(pk=case.pk).update(ward_priority=priority)
    assert queries_for(client, url) == few


def test_the_councillor_account_selectors_are_one_query_each(world, django_assert_num_queries):
    with django_assert_num_queries(1):
        list(current_briefings_for_ward(world["ward"], TODAY()))
    with django_assert_num_queries(1):
        awards = list(funding_awarded_in_year(world["ward"], TODAY()))
        [a.scheme.name for a in awards]
