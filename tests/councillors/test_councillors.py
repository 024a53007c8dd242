"""Councillors, political groups, the advocacy pilot and its roll-out to every councillor."""
import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from casework.models import Case
from councillors import services
from councillors.models import AdvocacyRollout, Councillor, PoliticalGroup
from kirklees.users.models import User

from ..factories.casework import make_case
from ..factories.councillors import CouncillorFactory
from ..factories.kirklees import UserFactory
from ..factories.wards import WardFactory
from ..helpers import errors_of, queries_for

TODAY = timezone.localdate


@pytest.fixture
def labour(db):
    return PoliticalGroup.objects.create(name="Labour", short_name="Lab")


def edit_data(councillor, **overrides):
    data = {"ward": councillor.ward_id, "group": "", "term_start": "", "term_end": "", "liaison_officer": "",
            "advocacy_enrolled": "on" if councillor.advocacy_enrolled else "", "advocacy_enrolled_on": ""}
    data.update(overrides)
    return {k: v for k, v in data.items() if not (k == "advocacy_enrolled" and not v)}


# ---------------------------------------------------------------- the advocacy rule

def test_an_enrolled_councillor_may_refer_during_the_pilot(owner):
    assert owner.may_refer_to_advocacy()


def test_an_unenrolled_councillor_may_not_refer_before_roll_out_and_may_after(unenrolled, manager):
    assert not unenrolled.may_refer_to_advocacy()
    services.advocacy_rollout_schedule(by=manager, rolled_out_on=TODAY() + datetime.timedelta(days=7))
    assert not unenrolled.may_refer_to_advocacy()
    assert unenrolled.may_refer_to_advocacy(day=TODAY() + datetime.timedelta(days=7))
    AdvocacyRollout.objects.filter(id=1).update(rolled_out_on=TODAY())
    assert unenrolled.may_refer_to_advocacy()


def test_an_enrolment_dated_in_the_future_does_not_count_yet(unenrolled):
    unenrolled.advocacy_enrolled = True
    unenrolled.advocacy_enrolled_on = TODAY() + datetime.timedelta(days=1)
    assert not unenrolled.may_refer_to_advocacy()
    assert unenrolled.may_refer_to_advocacy(day=TODAY() + datetime.timedelta(days=1))


def refer(client, case):
    return client.post(reverse("casework:case-action", kwargs={"reference": case.reference,
                                                                "action": "refer-to-advocacy"}),
                       {"version": case.version})


def test_an_unenrolled_councillor_cannot_refer_a_case_until_advocacy_is_rolled_out(client, unenrolled, manager):
    case = make_case(unenrolled)
    client.force_login(unenrolled.user)
    assert "Refer to the advocacy service" not in client.get(case.get_absolute_url()).content.decode()
    assert refer(client, case).status_code == 403
    case.refresh_from_db()
    assert case.status == Case.Status.OPEN

    services.advocacy_rollout_schedule(by=manager, rolled_out_on=TODAY())
    assert "Refer to the advocacy service" in client.get(case.get_absolute_url()).content.decode()
    assert refer(client, case).status_code == 302
    case.refresh_from_db()
    assert case.status == Case.Status.TRIAGE


def test_a_councillor_whose_enrolment_starts_tomorrow_cannot_refer_today(client, unenrolled, category):
    Councillor.objects.filter(pk=unenrolled.pk).update(advocacy_enrolled=True,
                                                       advocacy_enrolled_on=TODAY() + datetime.timedelta(days=1))
    case = make_case(unenrolled)
    client.force_login(unenrolled.user)
    assert "refer_to_advocacy" not in client.get(reverse("casework:case-create")).content.decode()
    assert refer(client, case).status_code == 403


def test_after_roll_out_the_new_case_form_offers_advocacy_to_everyone(client, unenrolled, manager):
    client.force_login(unenrolled.user)
    assert "refer_to_advocacy" not in client.get(reverse("casework:case-create")).content.decode()
    services.advocacy_rollout_schedule(by=manager, rolled_out_on=TODAY())
    assert "refer_to_advocacy" in client.get(reverse("casework:case-create")).content.decode()


