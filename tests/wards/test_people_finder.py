"""The People Finder: council services and their officers, kept up to date by the ward data admin,
found by councillors and the liaison team, and picked when a case is referred to a service."""
import datetime
import re

import pytest
import time_machine
from django.urls import reverse

from casework import services as case_services
from casework.models import Case, CaseEvent, Referral
from wards.selectors.people import officers_unconfirmed_count
from wards.models import Officer, Service

from ..factories.casework import make_case, walk
from ..factories.wards import OfficerFactory, PlaceFactory, ServiceFactory
from ..helpers import csv_rows, errors_of, queries_for

ROLES = ["councillor", "other_councillor", "liaison", "manager", "data_admin"]
NOT_ADMINS = ["councillor", "other_councillor", "liaison", "manager"]
# A mid-July Wednesday: six months earlier is 15 January.
TODAY = datetime.date(2026, 7, 15)


def frozen(day=TODAY):
    return time_machine.travel(datetime.datetime(day.year, day.month, day.day, 12, tzinfo=datetime.UTC),
                               tick=False)


@pytest.fixture
def highways(db):
    return ServiceFactory(name="Highways", email="highways@kirklees.example")


@pytest.fixture
def officer(service, ward):
    return OfficerFactory(full_name="Priya Patel", job_title="Waste operations manager", service=service,
                          email="priya.patel@kirklees.example", phone="01484 221000", wards=[ward])


def page_of(client, url="", **params):
    response = client.get(reverse("wards:people") + url, params)
    assert response.status_code == 200
    return response


def names_on(response) -> list[str]:
    return [officer.full_name for officer in response.context["page"].object_list]


def officer_data(service, /, **overrides) -> dict:
    data = {"full_name": "Sam  Jones", "job_title": "Street scene  officer", "service": service.pk,
            "email": "Sam.Jones@Kirklees.example", "phone": "01484 221 000", "is_active": "on"}
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


# ---------------------------------------------------------------- who may see and change what

def test_anonymous_visitors_are_sent_to_sign_in_from_every_people_finder_page(client, officer, service):
    urls = [reverse("wards:people"), reverse("wards:officer-create"), reverse("wards:officer-edit", args=[officer.pk]),
            reverse("wards:services"), reverse("wards:service-create"),
            reverse("wards:service-edit", args=[service.pk])]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("account_login")), url
    response = client.post(reverse("wards:officer-confirm", args=[officer.pk]))
    assert response.status_code == 302 and response.url.startswith(reverse("account_login"))


@pytest.mark.parametrize("who", ROLES)
def test_everyone_with_a_role_can_search_the_people_finder_and_list_services(client, everyone, officer, who):
    client.force_login(everyone[who])
    assert "Priya Patel" in page_of(client).content.decode()
    assert "Waste and Recycling" in client.get(reverse("wards:services")).content.decode()


def test_an_account_without_a_role_cannot_read_the_people_finder(client, everyone):
    client.force_login(everyone["no_role"])
    assert client.get(reverse("wards:people")).status_code == 403
    assert client.get(reverse("wards:services")).status_code == 403


@pytest.mark.parametrize("who", NOT_ADMINS + ["no_role"])
def test_only_the_ward_data_admin_may_add_or_edit_officers_and_services(client, everyone, officer, service, who):
    client.force_login(everyone[who])
    gets = [reverse("wards:officer-create"), reverse("wards:officer-edit", args=[officer.pk]),
            reverse("wards:service-create"), reverse("wards:service-edit", args=[service.pk])]
    for url in gets:
        assert client.get(url).status_code == 403, url
    assert client.post(reverse("wards:officer-create"), officer_data(service)).status_code == 403
    assert client.post(reverse("wards:officer-edit", args=[officer.pk]),
                       officer_data(service, full_name="Hacked")).status_code == 403
    Officer.objects.filter(pk=officer.pk).update(last_confirmed=datetime.date(2020, 1, 1))
    assert client.post(reverse("wards:officer-confirm", args=[officer.pk])).status_code == 403
    assert client.post(reverse("wards:service-create"),
                       {"name": "New", "email": "new@kirklees.example"}).status_code == 403
    assert client.post(reverse("wards:service-edit", args=[service.pk]),
                       {"name": "Renamed", "email": "x@kirklees.example"}).status_code == 403
    officer.refresh_from_db()
    assert officer.full_name == "Priya Patel" and officer.last_confirmed == datetime.date(2020, 1, 1)
    assert Officer.objects.count() == 1
    assert list(Service.objects.values_list("name", flat=True)) == ["Waste and Recycling"]


