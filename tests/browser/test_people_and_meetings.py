"""The People Finder and ward solution meetings in a real browser, reached from the header, with
axe-core on every page: the data admin keeps an officer's details true, a councillor finds them,
records a meeting with them and makes a case from an action agreed."""

import re

import pytest
from playwright.sync_api import Page, expect

from kirklees.users.models import User
from wards.models import Officer

from ..factories.casework import CategoryFactory
from ..factories.councillors import CouncillorFactory
from ..factories.kirklees import UserFactory
from ..factories.wards import OfficerFactory, PlaceFactory, ServiceFactory, WardFactory
from .helpers import nav_link, sign_in, sign_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def councillor_and_data_admin(live_server):
    """Wards, a place, services and an officer not confirmed for months; a councillor and the ward data admin."""
    dalton = WardFactory(name="Dalton")
    WardFactory(name="Almondbury")
    PlaceFactory(ward=dalton, name="Moldgreen")
    CategoryFactory(name="Bins and recycling")
    waste = ServiceFactory(name="Waste and Recycling")
    ServiceFactory(name="Highways")
    OfficerFactory(full_name="Old Details", service=waste, wards=[dalton], last_confirmed=None)
    councillor = CouncillorFactory(user__full_name="Cllr Ada Owner", ward=dalton)
    admin = UserFactory(role=User.Role.WARD_DATA_ADMIN, full_name="Dana Data")
    return {"councillor": councillor.user, "data_admin": admin}


def test_the_data_admin_keeps_the_people_finder_true_and_a_councillor_uses_it_in_a_meeting(
        page: Page, live_server, councillor_and_data_admin, axe_check):
    h1 = page.get_by_role("heading", level=1)

    # --- The data admin adds an officer covering a place, and confirms an old entry. ---
    sign_in(page, councillor_and_data_admin["data_admin"])
    nav_link(page, "People Finder").click()
    expect(h1).to_have_text("People Finder")
    expect(page.locator("main")).to_contain_text("1 officer has not been confirmed for 6 months")
    axe_check(page, "people finder (admin)")

    page.get_by_role("button", name="Confirm Old Details’s details are correct").click()
    expect(page.locator("main")).to_contain_text("Every active officer’s details have been confirmed")

    page.get_by_role("button", name="Add an officer").click()
    expect(h1).to_have_text("Add an officer")
    axe_check(page, "add an officer")
    page.get_by_label("Full name").fill("Priya Patel")
    page.get_by_label("Job title").fill("Waste operations manager")
    page.get_by_label("Service", exact=True).select_option(label="Waste and Recycling")
    page.get_by_label("Email address").fill("not an email")
    page.get_by_label("Moldgreen (Dalton)").check()
    page.get_by_role("button", name="Add officer").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter an email address in the correct format")
    expect(page).to_have_title(re.compile(r"^Error: "))
    axe_check(page, "add an officer with errors")
    assert not Officer.objects.filter(full_name="Priya Patel").exists()
    page.get_by_label("Email address").fill("priya.patel@kirklees.example")
    page.get_by_role("button", name="Add officer").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Priya Patel added to the People Finder")
    sign_out(page)

    # --- A councillor finds her under their ward, which she covers through a place in it. ---
    sign_in(page, councillor_and_data_admin["councillor"])
    nav_link(page, "People Finder").click()
    page.get_by_label("Ward", exact=True).select_option(label="Dalton")
    page.get_by_role("button", name="Search").click()
    table = page.locator("table")
    expect(table).to_contain_text("Priya Patel")
    expect(table).to_contain_text("Moldgreen (Dalton)")
    expect(page.locator("main")).not_to_contain_text("Needs confirming")
    axe_check(page, "people finder (councillor)")

    # --- They record a ward solution meeting she came to, and an action for her. ---
    nav_link(page, "Ward meetings").click()
    expect(h1).to_have_text("Ward solution meetings")
    axe_check(page, "meetings")
    page.get_by_role("button", name="Record a meeting").click()
    expect(h1).to_have_text("Record a ward solution meeting")
    axe_check(page, "record a meeting")
    page.get_by_role("button", name="Save meeting").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the date of the meeting")
    axe_check(page, "record a meeting with errors")
    page.get_by_label("Date of the meeting").fill("2/3/2026")
    page.get_by_label("Title", exact=True).fill("Dalton spring meeting")
    page.get_by_label("Cllr Ada Owner (Councillor)").check()
    page.get_by_label(re.compile(r"^Priya Patel, Waste operations manager")).check()
    page.get_by_role("button", name="Save meeting").click()
    expect(h1).to_have_text("Dalton spring meeting")
    axe_check(page, "a meeting")

    page.get_by_label("What needs doing").fill("Clear the fly-tipping on Long Lane")
    page.get_by_label("Officer who will do it (optional)").select_option(
        label="Priya Patel, Waste operations manager (Waste and Recycling)")
    page.get_by_label("Or the name of whoever will do it").fill("Cllr Ada Owner")
    page.get_by_role("button", name="Add action").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Choose an officer or enter a name, not both")
    axe_check(page, "a meeting with an action in error")
    page.get_by_label("Or the name of whoever will do it").fill("")
    page.get_by_role("button", name="Add action").click()
    expect(page.locator("#actions ~ .govuk-summary-card").first).to_contain_text("Priya Patel")

    # --- The action becomes a case, filled in from it. ---
    page.get_by_role("link", name="Make a case from this action").click()
    expect(h1).to_have_text("New case")
    expect(page.locator(".govuk-inset-text")).to_contain_text("Clear the fly-tipping on Long Lane")
    expect(page.get_by_label("Summary", exact=True)).to_have_value("Clear the fly-tipping on Long Lane")
    axe_check(page, "new case from an action")
