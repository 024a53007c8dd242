"""Ward solution meetings: councillors and officers solving a ward's problems, the actions they
agree, and the cases made from or linked to those actions."""
import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from casework.models import Case, CaseEvent
from wards.models import MeetingAction, Priority, WardMeeting

from ..factories.casework import ResidentFactory, make_case, walk
from ..factories.councillors import CouncillorFactory
from ..factories.wards import MeetingActionFactory, OfficerFactory, WardMeetingFactory
from ..helpers import errors_of, queries_for

ROLES = ["councillor", "other_councillor", "liaison", "manager", "data_admin"]
EDITORS = ["councillor", "liaison", "manager", "data_admin"]
TODAY = timezone.localdate


@pytest.fixture
def officer(service, ward):
    return OfficerFactory(full_name="Priya Patel", job_title="Waste operations manager", service=service,
                          wards=[ward])


@pytest.fixture
def priority(ward, liaison):
    return Priority.objects.create(ward=ward, title="Cleaner streets", description="Less fly-tipping",
                                   outcome_sought="Clean lanes", status=Priority.Status.ACTIVE, created_by=liaison)


@pytest.fixture
def meeting(ward, liaison):
    return WardMeetingFactory(ward=ward, title="Dalton spring meeting", notes="Fly-tipping on Long Lane",
                          held_on=TODAY() - datetime.timedelta(days=10), created_by=liaison)


@pytest.fixture
def action(meeting):
    return MeetingActionFactory(meeting=meeting, description="Clear the fly-tipping on Long Lane",
                                owner_name="Priya Patel", due_on=TODAY() + datetime.timedelta(days=14))


def meeting_data(**overrides) -> dict:
    data = {"held_on": (TODAY() - datetime.timedelta(days=1)).strftime("%d/%m/%Y"),
            "title": "Dalton  autumn meeting", "notes": "Talked about bins"}
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def detail(meeting):
    return reverse("wards:meeting-detail", args=[meeting.pk])


# ---------------------------------------------------------------- who may see and change what

def test_anonymous_visitors_are_sent_to_sign_in_and_nothing_is_written(client, meeting, action):
    gets = [reverse("wards:meetings"), reverse("wards:meeting-create"), detail(meeting),
            reverse("wards:meeting-edit", args=[meeting.pk]), reverse("wards:meeting-action-edit", args=[action.pk]),
            reverse("casework:meeting-action-link", args=[action.pk]),
            reverse("casework:case-create") + f"?action={action.pk}"]
    for url in gets:
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("account_login")), url
    posts = [(reverse("wards:meeting-action-add", args=[meeting.pk]), {"description": "x", "owner_name": "y"}),
             (reverse("wards:meeting-action-status", args=[action.pk]), {"status": "done"}),
             (reverse("wards:meeting-edit", args=[meeting.pk]), meeting_data(title="Hacked")),
             (reverse("casework:meeting-action-link", args=[action.pk]), {"reference": "KC-2026-00001"})]
    for url, data in posts:
        assert client.post(url, data).status_code == 302, url
    action.refresh_from_db()
    meeting.refresh_from_db()
    assert action.status == "open" and meeting.title == "Dalton spring meeting"
    assert MeetingAction.objects.count() == 1


@pytest.mark.parametrize("who", ROLES)
def test_everyone_with_a_role_reads_the_meetings_of_every_ward(client, everyone, meeting, action, who):
    """Ward intelligence is not secret among staff and councillors (wards/permissions.py): a
    councillor of another ward reads a meeting, but cannot change it."""
    client.force_login(everyone[who])
    assert client.get(reverse("wards:meetings") + "?ward=").status_code == 200
    page = client.get(detail(meeting)).content.decode()
    assert "Dalton spring meeting" in page and "Clear the fly-tipping on Long Lane" in page
    assert "Fly-tipping on Long Lane" in page


def test_an_account_without_a_role_cannot_read_meetings(client, everyone, meeting):
    client.force_login(everyone["no_role"])
    assert client.get(reverse("wards:meetings")).status_code == 403
    assert client.get(detail(meeting)).status_code == 403


