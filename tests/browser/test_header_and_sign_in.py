"""The header shows who is signed in with their role in brackets, not run together with it; the
sign-in page has one forgotten-password link."""

import re

import pytest
from playwright.sync_api import Page, expect

from kirklees.users.models import User

from ..factories.kirklees import UserFactory
from .helpers import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_header_shows_the_name_and_the_role_in_brackets(page: Page, live_server):
    sign_in(page, UserFactory(role=User.Role.LIAISON_OFFICER, full_name="Lucy Liaison"))
    expect(page.locator(".app-header__user")).to_have_text("Lucy Liaison (Liaison officer)")


def test_the_sign_in_page_has_one_forgotten_password_link(page: Page, live_server):
    page.goto("/accounts/login/")
    expect(page.locator("main a[href*='password/reset']")).to_have_count(1)
    expect(page.get_by_role("link", name=re.compile("forgot", re.I))).to_have_count(1)
    expect(page.get_by_role("link", name="I have forgotten my password")).to_be_visible()
