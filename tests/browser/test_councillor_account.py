"""The Councillor Account on a phone, the team's view of it, and the public ward pages, in a real
browser with axe-core on every page."""

import datetime
import re
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from casework.models import Case
from councillors.models import PoliticalGroup
from engagement.learning.models import Booking
from kirklees.users.models import User
from wards.models import FundingAward, MeetingAction, Priority, WardMeeting

from engagement.models import Exercise

from ..factories.casework import make_case, walk
from ..factories.councillors import CouncillorFactory
from ..factories.engagement import ExerciseFactory, add_responses, ensure_themes
from ..factories.kirklees import UserFactory
from ..factories.learning import BookingFactory, EventFactory
from ..factories.stories import StoryFactory
from ..factories.wards import (
    BriefingFactory, FundingAwardFactory, OfficerFactory, PlaceFactory, PriorityFactory, PriorityUpdateFactory,
    WardFactory,
)
from .helpers import nav_link, sign_in, sign_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 740}


@pytest.fixture
def dalton(live_server):
    today = timezone.localdate()
    dalton = WardFactory(name="Dalton", gss_code="E05001393")
    liaison = UserFactory(role=User.Role.LIAISON_OFFICER, full_name="Lucy Liaison")
    rawthorpe = PlaceFactory(ward=dalton, name="Rawthorpe")
    priority = PriorityFactory(ward=dalton, place=rawthorpe, title="Safer routes to school",
                               status=Priority.Status.ACTIVE, created_by=liaison)
    PriorityUpdateFactory(priority=priority, by=liaison, text="Crossing patrol agreed with Highways")
    BriefingFactory(ward=dalton, title="Bin round changes in Rawthorpe", author=liaison, key_issue=True)
    FundingAwardFactory(ward=dalton, recipient="Rawthorpe Residents Association", amount=Decimal("750.00"),
                        status=FundingAward.Status.PAID, decided_on=today, priority=priority)
    OfficerFactory(full_name="Priya Patel", job_title="Neighbourhood officer", wards=[dalton])
    meeting = WardMeeting.objects.create(ward=dalton, held_on=today, title="Dalton ward solution meeting",
                                         created_by=liaison)
    MeetingAction.objects.create(meeting=meeting, description="Survey the crossing on Ridgeway",
                                 owner_name="Priya Patel", due_on=today + datetime.timedelta(days=7))
    group = PoliticalGroup.objects.create(name="Green Party")
    councillor = CouncillorFactory(user__full_name="Cllr Ada Owner", ward=dalton, group=group,
                                   liaison_officer=liaison)
    make_case(councillor, summary="Mould in the back bedroom")
    ensure_themes()
    exercise = ExerciseFactory(ward=dalton, title="Dalton Place Standard 2026", status=Exercise.Status.PUBLISHED)
    add_responses(exercise, [[2, 6, 5, 4, 3, 5, 6, 2, 4, 5, 3, 6, 4, 5], [3, 7, 4, 4, 2, 6, 5, 1, 4, 4, 3, 6, 5, 5]])
    StoryFactory(ward=dalton, title="Clearing the Ridgeway alley together", published=True)
    return {"ward": dalton, "councillor": councillor, "liaison": liaison}


def test_a_councillor_reads_their_account_on_a_phone(page: Page, dalton, axe_check):
    page.set_viewport_size(PHONE)
    h1 = page.get_by_role("heading", level=1)
    sign_in(page, dalton["councillor"].user)

    expect(h1).to_have_text("Your Councillor Account")
    main = page.locator("main")
    for text in ["Bin round changes in Rawthorpe", "Safer routes to school", "Crossing patrol agreed with Highways",
                 "£750.00", "Priya Patel", "Survey the crossing on Ridgeway", "Lucy Liaison",
                 "Dalton Place Standard 2026", "Clearing the Ridgeway alley together"]:
        expect(main).to_contain_text(text)
    expect(main).not_to_contain_text("Mould in the back bedroom")
    axe_check(page, "councillor account (phone)")

    main.get_by_role("link", name="Safer routes to school").click()
    expect(h1).to_contain_text("Safer routes to school")
    axe_check(page, "priority page from the account")

    page.go_back()
    main.get_by_role("link", name="Dalton ward profile").click()
    expect(h1).to_contain_text("Dalton")
    axe_check(page, "ward page from the account")


