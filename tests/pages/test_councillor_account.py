"""The Councillor Account: a councillor's home page, and the same page for the team who support them."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from casework.models import Case
from engagement.learning.models import Booking, Event
from engagement.learning.selectors import bookings_starting_soon_for_user
from kirklees.users.models import User
from wards.models import (
    Briefing, FundingAward, FundingScheme, MeetingAction, Officer, Place, Priority, PriorityUpdate, WardMeeting,
)

from engagement.models import Exercise

from ..factories.casework import make_case, walk
from ..factories.councillors import CouncillorFactory
from ..factories.engagement import ExerciseFactory, add_responses
from ..factories.kirklees import UserFactory
from ..factories.learning import BookingFactory, EventFactory
from ..factories.stories import StoryFactory
from ..factories.wards import ServiceFactory, WardFactory

TODAY = datetime.date(2026, 11, 25)
ACCOUNT = reverse("account:councillor-account")


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(datetime.datetime(2026, 11, 25, 10, 0, tzinfo=datetime.UTC), tick=False)


def account_for(councillor):
    return reverse("account:councillor-account-for", args=[councillor.pk])


def fill_ward(ward, *, author, size: int, tag: str = ""):
    """Give a ward `size` of everything the Account shows, and some things it must not."""
    scheme, _ = FundingScheme.objects.get_or_create(name="Ward fund")
    service = ServiceFactory()
    for index in range(size):
        place = Place.objects.create(ward=ward, name=f"Place {tag}{index}")
        priority = Priority.objects.create(ward=ward, place=place, title=f"Priority {tag}{index}",
                                           description="About it", outcome_sought=f"Outcome {tag}{index}",
                                           status=Priority.Status.ACTIVE, created_by=author)
        for step in range(2):
            PriorityUpdate.objects.create(priority=priority, text=f"Progress {tag}{index}.{step}",
                                          status=Priority.Status.ACTIVE, by=author)
        Briefing.objects.create(ward=ward, title=f"Briefing {tag}{index}", text="Bite-size",
                                publish_on=TODAY - datetime.timedelta(days=1),
                                expires_on=TODAY + datetime.timedelta(days=10), author=author)
        FundingAward.objects.create(scheme=scheme, recipient=f"Group {tag}{index}", purpose="Litter picks",
                                    amount=Decimal("100.00"), ward=ward, status=FundingAward.Status.PAID,
                                    decided_on=TODAY - datetime.timedelta(days=30), priority=priority)
        officer = Officer.objects.create(full_name=f"Officer {tag}{index}", job_title="Ranger", service=service,
                                         email=f"officer{tag}{index}@kirklees.gov.uk")
        officer.places.add(place)
        meeting = WardMeeting.objects.create(ward=ward, held_on=TODAY, title=f"Meeting {tag}{index}",
                                             created_by=author)
        MeetingAction.objects.create(meeting=meeting, description=f"Action {tag}{index}", owner_name="Pat",
                                     due_on=TODAY + datetime.timedelta(days=index))
        place_standard = ExerciseFactory(ward=ward, place=place, title=f"Place Standard {tag}{index}",
                                         status=Exercise.Status.PUBLISHED)
        add_responses(place_standard, [[2, 5, 6], [3, 4, 7], [1]])
        StoryFactory(ward=ward, service=service, title=f"Story {tag}{index}", published=True)


@pytest.fixture
def dalton(ward, owner, liaison):
    fill_ward(ward, author=liaison, size=2)
    return ward


def test_a_councillor_lands_on_their_account(client, owner):
    client.force_login(owner.user)
    assert client.get("/").url == ACCOUNT


def test_the_account_shows_the_councillors_cases_ward_and_people(client, dalton, owner, liaison):
    scheme = FundingScheme.objects.get()
    # Things that are not for this page: another ward's, expired, finished, last financial year.
    elsewhere = WardFactory(name="Almondbury")
    Briefing.objects.create(ward=elsewhere, title="Almondbury only", text="x", expires_on=TODAY + datetime.timedelta(3),
                            publish_on=TODAY, author=liaison)
    Briefing.objects.create(ward=None, title="For every ward", text="x", expires_on=TODAY + datetime.timedelta(3),
                            publish_on=TODAY, author=liaison, key_issue=True)
    Briefing.objects.create(ward=dalton, title="Old news", text="x", publish_on=TODAY - datetime.timedelta(9),
                            expires_on=TODAY - datetime.timedelta(1), author=liaison)
    Priority.objects.create(ward=dalton, title="Finished priority", description="x", outcome_sought="x",
                            status=Priority.Status.ACHIEVED, created_by=liaison)
    FundingAward.objects.create(scheme=scheme, recipient="Last year's group", purpose="x", amount=Decimal("999"),
                                ward=dalton, status=FundingAward.Status.CLOSED, decided_on=datetime.date(2026, 3, 31))
    mould = make_case(owner, summary="Mould in the back bedroom")
    walk(make_case(owner), Case.Status.TRIAGE, team=liaison)
    client.force_login(owner.user)

    response = client.get(ACCOUNT)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Your Councillor Account" in page
    assert response.context["cases"]["active"] == 2
    assert dict((status, count) for _, status, count in response.context["cases"]["by_status"])["triage"] == 1
    assert "Briefing 0" in page and "For every ward" in page
    assert page.index("For every ward") < page.index("Briefing 0"), "key community issues come first"
    assert "Almondbury only" not in page and "Old news" not in page
    assert "Priority 1" in page and "Progress 1.1" in page and "Finished priority" not in page
    assert response.context["awarded_total"] == Decimal("200.00")
    assert "Last year&#x27;s group" not in page and "Last year's group" not in page
    assert "Officer 0" in page and "officer1@kirklees.gov.uk" in page
    assert "Action 0" in page
    assert liaison.full_name in page
    # Place Standard: the newest published exercises, with the themes most in need of improvement.
    assert "Place Standard 1" in page and "3 responses" in page
    lowest = response.context["place_standard"][0].lowest[0]
    assert (lowest.number, lowest.mean) == (1, 2.0) and f"{lowest.name}: 2.0 out of 7" in page
    unpublished = ExerciseFactory(ward=dalton, title="Not yet published", status=Exercise.Status.CLOSED)
    add_responses(unpublished, [[1, 1, 1]])
    assert "Not yet published" not in client.get(ACCOUNT).content.decode()
    assert "Story 0" in page and "Story 1" in page
    # Counts only: residents' details, and the summaries of cases not waiting for the councillor,
    # are for the case pages.
    assert "Mould in the back bedroom" not in page and mould.resident.full_name not in page


def add_waiting_and_bookings(owner, liaison, count):
    """Resolved cases waiting for the owner, and their bookings, half of them on a waiting list."""
    for index in range(count):
        walk(make_case(owner), Case.Status.RESOLVED, team=liaison)
        BookingFactory(event=EventFactory(starts_at=timezone.now() + datetime.timedelta(days=1 + index)),
                       user=owner.user, status=[Booking.Status.BOOKED, Booking.Status.WAITING][index % 2])


@pytest.mark.parametrize("viewer", ["owner", "liaison"])
def test_the_account_runs_the_same_number_of_queries_however_full_the_ward(client, ward, owner, liaison, viewer):
    client.force_login(owner.user if viewer == "owner" else liaison)
    url = ACCOUNT if viewer == "owner" else account_for(owner)
    fill_ward(ward, author=liaison, size=1, tag="a")
    make_case(owner)
    add_waiting_and_bookings(owner, liaison, 1)
    with CaptureQueriesContext(connection) as few:
        response = client.get(url)
    assert len(response.context["waiting"]) == 1 and len(response.context["bookings"]) == 1
    fill_ward(ward, author=liaison, size=12, tag="b")
    for _ in range(5):
        walk(make_case(owner), Case.Status.IN_PROGRESS, team=liaison)
    add_waiting_and_bookings(owner, liaison, 6)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert response.status_code == 200
    assert len(response.context["waiting"]) == 7 and len(response.context["bookings"]) == 7
    assert len(many) == len(few)


# ---------------------------------------------------------------- waiting for the councillor to confirm


def resolved_on(time_machine, day: datetime.date, case):
    """Resolve the case on `day`, then come back to the test's today."""
    time_machine.move_to(datetime.datetime.combine(day, datetime.time(11, 0), tzinfo=datetime.UTC), tick=False)
    walk(case, Case.Status.RESOLVED, team=case.assigned_to or UserFactory(role=User.Role.LIAISON_OFFICER))
    time_machine.move_to(datetime.datetime(2026, 11, 25, 10, 0, tzinfo=datetime.UTC), tick=False)