@pytest.mark.parametrize("who", NOT_ADMINS)
def test_people_who_are_not_admins_are_not_offered_the_admin_buttons(client, everyone, officer, who):
    client.force_login(everyone[who])
    page = page_of(client).content.decode()
    assert reverse("wards:officer-create") not in page
    assert reverse("wards:officer-edit", args=[officer.pk]) not in page
    assert reverse("wards:officer-confirm", args=[officer.pk]) not in page


def test_the_data_admin_is_offered_add_edit_and_confirm(client, data_admin, officer):
    client.force_login(data_admin)
    page = page_of(client).content.decode()
    assert reverse("wards:officer-create") in page
    assert reverse("wards:officer-edit", args=[officer.pk]) in page
    assert reverse("wards:officer-confirm", args=[officer.pk]) in page


def test_an_unknown_officer_or_service_is_not_found(client, data_admin):
    client.force_login(data_admin)
    assert client.get(reverse("wards:officer-edit", args=[999999])).status_code == 404
    assert client.get(reverse("wards:service-edit", args=[999999])).status_code == 404
    assert client.post(reverse("wards:officer-confirm", args=[999999])).status_code == 404


# ---------------------------------------------------------------- searching

def test_searching_finds_officers_by_name_job_title_or_service_whatever_the_case(client, owner, service, highways):
    OfficerFactory(full_name="Priya Patel", job_title="Waste operations manager", service=service)
    OfficerFactory(full_name="Tom Brook", job_title="Highways inspector", service=highways)
    OfficerFactory(full_name="Ann Lee", job_title="Area engineer", service=highways)
    client.force_login(owner.user)
    assert names_on(page_of(client, q="patel")) == ["Priya Patel"]
    assert names_on(page_of(client, q="INSPECTOR")) == ["Tom Brook"]
    assert names_on(page_of(client, q="highways")) == ["Ann Lee", "Tom Brook"]
    # Every word must match somewhere: the service name and the job title here.
    assert names_on(page_of(client, q="highways engineer")) == ["Ann Lee"]
    assert names_on(page_of(client, q="nobody")) == []
    assert "No officers found" in page_of(client, q="nobody").content.decode()


def test_the_service_filter_lists_only_that_services_officers(client, owner, service, highways):
    OfficerFactory(full_name="Priya Patel", service=service)
    OfficerFactory(full_name="Tom Brook", service=highways)
    client.force_login(owner.user)
    assert names_on(page_of(client, service=highways.pk)) == ["Tom Brook"]


def test_the_ward_filter_counts_officers_covering_a_place_in_the_ward_or_all_of_kirklees_and_lists_each_once(
        client, owner, ward, other_ward, service):
    moldgreen = PlaceFactory(ward=ward, name="Moldgreen")
    elsewhere = PlaceFactory(ward=other_ward, name="Castle Hill")
    OfficerFactory(full_name="Ward Wide", service=service, wards=[ward])
    OfficerFactory(full_name="Place Only", service=service, places=[moldgreen])
    OfficerFactory(full_name="Ward And Place", service=service, wards=[ward, other_ward],
                   places=[moldgreen, PlaceFactory(ward=ward, name="Rawthorpe")])
    OfficerFactory(full_name="Other Ward", service=service, wards=[other_ward], places=[elsewhere])
    OfficerFactory(full_name="Kirklees Wide", service=service)  # named for no ward and no place
    client.force_login(owner.user)
    response = page_of(client, ward=ward.pk)
    assert names_on(response) == ["Kirklees Wide", "Place Only", "Ward And Place", "Ward Wide"]
    assert response.context["page"].paginator.count == 4
    assert names_on(page_of(client, ward=other_ward.pk)) == ["Kirklees Wide", "Other Ward", "Ward And Place"]
    assert "Kirklees-wide" in response.content.decode()


