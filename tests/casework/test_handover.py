"""Handover at the end of a term (issue 13, item 5): the daily check finds what a departed councillor
left; a liaison manager passes each case to a successor serving its ward, to the Support & Liaison
Team, or closes it with a letter; the timeline says so; a former councillor's finished cases are kept
for the managers alone."""
import datetime
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from casework import handover, permissions, selectors, services
from casework.handover import CLOSE, SUCCESSOR, TEAM, Decision
from casework.models import Capacity, Case, CaseEvent, Resident
from kirklees.notifications.models import Notification, OutboundEmail
from kirklees.refusals import Refused
from kirklees.users.models import User

from ..factories.casework import make_case, walk
from ..factories.councillors import CouncillorFactory
from ..factories.kirklees import UserFactory
from ..factories.wards import WardFactory

Status = Case.Status
TODAY = datetime.date(2026, 5, 11)
TERM_END = datetime.date(2026, 5, 8)  # the first day out of office


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(datetime.datetime(2026, 5, 11, 9, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def successor(ward):
    return CouncillorFactory(user__full_name="Cllr Successor", ward=ward, advocacy_enrolled=True)


@pytest.fixture
def cases(owner, category, liaison):
    """Three of the owner's cases, recorded while in office: two open, one with the team."""
    return [make_case(owner, category=category, summary="Bins not collected"),
            make_case(owner, category=category, summary="Pothole on Main Street"),
            walk(make_case(owner, category=category, summary="Damp in the flat"), Status.IN_PROGRESS, team=liaison)]


def end_term(councillor, on=TERM_END):
    councillor.term_start, councillor.term_end = datetime.date(2022, 5, 5), on
    councillor.save()


def decisions(cases, choice, successor=None):
    return [Decision(case_id=c.pk, version=c.version, choice=choice,
                     successor_id=successor.pk if successor else None) for c in cases]


def refreshed(cases):
    return [Case.objects.get(pk=c.pk) for c in cases]


# ------------------------------------------------------------------ the test the issue asks for


def test_a_term_ends_the_check_lists_the_cases_and_after_handover_the_successor_sees_them_and_the_former_councillor_does_not(  # noqa: E501
        client, owner, successor, cases, manager):
    end_term(owner)

    result = handover.handover_check()
    assert (result.cases, result.told) == (3, 1)
    notice = Notification.objects.get(user=manager, kind="handover_needed")
    assert notice.title == "3 cases need handing over" and notice.url == reverse("handover:list")
    [row] = handover.handover_councillors()
    assert (row.councillor, row.cases, row.reason_text) == (owner, 3, "term ended on 8 May 2026")
    assert set(handover.handover_cases_for(owner)) == set(cases)

    done = handover.cases_hand_over(by=manager, councillor=owner, decisions=decisions(cases, SUCCESSOR, successor))
    assert done.successor == {"Cllr Successor": 3}

    client.force_login(successor.user)
    my_cases = client.get(reverse("casework:my-cases"))
    assert {c.reference for c in my_cases.context["page"]} == {c.reference for c in cases}
    page = client.get(cases[0].get_absolute_url())
    assert page.status_code == 200
    assert "Handed over from Cllr Owner to Cllr Successor (term ended on 8 May 2026)" in page.content.decode()
    assert Notification.objects.get(user=successor.user, kind="cases_handed_over").title == (
        "3 cases handed over to you by Mark Manager")

    client.force_login(owner.user)
    for case in cases:
        assert client.get(case.get_absolute_url()).status_code == 404
    assert not selectors.cases_for_user(owner.user).exists()

    for case in cases:
        [event] = CaseEvent.objects.filter(case=case, kind=CaseEvent.Kind.HANDED_OVER)
        assert event.actor == manager and "from Cllr Owner to Cllr Successor" in event.text
    assert handover.handover_check().cases == 0 and not handover.handover_councillors()


def test_the_daily_check_tells_the_managers_once_a_day_however_often_it_runs(owner, cases, manager):
    other_manager = UserFactory(role=User.Role.LIAISON_MANAGER, full_name="Mo Manager")
    end_term(owner)
    assert handover.handover_check().told == 2
    assert handover.handover_check().told == 0
    out = StringIO()
    call_command("check_handover", stdout=out)
    assert "3 cases need handover; 0 managers told" in out.getvalue()
    assert Notification.objects.filter(kind="handover_needed").count() == 2
    assert Notification.objects.filter(user=other_manager, kind="handover_needed").count() == 1
    with time_machine.travel(datetime.datetime(2026, 5, 12, 9, tzinfo=datetime.UTC), tick=False):
        assert handover.handover_check().told == 2


def test_the_check_finds_nothing_while_every_councillor_serves(owner, cases, manager):
    assert handover.handover_check().cases == 0
    assert not Notification.objects.filter(kind="handover_needed").exists()


def test_a_finished_case_needs_no_handover_but_a_resolved_one_does(owner, category, liaison):
    closed = walk(make_case(owner, category=category), Status.CLOSED, team=liaison)
    withdrawn = walk(make_case(owner, category=category), Status.WITHDRAWN, team=liaison)
    resolved = walk(make_case(owner, category=category), Status.RESOLVED, team=liaison)
    end_term(owner)
    assert set(handover.cases_needing_handover()) == {resolved}
    assert closed not in handover.cases_needing_handover() and withdrawn not in handover.cases_needing_handover()


# ------------------------------------------------------------------ to the team, and closing with a letter


def test_handed_to_the_team_the_team_works_it_and_the_former_councillor_may_not(
        owner, cases, manager, liaison, settings):
    settings.COUNCILLOR_READ_GRACE_DAYS = 7
    end_term(owner)
    open_case, _, with_team = cases
    handover.cases_hand_over(by=manager, councillor=owner, decisions=decisions([open_case, with_team], TEAM))
    open_case, with_team = refreshed([open_case, with_team])
    assert (open_case.status, open_case.advocacy, open_case.capacity) == (Status.TRIAGE, True, Capacity.ADVOCACY)
    assert open_case.triage_due is not None and open_case.owner == owner
    assert (with_team.status, with_team.capacity) == (Status.IN_PROGRESS, Capacity.ADVOCACY)
    event = CaseEvent.objects.get(case=open_case, kind=CaseEvent.Kind.HANDED_OVER)
    assert event.text.startswith("Handed over from Cllr Owner to the Support & Liaison Team")
    assert (event.from_status, event.to_status) == (Status.OPEN, Status.TRIAGE)

    assert set(handover.cases_needing_handover()) == {cases[1]}  # held by the team now: not left with nobody
    accepted = services.case_accept(case=open_case, by=liaison, version=open_case.version, assignee=liaison)
    assert accepted.status == Status.IN_PROGRESS
    assert permissions.can_view_case(owner.user, accepted)  # reads in the grace days
    assert permissions.case_actions_for(owner.user, accepted) == []
    with pytest.raises(Exception, match="term as a councillor has ended"):
        services.case_add_note(case=accepted, by=owner.user, text="Still here")


def test_a_resolved_case_cannot_go_to_the_team(owner, category, liaison, manager):
    resolved = walk(make_case(owner, category=category), Status.RESOLVED, team=liaison)
    end_term(owner)
    with pytest.raises(Refused, match="waits for a councillor to confirm"):
        handover.cases_hand_over(by=manager, councillor=owner, decisions=decisions([resolved], TEAM))
    assert Case.objects.get(pk=resolved.pk).version == resolved.version


def test_closing_with_a_letter_emails_a_resident_who_prefers_email_and_prints_one_for_the_rest(
        owner, cases, manager):
    emailing = cases[0].resident
    Resident.objects.filter(pk=emailing.pk).update(email="jane@example.org", preferred_contact="email")
    end_term(owner)
    done = handover.cases_hand_over(by=manager, councillor=owner, decisions=decisions(cases, CLOSE),
                                    outcome="The service fixed it on 6 May.")
    assert (done.emailed, done.to_post) == (1, sorted([cases[1].reference, cases[2].reference]))
    for case in refreshed(cases):
        assert (case.status, case.outcome) == (Status.CLOSED, "The service fixed it on 6 May.")
        assert case.closed_at is not None and case.resolved_at is not None
    [email] = OutboundEmail.objects.filter(topic=handover.LETTER_TOPIC)
    assert email.to == "jane@example.org" and email.topic_id == cases[0].pk
    assert cases[0].reference in email.subject and "The service fixed it on 6 May." in email.body
    assert "Cllr Owner, who was looking after your case, is no longer a councillor" in email.body
    first = CaseEvent.objects.get(case=cases[0], kind=CaseEvent.Kind.CLOSED_AT_HANDOVER)
    second = CaseEvent.objects.get(case=cases[1], kind=CaseEvent.Kind.CLOSED_AT_HANDOVER)
    assert first.text.startswith("Letter emailed to the resident.")
    assert second.text.startswith("Letter to print and post to the resident.")
    assert (second.from_status, second.to_status) == (Status.OPEN, Status.CLOSED)


def test_closing_needs_what_the_letter_says(owner, cases, manager):
    end_term(owner)
    with pytest.raises(Refused, match="Say what the letter tells") as refused:
        handover.cases_hand_over(by=manager, councillor=owner, decisions=decisions(cases, CLOSE), outcome="  ")
    assert refused.value.field == "outcome"
    assert not CaseEvent.objects.filter(kind=CaseEvent.Kind.CLOSED_AT_HANDOVER).exists()


def test_a_sensitive_cases_letter_leaves_out_what_it_is_about(owner, category, manager):
    case = make_case(owner, category=category, summary="Benefits and mental health", sensitive=True)
    Resident.objects.filter(pk=case.resident_id).update(email="jane@example.org", preferred_contact="email")
    end_term(owner)
    handover.cases_hand_over(by=manager, councillor=owner, decisions=decisions([case], CLOSE), outcome="Done")
    assert "Benefits" not in OutboundEmail.objects.get(topic=handover.LETTER_TOPIC).body


# ------------------------------------------------------------------ refusals: all or nothing


def test_a_successor_must_serve_the_cases_ward_and_one_refusal_leaves_every_case_as_it_was(
        owner, successor, cases, manager):
    elsewhere = CouncillorFactory(user__full_name="Cllr Elsewhere", ward=WardFactory(name="Almondbury"))
    end_term(owner)
    mixed = decisions(cases[:2], SUCCESSOR, successor) + decisions(cases[2:], SUCCESSOR, elsewhere)
    with pytest.raises(Refused, match=f"Choose a councillor who now serves Dalton for {cases[2].reference}"):
        handover.cases_hand_over(by=manager, councillor=owner, decisions=mixed)
    assert [c.owner_id for c in refreshed(cases)] == [owner.pk] * 3
    assert not CaseEvent.objects.filter(kind=CaseEvent.Kind.HANDED_OVER).exists()
    assert not Notification.objects.filter(kind="cases_handed_over").exists()


def test_a_successor_whose_term_has_ended_is_refused(owner, successor, cases, manager):
    end_term(owner)
    end_term(successor, on=TODAY)
    with pytest.raises(Refused, match="Choose a councillor who now serves Dalton"):
        handover.cases_hand_over(by=manager, councillor=owner, decisions=decisions(cases, SUCCESSOR, successor))
    assert handover.successors_by_ward({owner.ward_id}, leaving=owner) == {}


def test_a_case_changed_since_the_page_was_loaded_stops_the_whole_handover(owner, successor, cases, manager, liaison):
    end_term(owner)
    chosen = decisions(cases, SUCCESSOR, successor)
    services.case_add_note(case=cases[2], by=liaison, text="Rang the resident")  # notes do not move the version
    services.case_assign(case=cases[2], by=liaison, version=cases[2].version, assignee=manager)
    with pytest.raises(handover.HandoverStale, match=f"{cases[2].reference} was changed or handed over"):
        handover.cases_hand_over(by=manager, councillor=owner, decisions=chosen)
    assert [c.owner_id for c in refreshed(cases)] == [owner.pk] * 3


def test_of_two_managers_handing_over_the_same_cases_only_the_first_wins(owner, successor, cases, manager):
    second_manager = UserFactory(role=User.Role.LIAISON_MANAGER, full_name="Mo Manager")
    end_term(owner)
    both_saw = decisions(cases, SUCCESSOR, successor)
    handover.cases_hand_over(by=manager, councillor=owner, decisions=both_saw)
    with pytest.raises(handover.HandoverStale):
        handover.cases_hand_over(by=second_manager, councillor=owner, decisions=decisions(cases, CLOSE),
                                 outcome="Closed")
    assert CaseEvent.objects.filter(kind=CaseEvent.Kind.HANDED_OVER).count() == 3
    assert not CaseEvent.objects.filter(kind=CaseEvent.Kind.CLOSED_AT_HANDOVER).exists()


@pytest.mark.parametrize("who", ["liaison", "owner_user", "data_admin"])
def test_only_a_liaison_manager_hands_over(request, owner, successor, cases, who):
    end_term(owner)
    user = owner.user if who == "owner_user" else request.getfixturevalue(who)
    from django.core.exceptions import PermissionDenied
    with pytest.raises(PermissionDenied):
        handover.cases_hand_over(by=user, councillor=owner, decisions=decisions(cases, SUCCESSOR, successor))
    assert [c.owner_id for c in refreshed(cases)] == [owner.pk] * 3


# ------------------------------------------------------------------ kept for the managers only


def test_a_former_councillors_closed_cases_are_kept_for_the_managers_alone(client, owner, cases, manager, liaison):
    end_term(owner)
    handover.cases_hand_over(by=manager, councillor=owner, decisions=decisions(cases, CLOSE), outcome="Done")
    advocacy_case = cases[2]  # the team's, and Lucy is the owner's liaison officer: both used to let her read it
    for case in cases:
        client.force_login(manager)
        assert client.get(case.get_absolute_url()).status_code == 200
        for outsider in (liaison, owner.user):
            client.force_login(outsider)
            assert client.get(case.get_absolute_url()).status_code == 404
    assert not selectors.cases_for_user(liaison).filter(pk=advocacy_case.pk).exists()
    client.force_login(liaison)
    assert advocacy_case.reference not in client.get(reverse("casework:queue"), {"status": "closed"}).content.decode()
    client.force_login(manager)
    assert advocacy_case.reference in client.get(reverse("casework:queue"), {"status": "closed"}).content.decode()


def test_in_the_read_only_days_the_team_still_reads_a_former_councillors_closed_case(
        owner, category, liaison, settings):
    settings.COUNCILLOR_READ_GRACE_DAYS = 7
    closed = walk(make_case(owner, category=category), Status.CLOSED, team=liaison)
    end_term(owner)
    assert permissions.can_view_case(liaison, closed) and permissions.can_view_case(owner.user, closed)


def test_the_managers_see_a_former_councillors_open_cases_to_hand_them_over(client, category, manager):
    alone = CouncillorFactory(user__full_name="Cllr Alone", liaison_officer=None)  # no liaison officer
    case = make_case(alone, category=category)
    client.force_login(manager)
    assert client.get(case.get_absolute_url()).status_code == 404  # their own casework, while they serve
    end_term(alone)
    assert client.get(case.get_absolute_url()).status_code == 200


def test_the_rule_in_sql_and_the_rule_for_one_case_agree(owner, category, liaison, manager, successor, settings):
    """Every case of every kind, against every person: cases_visible_to and can_view_case say the same."""
    settings.COUNCILLOR_READ_GRACE_DAYS = 2
    alone = CouncillorFactory(user__full_name="Cllr Alone", liaison_officer=None, advocacy_enrolled=True)
    graced = CouncillorFactory(user__full_name="Cllr Graced", liaison_officer=liaison, advocacy_enrolled=True)
    all_cases = []
    for councillor in (owner, alone, graced, successor):
        for status in (Status.OPEN, Status.IN_PROGRESS, Status.RESOLVED, Status.CLOSED, Status.WITHDRAWN):
            all_cases.append(walk(make_case(councillor, category=category), status, team=liaison))
    end_term(owner)
    end_term(alone)
    end_term(graced, on=TODAY)
    people = [owner.user, alone.user, graced.user, successor.user, liaison, manager,
              UserFactory(role=User.Role.LIAISON_OFFICER), UserFactory(role=User.Role.WARD_DATA_ADMIN)]
    for person in people:
        person = User.objects.get(pk=person.pk)
        in_sql = set(selectors.cases_for_user(person).values_list("pk", flat=True))
        one_by_one = {c.pk for c in Case.objects.select_related("owner__user").filter(pk__in=[c.pk for c in all_cases])
                      if permissions.can_view_case(person, c)}
        assert in_sql == one_by_one, person
