"""What a person sees of the section 5 fixes (issue 10): files come back as what they really are,
a zip bomb is refused with a clear error, and the email page is gone."""

import pytest
from playwright.sync_api import Page, expect

from ..factories.casework import make_case
from ..factories.councillors import CouncillorFactory
from ..samples import PDF, docx_inflating_to
from .helpers import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def case(live_server):
    owner = CouncillorFactory(user__full_name="Cllr Ada Owner", advocacy_enrolled=True)
    return make_case(owner, summary="Fly-tipping on Ravensknowle Road")


def add_file(page: Page, name: str, content: bytes, mime: str) -> None:
    page.get_by_role("button", name="Add a file").click()
    page.get_by_label("Upload a file").set_input_files({"name": name, "mimeType": mime, "buffer": content})
    page.get_by_role("button", name="Upload file").click()


def test_a_pdf_named_html_is_listed_and_downloaded_as_a_pdf_and_a_zip_bomb_is_refused(page: Page, case, axe_check):
    sign_in(page, case.owner.user)
    page.goto(case.get_absolute_url())

    add_file(page, "minutes.docx", docx_inflating_to(256 * 1024 * 1024),
             "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("The selected file cannot be accepted: it unpacks to far more than its size")
    axe_check(page, "upload refused")

    page.goto(case.get_absolute_url())
    add_file(page, "invoice.html", PDF, "text/html")
    link = page.get_by_role("link", name="invoice.pdf")
    expect(link).to_be_visible()
    expect(page.get_by_role("link", name="invoice.html")).to_have_count(0)
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename == "invoice.pdf"


def test_a_signed_in_person_finds_no_email_page(page: Page, case):
    sign_in(page, case.owner.user)
    response = page.goto("/accounts/email/")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