def test_a_bad_filter_is_shown_beside_its_field_and_the_list_still_shows(client, owner, officer):
    client.force_login(owner.user)
    response = page_of(client, ward="999999", q="x" * 101)
    errors = errors_of(response)
    assert errors["ward"] == ["Choose a ward from the list"]
    assert errors["q"] == ["Name, job title or service must be 100 characters or fewer"]
    page = response.content.decode()
    assert "There is a problem" in page and "<title>Error: " in page


def test_inactive_officers_are_hidden_from_everyone_but_the_data_admin(client, everyone, service):
    OfficerFactory(full_name="Left The Council", service=service, is_active=False)
    OfficerFactory(full_name="Still Here", service=service)
    for who in NOT_ADMINS:
        client.force_login(everyone[who])
        assert names_on(page_of(client)) == ["Still Here"], who
        assert names_on(page_of(client, q="left")) == [], who
    client.force_login(everyone["data_admin"])
    response = page_of(client)
    assert names_on(response) == ["Left The Council", "Still Here"]
    assert "Inactive" in response.content.decode()


def test_inactive_services_are_listed_only_for_the_data_admin(client, everyone, service):
    ServiceFactory(name="Closed Service", is_active=False)
    client.force_login(everyone["councillor"])
    assert "Closed Service" not in client.get(reverse("wards:services")).content.decode()
    assert "Closed Service" not in page_of(client).content.decode()  # nor in the service filter
    client.force_login(everyone["data_admin"])
    assert "Closed Service" in client.get(reverse("wards:services")).content.decode()


def test_the_services_list_counts_active_officers_only(client, owner, service):
    OfficerFactory(service=service)
    OfficerFactory(service=service)
    OfficerFactory(service=service, is_active=False)
    client.force_login(owner.user)
    services = list(client.get(reverse("wards:services")).context["services"])
    assert [(s.name, s.officer_count) for s in services] == [("Waste and Recycling", 2)]


# ---------------------------------------------------------------- keeping it up to date

def make_confirmation_mix(service):
    OfficerFactory(full_name="Six Months Ago", service=service, last_confirmed=datetime.date(2026, 1, 15))
    OfficerFactory(full_name="Not Quite Six", service=service, last_confirmed=datetime.date(2026, 1, 16))
    OfficerFactory(full_name="Never Confirmed", service=service, last_confirmed=None)
    OfficerFactory(full_name="Gone Quiet", service=service, last_confirmed=datetime.date(2024, 3, 1),
                   is_active=False)


def test_officers_not_confirmed_for_six_months_are_counted_and_flagged_to_the_data_admin(
        client, data_admin, service):
    make_confirmation_mix(service)
    client.force_login(data_admin)
    with frozen():
        response = page_of(client)
        page = response.content.decode()
        assert "2 officers have not been confirmed for 6 months" in page
        flagged = page_of(client, unconfirmed="on")
    # Inactive officers are not chased: they are hidden from everyone else anyway.
    assert names_on(flagged) == ["Never Confirmed", "Six Months Ago"]
    rows = re.findall(r'<tr class="govuk-table__row">.*?</tr>', page, re.S)
    flagged_rows = [row for row in rows if "Needs confirming" in row]
    assert len(flagged_rows) == 2
    assert all("Never Confirmed" in row or "Six Months Ago" in row for row in flagged_rows)


