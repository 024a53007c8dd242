"""Steps the browser tests share: signing in and out, and the header's menu."""

from playwright.sync_api import Page, expect

from ..factories.kirklees import PASSWORD


def sign_in(page: Page, user, axe_check=None) -> None:
    page.goto("/accounts/login/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    if axe_check:
        axe_check(page, "sign in")
    page.locator("#id_login").fill(user.email)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("banner")).to_contain_text(user.full_name)


def sign_out(page: Page) -> None:
    page.get_by_role("banner").get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")


def nav_link(page: Page, name: str):
    return page.get_by_role("navigation", name="Menu").get_by_role("link", name=name)
