"""A new address for a service's referrals, as its owner and a liaison manager see it: the link's
page confirms with a button, and the Pending email changes page approves; both pass axe."""
import re

import pytest
from django.db import transaction
from playwright.sync_api import Page, expect

from kirklees.notifications.models import OutboundEmail
from kirklees.users.models import User
from wards.models import EmailChange, Service
from wards.services.people import service_update

from ..factories.kirklees import UserFactory
from ..factories.wards import ServiceFactory
from .helpers import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def asked(live_server):
    """Highways' referrals asked to move to roads@, by the ward data admin."""
    admin = UserFactory(role=User.Role.WARD_DATA_ADMIN, full_name="Dana Data")
    highways = ServiceFactory(name="Highways", email="highways@kirklees.example")
    with transaction.atomic():
        service_update(service=highways, by=admin, email="roads@kirklees.example")
    return highways


def test_the_new_inbox_confirms_from_the_link_without_signing_in(page: Page, asked, axe_check):
    body = OutboundEmail.objects.get(to="roads@kirklees.example").body
    page.goto(re.search(r"/people/confirm-address/[^/\s]+/", body).group(0))
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm a new email address")
    expect(page.get_by_role("main")).to_contain_text("Dana Data")
    axe_check(page, "confirm a new address")
    page.get_by_role("button", name="Confirm this address").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Email address confirmed")
    axe_check(page, "address confirmed")
    assert Service.objects.get(pk=asked.pk).confirmed_email == "roads@kirklees.example"
    page.reload()  # the browser offers to send the form again: the link has been used
    expect(page.get_by_role("heading", level=1)).to_have_text("This link does not work")


def test_a_liaison_manager_approves_on_the_pending_page(page: Page, asked, axe_check):
    manager = UserFactory(role=User.Role.LIAISON_MANAGER, full_name="Mark Manager")
    sign_in(page, manager)
    page.goto("/people/services/")
    page.get_by_role("link", name="Pending email changes (1)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Pending email changes")
    axe_check(page, "pending email changes")
    page.get_by_role("button", name="Approve roads@kirklees.example for Highways: referrals and chasers").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("now go to roads@kirklees.example")
    expect(page.get_by_role("main")).to_contain_text("Approved by a liaison manager")
    axe_check(page, "after approving")
    assert EmailChange.objects.get().status == EmailChange.Status.APPROVED
