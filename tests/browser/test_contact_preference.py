"""The new case form asks for the resident's phone number only once phone is chosen as the way to
contact them, and their email address only once email is (GOV.UK radios with conditional reveal)."""

import pytest
from playwright.sync_api import Page, expect

from ..factories.councillors import CouncillorFactory
from .helpers import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_phone_field_appears_only_after_choosing_phone(page: Page, live_server):
    sign_in(page, CouncillorFactory().user)
    page.goto("/cases/new/")
    group = page.get_by_role("group", name="How would they like to be contacted?")
    phone, email = page.get_by_label("Phone number", exact=True), page.get_by_label("Email address", exact=True)
    for option in ("Email", "Phone", "Letter"):
        expect(group.get_by_label(option, exact=True)).not_to_be_checked()
    expect(phone).to_be_hidden()
    expect(email).to_be_hidden()

    group.get_by_label("Phone", exact=True).check()
    expect(phone).to_be_visible()
    expect(group.get_by_label("Phone", exact=True)).to_have_attribute("aria-expanded", "true")
    expect(email).to_be_hidden()

    group.get_by_label("Email", exact=True).check()
    expect(email).to_be_visible()
    expect(phone).to_be_hidden()

    group.get_by_label("Letter", exact=True).check()
    expect(phone).to_be_hidden()
    expect(email).to_be_hidden()