def test_reading_the_roll_out_never_writes(db, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert not AdvocacyRollout.current().is_rolled_out()
    assert not AdvocacyRollout.objects.exists()


# ---------------------------------------------------------------- roll-out page

@pytest.mark.parametrize("who,expected", [("manager", 200), ("liaison", 403), ("councillor", 403),
                                          ("data_admin", 403)])
def test_only_the_liaison_manager_sees_the_roll_out_page(client, councillor_and_staff, who, expected):
    client.force_login(councillor_and_staff[who])
    assert client.get(reverse("councillors:advocacy")).status_code == expected


@pytest.mark.parametrize("who", ["liaison", "councillor", "data_admin"])
def test_others_cannot_roll_out_advocacy(client, councillor_and_staff, who):
    client.force_login(councillor_and_staff[who])
    response = client.post(reverse("councillors:advocacy"), {"action": "schedule",
                                                             "rolled_out_on": TODAY().isoformat()})
    assert response.status_code == 403
    assert AdvocacyRollout.current().rolled_out_on is None


def test_anonymous_visitors_are_sent_to_sign_in_from_councillor_pages(client, owner, labour):
    for url in [reverse("councillors:list"), reverse("councillors:edit", args=[owner.pk]),
                reverse("councillors:groups"), reverse("councillors:group-add"),
                reverse("councillors:group-edit", args=[labour.pk]), reverse("councillors:advocacy")]:
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("account_login")), url


def test_the_roll_out_page_lists_the_pilot_cohort_with_start_dates(client, manager, owner, unenrolled):
    Councillor.objects.filter(pk=owner.pk).update(advocacy_enrolled_on=datetime.date(2025, 10, 1))
    client.force_login(manager)
    page = client.get(reverse("councillors:advocacy")).content.decode()
    assert "Cllr Owner" in page and "1 Oct 2025" in page
    assert "Cllr Unenrolled" not in page


def test_the_manager_rolls_out_from_a_date_and_who_and_when_are_recorded(client, manager):
    client.force_login(manager)
    day = TODAY() + datetime.timedelta(days=30)
    response = client.post(reverse("councillors:advocacy"), {"action": "schedule",
                                                             "rolled_out_on": day.strftime("%d/%m/%Y")})
    assert response.status_code == 302
    rollout = AdvocacyRollout.current()
    assert rollout.rolled_out_on == day and rollout.changed_by == manager and rollout.changed_at is not None
    page = client.get(reverse("councillors:advocacy")).content.decode()
    assert "Undo the roll-out" in page and "Mark Manager" in page


def test_a_roll_out_in_the_future_can_be_undone(client, manager):
    services.advocacy_rollout_schedule(by=manager, rolled_out_on=TODAY() + datetime.timedelta(days=3))
    client.force_login(manager)
    client.post(reverse("councillors:advocacy"), {"action": "undo"})
    assert AdvocacyRollout.current().rolled_out_on is None


def test_a_roll_out_that_has_started_cannot_be_undone_or_moved(client, manager):
    services.advocacy_rollout_schedule(by=manager, rolled_out_on=TODAY())
    client.force_login(manager)
    page = client.get(reverse("councillors:advocacy")).content.decode()
    assert "Undo the roll-out" not in page
    client.post(reverse("councillors:advocacy"), {"action": "undo"})
    client.post(reverse("councillors:advocacy"), {"action": "schedule",
                                                  "rolled_out_on": (TODAY() + datetime.timedelta(days=9)).isoformat()})
    assert AdvocacyRollout.current().rolled_out_on == TODAY()


@pytest.mark.parametrize("value,message", [
    ("", "Enter the day advocacy opens to every councillor"),
    ("31/02/2026", "Enter a real date, like 5/5/2022"),
    ("1/1/2000", "The roll-out date must be today or in the future"),
])
def test_a_bad_roll_out_date_is_refused_beside_the_field(client, manager, value, message):
    client.force_login(manager)
    response = client.post(reverse("councillors:advocacy"), {"action": "schedule", "rolled_out_on": value})
    assert response.status_code == 200
    assert errors_of(response) == {"rolled_out_on": [message]}
    assert AdvocacyRollout.current().rolled_out_on is None


# ---------------------------------------------------------------- councillor list

@pytest.mark.parametrize("who,expected", [("manager", 200), ("liaison", 200), ("data_admin", 200),
                                          ("councillor", 403)])
def test_officers_may_read_the_councillor_list(client, councillor_and_staff, who, expected):
    client.force_login(councillor_and_staff[who])
    assert client.get(reverse("councillors:list")).status_code == expected


