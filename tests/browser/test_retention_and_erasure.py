"""In a real browser, with axe: a liaison manager places a legal hold on a case, finds it on the
retention page, lifts it, and erases the resident's data at their request (issue 13, items 3 and 4)."""

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from casework.models import Case, Resident
from kirklees.users.models import User

from ..factories.casework import make_case, walk
from ..factories.councillors import CouncillorFactory
from ..factories.kirklees import UserFactory
from .helpers import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_manager_holds_a_case_then_erases_its_resident_with_a_confirmation(page: Page, live_server, axe_check):
    manager = UserFactory(role=User.Role.LIAISON_MANAGER, full_name="Mark Manager")
    liaison = UserFactory(role=User.Role.LIAISON_OFFICER, full_name="Lucy Liaison")
    owner = CouncillorFactory(user__full_name="Cllr Owner", advocacy_enrolled=True, liaison_officer=liaison)
    case = walk(make_case(owner, summary="Broken street light"), Case.Status.IN_PROGRESS, team=liaison)
    Resident.objects.filter(pk=case.resident_id).update(full_name="Percival Pemberton-Smythe")
    h1 = page.get_by_role("heading", level=1)

    sign_in(page, manager)
    page.goto(case.get_absolute_url())
    expect(page.get_by_text("Percival Pemberton-Smythe")).to_be_visible()
    page.get_by_role("link", name="Place a legal hold").click()
    expect(h1).to_have_text("Place a legal hold")
    page.get_by_role("button", name="Place a legal hold").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the reason")
    axe_check(page, "place a legal hold, with an error")
    page.get_by_label("Reason").fill("Ombudsman investigation")
    page.get_by_role("button", name="Place a legal hold").click()
    expect(page.get_by_role("alert")).to_contain_text("Legal hold placed")

    page.goto("/retention/")
    expect(h1).to_have_text("Retention and legal holds")
    expect(page.get_by_role("row").filter(has_text=case.reference)).to_contain_text("Ombudsman investigation")
    axe_check(page, "retention page")

    page.goto(case.get_absolute_url())
    page.get_by_role("link", name="Erase this resident’s data").click()
    expect(h1).to_have_text("Erase this resident’s data")
    expect(page.get_by_text("On legal hold")).to_contain_text(case.reference)
    axe_check(page, "erase this resident's data")
    page.get_by_label("When was the request received?").fill(timezone.localdate().strftime("%d/%m/%Y"))
    page.get_by_label("Why did the resident ask?").fill("Asked by letter")
    page.get_by_label("Approve: erase the resident’s data now").check()
    page.get_by_label("Reason for the decision").fill("Nothing requires us to keep it")
    page.get_by_role("button", name="Record the decision").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("on legal hold")
    axe_check(page, "erase this resident's data, refused while held")

    page.goto(case.get_absolute_url())
    page.get_by_role("link", name="Lift the legal hold").click()
    page.get_by_label("Reason").fill("Investigation closed")
    page.get_by_role("button", name="Lift the legal hold").click()
    expect(page.get_by_role("alert")).to_contain_text("Legal hold lifted")

    page.get_by_role("link", name="Erase this resident’s data").click()
    page.get_by_label("When was the request received?").fill(timezone.localdate().strftime("%d/%m/%Y"))
    page.get_by_label("Why did the resident ask?").fill("Asked by letter")
    page.get_by_label("Approve: erase the resident’s data now").check()
    page.get_by_label("Reason for the decision").fill("Nothing requires us to keep it")
    page.get_by_role("button", name="Record the decision").click()
    expect(page.locator(".govuk-panel")).to_contain_text("Resident’s data erased")
    axe_check(page, "erasure result")

    page.get_by_role("link", name=case.reference).click()
    expect(page.get_by_text("Anonymised resident")).to_be_visible()
    expect(page.get_by_text("Percival")).to_have_count(0)
    axe_check(page, "case of an anonymised resident")
