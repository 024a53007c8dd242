import datetime

import pytest
from django.urls import reverse

from casework.models import Case, CaseEvent
from wards.models import BoundaryChange, Officer, Place, Priority, Ward

from ..factories.casework import make_case, walk
from ..factories.councillors import CouncillorFactory
from ..factories.wards import ServiceFactory, WardFactory

MAY_2026 = datetime.date(2026, 5, 7)
URL = reverse("boundary:change")


@pytest.fixture
def old_wards(ward):
    """Dalton (the conftest ward) and Almondbury, both from 2004."""
    return {"Dalton": ward, "Almondbury": WardFactory(name="Almondbury")}


@pytest.fixture
def new_wards(old_wards):
    return {name: WardFactory(name=name, valid_from=MAY_2026)
            for name in ["Dalton", "Almondbury", "Kirkburton and Farnley"]}


@pytest.fixture
def ward_work(old_wards, new_wards, owner, liaison, data_admin):
    """Almondbury is split: its place Farnley Tyas goes to the new Kirkburton and Farnley ward."""
    almondbury = old_wards["Almondbury"]
    farnley = Place.objects.create(ward=almondbury, name="Farnley Tyas")
    castle_hill = Place.objects.create(ward=almondbury, name="Castle Hill")
    almondbury_cllr = CouncillorFactory(ward=almondbury, advocacy_enrolled=True)
    work = {
        "dalton_open": make_case(owner),
        "dalton_closed": walk(make_case(owner), Case.Status.CLOSED, team=liaison),
        "farnley_case": in_place(make_case(almondbury_cllr), farnley),
        "almondbury_case": in_place(make_case(almondbury_cllr), castle_hill),
        "active_priority": Priority.objects.create(ward=almondbury, place=farnley, title="Safer lanes",
                                                   description="d", outcome_sought="o", status="active",
                                                   created_by=data_admin),
        "achieved_priority": Priority.objects.create(ward=almondbury, title="New benches", description="d",
                                                     outcome_sought="o", status="achieved",
                                                     created_by=data_admin),
        "officer": Officer.objects.create(full_name="Pat Parks", job_title="Ranger", service=ServiceFactory(),
                                          email="pat@kirklees.gov.uk"),
        "farnley": farnley,
        "castle_hill": castle_hill,
    }
    work["officer"].wards.add(almondbury)
    return work


def in_place(case, place):
    Case.objects.filter(pk=case.pk).update(place=place)
    case.refresh_from_db()
    return case


def mapping_form(old, new, *, split=True, farnley=None):
    data = {f"main_{old['Dalton'].pk}": new["Dalton"].pk, f"main_{old['Almondbury'].pk}": new["Almondbury"].pk}
    if split:
        data[f"also_{old['Almondbury'].pk}"] = [new["Kirkburton and Farnley"].pk]
    if farnley:
        data[f"place_{farnley.pk}"] = new["Kirkburton and Farnley"].pk
    return data


def test_boundary_change_moves_open_work_exactly_as_previewed(client, data_admin, old_wards, new_wards, ward_work):
    client.force_login(data_admin)
    form = mapping_form(old_wards, new_wards, farnley=ward_work["farnley"])
    preview = client.post(URL, form | {"preview": ""})
    assert preview.status_code == 200
    report = preview.context["report"]
    assert report["totals"] == {"cases": 3, "priorities": 1, "places": 2, "officers": 1}
    almondbury_row = next(w for w in report["wards"] if w["old"] == "Almondbury")
    assert almondbury_row["cases"] == {"Almondbury": 1, "Kirkburton and Farnley": 1}
    assert almondbury_row["priorities"] == {"Kirkburton and Farnley": 1}
    assert "Confirm and move open work" in preview.content.decode()
    assert Case.objects.get(pk=ward_work["farnley_case"].pk).ward == old_wards["Almondbury"]  # nothing moved yet

    fingerprint = preview.context["form"]["fingerprint"].value()
    done = client.post(URL, form | {"confirm": "", "fingerprint": fingerprint}, follow=True)
    assert "Boundary change made: 3 open cases, 1 priorities and 2 places moved." in done.content.decode()

    def ward_of(obj):
        return type(obj).objects.get(pk=obj.pk).ward

    assert ward_of(ward_work["dalton_open"]) == new_wards["Dalton"]
    assert ward_of(ward_work["dalton_closed"]) == old_wards["Dalton"]  # closed work keeps its historic ward
    assert ward_of(ward_work["farnley_case"]) == new_wards["Kirkburton and Farnley"]  # follows its place
    assert ward_of(ward_work["almondbury_case"]) == new_wards["Almondbury"]
    assert ward_of(ward_work["active_priority"]) == new_wards["Kirkburton and Farnley"]
    assert ward_of(ward_work["achieved_priority"]) == old_wards["Almondbury"]
    assert ward_of(ward_work["farnley"]) == new_wards["Kirkburton and Farnley"]
    assert ward_of(ward_work["castle_hill"]) == new_wards["Almondbury"]
    assert set(ward_work["officer"].wards.all()) == {new_wards["Almondbury"], new_wards["Kirkburton and Farnley"]}
    assert set(Ward.objects.filter(valid_to=MAY_2026)) == set(old_wards.values())

    change = BoundaryChange.objects.get()
    assert change.made_by == data_admin and change.effective_on == MAY_2026
    assert change.report == report  # recorded exactly as previewed
    moved = Case.objects.get(pk=ward_work["farnley_case"].pk)
    assert moved.version == ward_work["farnley_case"].version + 1  # a stale edit form is refused
    event = CaseEvent.objects.get(case=moved, kind=CaseEvent.Kind.WARD_CHANGED)
    assert event.text == "Ward changed from Almondbury to Kirkburton and Farnley (boundary change of 7 May 2026)"
    assert not CaseEvent.objects.filter(case=ward_work["dalton_closed"], kind=CaseEvent.Kind.WARD_CHANGED).exists()

    again = client.get(URL)
    assert "was made by Dana Data" in again.content.decode()