def test_six_months_is_counted_in_calendar_months_even_at_a_month_end(db, service):
    OfficerFactory(service=service, last_confirmed=datetime.date(2026, 2, 28))
    OfficerFactory(service=service, last_confirmed=datetime.date(2026, 3, 1))
    # Six months before 31 August (and before 28, 29 and 30 August) is the last day of February.
    assert officers_unconfirmed_count(datetime.date(2026, 8, 31)) == 1
    assert officers_unconfirmed_count(datetime.date(2026, 8, 28)) == 1
    assert officers_unconfirmed_count(datetime.date(2026, 8, 27)) == 0


@pytest.mark.parametrize("who", NOT_ADMINS)
def test_only_the_data_admin_sees_the_confirmation_flag_filter_and_count(client, everyone, service, who):
    make_confirmation_mix(service)
    client.force_login(everyone[who])
    with frozen():
        response = page_of(client)
        filtered = page_of(client, unconfirmed="on")
    page = response.content.decode()
    assert "Needs confirming" not in page
    assert "not been confirmed for 6 months" not in page
    assert 'name="unconfirmed"' not in page
    assert response.context["unconfirmed_count"] is None
    # Asking for the admin's filter by hand does nothing.
    assert names_on(filtered) == names_on(response) == ["Never Confirmed", "Not Quite Six", "Six Months Ago"]


def test_when_every_officer_is_confirmed_the_admin_is_told_so(client, data_admin, officer):
    client.force_login(data_admin)
    assert "Every active officer’s details have been confirmed in the last 6 months" in \
        page_of(client).content.decode()


def test_the_confirm_button_sets_last_confirmed_to_today_and_returns_to_the_search(client, data_admin, service):
    stale = OfficerFactory(full_name="Six Months Ago", service=service, last_confirmed=datetime.date(2025, 1, 1))
    client.force_login(data_admin)
    back_to = reverse("wards:people") + "?unconfirmed=on"
    with frozen():
        response = client.post(reverse("wards:officer-confirm", args=[stale.pk]), {"next": back_to})
    assert response.status_code == 302 and response.url == back_to
    stale.refresh_from_db()
    assert stale.last_confirmed == TODAY


def test_the_confirm_button_never_sends_the_admin_to_another_site(client, data_admin, officer):
    client.force_login(data_admin)
    response = client.post(reverse("wards:officer-confirm", args=[officer.pk]),
                           {"next": "https://evil.example/phish"})
    assert response.status_code == 302 and response.url == reverse("wards:people")


def test_confirming_needs_a_post(client, data_admin, officer):
    client.force_login(data_admin)
    assert client.get(reverse("wards:officer-confirm", args=[officer.pk])).status_code == 405


# ---------------------------------------------------------------- adding and editing

def test_the_data_admin_adds_an_officer_who_counts_as_confirmed_today(client, data_admin, service, ward, other_ward):
    place = PlaceFactory(ward=other_ward, name="Castle Hill")
    client.force_login(data_admin)
    with frozen():
        response = client.post(reverse("wards:officer-create"),
                               officer_data(service, wards=[ward.pk], places=[place.pk]))
    assert response.status_code == 302 and response.url == reverse("wards:people")
    officer = Officer.objects.get()
    assert (officer.full_name, officer.job_title, officer.email, officer.phone) == (
        "Sam Jones", "Street scene officer", "sam.jones@kirklees.example", "01484 221 000")
    assert officer.service == service and officer.is_active and officer.last_confirmed == TODAY
    assert list(officer.wards.all()) == [ward] and list(officer.places.all()) == [place]


def test_a_place_in_a_ward_the_officer_does_not_otherwise_cover_is_accepted(client, data_admin, service, ward,
                                                                             other_ward):
    """Places are for officers who cover part of a ward, so a place outside the ticked wards is the
    usual case, not a mistake: they are found under the place's ward."""
    place = PlaceFactory(ward=other_ward, name="Castle Hill")
    client.force_login(data_admin)
    client.post(reverse("wards:officer-create"), officer_data(service, wards=[ward.pk], places=[place.pk]))
    assert names_on(page_of(client, ward=other_ward.pk)) == ["Sam Jones"]


