"""Briefings: bite-size news for a ward or all wards, with an optional file kept privately
(wards/*/briefings.py)."""
import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from wards.models import Briefing
from wards.selectors.briefings import current_briefings_for_ward
from wards.services import briefings as briefing_services
from wards.services.briefings import briefing_create

from ..factories.wards import BriefingFactory
from ..helpers import d, errors_of
from ..samples import PDF, PNG

TODAY = timezone.localdate
DAY = datetime.timedelta(days=1)


@pytest.mark.parametrize("who", ["councillor", "other_councillor"])
def test_councillors_cannot_write_or_delete_briefings(client, world, people_in_two_wards, who):
    client.force_login(people_in_two_wards[who])
    assert client.post(reverse("wards:briefing-delete", args=[world["briefing"].pk])).status_code == 403
    assert client.post(reverse("wards:briefing-create"), {
        "title": "Mine", "text": "x", "publish_on": d(TODAY()), "expires_on": d(TODAY() + DAY)}).status_code == 403
    assert Briefing.objects.count() == 1


def test_a_briefing_not_yet_published_is_not_downloadable_by_councillors(client, world, people_in_two_wards, liaison):
    briefing = world["briefing"]
    Briefing.objects.filter(pk=briefing.pk).update(publish_on=TODAY() + DAY)
    url = reverse("wards:briefing-file", args=[briefing.pk])
    client.force_login(people_in_two_wards["councillor"])
    assert client.get(url).status_code == 404
    client.force_login(liaison)
    assert client.get(url).status_code == 200


def test_a_briefing_without_a_file_has_nothing_to_download(client, people_in_two_wards, ward, liaison):
    briefing = BriefingFactory(ward=ward, author=liaison)
    client.force_login(people_in_two_wards["councillor"])
    assert client.get(reverse("wards:briefing-file", args=[briefing.pk])).status_code == 404


def briefing_data(ward_=None, /, **overrides):
    data = {"ward": ward_.pk if ward_ else "", "title": "Road closure", "text": "Wakefield Road is shut",
            "link": "", "publish_on": d(TODAY()), "expires_on": d(TODAY() + 14 * DAY)}
    data.update(overrides)
    return data


def test_the_liaison_team_publishes_a_briefing_with_a_file_kept_under_a_random_name(client, ward, people_in_two_wards,
                                                                                    private_storage):
    client.force_login(people_in_two_wards["liaison"])
    upload = SimpleUploadedFile("Ward plan (final).pdf", PDF, "application/pdf")
    response = client.post(reverse("wards:briefing-create"),
                           briefing_data(ward, key_issue="on", link="www.kirklees.gov.uk", upload=upload))
    assert response.status_code == 302
    briefing = Briefing.objects.get()
    assert briefing.key_issue and briefing.author == people_in_two_wards["liaison"]
    assert briefing.link == "https://www.kirklees.gov.uk"
    assert briefing.file_name == "Ward plan (final).pdf"
    assert "Ward plan" not in briefing.file.name and briefing.file.name.startswith("briefings/")
    assert (private_storage / briefing.file.name).read_bytes() == PDF

    client.force_login(people_in_two_wards["other_councillor"])
    download = client.get(reverse("wards:briefing-file", args=[briefing.pk]))
    assert download["Content-Type"] == "application/pdf"
    assert "Ward plan (final).pdf" in download["Content-Disposition"]
    assert download["Cache-Control"] == "private, no-store"
    assert b"".join(download.streaming_content) == PDF


def test_replacing_or_removing_a_briefings_file(client, world, people_in_two_wards, private_storage,
                                                django_capture_on_commit_callbacks):
    briefing = world["briefing"]
    old = private_storage / briefing.file.name
    assert old.exists()
    client.force_login(people_in_two_wards["liaison"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("wards:briefing-edit", args=[briefing.pk]), briefing_data(
            world["ward"], upload=SimpleUploadedFile("photo.png", PNG, "image/png")))
    briefing.refresh_from_db()
    assert briefing.file_name == "photo.png" and not old.exists()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("wards:briefing-edit", args=[briefing.pk]), briefing_data(world["ward"], remove_file="on"))
    briefing.refresh_from_db()
    assert not briefing.file and briefing.file_name == ""


@pytest.mark.parametrize("overrides,field,message", [
    ({"title": "", "text": ""}, "title", "Enter a title for the briefing"),
    ({"text": ""}, "text", "Enter the briefing"),
    ({"text": "x" * 1001}, "text", "The briefing must be 1000 characters or fewer, to keep it bite-size "
                                   "(it has 1001): link to the detail instead"),
    ({"title": "x" * 121}, "title", "Title must be 120 characters or fewer"),
    ({"expires_on": ""}, "expires_on", "Enter the expiry date"),
    ({"expires_on": d(TODAY() - DAY)}, "expires_on", "The expiry date must be after the publish date"),
    ({"expires_on": d(TODAY())}, "expires_on", "The expiry date must be after the publish date"),
    ({"publish_on": "tomorrow"}, "publish_on", "Enter a real date, like 14/10/2026"),
    ({"link": "not a link"}, "link", "Enter a web address, like https://www.kirklees.gov.uk/"),
    ({"ward": "999999"}, "ward", "Choose a ward from the list"),
])
def test_a_bad_briefing_is_refused_with_a_message_and_nothing_written(
        client, ward, people_in_two_wards, overrides, field, message):
    client.force_login(people_in_two_wards["liaison"])
    response = client.post(reverse("wards:briefing-create"), briefing_data(ward, **overrides))
    assert response.status_code == 200
    assert message in errors_of(response)[field]
    assert not Briefing.objects.exists()