def test_a_resolved_case_waits_for_its_councillor_to_confirm_on_the_account(client, time_machine, owner,
                                                                            colleague, liaison):
    pothole = make_case(owner, summary="Pothole on Wakefield Road")
    resolved_on(time_machine, datetime.date(2026, 11, 20), pothole)
    make_case(owner, summary="Mould in the back bedroom")
    walk(make_case(owner, summary="Graffiti on the bus shelter"), Case.Status.CLOSED, team=liaison)
    lamp_post = make_case(colleague, summary="Broken lamp post")
    resolved_on(time_machine, datetime.date(2026, 11, 21), lamp_post)
    client.force_login(owner.user)

    response = client.get(ACCOUNT)

    page = response.content.decode()
    assert "Waiting for you to confirm" in page
    assert f'<a class="govuk-link app-nowrap" href="/cases/{pothole.reference}/">{pothole.reference}</a>' in page
    assert "Pothole on Wakefield Road" in page and "20 November 2026" in page
    assert "1 resolved case." in page
    assert [case.reference for case in response.context["waiting"]] == [pothole.reference]
    assert "Mould in the back bedroom" not in page, "an open case is not waiting"
    assert "Graffiti on the bus shelter" not in page, "a closed case is confirmed already"
    assert "Broken lamp post" not in page and lamp_post.reference not in page, "another councillor's case"
    assert "No resolved cases are waiting" not in page
    assert client.get(pothole.get_absolute_url()).status_code == 200, "the link leads to the case"