def test_the_list_shows_ward_group_term_liaison_officer_and_advocacy(client, liaison, owner, unenrolled, labour):
    Councillor.objects.filter(pk=owner.pk).update(group=labour, term_start=datetime.date(2022, 5, 9),
                                                  term_end=datetime.date(2026, 5, 11))
    client.force_login(liaison)
    page = client.get(reverse("councillors:list")).content.decode()
    assert "Cllr Owner" in page and "Dalton" in page and "Labour" in page and "Lucy Liaison" in page
    assert "9 May 2022 to 11 May 2026" in page
    # That term has ended (by the one rule for serving); the unenrolled councillor's is not recorded.
    assert page.count("Not serving") == 1
    assert "Pilot" in page and "Not yet" in page
    # Only the ward data admin is offered the change links.
    assert reverse("councillors:edit", args=[owner.pk]) not in page


def test_the_list_filters_by_ward_and_group_and_searches_by_name(client, liaison, owner, unenrolled, labour):
    Councillor.objects.filter(pk=unenrolled.pk).update(group=labour)
    client.force_login(liaison)

    def names(query):
        response = client.get(reverse("councillors:list"), query)
        return {c.user.full_name for c in response.context["page"]}

    assert names({}) == {"Cllr Owner", "Cllr Unenrolled"}
    assert names({"ward": owner.ward_id}) == {"Cllr Owner"}
    assert names({"group": labour.pk}) == {"Cllr Unenrolled"}
    assert names({"q": "unenr"}) == {"Cllr Unenrolled"}
    assert names({"q": "cllr owner"}) == {"Cllr Owner"}


def test_the_list_is_paginated(client, liaison, settings):
    settings.COUNCILLORS_PER_PAGE = 2
    for _ in range(5):
        CouncillorFactory()
    client.force_login(liaison)
    response = client.get(reverse("councillors:list"), {"page": 3})
    assert len(response.context["page"]) == 1
    assert "page 3 of 3" in response.content.decode()


def test_the_list_runs_the_same_number_of_queries_for_few_and_many_councillors(client, data_admin, liaison, labour):
    client.force_login(data_admin)
    for _ in range(2):
        CouncillorFactory(group=labour, liaison_officer=liaison)
    few = queries_for(client, reverse("councillors:list"))
    for index in range(20):
        CouncillorFactory(group=labour if index % 2 else None, liaison_officer=liaison if index % 3 else None,
                          advocacy_enrolled=index % 2 == 0)
    assert queries_for(client, reverse("councillors:list")) == few


# ---------------------------------------------------------------- councillor edit