def test_the_data_admin_edits_an_officer_moving_them_to_another_service_and_ward(
        client, data_admin, officer, highways, other_ward):
    client.force_login(data_admin)
    response = client.get(reverse("wards:officer-edit", args=[officer.pk]))
    assert response.status_code == 200 and 'value="priya.patel@kirklees.example"' in response.content.decode()
    response = client.post(reverse("wards:officer-edit", args=[officer.pk]), officer_data(
        highways, full_name="Priya Patel-Shah", email="PRIYA.PATEL@kirklees.example", wards=[other_ward.pk],
        is_active=None))
    assert response.status_code == 302
    officer.refresh_from_db()
    assert officer.full_name == "Priya Patel-Shah" and officer.service == highways
    assert officer.email == "priya.patel@kirklees.example"  # their own address, in capitals, is not a duplicate
    assert list(officer.wards.all()) == [other_ward] and not officer.is_active


def test_the_edit_page_offers_the_confirm_button(client, data_admin, officer):
    client.force_login(data_admin)
    page = client.get(reverse("wards:officer-edit", args=[officer.pk])).content.decode()
    assert reverse("wards:officer-confirm", args=[officer.pk]) in page
    assert "Confirm details are correct" in page


def test_an_empty_officer_form_says_what_is_missing_and_writes_nothing(client, data_admin):
    client.force_login(data_admin)
    response = client.post(reverse("wards:officer-create"), {})
    assert response.status_code == 200
    errors = errors_of(response)
    assert errors["full_name"] == ["Enter full name"]
    assert errors["job_title"] == ["Enter job title"]
    assert errors["service"] == ["Choose the officer's service"]
    assert errors["email"] == ["Enter the email address"]
    page = response.content.decode()
    assert "There is a problem" in page and 'href="#id_full_name"' in page
    assert Officer.objects.count() == 0


@pytest.mark.parametrize("field,value,message", [
    ("full_name", "x" * 151, "Full name must be 150 characters or fewer"),
    ("job_title", "x" * 151, "Job title must be 150 characters or fewer"),
    ("full_name", "   ", "Enter full name"),
    ("email", "not-an-email", "Enter an email address in the correct format, like name@example.com"),
    ("email", "a@" + ("b" * 60 + ".") * 5 + "uk", "Email address must be 254 characters or fewer"),
    ("phone", "call me", "Enter a phone number, like 01484 221000"),
    ("phone", "123", "Enter a phone number, like 01484 221000"),
    ("service", "999999", "Choose a service from the list"),
    ("wards", ["999999"], "Choose wards from the list"),
    ("wards", ["abc"], "Choose wards from the list"),
    ("places", ["999999"], "Choose places from the list"),
])
def test_bad_officer_details_are_refused_beside_the_field_and_nothing_is_written(
        client, data_admin, service, field, value, message):
    client.force_login(data_admin)
    response = client.post(reverse("wards:officer-create"), officer_data(service, **{field: value}))
    assert response.status_code == 200
    assert errors_of(response)[field] == [message]
    assert Officer.objects.count() == 0


def test_an_inactive_service_cannot_be_chosen_for_a_new_officer(client, data_admin):
    closed = ServiceFactory(name="Closed Service", is_active=False)
    client.force_login(data_admin)
    response = client.post(reverse("wards:officer-create"), officer_data(closed))
    assert errors_of(response)["service"] == ["Choose a service from the list"]
    assert Officer.objects.count() == 0


def test_an_email_already_in_the_people_finder_is_refused_whatever_its_capitals(client, data_admin, officer,
                                                                                 service):
    client.force_login(data_admin)
    response = client.post(reverse("wards:officer-create"),
                           officer_data(service, email="Priya.Patel@KIRKLEES.example"))
    assert errors_of(response)["email"] == ["An officer with this email address is already in the People Finder"]
    assert Officer.objects.count() == 1


