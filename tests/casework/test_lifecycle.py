"""The case lifecycle (DESIGN.md §4) through casework.services, and what the database refuses."""

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, InternalError, transaction
from django.utils import timezone

from casework import services
from casework.models import Case, CaseEvent
from casework.permissions import InvalidTransition
from casework.services import StaleCase

from ..factories.casework import make_case, walk

Kind = CaseEvent.Kind
Status = Case.Status


def kinds(case):
    return list(case.events.order_by("id").values_list("kind", flat=True))


def test_the_whole_advocacy_loop_is_recorded_on_the_timeline(case, owner, liaison, service):
    case = services.case_refer_to_advocacy(case=case, by=owner.user, version=case.version)
    assert case.status == Status.TRIAGE and case.advocacy and case.triage_due
    case = services.case_accept(case=case, by=liaison, version=case.version, assignee=liaison)
    assert case.status == Status.IN_PROGRESS and case.assigned_to == liaison
    referral = services.case_refer_to_service(case=case, by=liaison, version=case.version,
                                              service=service, details="Please collect the bins")
    case.refresh_from_db()
    assert case.status == Status.AWAITING_SERVICE and case.due_date == referral.due_date
    case = services.referral_record_response(case=case, by=liaison, version=case.version,
                                             referral=referral, response="Collected on Tuesday")
    assert case.status == Status.IN_PROGRESS
    case = services.case_resolve(case=case, by=liaison, version=case.version, outcome="Bins collected")
    assert case.status == Status.RESOLVED and case.due_date is None
    case = services.case_confirm(case=case, by=owner.user, version=case.version)
    assert case.status == Status.CLOSED and case.closed_at
    assert kinds(case) == [Kind.CREATED, Kind.REFERRED_TO_ADVOCACY, Kind.ACCEPTED, Kind.REFERRED_TO_SERVICE,
                           Kind.RESPONSE_RECORDED, Kind.RESOLVED, Kind.CLOSED]
    assert case.version == 7


def test_references_count_up_within_the_year(owner, category):
    first, second = make_case(owner, category=category), make_case(owner, category=category)
    year = timezone.localdate().year
    assert first.reference.startswith(f"KC-{year}-")
    assert int(second.reference[-5:]) == int(first.reference[-5:]) + 1


def test_only_enrolled_councillors_may_refer_to_advocacy(unenrolled, category):
    case = make_case(unenrolled, category=category)
    with pytest.raises(PermissionDenied):
        services.case_refer_to_advocacy(case=case, by=unenrolled.user, version=case.version)
    case.refresh_from_db()
    assert case.status == Status.OPEN and not case.advocacy


def test_declining_returns_the_case_to_its_councillor_with_the_reason(case, owner, liaison):
    case = walk(case, Status.TRIAGE, team=liaison)
    case = services.case_decline(case=case, by=liaison, version=case.version, reason="Not a council matter")
    assert case.status == Status.OPEN and not case.advocacy
    assert case.events.get(kind=Kind.DECLINED).text == "Not a council matter"


def test_asking_the_resident_pauses_the_clock_and_their_answer_restarts_it(case, liaison):
    case = walk(case, Status.IN_PROGRESS, team=liaison)
    case = services.case_request_info(case=case, by=liaison, version=case.version, request="A photo")
    assert case.status == Status.AWAITING_RESIDENT and case.due_date is None
    case = services.case_info_received(case=case, by=liaison, version=case.version, information="Sent")
    assert case.status == Status.IN_PROGRESS and case.due_date == case.resolution_due


def test_information_asked_for_at_triage_returns_the_case_to_triage(case, liaison):
    case = walk(case, Status.TRIAGE, team=liaison)
    case = services.case_request_info(case=case, by=liaison, version=case.version, request="Which street?")
    case = services.case_info_received(case=case, by=liaison, version=case.version, information="Park Rd")
    assert case.status == Status.TRIAGE


def test_a_councillor_can_work_a_case_without_advocacy(unenrolled, category, service):
    case = make_case(unenrolled, category=category)
    user = unenrolled.user
    referral = services.case_refer_to_service(case=case, by=user, version=case.version, service=service,
                                              details="Please fix the light")
    case.refresh_from_db()
    assert case.status == Status.AWAITING_SERVICE
    case = services.referral_record_response(case=case, by=user, version=case.version, referral=referral,
                                             response="Fixed")
    assert case.status == Status.OPEN
    case = services.case_resolve(case=case, by=user, version=case.version, outcome="Light works")
    case = services.case_confirm(case=case, by=user, version=case.version)
    assert case.status == Status.CLOSED


def test_a_case_waits_on_every_outstanding_referral(case, liaison, service):
    from ..factories.wards import ServiceFactory

    case = walk(case, Status.IN_PROGRESS, team=liaison)
    first = services.case_refer_to_service(case=case, by=liaison, version=case.version, service=service,
                                           details="One")
    case.refresh_from_db()
    services.case_refer_to_service(case=case, by=liaison, version=case.version, service=ServiceFactory(),
                                   details="Two")
    case.refresh_from_db()
    case = services.referral_record_response(case=case, by=liaison, version=case.version, referral=first,
                                             response="Done")
    assert case.status == Status.AWAITING_SERVICE


