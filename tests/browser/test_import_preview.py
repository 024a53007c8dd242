"""A ward data admin imports officers from a CSV file in a real browser, with axe-core on each page.

The first file has mistakes: the preview lists them by row and offers no way to confirm. The
corrected file previews cleanly, is confirmed, and the officers are in the People Finder.
"""

import pytest
from playwright.sync_api import Page, expect

from kirklees.users.models import User
from wards.models import ImportBatch, Officer, Place

from ..factories.kirklees import UserFactory
from ..factories.wards import ServiceFactory, WardFactory
from .helpers import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HEADER = "email,full_name,job_title,service,phone,wards,places,last_confirmed,active"
WITH_MISTAKES = "\n".join([
    HEADER,
    "amir.khan@example.org,Amir Khan,Highways inspector,Highways,01484 221000,Dalton,Rawthorpe,15/01/2026,yes",
    "bea.lee@example.org,Bea Lee,Engineer,Highways,,Daltn,,2026-13-01,yes",
    "amir.khan@example.org,Amir Khan,Highways inspector,Highways,,Dalton,,,yes",
]) + "\n"
CORRECTED = "\n".join([
    HEADER,
    "amir.khan@example.org,Amir Khan,Highways inspector,Highways,01484 221000,Dalton,Rawthorpe,15/01/2026,yes",
    "bea.lee@example.org,Bea Lee,Engineer,Highways,,Dalton; Almondbury,,2026-01-13,yes",
]) + "\n"


@pytest.fixture
def data_admin(live_server):
    dalton = WardFactory(name="Dalton")
    WardFactory(name="Almondbury")
    Place.objects.create(ward=dalton, name="Rawthorpe")
    ServiceFactory(name="Highways")
    return UserFactory(role=User.Role.WARD_DATA_ADMIN, full_name="Dana Data")


def upload(page: Page, content: str, name: str) -> None:
    page.get_by_role("group", name="What does the file hold?").get_by_label("Officers", exact=True).check()
    page.get_by_label("Upload a CSV file").set_input_files(
        {"name": name, "mimeType": "text/csv", "buffer": content.encode()})
    page.get_by_role("button", name="Upload and preview").click()


def test_an_admin_sees_a_bad_file_row_by_row_then_imports_the_corrected_one(page: Page, data_admin, axe_check):
    h1 = page.get_by_role("heading", level=1)
    sign_in(page, data_admin)
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Data").click()
    expect(h1).to_have_text("Import and export ward data")
    axe_check(page, "data page")

    # Uploaded with no file chosen: the error summary links to the file field.
    page.get_by_role("button", name="Upload and preview").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary.get_by_role("link")).to_have_text(["Choose what the file holds", "Choose a CSV file to upload"])
    axe_check(page, "data page with errors")

    upload(page, WITH_MISTAKES, "officers.csv")
    expect(h1).to_have_text("Check officers.csv before importing it")
    expect(summary).to_contain_text("There is a problem")
    errors = summary.get_by_role("link")
    expect(errors).to_have_text([
        "Row 3: wards 'Daltn' is not a current ward (did you mean Dalton?)",
        "Row 3: last_confirmed '2026-13-01' is not a date like 2004-06-10 or 10/06/2004",
        "Row 4: amir.khan@example.org appears twice (also on row 2)",
    ])
    expect(page.get_by_role("button", name="Confirm and import")).to_have_count(0)
    axe_check(page, "preview with errors")
    errors.first.click()
    expect(page.locator("#row-3")).to_be_focused()
    assert not Officer.objects.exists()

    page.get_by_role("link", name="upload it again").click()
    upload(page, CORRECTED, "officers-corrected.csv")
    expect(h1).to_have_text("Check officers-corrected.csv before importing it")
    expect(page.locator(".govuk-error-summary")).to_have_count(0)
    expect(page.get_by_role("row", name="2 amir.khan@example.org")).to_contain_text("Create")
    expect(page.get_by_role("row", name="3 bea.lee@example.org")).to_contain_text("Almondbury; Dalton")
    axe_check(page, "preview without errors")

    page.get_by_role("button", name="Confirm and import").click()
    expect(page.get_by_role("alert")).to_contain_text("officers-corrected.csv imported: 2 created, 0 updated")
    expect(h1).to_have_text("Imported officers-corrected.csv")
    axe_check(page, "imported")
    assert sorted(Officer.objects.values_list("email", flat=True)) == ["amir.khan@example.org", "bea.lee@example.org"]
    assert ImportBatch.objects.filter(applied_at__isnull=False).count() == 1
