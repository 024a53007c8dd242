"""Profile figures: the numbers that describe a ward, with their source and age
(wards/*/profile.py)."""
import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from wards.models import WardFigure
from wards.selectors.profile import age_in_words

from ..factories.wards import WardFigureFactory
from ..helpers import errors_of


@pytest.mark.parametrize("as_of,today,words", [
    (datetime.date(2023, 6, 30), datetime.date(2026, 11, 25), "3 years old"),
    (datetime.date(2025, 11, 25), datetime.date(2026, 11, 25), "1 year old"),
    (datetime.date(2026, 6, 30), datetime.date(2026, 11, 25), "4 months old"),
    (datetime.date(2026, 10, 26), datetime.date(2026, 11, 25), "less than a month old"),
    (datetime.date(2026, 10, 25), datetime.date(2026, 11, 25), "1 month old"),
])
def test_a_figures_age_is_said_as_people_say_it(as_of, today, words):
    assert age_in_words(as_of, today) == words


def figure_data(**overrides):
    data = {"name": "Population", "value": "17842", "unit": "people", "source": "ONS mid-year estimates",
            "as_of": "30/06/2023"}
    data.update(overrides)
    return data


def test_the_data_admin_adds_edits_and_deletes_a_figure(client, ward, people_in_two_wards):
    client.force_login(people_in_two_wards["data_admin"])
    assert client.post(reverse("wards:figure-create", args=[ward.pk]), figure_data()).status_code == 302
    figure = WardFigure.objects.get()
    assert figure.value == Decimal("17842") and figure.as_of == datetime.date(2023, 6, 30)
    client.post(reverse("wards:figure-edit", args=[figure.pk]), figure_data(value="17900.5"))
    figure.refresh_from_db()
    assert figure.value == Decimal("17900.50")
    assert client.post(reverse("wards:figure-delete", args=[figure.pk])).status_code == 302
    assert not WardFigure.objects.exists()


@pytest.mark.parametrize("overrides,field,message", [
    ({"name": ""}, "name", "Enter the name of the figure"),
    ({"value": ""}, "value", "Enter the value"),
    ({"value": "lots"}, "value", "Enter the value as a number, like 17250 or 4.5"),
    ({"value": "1.234"}, "value", "Enter the value to no more than 2 decimal places"),
    ({"source": ""}, "source", "Enter where the figure comes from"),
    ({"source": "x" * 201}, "source", "Source must be 200 characters or fewer"),
    ({"as_of": "31/02/2023"}, "as_of", "Enter a real date, like 30/6/2023"),
    ({"as_of": "01/01/2999"}, "as_of", "The date must be today or in the past"),
    ({"name": "population"}, "as_of",
     "Dalton already has a figure called population as of this date: edit that one instead"),
])
def test_a_bad_figure_is_refused_with_a_message_and_nothing_written(
        client, ward, people_in_two_wards, overrides, field, message):
    WardFigureFactory(ward=ward, name="Population", as_of=datetime.date(2023, 6, 30), value=Decimal("1"))
    client.force_login(people_in_two_wards["data_admin"])
    response = client.post(reverse("wards:figure-create", args=[ward.pk]), figure_data(**overrides))
    assert response.status_code == 200
    assert message in errors_of(response)[field]
    assert WardFigure.objects.count() == 1 and WardFigure.objects.get().value == Decimal("1")
