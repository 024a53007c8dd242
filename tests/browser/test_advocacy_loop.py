"""The advocacy loop of DESIGN.md §4 in a real browser, by clicking, with axe-core on every page.

A councillor records a case and refers it to advocacy; a liaison officer accepts it, refers it to a
council service, records the answer and resolves it; the councillor confirms and it closes.
"""
# The keyboard walk keeps each key and the focus it lands on together on one line, as one step.
# ruff: noqa: E702

import re

import pytest
from playwright.sync_api import Page, expect

from casework.calendar_admin import outcome_categories_ensure
from casework.models import Case, CaseEvent
from kirklees.users.models import User

from ..factories.casework import CategoryFactory
from ..factories.councillors import CouncillorFactory
from ..factories.kirklees import UserFactory
from ..factories.wards import ServiceFactory, WardFactory
from .helpers import nav_link, sign_in, sign_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REFERENCE = re.compile(r"KC-\d{4}-\d{5}")


@pytest.fixture
def councillor_and_liaison_officer(live_server):
    """Wards, a category and a service; an enrolled councillor and their liaison officer."""
    WardFactory(name="Almondbury")
    dalton = WardFactory(name="Dalton")
    CategoryFactory(name="Bins and recycling", triage_days=2, response_days=5, resolution_days=10)
    CategoryFactory(name="Roads and pavements")
    ServiceFactory(name="Waste and Recycling")
    ServiceFactory(name="Highways")
    outcome_categories_ensure()  # the migration's list: a transactional test's database starts empty
    liaison = UserFactory(role=User.Role.LIAISON_OFFICER, full_name="Lucy Liaison")
    UserFactory(role=User.Role.LIAISON_OFFICER, full_name="Olly Officer")
    councillor = CouncillorFactory(user__full_name="Cllr Ada Owner", ward=dalton, advocacy_enrolled=True,
                                   liaison_officer=liaison)
    return {"councillor": councillor.user, "liaison": liaison}


def status_of(page: Page):
    return page.locator("main .govuk-tag").first