@pytest.mark.parametrize("who", EDITORS)
def test_the_wards_councillors_the_team_and_the_data_admin_may_change_a_meeting(client, everyone, meeting, action,
                                                                               who):
    client.force_login(everyone[who])
    page = client.get(detail(meeting)).content.decode()
    assert reverse("wards:meeting-edit", args=[meeting.pk]) in page and "Add an action" in page
    assert client.get(reverse("wards:meeting-edit", args=[meeting.pk])).status_code == 200
    assert client.post(reverse("wards:meeting-edit", args=[meeting.pk]),
                       meeting_data(title=f"Edited by {who}")).status_code == 302
    assert client.post(reverse("wards:meeting-action-add", args=[meeting.pk]),
                       {"description": "Ring the landlord", "owner_name": "Cllr Owner"}).status_code == 302
    assert client.post(reverse("wards:meeting-action-status", args=[action.pk]), {"status": "done"}).status_code == 302
    assert client.get(reverse("wards:meeting-action-edit", args=[action.pk])).status_code == 200
    assert client.post(reverse("wards:meeting-action-edit", args=[action.pk]),
                       {"description": f"Corrected by {who}", "owner_name": "Someone"}).status_code == 302
    meeting.refresh_from_db()
    action.refresh_from_db()
    assert meeting.title == f"Edited by {who}"
    assert (action.status, action.description) == ("done", f"Corrected by {who}")
    assert meeting.actions.count() == 2


def test_a_councillor_of_another_ward_cannot_change_a_meeting_and_is_not_offered_to(client, everyone, meeting,
                                                                                      action):
    client.force_login(everyone["other_councillor"])
    page = client.get(detail(meeting)).content.decode()
    assert reverse("wards:meeting-edit", args=[meeting.pk]) not in page
    assert "Add an action" not in page and "Mark done" not in page
    assert reverse("casework:meeting-action-link", args=[action.pk]) not in page
    assert "Make a case" not in page
    assert client.get(reverse("wards:meeting-edit", args=[meeting.pk])).status_code == 403
    assert client.get(reverse("wards:meeting-action-edit", args=[action.pk])).status_code == 403
    assert client.post(reverse("wards:meeting-edit", args=[meeting.pk]),
                       meeting_data(title="Hacked")).status_code == 403
    assert client.post(reverse("wards:meeting-action-add", args=[meeting.pk]),
                       {"description": "x", "owner_name": "y"}).status_code == 403
    assert client.post(reverse("wards:meeting-action-status", args=[action.pk]), {"status": "done"}).status_code == 403
    assert client.post(reverse("wards:meeting-action-edit", args=[action.pk]),
                       {"description": "Hacked", "owner_name": "y"}).status_code == 403
    meeting.refresh_from_db()
    action.refresh_from_db()
    assert meeting.title == "Dalton spring meeting"
    assert (action.description, action.status) == ("Clear the fly-tipping on Long Lane", "open")
    assert meeting.actions.count() == 1


def test_an_unknown_meeting_or_action_is_not_found(client, liaison):
    client.force_login(liaison)
    assert client.get(reverse("wards:meeting-detail", args=[999999])).status_code == 404
    assert client.get(reverse("wards:meeting-edit", args=[999999])).status_code == 404
    assert client.get(reverse("wards:meeting-action-edit", args=[999999])).status_code == 404
    assert client.post(reverse("wards:meeting-action-status", args=[999999]), {"status": "done"}).status_code == 404
    assert client.get(reverse("casework:meeting-action-link", args=[999999])).status_code == 404


# ---------------------------------------------------------------- the list

def test_a_councillor_lands_on_their_own_wards_meetings_and_can_see_all(client, owner, meeting, other_ward):
    WardMeetingFactory(ward=other_ward, title="Almondbury meeting")
    client.force_login(owner.user)
    own = client.get(reverse("wards:meetings"))
    assert [m.title for m in own.context["page"].object_list] == ["Dalton spring meeting"]
    every = client.get(reverse("wards:meetings"), {"ward": ""})
    assert {m.title for m in every.context["page"].object_list} == {"Dalton spring meeting", "Almondbury meeting"}


