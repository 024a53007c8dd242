"""The CSV exports of ward intelligence: places, figures, priorities, funding awards and
briefings. The People Finder's export is tested in test_people_finder.py."""
from django.urls import reverse

from ..factories.wards import PlaceFactory
from ..helpers import csv_rows


def test_the_exports_carry_each_list(client, world, people_in_two_wards, other_ward):
    PlaceFactory(ward=other_ward, name="Chickenley")
    client.force_login(people_in_two_wards["councillor"])
    ward = world["ward"]
    places = csv_rows(client.get(reverse("wards:places-export"), {"ward": ward.pk}))
    assert places == [["ward", "name", "kind"], ["Dalton", "Moldgreen", "neighbourhood"]]
    assert len(csv_rows(client.get(reverse("wards:places-export")))) == 3

    figures = csv_rows(client.get(reverse("wards:figures-export")))
    assert figures == [["ward", "name", "value", "unit", "source", "as_of"],
                       ["Dalton", "Population", "17842.00", "people", "ONS", "2023-06-30"]]

    priorities = csv_rows(client.get(reverse("wards:priorities-export"), {"ward": ward.pk}))
    assert priorities[1][1:5] == ["Dalton", "Moldgreen", world["priority"].title, "Active"]
    assert priorities[1][-1].startswith("Progress")

    awards = csv_rows(client.get(reverse("wards:funding-awards-export"), {"status": "approved"}))
    assert awards[1][1:7] == ["Ward Members’ Fund", world["award"].recipient, "Equipment", "1000.00", "Dalton", ""]

    client.force_login(people_in_two_wards["liaison"])
    briefings = csv_rows(client.get(reverse("wards:briefings-export")))
    assert briefings[1][1:4] == ["Dalton", "Road closure", "Wakefield Road shut"]
    assert briefings[1][5] == "closure notice.pdf" and briefings[1][9] == "current"


def test_an_export_quotes_cells_a_spreadsheet_would_run(client, ward, people_in_two_wards):
    PlaceFactory(ward=ward, name="=HYPERLINK(\"http://evil\")")
    client.force_login(people_in_two_wards["liaison"])
    rows = csv_rows(client.get(reverse("wards:places-export")))
    assert rows[1][1].startswith("'=")