def test_editing_an_officer_to_anothers_email_is_refused_and_nothing_changes(client, data_admin, officer, service,
                                                                             other_ward):
    other = OfficerFactory(full_name="Tom Brook", email="tom.brook@kirklees.example", service=service)
    client.force_login(data_admin)
    response = client.post(reverse("wards:officer-edit", args=[other.pk]), officer_data(
        service, full_name="Tom Renamed", email="PRIYA.patel@kirklees.example", wards=[other_ward.pk]))
    assert errors_of(response)["email"] == ["An officer with this email address is already in the People Finder"]
    other.refresh_from_db()
    assert other.full_name == "Tom Brook" and other.email == "tom.brook@kirklees.example"
    assert not other.wards.exists()


def test_the_data_admin_adds_and_edits_a_service(client, data_admin):
    client.force_login(data_admin)
    response = client.post(reverse("wards:service-create"), {
        "name": "Parks  and Greenspaces", "email": "Parks@Kirklees.example", "is_active": "on"})
    assert response.status_code == 302
    service = Service.objects.get()
    assert (service.name, service.email, service.is_active) == ("Parks and Greenspaces", "parks@kirklees.example",
                                                                True)
    client.post(reverse("wards:service-edit", args=[service.pk]), {
        "name": "Parks", "email": "parks@kirklees.example", "head_of_service_email": "Head@kirklees.example"})
    service.refresh_from_db()
    assert (service.name, service.head_of_service_email, service.is_active) == (
        "Parks", "head@kirklees.example", False)


@pytest.mark.parametrize("data,field,message", [
    ({}, "name", "Enter name of the service"),
    ({}, "email", "Enter the email address for referrals"),
    ({"name": "waste AND recycling", "email": "w@kirklees.example"}, "name",
     "There is already a service with this name"),
    ({"name": "x" * 151, "email": "w@kirklees.example"}, "name", "Name of the service must be 150 characters or fewer"),
    ({"name": "Parks", "email": "nope"}, "email",
     "Enter an email address in the correct format, like name@example.com"),
    ({"name": "Parks", "email": "p@kirklees.example", "head_of_service_email": "nope"}, "head_of_service_email",
     "Enter an email address in the correct format, like name@example.com"),
])
def test_bad_service_details_are_refused_beside_the_field(client, data_admin, service, data, field, message):
    client.force_login(data_admin)
    response = client.post(reverse("wards:service-create"), data)
    assert response.status_code == 200
    assert errors_of(response)[field] == [message]
    assert Service.objects.count() == 1


# ---------------------------------------------------------------- pages and speed

def test_the_people_finder_pages_through_officers_keeping_the_search(client, owner, service, highways):
    for _ in range(30):
        OfficerFactory(service=service, job_title="Bin crew supervisor")
    OfficerFactory(service=highways, job_title="Bin crew supervisor")
    client.force_login(owner.user)
    first = page_of(client, service=service.pk)
    assert len(first.context["page"].object_list) == 25 and first.context["page"].paginator.count == 30
    assert f"?service={service.pk}&amp;page=2" in first.content.decode()
    second = page_of(client, service=service.pk, page=2)
    assert len(second.context["page"].object_list) == 5
    assert set(names_on(first)).isdisjoint(names_on(second))
    assert names_on(page_of(client, service=service.pk, page=99)) == names_on(second)


def add_officers(count, service, ward, place):
    for index in range(count):
        OfficerFactory(service=service, wards=[ward] if index % 2 else [],
                       places=[place] if index % 3 else [], last_confirmed=None if index % 4 else TODAY)


@pytest.mark.parametrize("who", ["councillor", "data_admin"])
def test_the_people_finder_runs_the_same_number_of_queries_for_5_and_50_officers(
        client, everyone, service, ward, settings, monkeypatch, who):
    from wards.views import people as people_views

    monkeypatch.setattr(people_views, "OFFICERS_PER_PAGE", 100)  # every officer on one page
    place = PlaceFactory(ward=ward)
    client.force_login(everyone[who])
    urls = [reverse("wards:people"), reverse("wards:people") + f"?ward={ward.pk}&q=officer",
            reverse("wards:services")]
    add_officers(5, service, ward, place)
    with_5 = [queries_for(client, url) for url in urls]
    add_officers(45, ServiceFactory(), ward, place)
    with_50 = [queries_for(client, url) for url in urls]
    assert with_5 == with_50