def test_the_list_counts_open_actions_and_filters_by_ward(client, liaison, meeting, action, other_ward):
    MeetingActionFactory(meeting=meeting, status=MeetingAction.Status.DONE)
    WardMeetingFactory(ward=other_ward, title="Almondbury meeting")
    client.force_login(liaison)
    response = client.get(reverse("wards:meetings"), {"ward": meeting.ward_id})
    [row] = response.context["page"].object_list
    assert (row.title, row.open_actions, row.all_actions) == ("Dalton spring meeting", 1, 2)
    assert "1 of 2" in response.content.decode()
    assert errors_of(client.get(reverse("wards:meetings"), {"ward": "999999"})) == {
        "ward": ["Choose a ward from the list"]}


def test_the_list_pages_through_meetings(client, liaison, ward):
    for index in range(30):
        WardMeetingFactory(ward=ward, held_on=TODAY() - datetime.timedelta(days=index))
    client.force_login(liaison)
    first = client.get(reverse("wards:meetings"), {"ward": ward.pk})
    assert len(first.context["page"].object_list) == 25
    assert f"?ward={ward.pk}&amp;page=2" in first.content.decode()
    second = client.get(reverse("wards:meetings"), {"ward": ward.pk, "page": 2})
    assert len(second.context["page"].object_list) == 5


# ---------------------------------------------------------------- recording a meeting

def test_a_councillor_records_a_meeting_in_their_own_ward_with_who_came(client, owner, colleague, liaison, officer,
                                                                        priority):
    client.force_login(owner.user)
    response = client.get(reverse("wards:meeting-create"))
    assert response.status_code == 200 and response.context["ward"] == owner.ward
    response = client.post(reverse("wards:meeting-create"), meeting_data(
        attendees=[owner.user.pk, colleague.user.pk, liaison.pk], officers=[officer.pk], priorities=[priority.pk]))
    meeting = WardMeeting.objects.get()
    assert response.status_code == 302 and response.url == detail(meeting)
    assert (meeting.ward, meeting.title, meeting.created_by) == (owner.ward, "Dalton autumn meeting", owner.user)
    assert meeting.held_on == TODAY() - datetime.timedelta(days=1)
    assert set(meeting.attendees.all()) == {owner.user, colleague.user, liaison}
    assert list(meeting.officers.all()) == [officer] and list(meeting.priorities.all()) == [priority]
    page = client.get(detail(meeting)).content.decode()
    assert "Cllr Colleague" in page and "Priya Patel" in page and "Cleaner streets" in page


def test_a_councillor_cannot_record_a_meeting_in_another_ward(client, owner, other_ward):
    client.force_login(owner.user)
    url = reverse("wards:meeting-create") + f"?ward={other_ward.pk}"
    assert client.get(url).status_code == 403
    assert client.post(url, meeting_data()).status_code == 403
    assert not WardMeeting.objects.exists()


@pytest.mark.parametrize("who", ["liaison", "manager", "data_admin"])
def test_the_team_and_the_data_admin_first_choose_the_ward(client, everyone, other_ward, who):
    client.force_login(everyone[who])
    response = client.get(reverse("wards:meeting-create"))
    assert response.status_code == 200 and "Which ward was the meeting in?" in response.content.decode()
    url = reverse("wards:meeting-create") + f"?ward={other_ward.pk}"
    assert client.get(url).context["ward"] == other_ward
    assert client.post(url, meeting_data()).status_code == 302
    assert WardMeeting.objects.get().ward == other_ward


@pytest.mark.parametrize("value,message", [("", "Choose the ward the meeting was in"),
                                           ("999999", "Choose a ward from the list"),
                                           ("abc", "Choose a ward from the list")])
def test_choosing_no_ward_or_an_unknown_one_is_refused_beside_the_field(client, liaison, value, message):
    client.force_login(liaison)
    response = client.get(reverse("wards:meeting-create"), {"ward": value})
    assert response.status_code == 200
    assert errors_of(response) == {"ward": [message]}
    assert "There is a problem" in response.content.decode()


def test_an_empty_meeting_form_says_what_is_missing_and_writes_nothing(client, owner):
    client.force_login(owner.user)
    response = client.post(reverse("wards:meeting-create"), {})
    assert response.status_code == 200
    assert errors_of(response) == {"held_on": ["Enter the date of the meeting"], "title": ["Enter title"]}
    assert "There is a problem" in response.content.decode()
    assert not WardMeeting.objects.exists()


