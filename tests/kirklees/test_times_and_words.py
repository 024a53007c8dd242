"""Times on the 24-hour clock on every page, whether or not the template gives a format; "an officer"."""
import datetime
import zoneinfo

from django.template import Context, Template
from django.urls import reverse

from councillors.models import RoleProfileStep, RoleProfileVersion

EVENING = datetime.datetime(2026, 11, 3, 21, 19, tzinfo=zoneinfo.ZoneInfo("Europe/London"))


def test_the_role_profile_shows_when_each_step_happened_on_the_24_hour_clock(client, manager, owner):
    version = RoleProfileVersion.objects.create(number=1, title="Councillor role profile", body="Listen.",
                                                created_by=manager, created_at=EVENING)
    RoleProfileStep.objects.create(version=version, status=RoleProfileVersion.Status.DRAFT, by=manager, at=EVENING)
    client.force_login(owner.user)
    page = client.get(reverse("councillors:role-profile-version", args=[1])).content.decode()
    assert "3 November 2026, 21:19" in page
    assert "p.m." not in page and "9:19" not in page


def test_a_time_or_date_and_time_without_a_format_is_on_the_24_hour_clock(settings):
    rendered = Template("{{ at|time }} / {{ at }} / {{ at|date:'SHORT_DATETIME_FORMAT' }}").render(
        Context({"at": EVENING}))
    assert rendered == "21:19 / 3 Nov 2026, 21:19 / 03/11/2026 21:19"


def test_the_import_page_says_an_officer_file_and_a_ward_file(admin_client):
    from kirklees.text import with_article

    page = admin_client.get(reverse("dataimport:index")).content.decode()
    assert "The start of an officer file:" in page and "The start of a ward file:" in page
    assert "a officer" not in page and "a import" not in page
    assert [with_article(n) for n in ["officer", "ward", "unit", "hour", "event", "European grant"]] == [
        "an officer", "a ward", "a unit", "an hour", "an event", "a European grant"]