# ---------------------------------------------------------------- referrals pick the officer from here

@pytest.fixture
def team_case(owner, liaison, category):
    return walk(make_case(owner, category=category), Case.Status.IN_PROGRESS, team=liaison)


def refer_url(case):
    return reverse("casework:case-action", kwargs={"reference": case.reference, "action": "refer-to-service"})


def test_the_refer_form_offers_each_active_officer_under_their_own_service(client, liaison, team_case, service,
                                                                            highways, officer):
    tom = OfficerFactory(full_name="Tom Brook", job_title="Highways inspector", service=highways)
    OfficerFactory(full_name="Left The Council", service=service, is_active=False)
    OfficerFactory(full_name="In A Closed Service", service=ServiceFactory(name="Closed", is_active=False))
    client.force_login(liaison)
    page = client.get(refer_url(team_case)).content.decode()
    groups = dict(re.findall(r'<optgroup label="([^"]+)">(.*?)</optgroup>', page, re.S))
    assert set(groups) == {"Highways", "Waste and Recycling"}
    assert f'value="{tom.pk}"' in groups["Highways"] and "Priya Patel" not in groups["Highways"]
    assert f'value="{officer.pk}"' in groups["Waste and Recycling"]
    assert "Left The Council" not in page and "In A Closed Service" not in page


def test_the_refer_form_says_which_officers_work_in_the_cases_ward(client, liaison, team_case, service, officer,
                                                                   other_ward):
    OfficerFactory(full_name="Other Ward Officer", service=service, wards=[other_ward])
    OfficerFactory(full_name="Everywhere Officer", job_title="Enforcement officer", service=service)
    client.force_login(liaison)
    page = client.get(refer_url(team_case)).content.decode()
    assert re.search(r">Priya Patel, Waste operations manager \(works in Dalton\)<", page)
    assert re.search(r">Other Ward Officer, Neighbourhood officer<", page)
    assert re.search(r">Everywhere Officer, Enforcement officer \(Kirklees-wide\)<", page)


def test_kirklees_wide_officers_are_listed_after_the_wards_own_under_officers_working_in_the_ward(
        client, owner, ward, other_ward, service, officer):
    OfficerFactory(full_name="Aaron Everywhere", job_title="Enforcement officer", service=service)
    OfficerFactory(full_name="Other Ward Officer", service=service, wards=[other_ward])
    client.force_login(owner.user)
    for url in [reverse("account:councillor-account"), reverse("wards:detail", args=[ward.pk])]:
        page = client.get(url).content.decode()
        section = page[page.index("Officers working in Dalton"):]
        assert section.index("Priya Patel") < section.index("Aaron Everywhere"), url
        assert re.search(r"Aaron Everywhere</strong>, Enforcement officer \([^)]+\) <strong class=\"govuk-tag"
                         r" govuk-tag--grey\">Kirklees-wide</strong>", section), url
        assert "Other Ward Officer" not in section, url


def test_a_referral_to_a_named_officer_stores_the_officer(client, liaison, team_case, service, officer):
    client.force_login(liaison)
    response = client.post(refer_url(team_case), {"version": team_case.version, "service": service.pk,
                                                   "officer": officer.pk, "details": "Please collect"})
    assert response.status_code == 302
    referral = Referral.objects.get()
    assert referral.service == service and referral.officer == officer and referral.officer_name == "Priya Patel"
    page = client.get(team_case.get_absolute_url()).content.decode()
    assert "For Priya Patel" in page and "priya.patel@kirklees.example" in page


