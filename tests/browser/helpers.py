"""Steps the browser tests share: signing in and out, and the header's menu."""

from playwright.sync_api import Page, expect

from ..factories.kirklees import PASSWORD, code_for


def sign_in(page: Page, user, axe_check=None) -> None:
    page.goto("/accounts/login/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    if axe_check:
        axe_check(page, "sign in")
    page.locator("#id_login").fill(user.email)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    if user.authenticator_set.filter(type="totp").exists():
        enter_code(page, user, code_for(user))
    expect(page.get_by_role("banner")).to_contain_text(user.full_name)


def enter_code(page: Page, user, code: str, axe_check=None) -> None:
    """The second step of signing in: the code from the authenticator app (or a recovery code).
    A code works once; a test signing the same person in again within one 30-second step is let
    through as a later step would be (the used-code mark is dropped)."""
    from django.core.cache import cache

    expect(page.get_by_role("heading", level=1)).to_have_text("Enter your code")
    if axe_check:
        axe_check(page, "enter your code")
    cache.delete(f"allauth.mfa.totp.used?user={user.pk}&code={code}")
    page.get_by_label("Code").fill(code)
    page.get_by_role("button", name="Continue").click()


def sign_out(page: Page) -> None:
    page.get_by_role("banner").get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")


def nav_link(page: Page, name: str):
    return page.get_by_role("navigation", name="Menu").get_by_role("link", name=name)