def test_reopening_a_closed_case_is_allowed_within_the_window(case, owner, liaison, settings):
    case = walk(case, Status.CLOSED, team=liaison)
    case = services.case_reopen(case=case, by=owner.user, version=case.version, reason="It came back")
    assert case.status == Status.IN_PROGRESS and case.outcome == "" and case.closed_at is None


def test_reopening_after_the_window_is_refused(case, owner, liaison, settings):
    case = walk(case, Status.CLOSED, team=liaison)
    settings.CASE_REOPEN_WINDOW_DAYS = 0
    Case.objects.filter(pk=case.pk).update(closed_at=timezone.now() - timezone.timedelta(days=2))
    case.refresh_from_db()
    with pytest.raises(InvalidTransition):
        services.case_reopen(case=case, by=owner.user, version=case.version, reason="Late")


def test_withdrawing_ends_the_case_from_any_open_state(case, owner, liaison):
    case = walk(case, Status.IN_PROGRESS, team=liaison)
    case = services.case_withdraw(case=case, by=owner.user, version=case.version, reason="Resident moved")
    assert case.status == Status.WITHDRAWN
    with pytest.raises(InvalidTransition):
        services.case_withdraw(case=case, by=owner.user, version=case.version, reason="Again")


def test_an_illegal_transition_is_refused_and_nothing_is_written(case, owner, liaison):
    with pytest.raises(InvalidTransition):
        services.case_confirm(case=case, by=owner.user, version=case.version)
    case.refresh_from_db()
    assert case.status == Status.OPEN and case.version == 1 and kinds(case) == [Kind.CREATED]


def test_a_stale_version_is_refused_and_nothing_is_written(case, owner):
    stale = Case.objects.get(pk=case.pk)
    services.case_update(case=case, by=owner.user, version=1, summary="Bins missed again")
    with pytest.raises(StaleCase):
        services.case_refer_to_advocacy(case=stale, by=owner.user, version=1)
    case.refresh_from_db()
    assert case.status == Status.OPEN and case.version == 2


def test_two_racing_writers_cannot_both_win(case, owner, liaison):
    case = walk(case, Status.TRIAGE, team=liaison)
    copy = Case.objects.get(pk=case.pk)
    services.case_accept(case=case, by=liaison, version=case.version, assignee=liaison)
    with pytest.raises((StaleCase, InvalidTransition)):
        services.case_decline(case=copy, by=liaison, version=copy.version, reason="Too late")
    assert Case.objects.get(pk=case.pk).status == Status.IN_PROGRESS


def test_the_database_refuses_a_transition_the_lifecycle_does_not_have(case):
    # (Open to closed is one now: a handover closes a departed councillor's case with a letter.)
    with pytest.raises(InternalError, match="Invalid transition"), transaction.atomic():
        Case.objects.filter(pk=case.pk).update(status=Status.IN_PROGRESS, advocacy=True)
    withdrawn = services.case_withdraw(case=case, by=case.owner.user, version=case.version, reason="Sorted")
    with pytest.raises(InternalError, match="Invalid transition"), transaction.atomic():
        Case.objects.filter(pk=withdrawn.pk).update(status=Status.CLOSED, closed_at=timezone.now(),
                                                    resolved_at=timezone.now(), outcome="x")


def test_the_database_refuses_team_states_for_a_case_not_with_advocacy(case):
    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.filter(pk=case.pk).update(status=Status.TRIAGE)


def test_the_timeline_cannot_be_edited_or_deleted(case):
    event = case.events.get()
    with pytest.raises(InternalError), transaction.atomic():
        CaseEvent.objects.filter(pk=event.pk).update(text="rewritten")
    with pytest.raises(InternalError), transaction.atomic():
        CaseEvent.objects.filter(pk=event.pk).delete()


def test_bulk_assign_assigns_only_queue_cases_and_records_each(owner, category, liaison, other_liaison):
    cases = [walk(make_case(owner, category=category), Status.TRIAGE, team=liaison) for _ in range(3)]
    not_advocacy = make_case(owner, category=category)
    count = services.cases_bulk_assign(by=liaison, case_ids=[c.pk for c in cases] + [not_advocacy.pk],
                                       assignee=other_liaison)
    assert count == 3
    assert set(Case.objects.filter(assigned_to=other_liaison).values_list("pk", flat=True)) == {c.pk for c in cases}
    assert CaseEvent.objects.filter(kind=Kind.ASSIGNED).count() == 3
    assert not not_advocacy.events.filter(kind=Kind.ASSIGNED).exists()


def test_councillors_cannot_bulk_assign(owner, case, liaison):
    with pytest.raises(PermissionDenied):
        services.cases_bulk_assign(by=owner.user, case_ids=[case.pk], assignee=liaison)
