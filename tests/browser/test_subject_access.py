"""In a real browser, with axe: a liaison manager starts a subject access request from a resident's
case, sees its clock on the request's page and on the queue, downloads the bundle, and the summary
in it reads well and passes axe too (issue 13, item 2)."""

import io
import json
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from playwright.sync_api import Page, expect

from casework import services as casework_services
from kirklees.users.models import User
from pages.sar.clock import sar_due_on

from ..factories.casework import ResidentFactory, make_case
from ..factories.councillors import CouncillorFactory
from ..factories.kirklees import UserFactory
from ..samples import PDF
from .helpers import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_manager_starts_a_subject_access_request_sees_the_clock_and_downloads_the_zip(
    page: Page, live_server, axe_check
):
    manager = UserFactory(role=User.Role.LIAISON_MANAGER, full_name="Mark Manager")
    liaison = UserFactory(role=User.Role.LIAISON_OFFICER, full_name="Lucy Liaison")
    owner = CouncillorFactory(user__full_name="Cllr Owner", advocacy_enrolled=True, liaison_officer=liaison)
    case = make_case(owner, summary="Bins not collected")
    ResidentFactory(full_name="Bob Neighbour", created_by=owner.user)
    casework_services.case_add_note(case=case, by=owner.user, text="Bob Neighbour saw the crew skip the street.")
    casework_services.case_add_attachment(case=case, by=owner.user,
                                          upload=SimpleUploadedFile("letter.pdf", PDF, "application/pdf"))
    resident = case.resident
    h1 = page.get_by_role("heading", level=1)
    today = timezone.localdate()
    due = sar_due_on(today)

    sign_in(page, manager)
    page.goto("/queue/")
    expect(page.locator(".app-sar-panel")).to_contain_text("No subject access requests open.")
    page.goto(case.get_absolute_url())
    page.get_by_role("link", name="Start a subject access request").click()
    expect(h1).to_have_text("Start a subject access request")
    expect(page.locator(".govuk-caption-l")).to_have_text(f"{resident.full_name}, {resident.postcode}")
    axe_check(page, "start a subject access request")
    page.get_by_label("Date the request was received").fill("31/02/2026")
    page.get_by_role("button", name="Start the request").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter a real date, like 14/10/2026")
    axe_check(page, "start a subject access request, with an error")
    page.get_by_label("Date the request was received").fill(today.strftime("%d/%m/%Y"))
    page.get_by_label("How the request came in (optional)").fill("Letter to the team")
    page.get_by_role("button", name="Start the request").click()

    expect(page.get_by_role("alert")).to_contain_text(f"it is due on {due:%-d %B %Y}")
    expect(page.locator("#sar-clock")).to_contain_text(f"Due {due:%A %-d %B %Y}")
    expect(page.locator("#sar-clock")).to_contain_text(f"{(due - today).days} days left.")
    axe_check(page, "subject access request")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the SAR bundle (ZIP)").click()
    download = download_info.value
    assert download.suggested_filename.startswith("subject-access-request-")
    bundle = zipfile.ZipFile(io.BytesIO(open(download.path(), "rb").read()))
    data = json.loads(bundle.read("data.json"))
    assert [c["reference"] for c in data["cases"]] == [case.reference]
    assert [i["names"] for i in data["redaction_review"] if i["item"] == "note"] == [["Bob Neighbour"]]
    assert any(name.endswith("-letter.pdf") for name in bundle.namelist())

    page.reload()
    expect(page.get_by_role("table", name="Downloads")).to_contain_text("Mark Manager")
    page.goto("/queue/")
    expect(page.locator(".app-sar-panel")).to_contain_text(
        f"1 subject access request open, next due {due:%-d %B %Y}.")
    axe_check(page, "queue with the requests panel")

    page.set_content(bundle.read("summary.html").decode())
    expect(page.get_by_role("heading", level=1)).to_have_text(f"What is held about {resident.full_name}")
    expect(page.locator("td mark.redact")).to_have_text("Bob Neighbour")
    axe_check(page, "the bundle's summary")
