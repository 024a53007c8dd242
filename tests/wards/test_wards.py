"""Wards and places: the ward list, the ward page that brings a ward's intelligence together, and
the places in a ward (wards/views/wards.py, wards/services/wards.py)."""
import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from wards.models import Place, Ward
from wards.services.wards import place_create

from ..factories.wards import (
    BriefingFactory, MeetingActionFactory, OfficerFactory, PlaceFactory, WardFactory, WardFigureFactory,
    WardMeetingFactory,
)
from ..helpers import errors_of

TODAY = timezone.localdate
DAY = datetime.timedelta(days=1)


# ================================================================ the ward list and the ward page

def test_the_ward_list_links_each_ward_and_puts_the_current_arrangement_first(client, people_in_two_wards, db):
    old = WardFactory(name="Old Dalton", valid_from=datetime.date(2004, 6, 10), valid_to=datetime.date(2026, 5, 7))
    new = WardFactory(name="New Dalton", valid_from=datetime.date(2026, 5, 7))
    client.force_login(people_in_two_wards["liaison"])
    page = client.get(reverse("wards:list")).content.decode()
    assert reverse("wards:detail", args=[old.pk]) in page and reverse("wards:detail", args=[new.pk]) in page
    order = [page.index(text) for text in ("Current wards", "New Dalton", "Earlier wards", "Old Dalton")]
    assert order == sorted(order)
    assert "No longer in use" in page


def test_wards_whose_end_date_passed_with_nothing_newer_are_still_current_and_say_so(client, people_in_two_wards):
    Ward.objects.filter(name__in=["Dalton", "Batley East"]).update(valid_to=TODAY() - DAY)
    client.force_login(people_in_two_wards["data_admin"])
    page = client.get(reverse("wards:list")).content.decode()
    assert "Current wards" in page and "no newer wards have been loaded" in page
    assert "Earlier wards" not in page


def test_a_ward_page_says_when_its_boundaries_are_no_longer_or_not_yet_in_use(client, ward, people_in_two_wards):
    client.force_login(people_in_two_wards["councillor"])
    old, new = "no longer in use", "come into force"
    Ward.objects.filter(pk=ward.pk).update(valid_to=TODAY() - DAY)  # ended, and nothing newer loaded
    page = client.get(reverse("wards:detail", args=[ward.pk])).content.decode()
    assert old not in page and new not in page
    future = WardFactory(name="New Dalton", valid_from=TODAY() + 30 * DAY)
    assert new in client.get(reverse("wards:detail", args=[future.pk])).content.decode()
    WardFactory(name="Newer Dalton", valid_from=TODAY() - DAY)
    assert old in client.get(reverse("wards:detail", args=[ward.pk])).content.decode()


def test_the_ward_page_shows_figures_with_their_source_and_age_and_the_latest_of_each(
        client, ward, people_in_two_wards):
    WardFigureFactory(ward=ward, name="Population", value=Decimal("17000"), source="Census 2011",
                      as_of=datetime.date(2011, 3, 27))
    WardFigureFactory(ward=ward, name="IMD decile", value=Decimal("1"), source="IoD 2019",
                      as_of=TODAY().replace(year=TODAY().year - 5) - DAY)
    WardFigureFactory(ward=ward, name="Population", value=Decimal("17842"), source="ONS mid-year 2023",
                      as_of=TODAY().replace(year=TODAY().year - 3) - DAY)
    client.force_login(people_in_two_wards["councillor"])
    page = client.get(reverse("wards:detail", args=[ward.pk])).content.decode()
    assert "17,842" in page and "ONS mid-year 2023" in page and "3 years old" in page
    assert "Census 2011" not in page  # only the newest of each figure on the ward page
    assert page.count("May be out of date") == 1  # the IMD decile, over 5 years old


def test_the_ward_page_brings_the_wards_intelligence_together(client, world, people_in_two_wards, liaison):
    ward = world["ward"]
    officer = OfficerFactory(full_name="Priya Patel", wards=[ward])
    meeting = WardMeetingFactory(ward=ward, title="Autumn ward solution meeting", created_by=liaison)
    MeetingActionFactory(meeting=meeting, description="Survey the back lanes")
    BriefingFactory(ward=None, title="For everyone", author=liaison)
    BriefingFactory(ward=world["ward"], title="Long gone", author=liaison, publish_on=TODAY() - 30 * DAY,
                    expires_on=TODAY() - 2 * DAY)
    client.force_login(people_in_two_wards["other_councillor"])
    page = client.get(reverse("wards:detail", args=[ward.pk])).content.decode()
    for text in ["Moldgreen", "Population", world["priority"].title, "Road closure", "For everyone",
                 officer.full_name, meeting.title, "Survey the back lanes", "Ward Members’ Fund", "£1,000.00"]:
        assert text in page, text
    assert "Long gone" not in page


# ================================================================ places

def test_the_data_admin_adds_and_renames_a_place(client, ward, people_in_two_wards):
    client.force_login(people_in_two_wards["data_admin"])
    response = client.post(reverse("wards:place-create", args=[ward.pk]), {"name": "  Rawthorpe  ", "kind": "estate"})
    assert response.status_code == 302
    place = Place.objects.get(ward=ward)
    assert place.name == "Rawthorpe" and place.kind == "estate"
    client.post(reverse("wards:place-edit", args=[place.pk]), {"name": "Rawthorpe estate", "kind": "estate"})
    place.refresh_from_db()
    assert place.name == "Rawthorpe estate"


@pytest.mark.parametrize("data,field,message", [
    ({"name": "", "kind": "estate"}, "name", "Enter the name of the place"),
    ({"name": "x" * 101, "kind": "estate"}, "name", "Name of the place must be 100 characters or fewer"),
    ({"name": "moldgreen", "kind": "estate"}, "name", "There is already a place with this name in Dalton"),
    ({"name": "Rawthorpe", "kind": "castle"}, "kind", "Choose what kind of place it is"),
])
def test_a_bad_place_is_refused_with_a_message_and_nothing_written(
        client, ward, people_in_two_wards, data, field, message):
    PlaceFactory(ward=ward, name="Moldgreen")
    client.force_login(people_in_two_wards["data_admin"])
    response = client.post(reverse("wards:place-create", args=[ward.pk]), data)
    assert response.status_code == 200
    assert message in errors_of(response)[field]
    assert message in response.content.decode()  # in the error summary and beside the field
    assert Place.objects.count() == 1


def test_the_same_place_name_may_be_used_in_another_ward(client, ward, other_ward, people_in_two_wards):
    PlaceFactory(ward=ward, name="Moldgreen")
    client.force_login(people_in_two_wards["data_admin"])
    client.post(reverse("wards:place-create", args=[other_ward.pk]), {"name": "Moldgreen", "kind": "village"})
    assert Place.objects.filter(name="Moldgreen").count() == 2


def test_the_place_service_refuses_a_duplicate_even_without_the_form(ward, data_admin):
    PlaceFactory(ward=ward, name="Moldgreen")
    with pytest.raises(ValidationError):
        place_create(by=data_admin, ward=ward, name="MOLDGREEN")
    assert Place.objects.count() == 1


def test_a_councillor_cannot_add_a_place_through_the_service(ward, owner):
    with pytest.raises(PermissionDenied):
        place_create(by=owner.user, ward=ward, name="Rawthorpe")
