"""Every page links GOV.UK Frontend's favicon and manifest, /favicon.ico is served, and nothing a page
asks for comes back 404."""

import pytest
from playwright.sync_api import Page, expect

from ..factories.councillors import CouncillorFactory
from .helpers import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_no_request_a_page_makes_gets_a_404(page: Page, live_server):
    failed = []
    page.on("response", lambda response: failed.append(f"{response.status} {response.url}")
            if response.status >= 400 else None)
    sign_in(page, CouncillorFactory().user)
    page.goto("/cases/new/")
    page.wait_for_load_state("networkidle")

    links = page.eval_on_selector_all("link[rel~=icon], link[rel=manifest], link[rel=apple-touch-icon], "
                                      "link[rel=mask-icon]", "links => links.map(link => link.href)")
    assert len(links) == 5
    manifest = page.request.get(page.locator("link[rel=manifest]").get_attribute("href"))
    assert manifest.ok
    base = manifest.url.rsplit("/", 1)[0]
    for url in [*links, *(f"{base}/{icon['src']}" for icon in manifest.json()["icons"])]:
        response = page.request.get(url)
        assert response.ok, f"{response.status} {url}"
    favicon = page.request.get("/favicon.ico")
    assert favicon.ok and favicon.headers["content-type"] in ("image/x-icon", "image/vnd.microsoft.icon")
    expect(page.locator("link[rel=manifest]")).to_have_count(1)
    assert failed == []
