"""Nothing a signed-in person is sent may be kept by a browser, a proxy or a shared computer:
every page, export and download for them says Cache-Control: no-store. Public pages may be cached."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ..config.url_names import url_names
from ..samples import PDF

NO_ARGUMENTS = sorted(name for name, route in url_names().items() if "<" not in route and name != "admin:index")


def no_store(response) -> bool:
    return "no-store" in response.get("Cache-Control", "") and "private" in response.get("Cache-Control", "")


@pytest.mark.parametrize("who", ["manager", "owner", "data_admin"])
def test_every_page_a_signed_in_person_can_open_says_no_store(client, request, who):
    user = request.getfixturevalue(who)
    client.force_login(getattr(user, "user", user))
    opened = []
    for name in NO_ARGUMENTS:
        response = client.get(reverse(name))
        if response.status_code == 200:
            opened.append(name)
            assert no_store(response), name
    assert len(opened) > 10  # the loop really opened pages


def test_a_case_page_a_csv_export_and_an_attachment_download_say_no_store(client, owner, case):
    client.force_login(owner.user)
    assert no_store(client.get(case.get_absolute_url()))
    assert no_store(client.get(reverse("wards:people-export")))
    client.post(reverse("casework:case-add-attachment", args=[case.reference]),
                {"upload": SimpleUploadedFile("letter.pdf", PDF, "application/pdf")})
    attachment = case.attachments.get()
    response = client.get(reverse("casework:attachment-download", args=[case.reference, attachment.pk]))
    assert response.status_code == 200 and no_store(response)


def test_public_pages_for_residents_may_be_cached(client, ward):
    response = client.get(reverse("public:ward-list"))
    assert response.status_code == 200 and "no-store" not in response.get("Cache-Control", "")