def test_a_councillor_sees_what_waits_for_them_and_their_next_bookings_on_a_phone(page: Page, dalton, axe_check):
    councillor, liaison = dalton["councillor"], dalton["liaison"]
    pothole = walk(make_case(councillor, summary="Pothole outside 14 Ridgeway, reported three times"),
                   Case.Status.RESOLVED, team=liaison)
    soon = timezone.localtime().replace(second=0, microsecond=0) + datetime.timedelta(days=3)
    BookingFactory(user=councillor.user, event=EventFactory(title="Budget lunchtime briefing", starts_at=soon,
                                                            location="Huddersfield Town Hall, Committee Room 1"))
    BookingFactory(user=councillor.user, status=Booking.Status.WAITING,
                   event=EventFactory(title="Working in a political environment",
                                      starts_at=soon + datetime.timedelta(days=5), location="",
                                      online_link="https://teams.example.org/politics"))
    page.set_viewport_size(PHONE)
    h1 = page.get_by_role("heading", level=1)
    sign_in(page, councillor.user)

    expect(h1).to_have_text("Your Councillor Account")
    main = page.locator("main")
    expect(main.get_by_role("heading", name="Waiting for you to confirm")).to_be_visible()
    expect(main).to_contain_text("1 resolved case.")
    expect(main).to_contain_text("Pothole outside 14 Ridgeway")
    bookings = main.locator("#bookings + ul")
    expect(main.get_by_role("heading", name="Your bookings in the next 14 days")).to_be_visible()
    expect(bookings.locator("li")).to_have_count(2)
    expect(bookings.locator("li").first).to_contain_text(soon.strftime("%A %-d %B %Y, %H:%M"))
    expect(bookings.locator("li").first).to_contain_text("Booked")
    expect(bookings.locator("li").last).to_contain_text("On the waiting list")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], "nothing wider than the phone"
    axe_check(page, "councillor account with cases to confirm and bookings (phone)")

    main.get_by_role("link", name=pothole.reference).click()
    expect(h1).to_have_text(pothole.summary)
    expect(page.get_by_role("button", name="Confirm the resolution and close")).to_be_visible()
    page.go_back()
    bookings.get_by_role("link", name="Budget lunchtime briefing").click()
    expect(h1).to_have_text("Budget lunchtime briefing")


def test_a_liaison_officer_opens_the_account_of_a_councillor_they_support(page: Page, dalton, axe_check):
    h1 = page.get_by_role("heading", level=1)
    sign_in(page, dalton["liaison"])
    nav_link(page, "Councillors").click()
    expect(h1).to_have_text("Councillors you support")
    axe_check(page, "councillors you support")

    page.get_by_role("link", name=re.compile(r"^Cllr Ada Owner\s*’s Account$")).click()
    expect(h1).to_have_text("Cllr Ada Owner")
    expect(page.locator("main")).to_contain_text("Bin round changes in Rawthorpe")
    expect(page.get_by_role("heading", name="Waiting for Cllr Ada Owner to confirm")).to_be_visible()
    expect(page.get_by_role("heading", name="Cllr Ada Owner’s bookings in the next 14 days")).to_be_visible()
    axe_check(page, "councillor account (liaison)")
    sign_out(page)


def test_the_public_reads_ward_pages_and_nothing_private(page: Page, dalton, axe_check):
    h1 = page.get_by_role("heading", level=1)
    page.goto("/public/wards/")
    axe_check(page, "public ward list")
    page.get_by_role("link", name="Dalton").click()
    expect(h1).to_contain_text("Dalton")
    main = page.locator("main")
    expect(main).to_contain_text("Cllr Ada Owner")
    expect(main).to_contain_text("Safer routes to school")
    expect(main.get_by_role("img", name="Place Standard compass: Dalton Place Standard 2026")).to_be_visible()
    for private in ["Bin round changes in Rawthorpe", "Priya Patel", "Mould in the back bedroom", "Lucy Liaison"]:
        expect(main).not_to_contain_text(private)
    axe_check(page, "public ward page")