def test_people_officers_and_priorities_not_offered_for_the_ward_are_refused(client, owner, other_ward, service,
                                                                             liaison, data_admin):
    elsewhere = CouncillorFactory(ward=other_ward)
    far_officer = OfficerFactory(service=service, wards=[other_ward])
    far_priority = Priority.objects.create(ward=other_ward, title="Elsewhere", description="x", outcome_sought="y",
                                           created_by=liaison)
    client.force_login(owner.user)
    response = client.post(reverse("wards:meeting-create"), meeting_data(
        attendees=[elsewhere.user.pk, data_admin.pk], officers=[far_officer.pk], priorities=[far_priority.pk]))
    assert errors_of(response) == {"attendees": ["Choose people from the list"],
                                   "officers": ["Choose officers from the list"],
                                   "priorities": ["Choose priorities from the list"]}
    assert not WardMeeting.objects.exists()


@pytest.mark.parametrize("field,value,message", [
    ("held_on", "31/02/2026", "Enter a real date, like 14/10/2026"),
    ("held_on", "yesterday", "Enter a real date, like 14/10/2026"),
    ("held_on", "future", "The date of the meeting must be today or in the past"),
    ("title", "x" * 151, "Title must be 150 characters or fewer"),
    ("title", "   ", "Enter title"),
    ("notes", "x" * 10001, "Notes must be 10000 characters or fewer"),
    ("attendees", ["abc"], "Choose people from the list"),
])
def test_bad_meeting_details_are_refused_beside_the_field_and_nothing_is_written(client, owner, field, value,
                                                                                  message):
    if value == "future":
        value = (TODAY() + datetime.timedelta(days=1)).strftime("%d/%m/%Y")
    client.force_login(owner.user)
    response = client.post(reverse("wards:meeting-create"), meeting_data(**{field: value}))
    assert response.status_code == 200
    assert errors_of(response) == {field: [message]}
    assert not WardMeeting.objects.exists()


def test_a_bad_edit_changes_nothing_not_even_who_came(client, owner, meeting, liaison):
    meeting.attendees.set([liaison])
    client.force_login(owner.user)
    response = client.post(reverse("wards:meeting-edit", args=[meeting.pk]),
                           meeting_data(title="", attendees=[owner.user.pk]))
    assert errors_of(response) == {"title": ["Enter title"]}
    meeting.refresh_from_db()
    assert meeting.title == "Dalton spring meeting" and list(meeting.attendees.all()) == [liaison]


def test_editing_keeps_an_officer_who_no_longer_covers_the_ward(client, owner, meeting, officer):
    meeting.officers.set([officer])
    officer.wards.clear()
    client.force_login(owner.user)
    response = client.post(reverse("wards:meeting-edit", args=[meeting.pk]), meeting_data(officers=[officer.pk]))
    assert response.status_code == 302
    assert list(meeting.officers.all()) == [officer]


# ---------------------------------------------------------------- actions

def test_an_action_owned_by_an_officer_takes_their_name(client, owner, meeting, officer):
    client.force_login(owner.user)
    due = TODAY() + datetime.timedelta(days=30)
    response = client.post(reverse("wards:meeting-action-add", args=[meeting.pk]), {
        "description": "Clear  the lane", "owner_officer": officer.pk, "owner_name": "",
        "due_on": due.strftime("%d/%m/%Y")})
    assert response.status_code == 302
    action = MeetingAction.objects.get()
    assert (action.description, action.owner_officer, action.owner_name, action.due_on, action.status) == (
        "Clear the lane", officer, "Priya Patel", due, "open")


def test_an_action_can_be_owned_by_someone_not_in_the_people_finder(client, owner, meeting):
    client.force_login(owner.user)
    client.post(reverse("wards:meeting-action-add", args=[meeting.pk]),
                {"description": "Ask the residents' association", "owner_name": " Cllr  Owner "})
    action = MeetingAction.objects.get()
    assert (action.owner_name, action.owner_officer, action.due_on) == ("Cllr Owner", None, None)