def test_line_breaks_count_once_towards_the_briefing_limit(client, ward, people_in_two_wards):
    client.force_login(people_in_two_wards["liaison"])
    text = ("x" * 99 + "\r\n") * 10  # 1000 characters as the user sees them; 1010 as the browser sends them
    assert client.post(reverse("wards:briefing-create"), briefing_data(ward, text=text)).status_code == 302


@pytest.mark.parametrize("name,content,message", [
    ("notes.pdf", b"#!/bin/sh\necho this is not a PDF\n", "The selected file must be a PDF, an Office document"),
    ("tool.pdf", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64, "The selected file must be"),
    ("page.html", b"<html><script>alert(1)</script></html>", "The selected file must be"),
    ("empty.pdf", b"", "The selected file is empty"),
])
def test_a_briefing_file_of_the_wrong_type_by_content_is_refused(
        client, ward, people_in_two_wards, private_storage, name, content, message):
    client.force_login(people_in_two_wards["liaison"])
    response = client.post(reverse("wards:briefing-create"), briefing_data(
        ward, upload=SimpleUploadedFile(name, content, "application/pdf")))
    assert response.status_code == 200
    assert any(message in error for error in errors_of(response)["upload"])
    assert not Briefing.objects.exists() and not any(private_storage.rglob("*"))


def test_an_oversize_briefing_file_is_refused(client, ward, people_in_two_wards, private_storage, monkeypatch):
    monkeypatch.setattr(briefing_services, "BRIEFING_FILE_MAX_BYTES", 1024 * 1024)
    client.force_login(people_in_two_wards["liaison"])
    big = PDF + b"\x00" * (1024 * 1024)
    response = client.post(reverse("wards:briefing-create"), briefing_data(
        ward, upload=SimpleUploadedFile("big.pdf", big, "application/pdf")))
    assert errors_of(response)["upload"] == ["The selected file must be smaller than 1 MB"]
    assert not Briefing.objects.exists() and not any(private_storage.rglob("*"))


def test_the_briefing_service_refuses_expiry_before_publish_and_councillors(ward, liaison, owner):
    with pytest.raises(ValidationError):
        briefing_create(by=liaison, ward=ward, title="x", text="y", publish_on=TODAY(),
                                       expires_on=TODAY() - DAY)
    with pytest.raises(PermissionDenied):
        briefing_create(by=owner.user, ward=ward, title="x", text="y", publish_on=TODAY(),
                                       expires_on=TODAY() + DAY)
    assert not Briefing.objects.exists()


def test_current_briefings_are_the_wards_and_all_wards_published_and_not_expired_key_issues_first(
        ward, other_ward, liaison):
    today = TODAY()
    mine = BriefingFactory(ward=ward, title="Mine", publish_on=today - 3 * DAY, author=liaison)
    everyone = BriefingFactory(ward=None, title="Everyone", publish_on=today - DAY, author=liaison)
    key = BriefingFactory(ward=ward, title="Key", key_issue=True, publish_on=today - 10 * DAY, author=liaison)
    last_day = BriefingFactory(ward=ward, title="Last day", publish_on=today - 5 * DAY, expires_on=today,
                               author=liaison)
    starts_today = BriefingFactory(ward=None, title="Starts today", publish_on=today, author=liaison)
    BriefingFactory(ward=ward, title="Expired", publish_on=today - 9 * DAY, expires_on=today - DAY, author=liaison)
    BriefingFactory(ward=ward, title="Scheduled", publish_on=today + DAY, author=liaison)
    BriefingFactory(ward=other_ward, title="Elsewhere", author=liaison)
    current = list(current_briefings_for_ward(ward, today))
    assert current == [key, starts_today, everyone, mine, last_day]
    # Elsewhere and Everyone were published the same day: the newer record first.
    assert [b.title for b in current_briefings_for_ward(other_ward, today)] == [
        "Starts today", "Elsewhere", "Everyone"]


def test_the_briefing_list_separates_current_scheduled_and_expired(client, ward, people_in_two_wards, liaison):
    BriefingFactory(ward=ward, title="Now showing", author=liaison)
    BriefingFactory(ward=None, title="Coming soon", publish_on=TODAY() + 3 * DAY, author=liaison)
    BriefingFactory(ward=ward, title="Over", publish_on=TODAY() - 9 * DAY, expires_on=TODAY() - DAY, author=liaison)
    client.force_login(people_in_two_wards["manager"])
    pages = {state: client.get(reverse("wards:briefings"), {"show": state}).content.decode()
             for state in ("current", "scheduled", "expired")}
    assert "Now showing" in pages["current"] and "Coming soon" not in pages["current"]
    assert "Coming soon" in pages["scheduled"] and "Over" not in pages["scheduled"]
    assert "Over" in pages["expired"] and "Now showing" not in pages["expired"]
    assert "Current (1)" in pages["current"] and "Scheduled (1)" in pages["current"]


def test_deleting_a_briefing_removes_its_file(client, world, people_in_two_wards, private_storage,
                                              django_capture_on_commit_callbacks):
    path = private_storage / world["briefing"].file.name
    client.force_login(people_in_two_wards["liaison"])
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("wards:briefing-delete", args=[world["briefing"].pk])).status_code == 302
    assert not Briefing.objects.exists() and not path.exists()