def test_work_that_changed_since_the_preview_is_not_moved(client, data_admin, owner, old_wards, new_wards,
                                                           ward_work):
    client.force_login(data_admin)
    form = mapping_form(old_wards, new_wards)
    preview = client.post(URL, form | {"preview": ""})
    fingerprint = preview.context["form"]["fingerprint"].value()
    make_case(owner)  # a new case in Dalton after the admin looked

    response = client.post(URL, form | {"confirm": "", "fingerprint": fingerprint})

    assert "has changed since the preview" in response.content.decode()
    assert response.context["report"]["totals"]["cases"] == 4  # the fresh preview counts it
    assert not BoundaryChange.objects.exists()
    assert Case.objects.filter(ward__valid_from=MAY_2026).count() == 0
    assert not Place.objects.filter(ward__valid_from=MAY_2026).exists()


def test_every_old_ward_needs_a_new_ward_and_places_stay_within_their_split(client, data_admin, old_wards,
                                                                             new_wards, ward_work):
    client.force_login(data_admin)
    form = mapping_form(old_wards, new_wards, split=False, farnley=ward_work["farnley"])
    del form[f"main_{old_wards['Dalton'].pk}"]

    response = client.post(URL, form | {"preview": ""})

    page = response.content.decode()
    assert "Choose the new ward that Dalton’s open work goes to" in page
    assert "Choose Almondbury’s new ward or one of the others it now overlaps" in page
    assert response.context["report"] is None
    assert not BoundaryChange.objects.exists()


def test_a_place_name_clash_in_the_new_ward_is_reported_and_blocks_the_change(client, data_admin, old_wards,
                                                                             new_wards, ward_work):
    Place.objects.create(ward=new_wards["Kirkburton and Farnley"], name="Farnley Tyas")
    client.force_login(data_admin)
    form = mapping_form(old_wards, new_wards, farnley=ward_work["farnley"])
    preview = client.post(URL, form | {"preview": ""})
    assert "Kirkburton and Farnley already has a place called Farnley Tyas" in preview.content.decode()
    assert "Confirm and move open work" not in preview.content.decode()

    fingerprint = preview.context["form"]["fingerprint"].value()
    client.post(URL, form | {"confirm": "", "fingerprint": fingerprint})
    assert not BoundaryChange.objects.exists()


def test_with_one_set_of_wards_the_page_explains_what_to_load_first(client, data_admin, ward):
    client.force_login(data_admin)
    assert "Only one set of wards has been loaded" in client.get(URL).content.decode()


@pytest.mark.parametrize("who", ["owner", "liaison", "manager"])
def test_only_the_ward_data_admin_may_change_boundaries(client, who, request, old_wards, new_wards, ward_work):
    client.force_login(getattr(request.getfixturevalue(who), "user", None) or request.getfixturevalue(who))
    assert client.get(URL).status_code == 403
    response = client.post(URL, mapping_form(old_wards, new_wards) | {"confirm": "", "fingerprint": "x"})
    assert response.status_code == 403
    assert not BoundaryChange.objects.exists()


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