def test_the_cases_waiting_longest_come_first_and_the_rest_are_a_link_away(client, time_machine, owner,
                                                                          monkeypatch):
    monkeypatch.setattr("pages.views.account.WAITING_SHOWN", 2)
    for day, summary in [(22, "Third"), (18, "First"), (20, "Second")]:
        resolved_on(time_machine, datetime.date(2026, 11, day), make_case(owner, summary=summary))
    client.force_login(owner.user)

    response = client.get(ACCOUNT)

    page = response.content.decode()
    assert [case.summary for case in response.context["waiting"]] == ["First", "Second"]
    assert "3 resolved cases." in page and "The 2 waiting longest" in page
    assert '<a class="govuk-link" href="/cases/?status=resolved">See all 3 resolved cases</a>' in page


def test_the_liaison_officer_reads_whose_confirmation_is_awaited(client, time_machine, owner, colleague, liaison):
    pothole = make_case(owner, summary="Pothole on Wakefield Road")
    resolved_on(time_machine, datetime.date(2026, 11, 20), pothole)
    # The team reads every advocacy case, so only the owner filter keeps this one off the page.
    lamp_post = make_case(colleague, summary="Broken lamp post")
    resolved_on(time_machine, datetime.date(2026, 11, 21), lamp_post)
    client.force_login(liaison)

    page = client.get(account_for(owner)).content.decode()

    assert "Waiting for Cllr Owner to confirm" in page and "Waiting for you" not in page
    assert f'href="/cases/{pothole.reference}/"' in page and "Pothole on Wakefield Road" in page
    assert "1 resolved case." in page and "Broken lamp post" not in page
    assert client.get(pothole.get_absolute_url()).status_code == 200


def test_nothing_waiting_says_so_in_the_first_and_third_person(client, owner, liaison):
    client.force_login(owner.user)
    assert "No resolved cases are waiting for you to confirm." in client.get(ACCOUNT).content.decode()
    client.force_login(liaison)
    assert "No resolved cases are waiting for Cllr Owner to confirm." in client.get(
        account_for(owner)).content.decode()