@pytest.mark.parametrize("data,errors", [
    ({}, {"description": ["Enter what needs doing"],
          "owner_name": ["Choose an officer, or enter the name of whoever will do it"]}),
    ({"description": "x" * 501, "owner_name": "Cllr Owner"},
     {"description": ["What needs doing must be 500 characters or fewer"]}),
    ({"description": "Clear it", "owner_name": "x" * 151},
     {"owner_name": ["Or the name of whoever will do it must be 150 characters or fewer"]}),
    ({"description": "Clear it", "owner_officer": "999999"}, {"owner_officer": ["Choose an officer from the list"]}),
    ({"description": "Clear it", "owner_officer": "OFFICER", "owner_name": "Someone Else"},
     {"owner_name": ["Choose an officer or enter a name, not both"]}),
    ({"description": "Clear it", "owner_name": "Cllr Owner", "due_on": "32/01/2026"},
     {"due_on": ["Enter a real date, like 14/10/2026"]}),
    ({"description": "Clear it", "owner_name": "Cllr Owner", "due_on": "BEFORE"},
     {"due_on": ["The due date must be on or after the meeting, MEETING_DAY"]}),
])
def test_bad_actions_are_refused_beside_the_field_and_nothing_is_written(client, owner, meeting, officer, data,
                                                                         errors):
    if data.get("owner_officer") == "OFFICER":
        data["owner_officer"] = officer.pk
    if data.get("due_on") == "BEFORE":
        data["due_on"] = (meeting.held_on - datetime.timedelta(days=1)).strftime("%d/%m/%Y")
        errors = {"due_on": [errors["due_on"][0].replace("MEETING_DAY", f"{meeting.held_on:%-d %B %Y}")]}
    client.force_login(owner.user)
    response = client.post(reverse("wards:meeting-action-add", args=[meeting.pk]), data)
    assert response.status_code == 200
    assert errors_of(response, "action_form") == errors
    assert "There is a problem" in response.content.decode()
    assert not MeetingAction.objects.exists()


def test_an_officer_from_another_ward_cannot_own_an_action(client, owner, meeting, service, other_ward):
    far = OfficerFactory(service=service, wards=[other_ward])
    client.force_login(owner.user)
    response = client.post(reverse("wards:meeting-action-add", args=[meeting.pk]),
                           {"description": "Clear it", "owner_officer": far.pk})
    assert errors_of(response, "action_form") == {"owner_officer": ["Choose an officer from the list"]}
    assert not MeetingAction.objects.exists()


def test_an_action_is_marked_done_dropped_and_open_again(client, owner, meeting, action):
    client.force_login(owner.user)
    url = reverse("wards:meeting-action-status", args=[action.pk])
    for status in ["done", "open", "dropped"]:
        response = client.post(url, {"status": status})
        assert response.status_code == 302 and response.url == detail(meeting) + f"#action-{action.pk}"
        action.refresh_from_db()
        assert action.status == status


@pytest.mark.parametrize("status", ["", "closed"])
def test_a_status_that_does_not_exist_is_refused(client, owner, action, status):
    client.force_login(owner.user)
    response = client.post(reverse("wards:meeting-action-status", args=[action.pk]), {"status": status},
                           follow=True)
    assert "Choose whether the action is done, dropped or open" in response.content.decode()
    action.refresh_from_db()
    assert action.status == "open"


def test_changing_the_status_needs_a_post(client, owner, action):
    client.force_login(owner.user)
    assert client.get(reverse("wards:meeting-action-status", args=[action.pk])).status_code == 405


def test_an_action_is_corrected_its_owner_and_due_date_changed(client, owner, meeting, action, officer):
    client.force_login(owner.user)
    url = reverse("wards:meeting-action-edit", args=[action.pk])
    page = client.get(url).content.decode()
    assert "Clear the fly-tipping on Long Lane" in page and 'value="Priya Patel"' in page
    due = TODAY() + datetime.timedelta(days=60)
    response = client.post(url, {"description": "Clear both lanes", "owner_officer": officer.pk,
                                 "due_on": due.strftime("%d/%m/%Y")})
    assert response.status_code == 302 and response.url == detail(meeting) + f"#action-{action.pk}"
    action.refresh_from_db()
    assert (action.description, action.owner_officer, action.owner_name, action.due_on) == (
        "Clear both lanes", officer, "Priya Patel", due)


