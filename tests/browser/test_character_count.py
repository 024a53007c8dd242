"""A long text field shows its limit and counts down as it is typed (GOV.UK character count)."""

import pytest
from playwright.sync_api import Page, expect

from ..factories.councillors import CouncillorFactory
from .helpers import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_typing_in_a_long_text_field_updates_its_count(page: Page, live_server, axe_check):
    sign_in(page, CouncillorFactory().user)
    page.goto("/cases/new/")
    address = page.get_by_label("Address", exact=True)
    group = page.locator(".govuk-character-count").filter(has=address)
    expect(group.locator(".govuk-character-count__status")).to_have_text("You have 500 characters remaining")
    address.fill("12 Church Lane")
    expect(group.locator(".govuk-character-count__status")).to_have_text("You have 486 characters remaining")
    address.fill("x" * 502)
    expect(group.locator(".govuk-character-count__status")).to_have_text("You have 2 characters too many")
    axe_check(page, "new case, address too long")