def test_a_manager_counts_but_cannot_read_cases_a_councillor_handles_alone(client, colleague, manager):
    """The colleague has no liaison officer: their cases without advocacy are theirs alone to read."""
    from casework import services
    case = make_case(colleague, summary="Private matter")
    services.case_resolve(case=case, by=colleague.user, version=case.version, outcome="Sorted it myself")
    client.force_login(manager)

    page = client.get(account_for(colleague)).content.decode()

    assert "Private matter" not in page and case.reference not in page
    assert "1 resolved case is not shown: Cllr Colleague handles it without the advocacy service." in page
    assert "No resolved cases are waiting" not in page
    client.force_login(colleague.user)
    assert "Private matter" in client.get(ACCOUNT).content.decode()


# ---------------------------------------------------------------- bookings in the next 14 days


def event_at(year, month, day, hour, minute, **fields):
    starts_at = timezone.make_aware(datetime.datetime(year, month, day, hour, minute))
    return EventFactory(starts_at=starts_at, ends_at=starts_at + datetime.timedelta(hours=1), **fields)


def cancelled(event):
    Event.objects.filter(pk=event.pk).update(status=Event.Status.CANCELLED, cancelled_at=timezone.now())
    return event


@pytest.fixture
def bookings(owner, liaison):
    """The owner's places on events in the next fortnight and beyond, and some that are not theirs."""
    waiting = event_at(2026, 12, 8, 12, 30, title="Working in a political environment", location="",
                       online_link="https://teams.example.org/politics")
    soon = event_at(2026, 11, 28, 9, 15, title="Budget briefing", location="Huddersfield Town Hall")
    BookingFactory(event=waiting, user=owner.user, status=Booking.Status.WAITING)
    BookingFactory(event=soon, user=owner.user)
    BookingFactory(event=event_at(2026, 12, 15, 12, 30, title="Fresher's fair in 20 days"), user=owner.user)
    BookingFactory(event=cancelled(event_at(2026, 11, 27, 10, 0, title="Cancelled walkabout")), user=owner.user)
    BookingFactory(event=event_at(2026, 11, 25, 9, 0, title="Started this morning"), user=owner.user)
    BookingFactory(event=event_at(2026, 11, 26, 12, 0, title="Lucy's own briefing"), user=liaison)
    return {"soon": soon, "waiting": waiting}


def bookings_section(page: str) -> str:
    return page.split('id="bookings"')[1].split('id="briefings"')[0]


def test_the_account_lists_the_councillors_bookings_in_the_next_14_days_soonest_first(client, owner, bookings):
    client.force_login(owner.user)

    response = client.get(ACCOUNT)

    section = bookings_section(response.content.decode())
    assert ">Your bookings in the next 14 days</h2>" in section
    assert [booking.event.title for booking in response.context["bookings"]] == [
        "Budget briefing", "Working in a political environment"]
    soon, waiting = section.split("<li")[1:3]
    assert f'<a class="govuk-link" href="/learning/events/{bookings["soon"].pk}/">Budget briefing</a>' in soon
    assert "Saturday 28 November 2026, 09:15 · Huddersfield Town Hall" in soon
    assert '<strong class="govuk-tag govuk-tag--green">Booked</strong>' in soon
    assert "Tuesday 8 December 2026, 12:30 · Online" in waiting
    assert '<strong class="govuk-tag govuk-tag--yellow">On the waiting list</strong>' in waiting
    for absent in ["in 20 days", "Cancelled walkabout", "Started this morning", "Lucy"]:
        assert absent not in section
    assert client.get(bookings["soon"].get_absolute_url()).status_code == 200, "the link leads to the event"


def test_the_fortnight_runs_from_now_to_the_end_of_the_fourteenth_day(owner):
    for title, when in [("Starting now", (2026, 11, 25, 10, 0)), ("Last evening", (2026, 12, 9, 23, 30)),
                        ("Started a minute ago", (2026, 11, 25, 9, 59)), ("Day fifteen", (2026, 12, 10, 0, 0))]:
        BookingFactory(event=event_at(*when, title=title), user=owner.user)
    found = [booking.event.title for booking in bookings_starting_soon_for_user(owner.user, days=14)]
    assert found == ["Starting now", "Last evening"]


