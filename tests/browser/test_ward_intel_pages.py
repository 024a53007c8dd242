"""Ward intelligence in a real browser, reached from the header's "Wards", with axe-core on every
page: the data admin records a funding award and pays it, the liaison team writes a briefing, and
a councillor reads their ward page and records progress on a priority."""

import datetime
import re
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from kirklees.users.models import User
from wards.models import FundingAward, Priority

from ..factories.councillors import CouncillorFactory
from ..factories.kirklees import UserFactory
from ..factories.wards import (
    BriefingFactory, FundingSchemeFactory, OfficerFactory, PlaceFactory, PriorityFactory, PriorityUpdateFactory,
    WardFactory, WardFigureFactory,
)
from .helpers import nav_link, sign_in, sign_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def councillor_liaison_and_data_admin(live_server):
    """Dalton with one of each kind of ward intelligence; a councillor, a liaison officer and the ward data admin."""
    dalton = WardFactory(name="Dalton", gss_code="E05001393")
    WardFactory(name="Old Dalton", valid_from=datetime.date(1982, 5, 6), valid_to=datetime.date(2004, 6, 10))
    liaison = UserFactory(role=User.Role.LIAISON_OFFICER, full_name="Lucy Liaison")
    PlaceFactory(ward=dalton, name="Rawthorpe")
    WardFigureFactory(ward=dalton, name="Population", value=Decimal("17842"), source="ONS mid-year estimates")
    priority = PriorityFactory(ward=dalton, title="Safer routes to school", status=Priority.Status.PROPOSED,
                               created_by=liaison)
    PriorityUpdateFactory(priority=priority, by=liaison, text="Raised at the ward surgery")
    BriefingFactory(ward=None, title="Household Support Fund", author=liaison, key_issue=True)
    FundingSchemeFactory(name="Ward Members’ Fund")
    OfficerFactory(full_name="Priya Patel", wards=[dalton])
    councillor = CouncillorFactory(user__full_name="Cllr Ada Owner", ward=dalton)
    admin = UserFactory(role=User.Role.WARD_DATA_ADMIN, full_name="Dana Data")
    return {"councillor": councillor.user, "liaison": liaison, "data_admin": admin}


def test_ward_intelligence_pages_work_by_role_and_pass_axe(
        page: Page, live_server, councillor_liaison_and_data_admin, axe_check):
    h1 = page.get_by_role("heading", level=1)
    main = page.locator("main")
    today = timezone.localdate()

    # --- The data admin records an award, refused first for a negative amount, then pays it. ---
    sign_in(page, councillor_liaison_and_data_admin["data_admin"])
    page.goto("/wards/")
    expect(h1).to_have_text("Wards")
    expect(main).to_contain_text("Earlier wards")
    axe_check(page, "ward list")
    page.get_by_role("link", name="Dalton", exact=True).click()
    expect(h1).to_have_text("Dalton")
    axe_check(page, "ward page (admin)")
    page.get_by_role("button", name="Record a funding award").click()
    expect(h1).to_have_text("Record a funding award")
    page.get_by_label("Funding scheme").select_option(label="Ward Members’ Fund")
    page.get_by_label("Recipient organisation").fill("Rawthorpe Junior School PTA")
    page.get_by_label("What the money is for").fill("Walking bus equipment")
    page.get_by_label("Amount (£)").fill("-850")
    page.get_by_role("button", name="Record award").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter an amount more than £0")
    axe_check(page, "award form with errors")
    assert not FundingAward.objects.exists()
    page.get_by_label("Amount (£)").fill("£850")
    page.get_by_role("button", name="Record award").click()
    expect(h1).to_have_text("£850.00 to Rawthorpe Junior School PTA")
    axe_check(page, "award page")
    page.get_by_role("button", name="Save status").click()  # approved, decided today
    expect(main).to_contain_text("Award marked approved")
    page.get_by_label("Monitoring report due").fill((today + datetime.timedelta(days=90)).strftime("%d/%m/%Y"))
    page.get_by_role("button", name="Save status").click()
    expect(main).to_contain_text("Award marked paid")
    page.goto("/wards/funding/")
    expect(main).to_contain_text("£850.00")
    axe_check(page, "funding totals")
    sign_out(page)

    # --- The liaison team writes a briefing; an expiry before publishing is refused. ---
    sign_in(page, councillor_liaison_and_data_admin["liaison"])
    page.goto("/wards/briefings/")
    expect(h1).to_have_text("Briefings")
    axe_check(page, "briefings")
    page.get_by_role("button", name="Write a briefing").click()
    page.get_by_label("Which ward is it for?").select_option(label="Dalton")
    page.get_by_label("Title").fill("Rawthorpe shops: extra patrols")
    page.get_by_label("Briefing", exact=True).fill("Police patrols start this week after reports of ASB.")
    page.get_by_label("Expiry date").fill((today - datetime.timedelta(days=1)).strftime("%d/%m/%Y"))
    page.get_by_role("button", name="Save briefing").click()
    expect(page).to_have_title(re.compile(r"^Error: "))
    expect(page.locator(".govuk-error-summary")).to_contain_text("The expiry date must be after the publish date")
    axe_check(page, "briefing form with errors")
    page.get_by_label("Expiry date").fill((today + datetime.timedelta(days=14)).strftime("%d/%m/%Y"))
    page.get_by_label("This is a key community issue").check()
    page.get_by_role("button", name="Save briefing").click()
    expect(main).to_contain_text("Rawthorpe shops: extra patrols")
    sign_out(page)

    # --- A councillor reads their ward page and moves a priority on. ---
    sign_in(page, councillor_liaison_and_data_admin["councillor"])
    nav_link(page, "Wards").click()
    page.get_by_role("link", name="Dalton", exact=True).click()
    for text in ("17,842", "ONS mid-year estimates", "Rawthorpe shops: extra patrols", "Household Support Fund",
                 "Priya Patel", "£850.00", "Safer routes to school"):
        expect(main).to_contain_text(text)
    axe_check(page, "ward page (councillor)")
    page.get_by_role("link", name="Safer routes to school").click()
    expect(h1).to_have_text("Safer routes to school")
    axe_check(page, "priority page")
    page.get_by_label("Progress").fill("Speed survey done; crossing design started.")
    page.get_by_label("Active: work is under way").check()
    page.get_by_role("button", name="Save progress").click()
    expect(main).to_contain_text("Progress recorded")
    expect(page.locator(".app-timeline__item").first).to_contain_text("Speed survey done")
    axe_check(page, "priority page after progress")
    page.get_by_role("link", name=re.compile("Back to Dalton")).click()
    expect(h1).to_have_text("Ward priorities")
    axe_check(page, "priorities list")
