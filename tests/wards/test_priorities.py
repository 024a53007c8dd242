"""Ward priorities and their progress (wards/*/priorities.py)."""
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from wards.models import Priority, PriorityUpdate
from wards.services.priorities import priority_add_update, priority_create

from ..factories.casework import make_case
from ..factories.wards import PlaceFactory, PriorityFactory, WardMeetingFactory
from ..helpers import errors_of

PS = Priority.Status


def test_a_councillor_in_another_ward_cannot_add_progress_to_a_priority(client, world, people_in_two_wards):
    client.force_login(people_in_two_wards["other_councillor"])
    response = client.post(reverse("wards:priority-update-add", args=[world["priority"].pk]),
                           {"text": "Done!", "status": "achieved"})
    assert response.status_code == 403
    assert world["priority"].updates.count() == 1
    world["priority"].refresh_from_db()
    assert world["priority"].status == PS.ACTIVE


def test_a_councillor_in_another_ward_cannot_choose_the_ward_to_add_a_priority_to(client, world, people_in_two_wards):
    client.force_login(people_in_two_wards["other_councillor"])
    response = client.post(reverse("wards:priority-create") + f"?ward={world['ward'].pk}", {
        "title": "Ours now", "description": "x", "outcome_sought": "y", "status": "proposed"})
    assert response.status_code == 403
    assert not Priority.objects.filter(title="Ours now").exists()


def test_a_councillor_adding_a_priority_lands_in_their_own_ward(client, world, people_in_two_wards):
    client.force_login(people_in_two_wards["councillor"])
    response = client.post(reverse("wards:priority-create"), {
        "title": "Fix the lights", "description": "Dark path", "outcome_sought": "Lit path", "status": "active"})
    priority = Priority.objects.get(title="Fix the lights")
    assert response.status_code == 302 and response.url == reverse("wards:priority-detail", args=[priority.pk])
    assert (priority.ward, priority.status, priority.created_by) == (world["ward"], PS.ACTIVE,
                                                                     people_in_two_wards["councillor"])


def test_the_priority_form_says_what_is_written_goes_on_the_public_ward_page(client, world, people_in_two_wards):
    """An active priority's description and outcome are published as written: the writer is told so
    beside both boxes, before they write a resident's name into them."""
    client.force_login(people_in_two_wards["councillor"])
    for url in (reverse("wards:priority-create"), reverse("wards:priority-edit", args=[world["priority"].pk])):
        form = client.get(url).context["form"]
        for name in ("description", "outcome_sought"):
            assert "public ward page" in form.fields[name].help_text, (url, name)
            assert "No residents’ personal details" in form.fields[name].help_text, (url, name)

def test_the_team_is_asked_which_ward_a_new_priority_is_for(client, world, people_in_two_wards):
    client.force_login(people_in_two_wards["liaison"])
    response = client.get(reverse("wards:priority-create"))
    assert response.status_code == 200 and "Which ward is the priority for?" in response.content.decode()


def test_the_priority_page_shows_how_many_cases_bear_on_it_but_nothing_about_them(
        client, world, people_in_two_wards, owner):
    case = make_case(owner, summary="Speeding outside the school")
    type(case).objects.filter(pk=case.pk).update(ward_priority=world["priority"])
    for who in ("councillor", "liaison", "data_admin"):
        client.force_login(people_in_two_wards[who])
        page = client.get(reverse("wards:priority-detail", args=[world["priority"].pk])).content.decode()
        assert "1 case" in page
        assert case.reference not in page and case.resident.full_name not in page and case.summary not in page


def priority_data(**overrides):
    data = {"title": "Safer routes to school", "place": "", "description": "Speeding traffic",
            "outcome_sought": "A crossing", "status": "proposed"}
    data.update(overrides)
    return data


@pytest.mark.parametrize("overrides,field,message", [
    ({"title": ""}, "title", "Enter a title for the priority"),
    ({"title": "x" * 151}, "title", "Title must be 150 characters or fewer"),
    ({"description": "x" * 3001}, "description", "What the priority is must be 3000 characters or fewer"),
    ({"outcome_sought": ""}, "outcome_sought", "Enter the outcome sought"),
    ({"status": "achieved"}, "status", "Choose whether work has started"),
])
def test_a_bad_priority_is_refused_with_a_message_and_nothing_written(
        client, ward, people_in_two_wards, overrides, field, message):
    client.force_login(people_in_two_wards["liaison"])
    response = client.post(reverse("wards:priority-create") + f"?ward={ward.pk}", priority_data(**overrides))
    assert response.status_code == 200
    assert message in errors_of(response)[field]
    assert not Priority.objects.exists()


def test_a_priority_cannot_be_for_a_place_in_another_ward(client, ward, other_ward, people_in_two_wards):
    elsewhere = PlaceFactory(ward=other_ward, name="Chickenley")
    client.force_login(people_in_two_wards["liaison"])
    response = client.post(reverse("wards:priority-create") + f"?ward={ward.pk}", priority_data(place=elsewhere.pk))
    assert errors_of(response)["place"] == ["Choose a place from the list"]
    assert not Priority.objects.exists()
    with pytest.raises(ValidationError):
        priority_create(by=people_in_two_wards["liaison"], ward=ward, place=elsewhere, title="x",
                                       description="y", outcome_sought="z")