def test_a_bad_correction_changes_nothing(client, owner, action):
    client.force_login(owner.user)
    response = client.post(reverse("wards:meeting-action-edit", args=[action.pk]),
                           {"description": "", "owner_name": "Someone"})
    assert errors_of(response) == {"description": ["Enter what needs doing"]}
    action.refresh_from_db()
    assert (action.description, action.owner_name) == ("Clear the fly-tipping on Long Lane", "Priya Patel")


# ---------------------------------------------------------------- actions become cases

def new_case_data(ward, category, **overrides):
    data = {"full_name": "Jane Resident", "postcode": "HD1 2TA", "address": "1 Long Lane\nDalton",
            "email": "", "phone": "01484 221000", "preferred_contact": "phone",
            "lawful_basis": "public_task", "capacity": "ward_councillor",
            "ward": ward.pk, "category": category.pk, "summary": "Fly-tipping on Long Lane", "details": "",
            "enquiry_type": "member_enquiry", "priority": "normal"}
    data.update(overrides)
    return data


def test_the_new_case_form_is_filled_in_from_the_action(client, owner, action, other_ward):
    client.force_login(owner.user)
    response = client.get(reverse("casework:case-create"), {"action": action.pk})
    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial["summary"] == "Clear the fly-tipping on Long Lane"
    assert form.initial["ward"] == owner.ward_id
    assert "From ward meeting action: Clear the fly-tipping on Long Lane" in response.content.decode()


def test_the_meeting_page_offers_the_wards_councillors_to_make_a_case(client, owner, colleague, liaison, meeting,
                                                                     action):
    link = reverse("casework:case-create") + f"?action={action.pk}"
    for user in [owner.user, colleague.user]:
        client.force_login(user)
        assert link in client.get(detail(meeting)).content.decode()
    client.force_login(liaison)
    assert link not in client.get(detail(meeting)).content.decode()


def test_a_case_made_from_an_action_is_linked_to_it_and_says_so_on_its_timeline(client, owner, action, category):
    client.force_login(owner.user)
    response = client.post(reverse("casework:case-create") + f"?action={action.pk}",
                           new_case_data(owner.ward, category))
    case = Case.objects.get()
    assert response.status_code == 302 and response.url == case.get_absolute_url()
    assert case.meeting_action == action and case.owner == owner
    event = CaseEvent.objects.get(case=case, kind=CaseEvent.Kind.MEETING_ACTION_LINKED)
    assert event.actor == owner.user and "Clear the fly-tipping on Long Lane" in event.text
    page = client.get(case.get_absolute_url()).content.decode()
    assert "Linked to a ward meeting action" in page and "From ward meeting action" in page


@pytest.mark.parametrize("who,status", [("other_councillor", 403), ("liaison", 403), ("manager", 403),
                                        ("data_admin", 403)])
def test_only_the_wards_councillors_make_cases_from_its_actions(client, everyone, action, category, who, status):
    client.force_login(everyone[who])
    url = reverse("casework:case-create") + f"?action={action.pk}"
    assert client.get(url).status_code == status
    assert client.post(url, new_case_data(action.meeting.ward, category)).status_code == status
    assert not Case.objects.exists()


@pytest.mark.parametrize("value,status", [("abc", 404), ("999999", 404)])
def test_an_unknown_action_is_not_found(client, owner, value, status):
    client.force_login(owner.user)
    assert client.get(reverse("casework:case-create"), {"action": value}).status_code == status


@pytest.mark.parametrize("status", ["done", "dropped"])
def test_no_case_is_made_from_an_action_that_is_done_or_dropped(client, owner, action, category, status):
    MeetingAction.objects.filter(pk=action.pk).update(status=status)
    client.force_login(owner.user)
    url = reverse("casework:case-create") + f"?action={action.pk}"
    response = client.post(url, new_case_data(owner.ward, category), follow=True)
    assert f"That action is {status}" in response.content.decode()
    assert not Case.objects.exists()


def link(client, action, reference):
    return client.post(reverse("casework:meeting-action-link", args=[action.pk]), {"reference": reference})