def test_a_councillor_working_their_own_case_also_picks_the_officer(client, owner, category, service, officer):
    case = make_case(owner, category=category)
    client.force_login(owner.user)
    response = client.post(refer_url(case), {"version": case.version, "service": service.pk,
                                             "officer": officer.pk, "details": "Please collect"})
    assert response.status_code == 302
    assert Referral.objects.get().officer == officer


def test_choosing_only_the_officer_refers_to_their_service(client, liaison, team_case, service, officer):
    client.force_login(liaison)
    response = client.post(refer_url(team_case), {"version": team_case.version, "service": "",
                                                   "officer": officer.pk, "details": "Please collect"})
    assert response.status_code == 302
    referral = Referral.objects.get()
    assert referral.service == service and referral.officer == officer


def test_an_officer_from_another_service_is_refused_beside_the_field_and_nothing_is_written(
        client, liaison, team_case, service, highways, officer):
    client.force_login(liaison)
    response = client.post(refer_url(team_case), {"version": team_case.version, "service": highways.pk,
                                                   "officer": officer.pk, "details": "Please collect"})
    assert response.status_code == 200
    assert errors_of(response) == {"officer": ["Choose an officer from Highways, or no named officer"]}
    assert 'href="#id_officer"' in response.content.decode()
    assert not Referral.objects.exists()
    team_case.refresh_from_db()
    assert team_case.status == Case.Status.IN_PROGRESS
    assert not CaseEvent.objects.filter(case=team_case, kind=CaseEvent.Kind.REFERRED_TO_SERVICE).exists()


@pytest.mark.parametrize("value", ["999999", "abc", "inactive"])
def test_an_officer_not_on_offer_is_refused(client, liaison, team_case, service, value):
    if value == "inactive":
        value = str(OfficerFactory(service=service, is_active=False).pk)
    client.force_login(liaison)
    response = client.post(refer_url(team_case), {"version": team_case.version, "service": service.pk,
                                                   "officer": value, "details": "Please collect"})
    assert errors_of(response) == {"officer": ["Choose an officer from the list"]}
    assert not Referral.objects.exists()


def test_the_service_itself_refuses_an_officer_of_another_service(liaison, team_case, highways, officer):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        case_services.case_refer_to_service(case=team_case, by=liaison, version=team_case.version,
                                            service=highways, officer=officer, details="x")
    assert not Referral.objects.exists()


def test_the_refer_form_keeps_the_chosen_officer_when_something_else_is_wrong(client, liaison, team_case,
                                                                             service, officer):
    client.force_login(liaison)
    response = client.post(refer_url(team_case), {"version": team_case.version, "service": service.pk,
                                                   "officer": officer.pk, "details": ""})
    assert errors_of(response) == {"details": ["Enter what you are asking the service to do"]}
    assert f'<option value="{officer.pk}" selected>' in response.content.decode()


# ---------------------------------------------------------------- getting there

@pytest.mark.parametrize("who", ROLES)
def test_every_role_can_reach_the_people_finder_from_the_page_they_land_on(client, everyone, who):
    client.force_login(everyone[who])
    landing = client.get(reverse("home"), follow=True)
    assert landing.status_code == 200
    assert f'href="{reverse("wards:people")}"' in landing.content.decode()


# ---------------------------------------------------------------- the export

def test_the_people_finder_export_hides_inactive_officers_from_all_but_the_data_admin(
        client, ward, people_in_two_wards):
    OfficerFactory(full_name="Active Annie", wards=[ward])
    OfficerFactory(full_name="Gone Gary", is_active=False)
    client.force_login(people_in_two_wards["councillor"])
    rows = csv_rows(client.get(reverse("wards:people-export")))
    assert rows[0][:4] == ["email", "full_name", "job_title", "service"]
    assert [r[1] for r in rows[1:]] == ["Active Annie"] and rows[1][5] == "Dalton"
    client.force_login(people_in_two_wards["data_admin"])
    assert [r[1] for r in csv_rows(client.get(reverse("wards:people-export")))[1:]] == ["Active Annie", "Gone Gary"]