def do_action(page: Page, action: str):
    """Click one of the case page's action buttons; land on that action's form."""
    page.get_by_role("button", name=action, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(action)


def test_a_case_goes_round_the_whole_advocacy_loop_by_clicking_with_no_accessibility_failures(
        page: Page, live_server, councillor_and_liaison_officer, axe_check):
    councillor, liaison = councillor_and_liaison_officer["councillor"], councillor_and_liaison_officer["liaison"]
    h1 = page.get_by_role("heading", level=1)

    # --- The councillor records the case and refers it to advocacy. ---
    sign_in(page, councillor, axe_check)
    expect(h1).to_have_text("Your Councillor Account")
    nav_link(page, "My cases").click()
    expect(h1).to_have_text("My cases")
    axe_check(page, "my cases")

    nav_link(page, "New case").click()
    expect(h1).to_have_text("New case")
    axe_check(page, "new case")

    # Submitted empty first: an error summary that links to the first field.
    page.get_by_role("button", name="Save case").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("There is a problem")
    first_error = summary.get_by_role("link").first
    expect(first_error).to_have_text("Enter the resident's full name")
    expect(first_error).to_have_attribute("href", "#id_full_name")
    expect(page).to_have_title(re.compile(r"^Error: New case – "))
    axe_check(page, "new case with errors")
    first_error.click()
    expect(page.locator("#id_full_name")).to_be_focused()

    page.get_by_label("Resident's full name").fill("Ruth Resident")
    page.get_by_label("Postcode", exact=True).fill("hd8 0aa")
    page.get_by_label("Address", exact=True).fill("12 Church Lane\nKirkburton")
    page.get_by_role("group", name="How would they like to be contacted?").get_by_label("Phone", exact=True).check()
    page.get_by_label("Phone number", exact=True).fill("01484 221000")
    page.get_by_label("The resident consented").check()
    page.get_by_label("Summary", exact=True).fill("Bins not collected on Church Lane for 3 weeks")
    page.get_by_label("What is it about?").select_option(label="Bins and recycling")
    page.get_by_label("Ward", exact=True).select_option(label="Dalton")
    page.get_by_label("Details (optional)").fill("Grey bin missed three times in a row.")
    page.get_by_label("Service request").check()
    page.get_by_role("group", name="Priority").get_by_label("Normal").check()
    page.get_by_label("Refer it to the advocacy service now").check()
    page.get_by_role("button", name="Save case").click()

    expect(h1).to_have_text("Bins not collected on Church Lane for 3 weeks")
    expect(status_of(page)).to_have_text("Awaiting triage")
    expect(page.get_by_role("alert")).to_contain_text("referred to the advocacy service")
    reference = REFERENCE.search(page.locator("main .govuk-caption-l").inner_text()).group()
    axe_check(page, "case page, councillor, awaiting triage")
    sign_out(page)

    # --- The liaison officer works it from the advocacy queue. ---
    sign_in(page, liaison)
    expect(h1).to_have_text("Advocacy queue")
    axe_check(page, "advocacy queue")
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name=reference))
    expect(row).to_contain_text("Ruth Resident")
    expect(row).to_contain_text("Awaiting triage")
    row.get_by_role("link", name=reference).click()
    expect(page).to_have_url(re.compile(f"/cases/{reference}/$"))
    axe_check(page, "case page, liaison, awaiting triage")

    do_action(page, "Accept")
    page.get_by_label("Who will work on it?").select_option(label="Lucy Liaison")
    axe_check(page, "accept form")
    page.get_by_role("button", name="Accept case").click()
    expect(status_of(page)).to_have_text("In progress")

    do_action(page, "Refer to a council service")
    page.get_by_label("Council service").select_option(label="Waste and Recycling")
    page.get_by_label("What are you asking the service to do?").fill("Please collect the grey bin at 12 Church Lane.")
    axe_check(page, "refer to a council service form")
    # Held on the resident's consent: the referral needs their agreement to share it with the service.
    page.get_by_role("button", name="Send referral").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Confirm the resident agreed to share this with Waste and Recycling")
    axe_check(page, "refer to a council service form, consent missing")
    page.get_by_label("The resident agreed to share this with the service").check()
    page.get_by_role("button", name="Send referral").click()
    expect(status_of(page)).to_have_text("Awaiting service")
    expect(page.get_by_role("table", name="Referrals")).to_contain_text(
        "The resident agreed to share this with Waste and Recycling (recorded by Lucy Liaison")
    axe_check(page, "case page, liaison, awaiting service")

    do_action(page, "Record the service's response")
    expect(page.get_by_label(re.compile(r"^Waste and Recycling"))).to_be_checked()
    page.get_by_label("What did the service say?").fill("Collected on Tuesday; crew reminded.")
    axe_check(page, "record the service's response form")
    page.get_by_role("button", name="Record response").click()
    expect(status_of(page)).to_have_text("In progress")

    do_action(page, "Resolve")
    page.get_by_label("Resolved as asked").check()
    page.get_by_label("What was the outcome?").fill("Bins collected and the round fixed.")
    axe_check(page, "resolve form")
    page.get_by_role("button", name="Resolve case").click()
    expect(status_of(page)).to_have_text("Resolved")
    sign_out(page)

    # --- The councillor sees every step and confirms. ---
    sign_in(page, councillor)
    nav_link(page, "My cases").click()
    expect(h1).to_have_text("My cases")
    page.get_by_label("Status").select_option(label="Resolved")
    page.get_by_role("button", name="Apply filters").click()
    page.get_by_role("link", name=reference).click()
    expect(status_of(page)).to_have_text("Resolved")
    timeline = page.locator(".app-timeline")
    for step in ["Case created", "Referred to the advocacy service", "Accepted by the advocacy service",
                 "Referred to a council service", "Service response recorded", "Resolved"]:
        expect(timeline.get_by_role("heading", name=step, exact=True)).to_be_visible()
    expect(page.get_by_text("Bins collected and the round fixed.").first).to_be_visible()
    axe_check(page, "case page, councillor, resolved")

    page.get_by_role("button", name="Confirm the resolution and close").click()
    expect(status_of(page)).to_have_text("Closed")
    expect(timeline.get_by_role("heading", name="Resolution confirmed and case closed")).to_be_visible()
    axe_check(page, "case page, councillor, closed")

    case = Case.objects.get(reference=reference)
    assert case.status == Case.Status.CLOSED
    assert case.assigned_to == liaison
    assert list(case.events.order_by("id").values_list("kind", flat=True)) == [
        CaseEvent.Kind.CREATED, CaseEvent.Kind.REFERRED_TO_ADVOCACY, CaseEvent.Kind.ACCEPTED,
        CaseEvent.Kind.REFERRED_TO_SERVICE, CaseEvent.Kind.RESPONSE_RECORDED, CaseEvent.Kind.RESOLVED,
        CaseEvent.Kind.CLOSED,
    ]


