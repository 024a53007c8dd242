"""A liaison manager finds a person on People and access, changes their role with the radios, and
sees the change in the person's history; the page passes axe with and without an error."""
import pytest
from playwright.sync_api import Page, expect

from kirklees.users.models import User

from ..factories.kirklees import UserFactory
from .helpers import nav_link, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_manager_changes_a_councillors_role_from_the_people_and_access_page(page: Page, live_server, axe_check):
    manager = UserFactory(role=User.Role.LIAISON_MANAGER, full_name="Mark Manager")
    UserFactory(role=User.Role.COUNCILLOR, full_name="Cllr Carol Changed", email="carol@example.org")
    UserFactory(role=User.Role.COUNCILLOR, full_name="Cllr Somebody Else")
    sign_in(page, manager)

    nav_link(page, "People and access").click()
    axe_check(page, "people and access")
    page.get_by_label("Search by name or email").fill("carol@")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("table")).not_to_contain_text("Somebody Else")
    page.get_by_role("link", name="Cllr Carol Changed").click()

    page.get_by_label("Liaison officer").check()
    page.get_by_role("button", name="Save access").click()

    expect(page.locator(".govuk-notification-banner")).to_contain_text("Access saved for Cllr Carol Changed")
    expect(page.get_by_role("table")).to_contain_text("Role: Councillor → Liaison officer")
    axe_check(page, "a person's access, after a change")
    page.screenshot(path="/tmp/wtm-person-access.png", full_page=True)


def test_a_manager_sees_why_they_cannot_change_their_own_access(page: Page, live_server, axe_check):
    manager = UserFactory(role=User.Role.LIAISON_MANAGER, full_name="Mark Manager")
    sign_in(page, manager)

    page.goto(f"/access/{manager.pk}/")

    expect(page.locator(".govuk-inset-text")).to_contain_text("You cannot change your own access")
    expect(page.get_by_role("button", name="Save access")).to_have_count(0)
    axe_check(page, "your own access")


def test_a_manager_finds_a_role_change_in_the_audit_search(page: Page, live_server, axe_check):
    manager = UserFactory(role=User.Role.LIAISON_MANAGER, full_name="Mark Manager", email="mark@example.org")
    UserFactory(role=User.Role.COUNCILLOR, full_name="Cllr Carol Changed", email="carol@example.org")
    sign_in(page, manager)
    nav_link(page, "People and access").click()
    page.get_by_role("link", name="Cllr Carol Changed").click()
    page.get_by_label("Liaison officer").check()
    page.get_by_role("button", name="Save access").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Access saved")

    nav_link(page, "Audit").click()
    page.get_by_label("Person acting").fill("mark@example.org")
    page.get_by_role("button", name="Search").click()
    table = page.get_by_role("table")
    expect(table).to_contain_text("Changed")
    expect(table).to_contain_text("role")
    expect(table).to_contain_text("Cllr Carol Changed")
    axe_check(page, "the audit search, with results")

    page.get_by_label("From").fill("10/11/2026")
    page.get_by_label("To").fill("1/11/2026")
    page.get_by_role("button", name="Search").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("The end date must be the same as or after")
    axe_check(page, "the audit search, with an error")