def test_a_councillor_links_one_of_their_cases_to_an_action(client, owner, action, category):
    case = make_case(owner, category=category)
    client.force_login(owner.user)
    response = link(client, action, case.reference.lower().removeprefix("kc-"))
    assert response.status_code == 302 and response.url == detail(action.meeting) + f"#action-{action.pk}"
    case.refresh_from_db()
    assert case.meeting_action == action
    assert CaseEvent.objects.filter(case=case, kind=CaseEvent.Kind.MEETING_ACTION_LINKED, actor=owner.user).count() == 1
    response = link(client, action, case.reference)
    assert errors_of(response) == {"reference": ["That case is already linked to this action"]}
    assert CaseEvent.objects.filter(case=case, kind=CaseEvent.Kind.MEETING_ACTION_LINKED).count() == 1


def test_a_case_linked_to_another_action_is_refused(client, owner, meeting, action, category):
    case = make_case(owner, category=category, meeting_action=MeetingActionFactory(meeting=meeting))
    client.force_login(owner.user)
    response = link(client, action, case.reference)
    assert errors_of(response) == {"reference": ["That case is already linked to another ward meeting action"]}
    case.refresh_from_db()
    assert case.meeting_action != action


def test_another_councillors_case_is_never_linked_and_reads_as_missing(client, owner, colleague, action, category):
    theirs = make_case(colleague, category=category, summary="Colleague's secret case")
    client.force_login(owner.user)
    response = link(client, action, theirs.reference)
    assert errors_of(response) == {"reference": ["There is no case of yours with that reference. Check it and "
                                                 "try again"]}
    assert "Colleague's secret case" not in response.content.decode()
    theirs.refresh_from_db()
    assert theirs.meeting_action is None
    assert not CaseEvent.objects.filter(case=theirs, kind=CaseEvent.Kind.MEETING_ACTION_LINKED).exists()


@pytest.mark.parametrize("reference,message", [("", "Enter the reference of the case to link"),
                                               ("not a reference", "Enter a case reference like KC-2026-00042"),
                                               ("KC-2026-99999", "There is no case of yours with that reference. "
                                                                 "Check it and try again")])
def test_a_bad_reference_is_refused_beside_the_field(client, owner, action, reference, message):
    client.force_login(owner.user)
    response = link(client, action, reference)
    assert response.status_code == 200
    assert errors_of(response) == {"reference": [message]}


def test_the_liaison_team_links_an_advocacy_case_it_works_on(client, owner, liaison, action, category):
    case = walk(make_case(owner, category=category), Case.Status.IN_PROGRESS, team=liaison)
    client.force_login(liaison)
    assert link(client, action, case.reference).status_code == 302
    case.refresh_from_db()
    assert case.meeting_action == action


def test_the_team_cannot_link_a_case_it_only_supports(client, owner, liaison, action, category):
    """Lucy supports the owner (she may read their own cases) but may not change them."""
    case = make_case(owner, category=category)
    client.force_login(liaison)
    response = link(client, action, case.reference)
    assert errors_of(response) == {"reference": ["You cannot change that case, so you cannot link it"]}
    case.refresh_from_db()
    assert case.meeting_action is None


@pytest.mark.parametrize("who", ["data_admin", "other_councillor"])
def test_the_data_admin_and_other_wards_councillors_cannot_link_cases(client, everyone, owner, action, category,
                                                                       who):
    case = make_case(owner, category=category)
    client.force_login(everyone[who])
    assert client.get(reverse("casework:meeting-action-link", args=[action.pk])).status_code == 403
    assert link(client, action, case.reference).status_code == 403
    case.refresh_from_db()
    assert case.meeting_action is None


@pytest.mark.parametrize("who,status", [("councillor", 200), ("other_councillor", 403), ("liaison", 200),
                                        ("manager", 200), ("data_admin", 403), ("no_role", 403)])
def test_who_may_open_an_actions_cases_page(client, everyone, action, who, status):
    client.force_login(everyone[who])
    assert client.get(reverse("casework:meeting-action-link", args=[action.pk])).status_code == status


def test_the_link_page_lists_only_the_linked_cases_the_user_may_read(client, owner, colleague, action, category):
    mine = make_case(owner, category=category, summary="My linked case", meeting_action=action)
    theirs = make_case(colleague, category=category, summary="Colleague's linked case", meeting_action=action)
    client.force_login(owner.user)
    page = client.get(reverse("casework:meeting-action-link", args=[action.pk])).content.decode()
    assert mine.reference in page and "My linked case" in page
    assert theirs.reference not in page and "Colleague's linked case" not in page