def test_a_new_case_can_be_recorded_with_the_keyboard_alone(page: Page, live_server, councillor_and_liaison_officer):
    councillor = councillor_and_liaison_officer["councillor"]
    sign_in(page, councillor)
    page.goto("/cases/new/")
    keys = page.keyboard

    def tab(times: int = 1):
        for _ in range(times):
            keys.press("Tab")

    def focused(expected_id: str):
        expect(page.locator(f"#{expected_id}")).to_be_focused()

    page.locator("#id_full_name").focus()
    keys.type("Kim Keyboard")
    tab(); focused("id_postcode"); keys.type("HD1 2TA")
    tab(); focused("id_address"); keys.type("3 Market Street"); keys.press("Enter"); keys.type("Huddersfield")
    # Radio groups: Tab enters a group with nothing chosen on its first option; Space chooses it, and
    # choosing email reveals the email address field next.
    tab(); focused("id_preferred_contact_0")  # Email; there is no default
    keys.press("Space")
    expect(page.locator("#id_preferred_contact_0")).to_be_checked()
    tab(); focused("id_email"); keys.type("kim@example.org")
    tab(); focused("id_updates_by_0")  # No updates, the default: arrows choose by email
    keys.press("ArrowDown"); focused("id_updates_by_1")
    expect(page.locator("#id_updates_by_1")).to_be_checked()
    tab(); focused("id_summary"); keys.type("Pothole outside the school gate")
    # Selects: typing a label's first letters chooses the option.
    tab(); focused("id_category"); keys.type("Roads")
    expect(page.locator("#id_category option:checked")).to_have_text("Roads and pavements")
    tab(); focused("id_ward"); keys.type("Almond")
    expect(page.locator("#id_ward option:checked")).to_have_text("Almondbury")
    tab(); focused("id_details"); keys.type("Deep enough to trip a child.")
    tab(); focused("id_enquiry_type_0")  # Member enquiry, the default
    keys.press("ArrowDown"); keys.press("ArrowDown"); focused("id_enquiry_type_2")  # Complaint
    tab(); focused("id_priority_0")
    keys.press("ArrowRight"); focused("id_priority_1")  # High
    keys.press("Space")
    expect(page.locator("#id_priority_1")).to_be_checked()
    tab(); focused("id_sensitive")  # left unticked
    tab(); focused("id_refer_to_advocacy"); keys.press("Space")
    expect(page.locator("#id_refer_to_advocacy")).to_be_checked()
    tab(); expect(page.get_by_role("link", name="Read the privacy notice")).to_be_focused()
    # Tab enters a group with a chosen option on that option; arrows move and choose.
    tab(); focused("id_capacity_0")  # Ward councillor, the default for a councillor
    tab(); focused("id_lawful_basis_0")  # Public task, the default
    keys.press("ArrowDown"); focused("id_lawful_basis_1")
    expect(page.locator("#id_lawful_basis_1")).to_be_checked()  # The resident consented
    tab(); focused("id_special_category_condition_0")  # paragraph 23, the default (not sensitive: not kept)
    tab()
    expect(page.get_by_role("button", name="Save case")).to_be_focused()
    keys.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("Pothole outside the school gate")
    reference = REFERENCE.search(page.locator("main .govuk-caption-l").inner_text()).group()
    expect(page.get_by_role("alert")).to_contain_text(f"Case {reference} recorded")

    case = Case.objects.select_related("resident", "ward", "category").get(reference=reference)
    assert case.owner.user == councillor
    assert (case.summary, case.category.name, case.ward.name) == (
        "Pothole outside the school gate", "Roads and pavements", "Almondbury")
    assert (case.enquiry_type, case.priority, case.sensitive) == (
        Case.EnquiryType.COMPLAINT, Case.Priority.HIGH, False)
    assert case.status == Case.Status.TRIAGE and case.advocacy
    assert case.resident.full_name == "Kim Keyboard"
    assert case.updates_by == Case.Updates.EMAIL and case.updates_consent_at is not None
    # Browsers send a textarea's line breaks as CRLF.
    assert case.resident.address.splitlines() == ["3 Market Street", "Huddersfield"]
    assert case.resident.preferred_contact == "email"
    assert (case.capacity, case.lawful_basis, case.special_category_condition) == (
        "ward_councillor", "consent", "")
    assert case.resident.lawful_basis == "consent"
