"""Stories and learning events in a real browser: a councillor books a place by clicking and finds
it in their bookings; axe-core checks the stories list, a story, the events list and an event."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from engagement.learning.models import Booking, Event
from engagement.stories.models import Story
from kirklees.users.models import User

from ..factories.councillors import CouncillorFactory
from ..factories.kirklees import UserFactory
from ..factories.learning import BookingFactory, EventFactory
from ..factories.stories import StoryFactory
from ..factories.wards import ServiceFactory, WardFactory
from .helpers import nav_link, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def setting(live_server):
    dalton = WardFactory(name="Dalton")
    highways = ServiceFactory(name="Highways")
    liaison = UserFactory(role=User.Role.LIAISON_OFFICER, full_name="Lucy Liaison")
    councillor = CouncillorFactory(user__full_name="Cllr Ada Owner", ward=dalton, liaison_officer=liaison)
    story = StoryFactory(author=liaison, published=True, title="Street lights back on along Rawthorpe Lane",
                         ward=dalton, service=highways, tags=["lighting", "highways"])
    story.councillors.add(councillor)
    StoryFactory(author=liaison, published=True, title="Youth club kept open", tags=["young people"])
    StoryFactory(author=councillor.user, title="A draft about benches")
    start = (timezone.now() + datetime.timedelta(days=5)).replace(hour=12, minute=30, second=0, microsecond=0)
    walkabout = EventFactory(title="Dalton ward walkabout", kind=Event.Kind.WARD_WALKABOUT, ward=dalton,
                             starts_at=start, ends_at=start + datetime.timedelta(hours=2), capacity=2,
                             location="Meet at Rawthorpe shops", created_by=liaison)
    BookingFactory(event=walkabout)
    full = EventFactory(title="Working in a political environment", kind=Event.Kind.POLITICAL_ENVIRONMENT,
                        capacity=1, created_by=liaison)
    BookingFactory(event=full)
    return {"councillor": councillor.user, "walkabout": walkabout}


def test_a_councillor_books_an_event_and_sees_it_in_their_bookings_with_no_accessibility_failures(
        page: Page, setting, axe_check):
    councillor, walkabout = setting["councillor"], setting["walkabout"]
    h1 = page.get_by_role("heading", level=1)
    sign_in(page, councillor)

    # Stories: the list, a search, and a story.
    nav_link(page, "Stories").click()
    expect(h1).to_have_text("Stories of joint working")
    expect(page.get_by_role("link", name="Youth club kept open")).to_be_visible()
    axe_check(page, "stories list")
    page.get_by_label("Words to find").fill("street lighting")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("link", name="Youth club kept open")).to_have_count(0)
    page.get_by_role("link", name="Street lights back on along Rawthorpe Lane").click()
    expect(h1).to_have_text("Street lights back on along Rawthorpe Lane")
    expect(page.locator("main")).to_contain_text("Cllr Ada Owner (Dalton)")
    axe_check(page, "a published story")

    # Events: the list, then book a place on the walkabout by keyboard-reachable buttons.
    nav_link(page, "Learning").click()
    expect(h1).to_have_text("Learning and networking")
    expect(page.locator("main")).to_contain_text("Full")
    axe_check(page, "events list")
    page.get_by_role("link", name="Dalton ward walkabout").click()
    expect(h1).to_have_text("Dalton ward walkabout")
    expect(page.locator("main")).to_contain_text("1 place left")
    axe_check(page, "an event page")
    book = page.get_by_role("button", name="Book a place")
    book.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("alert")).to_contain_text("Your place is booked")
    expect(page.locator("main")).to_contain_text("You are booked")
    axe_check(page, "an event page, booked")
    assert Booking.objects.filter(event=walkabout, user=councillor, status="booked").exists()

    page.get_by_role("link", name="See all your bookings").click()
    expect(h1).to_have_text("Your bookings")
    bookings = page.get_by_role("table")
    expect(bookings).to_contain_text("Dalton ward walkabout")
    expect(bookings).to_contain_text("Booked")
    axe_check(page, "your bookings")
    page.get_by_role("link", name="Resource library").click()
    expect(h1).to_have_text("Resource library")
    axe_check(page, "resource library")

    # The draft is the councillor's own, so it is among their drafts, with the personal-data warning on its form.
    nav_link(page, "Stories").click()
    page.get_by_role("link", name="Your drafts (1)").click()
    page.get_by_role("link", name="A draft about benches").click()
    page.get_by_role("button", name="Edit draft").click()
    expect(page.locator("main")).to_contain_text("No residents’ personal data")
    page.get_by_label("Title").fill("")
    page.get_by_role("button", name="Save draft").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter a title")
    axe_check(page, "story form with an error")
    assert Story.objects.get(title="A draft about benches").is_draft