@pytest.mark.parametrize("who", ["manager", "liaison", "councillor"])
def test_only_the_ward_data_admin_may_change_a_councillor(client, councillor_and_staff, owner, who):
    client.force_login(councillor_and_staff[who])
    url = reverse("councillors:edit", args=[owner.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, edit_data(owner, advocacy_enrolled="")).status_code == 403
    owner.refresh_from_db()
    assert owner.advocacy_enrolled


def test_the_ward_data_admin_sets_group_term_liaison_officer_and_enrolment(client, data_admin, unenrolled, labour,
                                                                          other_liaison, ward):
    client.force_login(data_admin)
    url = reverse("councillors:edit", args=[unenrolled.pk])
    response = client.post(url, edit_data(unenrolled, ward=ward.pk, group=labour.pk, term_start="9/5/2022",
                                          term_end="2026-05-11", liaison_officer=other_liaison.pk,
                                          advocacy_enrolled="on", advocacy_enrolled_on="1/4/2026"))
    assert response.status_code == 302
    unenrolled.refresh_from_db()
    assert (unenrolled.ward, unenrolled.group, unenrolled.liaison_officer) == (ward, labour, other_liaison)
    assert unenrolled.term_start == datetime.date(2022, 5, 9) and unenrolled.term_end == datetime.date(2026, 5, 11)
    assert unenrolled.advocacy_enrolled and unenrolled.advocacy_enrolled_on == datetime.date(2026, 4, 1)
    # The saved dates come back the way people type them.
    assert 'value="09/05/2022"' in client.get(url).content.decode()


def test_leaving_the_pilot_clears_the_start_date(data_admin, owner):
    Councillor.objects.filter(pk=owner.pk).update(advocacy_enrolled_on=datetime.date(2025, 1, 1))
    owner.refresh_from_db()
    services.councillor_update(by=data_admin, councillor=owner, advocacy_enrolled=False)
    owner.refresh_from_db()
    assert not owner.advocacy_enrolled and owner.advocacy_enrolled_on is None


BAD_EDITS = [
    ({"term_start": "1/5/2026", "term_end": "1/5/2026"}, "term_end", "The end of the term must be after its start"),
    ({"term_start": "1/5/2026", "term_end": "1/5/2022"}, "term_end", "The end of the term must be after its start"),
    ({"term_start": "32/5/2026"}, "term_start", "Enter a real date, like 5/5/2022"),
    ({"group": "99999"}, "group", "Choose a political group from the list"),
    ({"ward": "99999"}, "ward", "Choose a ward from the list"),
    ({"advocacy_enrolled": "", "advocacy_enrolled_on": "1/4/2026"}, "advocacy_enrolled_on",
     "Tick ‘Enrolled in the advocacy pilot’, or leave the date blank"),
]


@pytest.mark.parametrize("overrides,field,message", BAD_EDITS)
def test_bad_councillor_details_are_refused_beside_the_field(client, data_admin, owner, overrides, field, message):
    client.force_login(data_admin)
    response = client.post(reverse("councillors:edit", args=[owner.pk]), edit_data(owner, **overrides))
    assert response.status_code == 200
    assert errors_of(response) == {field: [message]}
    assert f'href="#id_{field}"' in response.content.decode()
    owner.refresh_from_db()
    assert owner.term_start is None and owner.group is None and owner.advocacy_enrolled


def test_a_liaison_officer_must_be_in_the_liaison_team(client, data_admin, owner):
    stranger = UserFactory(role=User.Role.WARD_DATA_ADMIN)
    client.force_login(data_admin)
    response = client.post(reverse("councillors:edit", args=[owner.pk]),
                           edit_data(owner, liaison_officer=stranger.pk))
    assert errors_of(response) == {"liaison_officer": ["Choose a member of the Support & Liaison Team from the list"]}
    owner.refresh_from_db()
    assert owner.liaison_officer.full_name == "Lucy Liaison"


def test_a_councillor_in_an_old_ward_keeps_it_on_the_form(client, data_admin):
    old = WardFactory(name="Old Ward", valid_from=datetime.date(1990, 1, 1), valid_to=datetime.date(2004, 6, 10))
    WardFactory(name="New Ward", valid_from=datetime.date(2004, 6, 10))
    councillor = CouncillorFactory(ward=old)
    client.force_login(data_admin)
    page = client.get(reverse("councillors:edit", args=[councillor.pk])).content.decode()
    assert "Old Ward" in page and "New Ward" in page


# ---------------------------------------------------------------- political groups

@pytest.mark.parametrize("who", ["manager", "liaison", "councillor"])
def test_only_the_ward_data_admin_manages_political_groups(client, councillor_and_staff, labour, who):
    client.force_login(councillor_and_staff[who])
    assert client.get(reverse("councillors:groups")).status_code == 403
    assert client.post(reverse("councillors:group-add"), {"name": "Green"}).status_code == 403
    assert client.post(reverse("councillors:group-edit", args=[labour.pk]), {"name": "Renamed"}).status_code == 403
    assert list(PoliticalGroup.objects.values_list("name", flat=True)) == ["Labour"]


def test_the_ward_data_admin_adds_lists_and_renames_groups(client, data_admin, labour, owner):
    Councillor.objects.filter(pk=owner.pk).update(group=labour)
    client.force_login(data_admin)
    assert client.post(reverse("councillors:group-add"), {"name": " Green  Party ", "short_name": "Grn"}
                       ).status_code == 302
    assert PoliticalGroup.objects.filter(name="Green Party", short_name="Grn").exists()
    client.post(reverse("councillors:group-edit", args=[labour.pk]), {"name": "Labour and Co-operative",
                                                                      "short_name": "Lab"})
    page = client.get(reverse("councillors:groups")).content.decode()
    assert "Green Party" in page and "Labour and Co-operative" in page


@pytest.mark.parametrize("data,message", [
    ({"name": ""}, "Enter the group's name"),
    ({"name": "   "}, "Enter the group's name"),
    ({"name": " labour "}, "There is already a group with that name"),
    ({"name": "Green", "short_name": "x" * 21}, "Short name must be 20 characters or fewer"),
])
def test_bad_group_names_are_refused(client, data_admin, labour, data, message):
    client.force_login(data_admin)
    response = client.post(reverse("councillors:group-add"), data)
    assert response.status_code == 200
    assert list(errors_of(response).values()) == [[message]]
    assert PoliticalGroup.objects.count() == 1


def test_renaming_a_group_to_its_own_name_is_fine(client, data_admin, labour):
    client.force_login(data_admin)
    response = client.post(reverse("councillors:group-edit", args=[labour.pk]), {"name": "Labour", "short_name": ""})
    assert response.status_code == 302


# ---------------------------------------------------------------- demo data

def test_the_demo_seed_is_repeatable(db, owner, colleague, manager, liaison, data_admin, ward):
    from councillors.demo import seed_demo_councillors
    from councillors.models import RoleProfileVersion

    users = {"councillor": owner.user, "councillor2": colleague.user, "liaison": liaison, "manager": manager,
             "dataadmin": data_admin}
    seed_demo_councillors(wards={"Dalton": ward}, users=users)
    seed_demo_councillors(wards={"Dalton": ward}, users=users)
    owner.refresh_from_db()
    assert owner.group is not None and owner.term_start < owner.term_end
    assert PoliticalGroup.objects.count() == 5
    assert list(RoleProfileVersion.objects.values_list("number", "status")) == [(2, "draft"), (1, "published")]


# ---------------------------------------------------------------- adding a councillor

def add_data(in_ward, **overrides):
    data = {"full_name": "Cllr  Nadia   Khan", "email": "Nadia.Khan@Example.org", "ward": in_ward.pk, "group": "",
            "term_start": "8/5/2026", "term_end": "", "liaison_officer": "", "advocacy_enrolled_on": ""}
    data.update(overrides)
    return data


def test_the_ward_data_admin_adds_a_councillor_who_is_emailed_a_link_to_set_a_password(
        client, data_admin, ward, labour, liaison, mailoutbox, django_capture_on_commit_callbacks):
    client.force_login(data_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("councillors:add"), add_data(ward, group=labour.pk, liaison_officer=liaison.pk,
                                                                     advocacy_enrolled="on"))
    assert response.status_code == 302
    councillor = Councillor.objects.get(user__email="nadia.khan@example.org")
    assert councillor.user.full_name == "Cllr Nadia Khan" and councillor.user.role == User.Role.COUNCILLOR
    assert not councillor.user.has_usable_password()
    assert (councillor.ward, councillor.group, councillor.liaison_officer) == (ward, labour, liaison)
    assert councillor.term_start == datetime.date(2026, 5, 8) and councillor.advocacy_enrolled
    assert [m.to for m in mailoutbox] == [["nadia.khan@example.org"]]
    assert "/accounts/password/reset/key/" in mailoutbox[0].body


def test_an_existing_councillor_account_is_reused_but_never_twice(client, data_admin, ward, owner):
    client.force_login(data_admin)
    spare = User.objects.create_user(email="spare@example.org", full_name="Cllr Spare", role=User.Role.COUNCILLOR)
    assert client.post(reverse("councillors:add"), add_data(ward, email="SPARE@example.org")).status_code == 302
    assert Councillor.objects.get(user=spare).ward == ward

    before = Councillor.objects.count()
    response = client.post(reverse("councillors:add"), add_data(ward, email=owner.user.email))
    assert errors_of(response) == {"email": ["There is already a councillor with that email address"]}
    assert Councillor.objects.count() == before


def test_bad_new_councillor_details_are_refused_and_nothing_is_written(client, data_admin, ward, liaison):
    client.force_login(data_admin)
    users, councillors = User.objects.count(), Councillor.objects.count()
    cases = [
        (add_data(ward, full_name="", email="", ward=""),
         {"full_name": ["Enter full name"], "email": ["Enter email address"],
          "ward": ["Choose the councillor's ward"]}),
        (add_data(ward, email="not-an-email"), {"email": ["Enter an email address in the correct format, like "
                                                          "name@example.com"]}),
        (add_data(ward, full_name="x" * 151), {"full_name": ["Full name must be 150 characters or fewer"]}),
        (add_data(ward, email=liaison.email), {"email": ["That email address belongs to someone who is not a "
                                                         "councillor"]}),
        (add_data(ward, term_start="31/2/2026"), {"term_start": ["Enter a real date, like 5/5/2022"]}),
    ]
    for data, expected in cases:
        response = client.post(reverse("councillors:add"), data)
        assert response.status_code == 200
        assert errors_of(response) == expected
    assert (User.objects.count(), Councillor.objects.count()) == (users, councillors)


@pytest.mark.parametrize("who", ["councillor", "liaison", "manager"])
def test_only_the_ward_data_admin_may_add_a_councillor(client, councillor_and_staff, ward, who):
    client.force_login(councillor_and_staff[who])
    assert client.get(reverse("councillors:add")).status_code == 403
    assert client.post(reverse("councillors:add"), add_data(ward)).status_code == 403
    assert not User.objects.filter(email="nadia.khan@example.org").exists()