@pytest.mark.parametrize("who", ROLES + ["colleague"])
def test_the_meeting_page_shows_how_many_cases_an_action_has_but_nothing_from_them(client, everyone, colleague, owner,
                                                                                   meeting, action, category, who):
    resident = ResidentFactory(full_name="Jane Resident", created_by=owner.user)
    from casework import services

    case = services.case_create(by=owner.user, resident=resident, ward=owner.ward, category=category,
                                summary="Bins at 4 Long Lane", details="Mrs Resident is unwell",
                                meeting_action=action)
    client.force_login(colleague.user if who == "colleague" else everyone[who])
    page = client.get(detail(meeting)).content.decode()
    assert "1 case linked" in page
    for private in [case.reference, "Bins at 4 Long Lane", "Jane Resident", "Mrs Resident", "HD1 2TA",
                    case.get_absolute_url()]:
        assert private not in page, (who, private)


# ---------------------------------------------------------------- speed

def add_meetings(count, ward, creator):
    for index in range(count):
        meeting = WardMeetingFactory(ward=ward, created_by=creator)
        MeetingActionFactory(meeting=meeting, status="done" if index % 2 else "open")


@pytest.mark.parametrize("who", ["councillor", "liaison"])
def test_the_meeting_list_runs_the_same_number_of_queries_for_3_and_30_meetings(client, everyone, ward, other_ward,
                                                                               who):
    client.force_login(everyone[who])
    urls = [reverse("wards:meetings"), reverse("wards:meetings") + "?ward="]
    add_meetings(2, ward, everyone["liaison"])
    add_meetings(1, other_ward, everyone["liaison"])
    few = [queries_for(client, url) for url in urls]
    add_meetings(15, ward, everyone["liaison"])
    add_meetings(12, other_ward, everyone["councillor"])
    assert [queries_for(client, url) for url in urls] == few


def add_actions(meeting, count, owner, category, service):
    for index in range(count):
        officer = OfficerFactory(service=service, wards=[meeting.ward])
        meeting.officers.add(officer)
        action = MeetingActionFactory(meeting=meeting, owner_officer=officer if index % 2 else None,
                                      due_on=TODAY() + datetime.timedelta(days=index) if index % 3 else None)
        if index % 4 == 0:
            make_case(owner, category=category, meeting_action=action)


@pytest.mark.parametrize("who", ["councillor", "other_councillor", "data_admin"])
def test_a_meeting_page_runs_a_fixed_number_of_queries_however_many_actions(client, everyone, owner, meeting,
                                                                            category, service, liaison, who):
    meeting.attendees.set([owner.user, liaison])
    client.force_login(everyone[who])
    add_actions(meeting, 2, owner, category, service)
    few = queries_for(client, detail(meeting))
    add_actions(meeting, 38, owner, category, service)
    assert queries_for(client, detail(meeting)) == few


# ---------------------------------------------------------------- getting there

@pytest.mark.parametrize("who", ROLES)
def test_every_role_can_reach_the_meetings_from_the_page_they_land_on(client, everyone, who):
    client.force_login(everyone[who])
    landing = client.get(reverse("home"), follow=True)
    assert landing.status_code == 200
    assert f'href="{reverse("wards:meetings")}"' in landing.content.decode()


# ---------------------------------------------------------------- demo data

def test_the_demo_meeting_has_actions_done_overdue_and_to_come_and_is_made_once(owner, liaison, officer, priority):
    from wards.demo.meetings import demo_meetings_create

    demo_meetings_create(recorder=liaison)
    demo_meetings_create(recorder=liaison)
    meeting = WardMeeting.objects.get()
    assert meeting.ward == owner.ward and set(meeting.attendees.all()) == {owner.user, liaison}
    assert list(meeting.officers.all()) == [officer]
    statuses = [(a.status, a.due_on is not None and a.due_on < TODAY()) for a in meeting.actions.order_by("id")]
    assert statuses == [("done", True), ("open", True), ("open", False)]