def test_the_liaison_officer_sees_the_councillors_bookings_not_their_own(client, owner, liaison, bookings):
    client.force_login(liaison)

    section = bookings_section(client.get(account_for(owner)).content.decode())

    assert ">Cllr Owner’s bookings in the next 14 days</h2>" in section and "Your bookings" not in section
    assert "Budget briefing" in section and "On the waiting list" in section
    assert "Lucy&#x27;s own briefing" not in section


def test_no_bookings_says_so_and_leads_to_the_learning_events(client, owner, liaison):
    BookingFactory(event=event_at(2026, 12, 20, 12, 30), user=owner.user)
    client.force_login(owner.user)
    section = bookings_section(client.get(ACCOUNT).content.decode())
    assert "You have no bookings on events in the next 14 days." in section
    assert '<a class="govuk-link" href="/learning/">See learning events</a>' in section
    client.force_login(liaison)
    section = bookings_section(client.get(account_for(owner)).content.decode())
    assert "Cllr Owner has no bookings on events in the next 14 days." in section


def test_each_new_section_is_one_query(owner, liaison, bookings, django_assert_num_queries):
    from casework.selectors import cases_waiting_for_confirmation
    walk(make_case(owner), Case.Status.RESOLVED, team=liaison)
    with django_assert_num_queries(1):
        waiting = cases_waiting_for_confirmation(owner, user=liaison, limit=10)
        [(case.reference, case.summary, case.resolved_at, case.get_absolute_url()) for case in waiting]
    with django_assert_num_queries(1):
        for booking in bookings_starting_soon_for_user(owner.user, days=14):
            booking.event.title, booking.event.location, booking.event.get_absolute_url()


def test_the_liaison_officer_opens_the_account_of_a_councillor_they_support(client, dalton, owner, liaison):
    client.force_login(liaison)
    response = client.get(account_for(owner))
    assert response.status_code == 200
    assert "Briefing 0" in response.content.decode()
    assert response.context["own"] is False


def test_a_liaison_officer_cannot_open_the_account_of_someone_elses_councillor(client, owner, other_liaison):
    client.force_login(other_liaison)
    assert client.get(account_for(owner)).status_code == 404


def test_the_manager_opens_any_councillors_account(client, owner, manager):
    client.force_login(manager)
    assert client.get(account_for(owner)).status_code == 200


@pytest.mark.parametrize("who", ["colleague", "data_admin"])
def test_others_cannot_open_a_councillors_account(client, owner, colleague, data_admin, who):
    client.force_login({"colleague": colleague.user, "data_admin": data_admin}[who])
    assert client.get(account_for(owner)).status_code == 403
    assert client.get(reverse("account:supported-councillors")).status_code == 403


@pytest.mark.parametrize("role", [User.Role.LIAISON_OFFICER, User.Role.WARD_DATA_ADMIN])
def test_the_account_is_for_councillors(client, db, role):
    client.force_login(UserFactory(role=role))
    assert client.get(ACCOUNT).status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client, owner):
    for url in [ACCOUNT, account_for(owner), reverse("account:supported-councillors")]:
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("account_login"))


def test_the_team_lists_the_councillors_they_support(client, owner, colleague, liaison, manager):
    client.force_login(liaison)
    page = client.get(reverse("account:supported-councillors")).content.decode()
    assert "Cllr Owner" in page and "Cllr Colleague" not in page
    client.force_login(manager)
    page = client.get(reverse("account:supported-councillors")).content.decode()
    assert "Cllr Owner" in page and "Cllr Colleague" in page


def test_a_councillor_who_left_office_is_not_listed(client, liaison):
    CouncillorFactory(user__full_name="Cllr Former", liaison_officer=liaison,
                      term_start=datetime.date(2014, 5, 1), term_end=datetime.date(2018, 5, 2))
    client.force_login(liaison)
    assert "Cllr Former" not in client.get(reverse("account:supported-councillors")).content.decode()
