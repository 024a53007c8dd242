"""In a real browser, with axe: the public notices reached from the footer of the sign-in page, a
liaison manager changing one (HTML shown as text), and a councillor changing how a case is held
(issue 13, items 1 and 6)."""

import pytest
from playwright.sync_api import Page, expect

from kirklees.users.models import User

from ..factories.casework import make_case
from ..factories.councillors import CouncillorFactory
from ..factories.kirklees import UserFactory
from .helpers import sign_in, sign_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def footer_link(page: Page, name: str):
    return page.get_by_role("contentinfo").get_by_role("link", name=name)


def test_the_public_reach_both_notices_from_the_sign_in_page_and_a_manager_changes_one(
    page: Page, live_server, axe_check
):
    manager = UserFactory(role=User.Role.LIAISON_MANAGER, full_name="Mark Manager")
    h1 = page.get_by_role("heading", level=1)

    page.goto("/accounts/login/")
    footer_link(page, "Privacy notice").click()
    expect(h1).to_have_text("Privacy notice: councillor casework")
    expect(page.get_by_role("heading", name="Who is responsible for your information")).to_be_visible()
    axe_check(page, "privacy notice")
    footer_link(page, "Accessibility statement").click()
    expect(h1).to_have_text("Accessibility statement")
    expect(page.get_by_role("heading", name="Enforcement procedure")).to_be_visible()
    axe_check(page, "accessibility statement")

    sign_in(page, manager)
    page.goto("/accessibility/")
    page.get_by_role("link", name="Change the accessibility statement").click()
    expect(h1).to_have_text("Change the accessibility statement")
    axe_check(page, "change the accessibility statement")
    text = page.get_by_label("Text")
    text.fill("")
    page.get_by_role("button", name="Save and publish").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the text of the notice")
    axe_check(page, "change the accessibility statement, with an error")
    text.fill("## How we tested\n\nWith axe. <script>alert('x')</script>\n\n- keyboard\n- phone width")
    page.get_by_role("button", name="Save and publish").click()
    expect(page.get_by_role("alert")).to_contain_text("Accessibility statement saved")
    expect(page.get_by_role("heading", name="How we tested")).to_be_visible()
    expect(page.get_by_text("With axe. <script>alert('x')</script>")).to_be_visible()
    expect(page.get_by_role("listitem").filter(has_text="phone width")).to_be_visible()
    axe_check(page, "accessibility statement, changed")
    sign_out(page)
    footer_link(page, "Accessibility statement").click()
    expect(page.get_by_role("heading", name="How we tested")).to_be_visible()


def test_a_councillor_changes_how_a_case_is_held_and_reads_it_on_the_timeline(page: Page, live_server, axe_check):
    owner = CouncillorFactory(user__full_name="Cllr Ada Owner", advocacy_enrolled=True)
    case = make_case(owner, summary="Damp in a council flat", sensitive=True)
    sign_in(page, owner.user)
    page.goto(case.get_absolute_url())
    row = page.locator(".govuk-summary-list__row").filter(has_text="Held by / basis")
    expect(row).to_contain_text("Ward councillor: the controller is Cllr Ada Owner, as ward councillor")
    expect(row).to_contain_text("Article 9 condition: Elected representative responding to a request")
    row.get_by_role("link", name="Change how the case is held").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Change how the case is held")
    axe_check(page, "change how the case is held")
    page.get_by_role("group", name="Who holds this case?").get_by_label("Member of the council").check()
    page.get_by_role("group", name="What allows us to hold its sensitive details?").get_by_label(
        "Safeguarding a child or an adult at risk"
    ).check()
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_role("alert")).to_contain_text("How the case is held saved")
    expect(row).to_contain_text("Member of the council: the controller is Kirklees Council")
    timeline = page.locator(".app-timeline")
    expect(timeline.get_by_role("heading", name="How the case is held changed")).to_be_visible()
    expect(timeline).to_contain_text("To: Held by: Member of the council")
    axe_check(page, "case page after the change")
