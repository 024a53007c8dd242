"""A councillor records that the resident wants updates by email; a missing address is refused with
a GOV.UK error; the case page then shows the choice and when they agreed, and the resident's email
goes when the team accepts the case."""

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from casework import services
from casework.models import Case
from kirklees.notifications.updates import updates_send
from kirklees.users.models import User

from ..factories.casework import CategoryFactory
from ..factories.councillors import CouncillorFactory
from ..factories.kirklees import UserFactory
from .helpers import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_intake_with_email_updates_shows_on_the_case_and_the_update_goes_on_acceptance(page: Page, live_server,
                                                                                       axe_check):
    councillor = CouncillorFactory(advocacy_enrolled=True)
    CategoryFactory(name="Street lighting")
    sign_in(page, councillor.user)
    page.goto("/cases/new/")
    page.get_by_label("Resident's full name").fill("Imogen Quarry")
    page.get_by_label("Postcode", exact=True).fill("HD1 2TA")
    page.get_by_label("Address", exact=True).fill("3 Market Street\nHuddersfield")
    page.get_by_role("group", name="How would they like to be contacted?").get_by_label("Letter", exact=True).check()
    updates = page.get_by_role("group", name="Does the resident want to be told when the case moves on?")
    expect(updates.get_by_label("No, do not send updates")).to_be_checked()
    updates.get_by_label("Yes, by email").check()
    page.get_by_label("Summary", exact=True).fill("Streetlight out")
    page.get_by_label("What is it about?").select_option(label="Street lighting")
    page.get_by_role("button", name="Save case").click()

    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter the resident’s email address to send them updates by email")
    expect(summary.get_by_role("listitem")).to_have_count(1)
    axe_check(page, "new case, updates refused")
    assert not Case.objects.exists()

    page.get_by_role("group", name="How would they like to be contacted?").get_by_label("Email", exact=True).check()
    page.get_by_label("Email address", exact=True).fill("imogen@example.org")
    page.get_by_role("button", name="Save case").click()
    expect(page.locator("#resident-updates")).to_contain_text("By email, when the case is accepted")
    expect(page.locator("#resident-updates")).to_contain_text("They agreed on")
    expect(page.get_by_role("link", name="Change updates to the resident")).to_be_visible()
    axe_check(page, "case page with updates")

    case = Case.objects.get()
    team = UserFactory(role=User.Role.LIAISON_OFFICER, full_name="Lee Liaison")
    case = services.case_refer_to_advocacy(case=case, by=councillor.user, version=case.version)
    services.case_accept(case=case, by=team, version=case.version, assignee=team)
    assert updates_send().sent == 1
    [email] = [m for m in mail.outbox if m.to == ["imogen@example.org"]]
    assert case.reference in email.body and "Imogen" not in email.body and "Streetlight" not in email.body
    page.reload()
    expect(page.locator(".app-timeline")).to_contain_text("Update sent to the resident")
    expect(page.locator(".app-timeline")).not_to_contain_text("imogen@example.org")