def test_progress_moves_a_priority_from_proposed_to_active_to_achieved_newest_first(client, world, people_in_two_wards):
    priority = PriorityFactory(ward=world["ward"], status=PS.PROPOSED)
    client.force_login(people_in_two_wards["councillor"])
    url = reverse("wards:priority-update-add", args=[priority.pk])
    assert client.post(url, {"text": "Work has begun", "status": "active"}).status_code == 302
    assert client.post(url, {"text": "Crossing installed", "status": "achieved"}).status_code == 302
    priority.refresh_from_db()
    assert priority.status == PS.ACHIEVED
    assert [u.status for u in priority.updates.all()] == [PS.ACHIEVED, PS.ACTIVE]
    page = client.get(reverse("wards:priority-detail", args=[priority.pk])).content.decode()
    assert page.index("Crossing installed") < page.index("Work has begun")


@pytest.mark.parametrize("start,move,message", [
    (PS.PROPOSED, PS.ACHIEVED, "A priority that is proposed can only become active or dropped"),
    (PS.ACHIEVED, PS.ACTIVE, "This priority is achieved: it cannot become active again"),
    (PS.DROPPED, PS.PROPOSED, "This priority is dropped: it cannot become proposed again"),
    (PS.ACTIVE, PS.PROPOSED, "A priority that is active can only become achieved or dropped"),
])
def test_an_illegal_status_move_is_refused_with_a_message(client, ward, people_in_two_wards, start, move, message):
    priority = PriorityFactory(ward=ward, status=start)
    client.force_login(people_in_two_wards["liaison"])
    response = client.post(reverse("wards:priority-update-add", args=[priority.pk]), {"text": "x", "status": move})
    assert response.status_code == 200
    assert errors_of(response, "update_form")["status"] == [message]
    assert message in response.content.decode()
    priority.refresh_from_db()
    assert priority.status == start and not priority.updates.exists()


def test_the_service_refuses_an_illegal_move_that_skips_the_form(ward, liaison):
    priority = PriorityFactory(ward=ward, status=PS.PROPOSED)
    with pytest.raises(ValidationError):
        priority_add_update(priority=priority, by=liaison, text="x", status=PS.ACHIEVED)
    assert not PriorityUpdate.objects.exists()


@pytest.mark.parametrize("data,message", [
    ({"text": "", "status": "active"}, "Enter the progress made"),
    ({"text": "x" * 2001, "status": "active"}, "Progress must be 2000 characters or fewer"),
    ({"text": "x", "status": ""}, "Choose the status after this update"),
])
def test_a_bad_progress_update_is_refused(client, ward, people_in_two_wards, data, message):
    priority = PriorityFactory(ward=ward, status=PS.ACTIVE)
    client.force_login(people_in_two_wards["councillor"])
    response = client.post(reverse("wards:priority-update-add", args=[priority.pk]), data)
    assert message in sum(errors_of(response, "update_form").values(), [])
    assert not PriorityUpdate.objects.exists()


def test_editing_a_priority_keeps_its_status(client, world, people_in_two_wards):
    client.force_login(people_in_two_wards["councillor"])
    priority = world["priority"]
    client.post(reverse("wards:priority-edit", args=[priority.pk]),
                priority_data(title="Renamed", status="proposed"))
    priority.refresh_from_db()
    assert priority.title == "Renamed" and priority.status == PS.ACTIVE


def test_the_priority_list_filters_by_ward_and_status(client, ward, other_ward, people_in_two_wards):
    PriorityFactory(ward=ward, title="Dalton active", status=PS.ACTIVE)
    PriorityFactory(ward=ward, title="Dalton dropped", status=PS.DROPPED)
    PriorityFactory(ward=other_ward, title="Batley active", status=PS.ACTIVE)
    client.force_login(people_in_two_wards["liaison"])
    page = client.get(reverse("wards:priorities"), {"ward": ward.pk, "status": "active"}).content.decode()
    assert "Dalton active" in page and "Dalton dropped" not in page and "Batley active" not in page
    page = client.get(reverse("wards:priorities")).content.decode()
    assert all(title in page for title in ("Dalton active", "Dalton dropped", "Batley active"))


def test_a_councillor_lands_on_their_own_wards_priorities(client, ward, other_ward, people_in_two_wards):
    PriorityFactory(ward=ward, title="Dalton's")
    PriorityFactory(ward=other_ward, title="Batley's")
    client.force_login(people_in_two_wards["councillor"])
    page = client.get(reverse("wards:priorities")).content.decode()
    assert "Dalton&#x27;s" in page and "Batley&#x27;s" not in page


def test_the_priority_page_lists_its_funding_and_meetings(client, world, people_in_two_wards, liaison):
    meeting = WardMeetingFactory(ward=world["ward"], title="Spring meeting", created_by=liaison)
    meeting.priorities.add(world["priority"])
    client.force_login(people_in_two_wards["manager"])
    page = client.get(reverse("wards:priority-detail", args=[world["priority"].pk])).content.decode()
    assert "Spring meeting" in page and world["award"].recipient in page
