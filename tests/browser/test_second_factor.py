"""A new officer must set up a second factor before anything else; they set up an authenticator app
(the test works out the app's code from the key the page shows, as a phone would), sign out and
back in with it, and use a recovery code once. A passkey works as the second factor too (Chromium's
virtual authenticator, through the DevTools protocol)."""
import re

import pytest
from playwright.sync_api import Page, expect

from kirklees.users.models import User

from ..factories.kirklees import PASSWORD, UserFactory, totp_code
from .helpers import enter_code, sign_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def password_step(page: Page, user) -> None:
    page.goto("/accounts/login/")
    page.locator("#id_login").fill(user.email)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def confirm_it_is_you(page: Page, axe_check=None) -> None:
    """Changing how one signs in asks for the password again first."""
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm it is you")
    if axe_check:
        axe_check(page, "confirm it is you")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Confirm").click()


def test_a_new_officer_sets_up_an_authenticator_app_and_a_recovery_code_works_once(page: Page, live_server,
                                                                                   axe_check):
    officer = UserFactory(role=User.Role.LIAISON_OFFICER, full_name="Nia New", second_factor=False)
    password_step(page, officer)

    # Signed in with the password, but nothing opens until there is a second factor.
    expect(page.get_by_role("heading", level=1)).to_have_text("Second factor")
    expect(page.locator(".govuk-warning-text")).to_contain_text("You need to set up a second factor")
    axe_check(page, "second factor needed")
    page.goto("/queue/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Second factor")

    page.get_by_role("link", name="Set up an authenticator app").click()
    confirm_it_is_you(page, axe_check)
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up an authenticator app")
    expect(page.get_by_role("img", name="QR code for your authenticator app")).to_be_visible()
    axe_check(page, "set up an authenticator app")
    page.get_by_text("I cannot scan the code").click()
    secret = page.locator("#totp-secret").inner_text().strip()
    assert re.fullmatch(r"[A-Z2-7]{32}", secret)
    page.get_by_label("Code").fill("123")
    page.get_by_role("button", name="Turn on").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Incorrect code")
    page.get_by_label("Code").fill(totp_code(secret))
    page.get_by_role("button", name="Turn on").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Your recovery codes")
    axe_check(page, "recovery codes")
    codes = page.locator("#recovery_codes code").all_inner_texts()
    assert len(codes) == 10
    page.get_by_role("link", name="I have kept them safe").click()
    expect(page.get_by_role("banner")).to_contain_text("Nia New")
    page.goto("/queue/")
    expect(page.get_by_role("heading", level=1)).not_to_have_text("Second factor")

    sign_out(page)
    password_step(page, officer)
    enter_code(page, officer, totp_code(secret), axe_check=axe_check)
    expect(page.get_by_role("banner")).to_contain_text("Nia New")

    sign_out(page)
    password_step(page, officer)
    enter_code(page, officer, codes[0])
    expect(page.get_by_role("banner")).to_contain_text("Nia New")

    sign_out(page)
    password_step(page, officer)
    enter_code(page, officer, codes[0])
    expect(page.locator(".govuk-error-summary").first).to_contain_text("Incorrect code")
    expect(page.get_by_role("banner")).not_to_contain_text("Nia New")


def test_a_passkey_is_added_and_then_signs_in_as_the_second_factor(page: Page, live_server, axe_check):
    officer = UserFactory(role=User.Role.LIAISON_MANAGER, full_name="Mo Manager")
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send("WebAuthn.addVirtualAuthenticator", {"options": {
        "protocol": "ctap2", "transport": "internal", "hasResidentKey": True, "hasUserVerification": True,
        "isUserVerified": True, "automaticPresenceSimulation": True}})

    password_step(page, officer)
    enter_code(page, officer, totp_code())
    page.goto("/accounts/2fa/")
    page.get_by_role("link", name="Add a security key or passkey").click()
    confirm_it_is_you(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Add a security key or passkey")
    axe_check(page, "add a passkey")
    page.get_by_label("Name").fill("Work laptop")
    page.get_by_role("button", name="Add").click()

    # The first key comes with recovery codes, as an authenticator app does when it has none yet.
    expect(page.get_by_role("heading", level=1)).to_have_text("Your recovery codes")
    page.goto("/accounts/2fa/webauthn/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Security keys and passkeys")
    expect(page.get_by_role("table")).to_contain_text("Work laptop")
    axe_check(page, "security keys")

    sign_out(page)
    password_step(page, officer)
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter your code")
    page.get_by_role("button", name="Use a security key or passkey").click()
    expect(page.get_by_role("banner")).to_contain_text("Mo Manager")
