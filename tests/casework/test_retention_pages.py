"""The liaison manager's retention page, legal holds and erasure, as a person uses them."""

import pytest
from django.urls import reverse
from django.utils import timezone

from casework import retention
from casework.models import Case, ErasureRequest, Resident, RetentionPeriod
from kirklees.audit.models import AuditRedaction

from ..factories.casework import make_case, walk
from ..helpers import errors_of


@pytest.fixture
def advocacy_case(owner, category, liaison):
    case = make_case(owner, category=category, summary="Bins for Winifred Wobblesworth")
    Resident.objects.filter(pk=case.resident_id).update(full_name="Winifred Wobblesworth")
    return walk(case, Case.Status.IN_PROGRESS, team=liaison)


def test_a_manager_changes_the_retention_periods_and_a_bad_one_is_refused_with_nothing_saved(client, manager):
    client.force_login(manager)
    page = client.get(reverse("casework:retention"))
    assert page.status_code == 200
    assert "Nobody is due to be anonymised" in page.content.decode()
    bad = client.post(reverse("casework:retention"), {"member_enquiry": "0", "service_request": "2",
                                                      "complaint": "abc"})
    assert errors_of(bad) == {"member_enquiry": ["Enter at least 1 year"],
                              "complaint": ["Enter a whole number of years"]}
    assert not RetentionPeriod.objects.exists()
    good = client.post(reverse("casework:retention"), {"member_enquiry": "3", "service_request": "2",
                                                       "complaint": "7"}, follow=True)
    assert "Retention periods saved" in good.content.decode()
    assert retention.retention_years() == {"member_enquiry": 3, "service_request": 2, "complaint": 7}


def test_a_legal_hold_is_placed_and_lifted_from_the_case_page_with_a_reason(client, manager, advocacy_case):
    client.force_login(manager)
    url = reverse("casework:case-legal-hold", args=[advocacy_case.reference])
    assert "Place a legal hold" in client.get(advocacy_case.get_absolute_url()).content.decode()
    refused = client.post(url, {"reason": ""})
    assert errors_of(refused) == {"reason": ["Enter the reason"]}
    client.post(url, {"reason": "Ombudsman investigation"})
    advocacy_case.refresh_from_db()
    assert advocacy_case.legal_hold and advocacy_case.legal_hold_by == manager
    page = client.get(reverse("casework:retention")).content.decode()
    assert advocacy_case.reference in page and "Ombudsman investigation" in page
    client.post(url, {"reason": "Investigation closed"})
    advocacy_case.refresh_from_db()
    assert not advocacy_case.legal_hold
    assert [e.kind for e in advocacy_case.events.filter(kind__startswith="legal_hold")] == [
        "legal_hold_set", "legal_hold_cleared"]


def test_a_liaison_officer_may_not_place_a_hold_or_erase(client, liaison, advocacy_case):
    client.force_login(liaison)
    assert client.post(reverse("casework:case-legal-hold", args=[advocacy_case.reference]),
                       {"reason": "Mine"}).status_code == 403
    assert client.post(reverse("casework:resident-erase", args=[advocacy_case.reference]), {
        "received_on": "1/12/2026", "reason": "Asked", "decision": "approved", "decision_reason": "Ok",
    }).status_code == 403
    assert "Erase this resident" not in client.get(advocacy_case.get_absolute_url()).content.decode()
    assert Resident.objects.get(pk=advocacy_case.resident_id).anonymised_at is None


def test_erasing_from_the_case_page_says_what_goes_then_the_case_shows_an_anonymised_resident(
        client, manager, liaison, owner, advocacy_case):
    client.force_login(manager)
    url = reverse("casework:resident-erase", args=[advocacy_case.reference])
    confirm = client.get(url).content.decode()
    assert "Erase this resident’s data" in confirm and "1 case" in confirm and "still open" in confirm

    missing = client.post(url, {"received_on": "", "reason": "Asked", "decision": "approved",
                                "decision_reason": ""})
    assert errors_of(missing) == {"received_on": ["Enter the date the request was received"],
                                  "decision_reason": ["Enter the reason for the decision"]}
    assert not ErasureRequest.objects.exists()

    today = timezone.localdate()
    done = client.post(url, {"received_on": today.strftime("%d/%m/%Y"), "reason": "Asked by letter",
                             "decision": "approved", "decision_reason": "Nothing requires us to keep it"},
                       follow=True)
    page = done.content.decode()
    assert "Resident’s data erased" in page and "Mark Manager" in page and advocacy_case.reference in page
    assert AuditRedaction.objects.get().reason == "erasure"
    # Every page that shows the case still works, with nothing of them left.
    for person, path in [(manager, advocacy_case.get_absolute_url()), (liaison, reverse("casework:queue")),
                         (owner.user, reverse("casework:my-cases")), (owner.user, advocacy_case.get_absolute_url())]:
        client.force_login(person)
        response = client.get(path)
        assert response.status_code == 200
        assert "Wobblesworth" not in response.content.decode()
        assert "Anonymised resident" in response.content.decode()
    # And the details cannot be typed back in.
    client.force_login(owner.user)
    page = client.get(advocacy_case.get_absolute_url()).content.decode()
    assert "Erase this resident" not in page


def test_the_retention_page_lists_who_is_due_in_the_next_30_days(client, manager, owner, category, liaison,
                                                                 time_machine):
    case = walk(make_case(owner, category=category), Case.Status.CLOSED, team=liaison)
    time_machine.move_to(timezone.now() + timezone.timedelta(days=2 * 365 - 10))
    client.force_login(manager)
    page = client.get(reverse("casework:retention")).content.decode()
    assert case.reference in page


def test_an_erased_residents_details_cannot_be_typed_back_in(client, manager, owner, advocacy_case):
    from casework import services
    from kirklees.refusals import Refused

    retention.erasure_request_decide(resident=advocacy_case.resident, by=manager, received_on=timezone.localdate(),
                                     reason="Asked", decision="approved", decision_reason="Fine")
    advocacy_case.refresh_from_db()
    resident = advocacy_case.resident
    with pytest.raises(Refused, match="cannot be added back"):
        services.resident_update(case=advocacy_case, by=owner.user, version=advocacy_case.version,
                                 resident_version=resident.version, full_name="Winifred Wobblesworth")
    assert Resident.objects.get(pk=resident.pk).full_name == "Anonymised resident"


def test_the_retention_page_makes_as_many_queries_for_many_residents_as_for_one(
        client, manager, owner, category, liaison):
    import time_machine

    from ..helpers import queries_for

    def closed_and_held():
        case = walk(make_case(owner, category=category), Case.Status.CLOSED, team=liaison)
        held = walk(make_case(owner, category=category), Case.Status.CLOSED, team=liaison)
        retention.case_legal_hold_set(case=held, by=manager, reason="A claim")
        return case

    due = [closed_and_held()]
    later = timezone.now() + timezone.timedelta(days=2 * 365 - 10)
    with time_machine.travel(later, tick=False):
        client.force_login(manager)
        one = queries_for(client, reverse("casework:retention"))
    due += [closed_and_held() for _ in range(4)]
    with time_machine.travel(later, tick=False):
        client.force_login(manager)
        five = queries_for(client, reverse("casework:retention"))
        page = client.get(reverse("casework:retention")).content.decode()
    assert page.count("A claim") == 5
    assert all(case.reference in page for case in due)
    assert five == one
