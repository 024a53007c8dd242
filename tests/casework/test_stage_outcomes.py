"""When a stage ends (triage, a service's answer, resolution) the case records whether it met its
target, by how many working days, and how long it took on the working-day clock: bank holidays,
closure days and the days it waited on the resident left out. Resolutions also say how they turned
out, from a list the liaison manager keeps."""
import datetime

import pytest
from django.urls import reverse

from casework import calendar_admin, services
from casework.models import Case, ClosureDay, OutcomeCategory

from ..factories.casework import CategoryFactory, make_case, walk
from ..factories.wards import ServiceFactory
from ..helpers import at

D = datetime.date


def test_the_migration_seeds_the_outcome_list(db):
    assert list(OutcomeCategory.objects.values_list("name", flat=True)) == [
        "Resolved as asked", "Partly resolved", "Not possible", "Referred elsewhere", "Withdrawn"]


def test_triage_accepted_a_day_late_records_it_missed_by_one_working_day(owner, category, liaison):
    with at(D(2026, 11, 23)):  # Monday: triage (2 working days) due Wednesday 25th
        case = walk(make_case(owner, category=category), Case.Status.TRIAGE, team=liaison)
    with at(D(2026, 11, 26)):
        case = services.case_accept(case=case, by=liaison, version=case.version, assignee=liaison)
    assert (case.triage_met, case.triage_margin, case.triage_days) == (False, -1, 3)
    assert case.triage_ended_at is not None


def test_a_resolution_paused_across_christmas_counts_neither_holidays_closure_days_nor_the_pause(
        owner, liaison):
    ClosureDay.objects.create(date=D(2026, 12, 29), reason="Christmas closure")
    category = CategoryFactory(resolution_days=20)
    with at(D(2026, 12, 14)):
        case = walk(make_case(owner, category=category), Case.Status.IN_PROGRESS, team=liaison)
    # 20 working days from Mon 14 Dec, skipping 25 and 28 Dec and 1 Jan (bank holidays) and 29 Dec (closed)
    assert case.resolution_due == D(2027, 1, 15)
    with at(D(2027, 1, 4)):
        case = services.case_request_info(case=case, by=liaison, version=case.version, request="A photo, please")
    with at(D(2027, 1, 8)):  # paused for 5, 6, 7 and 8 January: four working days
        case = services.case_info_received(case=case, by=liaison, version=case.version, information="Photo")
    assert case.resolution_due == D(2027, 1, 21)
    with at(D(2027, 1, 20)):
        case = services.case_resolve(case=case, by=liaison, version=case.version, outcome="Fixed",
                                     outcome_category=OutcomeCategory.objects.get(name="Resolved as asked"))
    # Working days 15 Dec to 20 Jan: 23; less the 4 paused: 19, one to spare.
    assert (case.resolution_met, case.resolution_margin, case.resolution_days) == (True, 1, 19)
    assert case.outcome_category.name == "Resolved as asked"
    assert case.events.latest("id").text == "Resolved as asked: Fixed"


def test_a_late_service_answer_records_the_working_days_late_and_taken(owner, liaison):
    category = CategoryFactory(response_days=10)
    with at(D(2026, 11, 23)):
        case = walk(make_case(owner, category=category), Case.Status.AWAITING_SERVICE, team=liaison,
                    service=ServiceFactory())
    referral = case.referrals.get()
    assert referral.due_date == D(2026, 12, 7)
    with at(D(2026, 12, 9)):
        services.referral_record_response(case=case, by=liaison, version=case.version, referral=referral,
                                          response="Done")
    referral.refresh_from_db()
    assert (referral.response_met, referral.response_margin, referral.response_days) == (False, -2, 12)


def test_reopening_forgets_the_resolution_outcome(owner, category, liaison):
    with at(D(2026, 11, 23)):
        case = walk(make_case(owner, category=category), Case.Status.RESOLVED, team=liaison)
    assert case.resolution_met is True
    with at(D(2026, 11, 24)):
        case = services.case_reopen(case=case, by=liaison, version=case.version, reason="Came back")
    assert (case.resolution_met, case.resolution_margin, case.resolution_days, case.outcome_category) == (
        None, None, None, None)


def test_the_resolve_form_asks_how_it_turned_out_and_offers_no_retired_outcome(client, owner, category, liaison,
                                                                               manager):
    case = walk(make_case(owner, category=category), Case.Status.IN_PROGRESS, team=liaison)
    retired = OutcomeCategory.objects.get(name="Withdrawn")
    calendar_admin.outcome_category_retire(by=manager, category=retired, retired=True)
    client.force_login(liaison)
    url = reverse("casework:case-action", args=[case.reference, "resolve"])
    page = client.get(url).content.decode()
    assert "How did it turn out?" in page and "Partly resolved" in page and ">Withdrawn<" not in page
    response = client.post(url, {"version": case.version, "outcome": "Fixed"})
    assert "Choose how it turned out" in response.content.decode()
    response = client.post(url, {"version": case.version, "outcome": "Fixed", "outcome_category": retired.pk})
    assert "Choose an outcome from the list" in response.content.decode()
    case.refresh_from_db()
    assert case.status == Case.Status.IN_PROGRESS  # nothing half-saved
    partly = OutcomeCategory.objects.get(name="Partly resolved")
    response = client.post(url, {"version": case.version, "outcome": "Half done", "outcome_category": partly.pk})
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.status, case.outcome_category, case.outcome) == (Case.Status.RESOLVED, partly, "Half done")


def test_the_manager_adds_renames_and_retires_outcomes(client, manager):
    client.force_login(manager)
    url = reverse("casework:outcome-categories")
    assert client.post(url, {"name": "  Passed to the police "}).status_code == 302
    added = OutcomeCategory.objects.get(name="Passed to the police")
    response = client.post(url, {"name": "partly RESOLVED"})
    assert "There is already an outcome called" in response.content.decode()
    assert OutcomeCategory.objects.count() == 6
    page = reverse("casework:outcome-category", args=[added.pk])
    assert client.post(page, {"name": "Passed to another agency"}).status_code == 302
    assert client.post(page, {"retire": "yes"}).status_code == 302
    added.refresh_from_db()
    assert (added.name, added.retired) == ("Passed to another agency", True)
    assert "Retired" in client.get(url).content.decode()


@pytest.mark.parametrize("role", ["liaison", "owner"])
def test_only_the_liaison_manager_keeps_the_outcome_list(client, request, role):
    client.force_login(getattr(request.getfixturevalue(role), "user", request.getfixturevalue(role)))
    assert client.get(reverse("casework:outcome-categories")).status_code == 403
    assert client.post(reverse("casework:outcome-categories"), {"name": "Mine"}).status_code == 403
    assert not OutcomeCategory.objects.filter(name="Mine").exists()


def test_the_last_outcome_in_use_cannot_be_retired(manager):
    from kirklees.refusals import Refused

    *others, last = OutcomeCategory.objects.all()
    for outcome in others:
        calendar_admin.outcome_category_retire(by=manager, category=outcome, retired=True)
    with pytest.raises(Refused):
        calendar_admin.outcome_category_retire(by=manager, category=last, retired=True)
