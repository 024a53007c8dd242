"""One rule for "serving" and for wards in use, and a demo that tells one story for today's date."""
import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from councillors.models import Councillor
from kirklees.users.models import User
from wards.services import funding as funding_services
from wards.models import Ward

from ..factories.councillors import CouncillorFactory
from ..factories.wards import WardFactory

DAY = datetime.timedelta(days=1)
START, END = datetime.date(2024, 5, 8), datetime.date(2028, 5, 8)


@pytest.mark.parametrize("day, serving", [
    (START - DAY, False), (START, True), (END - DAY, True),
    (END, False),  # the end date is the first day out of office, as the form's hint says
])
def test_a_term_holds_from_its_first_day_to_the_day_before_its_end_date(db, ward, day, serving):
    councillor = CouncillorFactory(ward=ward, term_start=START, term_end=END)
    assert councillor.is_serving(day) is serving
    assert Councillor.objects.serving(day).filter(pk=councillor.pk).exists() is serving


def test_a_term_not_recorded_counts_as_open_on_that_side(db, ward):
    no_dates = CouncillorFactory(ward=ward)
    only_end = CouncillorFactory(ward=ward, term_end=END)
    day = END - DAY
    assert set(Councillor.objects.serving(day)) == {no_dates, only_end}
    assert no_dates.is_serving(day) and only_end.is_serving(day) and not only_end.is_serving(END)


def test_a_councillor_whose_term_ends_today_is_gone_from_the_public_pages_and_the_ward_reminders(
        client, ward, data_admin):
    today = timezone.localdate()
    leaving = CouncillorFactory(ward=ward, user__full_name="Cllr Leaving Today", term_end=today)
    staying = CouncillorFactory(ward=ward, user__full_name="Cllr Staying On", term_end=today + DAY)

    for url in [reverse("public:ward-list"), reverse("public:ward-detail", args=[ward.pk])]:
        page = client.get(url).content.decode()
        assert "Cllr Staying On" in page and "Cllr Leaving Today" not in page, url
    told = {user_id for user_id, _, _ in funding_services._recipients({ward.pk}, today)}
    assert staying.user_id in told and leaving.user_id not in told and data_admin.pk in told


def test_the_public_ward_page_says_a_ward_has_gone_only_when_newer_wards_replaced_it(client, db):
    today = timezone.localdate()
    # The newest wards in force, past their end date with nothing loaded to replace them: still in use.
    current = WardFactory(name="Dalton", valid_from=datetime.date(2004, 6, 10), valid_to=today - 30 * DAY)
    replaced = WardFactory(name="Old Dalton", valid_from=datetime.date(1990, 1, 1),
                           valid_to=datetime.date(2004, 6, 10))
    future = WardFactory(name="New Dalton", valid_from=today + 30 * DAY)

    def inset(ward):
        return client.get(reverse("public:ward-detail", args=[ward.pk])).content.decode()

    assert "existed until" not in inset(current) and "comes into being" not in inset(current)
    assert "This ward existed until 10 June 2004" in inset(replaced)
    assert f"This ward comes into being on {future.valid_from:%-d %B %Y}" in inset(future)


@pytest.fixture
def demo(db):
    call_command("seed_demo")


def test_the_demo_wards_are_in_force_today_on_every_page(demo, client):
    today = timezone.localdate()
    wards = list(Ward.objects.latest_arrangement())
    assert len(wards) == 23 and set(Ward.objects.valid_on(today)) == set(wards)

    client.force_login(User.objects.get(email="dataadmin@example.org"))
    assert "has passed" not in client.get(reverse("wards:list")).content.decode()
    client.logout()
    almondbury = next(w for w in wards if w.name == "Almondbury")
    assert "existed until" not in client.get(reverse("public:ward-detail", args=[almondbury.pk])).content.decode()


def test_the_demo_fills_every_seat_with_a_serving_councillor_with_a_plausible_name(demo, client):
    today = timezone.localdate()
    for ward in Ward.objects.latest_arrangement():
        serving = Councillor.objects.serving(today).filter(ward=ward)
        assert serving.count() == ward.councillor_seats == 3, ward.name
    assert Councillor.objects.count() == Councillor.objects.serving(today).count() == 69
    names = list(Councillor.objects.values_list("user__full_name", flat=True))
    assert len(set(names)) == 69
    assert not [name for name in names if name.endswith(" Member") or not name.startswith("Cllr ")]
    # The two demo logins keep their names and wards.
    assert Councillor.objects.get(user__email="councillor@example.org").ward.name == "Dalton"
    assert "Not yet listed" not in client.get(reverse("public:ward-list")).content.decode()


def test_the_demo_gives_an_ended_term_a_current_one_and_renames_an_earlier_demos_placeholder(db):
    """A database made by an earlier demo (terms that ended in May 2026, 'Cllr Almondbury Member')
    tells today's story after `seed_demo` runs again."""
    call_command("seed_demo")
    placeholder = User.objects.get(email="cllr.almondbury@example.org")
    placeholder.full_name = "Cllr Almondbury Member"
    placeholder.save()
    Councillor.objects.filter(user=placeholder).update(term_start=datetime.date(2022, 5, 9),
                                                       term_end=datetime.date(2026, 5, 11))
    call_command("seed_demo")
    placeholder.refresh_from_db()
    assert not placeholder.full_name.endswith("Member")
    assert placeholder.councillor.is_serving(timezone.localdate())
    assert Councillor.objects.count() == 69
