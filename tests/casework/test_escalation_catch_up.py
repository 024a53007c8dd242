"""After an outage several steps of the ladder fall due at once: each person hears once, of the
highest step; every step is still recorded. A step whose recipient has no address says so."""

import datetime
import importlib

import pytest
from django.apps import apps
from django.urls import reverse

from casework.models import Case, CaseEvent, EscalationStep, MissingAddressNotice, SlaAction
from kirklees.notifications.models import Notification
from kirklees.users.models import User

from ..factories.casework import make_case, walk
from ..factories.kirklees import UserFactory
from ..factories.wards import ServiceFactory
from ..helpers import at, chasers, run_at_once, sweep_on

D = datetime.date
Kind = CaseEvent.Kind
LAST_STEP = "Five working days without an answer: the head of service is told"


def referred(owner, category, liaison, service):
    """Referred on Mon 23 Nov 2026; the service's answer is due on Mon 30 Nov."""
    with at(D(2026, 11, 23)):
        case = walk(make_case(owner, category=category), Case.Status.AWAITING_SERVICE, team=liaison, service=service)
    assert case.referrals.get().due_date == D(2026, 11, 30)
    return case


def escalations_to(user):
    return list(Notification.objects.filter(user=user, kind="escalation").values_list("title", "body"))


def ladder_events(case):
    return list(case.events.filter(kind__in=[Kind.ESCALATED, Kind.SERVICE_CHASED]).order_by("id")
                .values_list("text", flat=True))


@pytest.fixture
def highways(db):
    return ServiceFactory(name="Highways", email="highways@example.org",
                          head_of_service_email="head.highways@example.org")


@pytest.fixture
def roads(db):
    """A service nobody has given a head of service address."""
    return ServiceFactory(name="Roads", email="roads@example.org", head_of_service_email="")


def test_a_referral_30_working_days_overdue_gives_each_person_one_message_naming_the_last_step(
        owner, category, liaison, manager, highways):
    case = referred(owner, category, liaison, highways)
    sweep_on(D(2027, 1, 20))  # 30 working days after the due date: every step is due at once

    referral = case.referrals.get()
    steps = EscalationStep.objects.filter(applies_to="referral")
    assert set(SlaAction.objects.filter(referral=referral).values_list("step", flat=True)) == {s.pk for s in steps}
    assert len(ladder_events(case)) == steps.count()  # each step on the timeline

    for person in (liaison, manager, owner.user):
        ((title, body),) = escalations_to(person)  # one, not three
        assert "Highways" in title
        assert LAST_STEP.lower() in body.lower()
    # One chaser to the service, one email to its head.
    assert chasers().filter(to="highways@example.org").count() == 1
    assert chasers().filter(to="head.highways@example.org").count() == 1
    assert chasers().count() == 2


def test_the_timeline_names_everyone_told_and_every_address_written_to(owner, category, liaison, manager, highways):
    case = referred(owner, category, liaison, highways)
    sweep_on(D(2026, 11, 30))
    sweep_on(D(2026, 12, 2))
    sweep_on(D(2026, 12, 7))
    chased, managers, head = ladder_events(case)
    assert "Told: Lucy Liaison, Cllr Owner." in chased
    assert "Chased Highways at highways@example.org." in chased
    assert "Told: Mark Manager, Cllr Owner." in managers
    assert "Told: Mark Manager, Cllr Owner." in head
    assert "Told the head of service at head.highways@example.org." in head


def test_a_step_whose_recipient_has_no_address_says_nobody_at_that_level_was_told(
        owner, category, liaison, manager, roads):
    case = referred(owner, category, liaison, roads)
    sweep_on(D(2026, 12, 7))
    head = ladder_events(case)[-1]
    assert "No head of service address for Roads: nobody at that level was told." in head
    assert "head of service at" not in head
    assert not chasers().exclude(to="roads@example.org").exists()


def test_the_managers_hear_once_per_service_of_a_missing_head_of_service_address(
        owner, category, liaison, manager, roads, highways):
    other_manager = UserFactory(role=User.Role.LIAISON_MANAGER, full_name="Mo Manager")
    first, second = referred(owner, category, liaison, roads), referred(owner, category, liaison, roads)
    referred(owner, category, liaison, highways)
    sweep_on(D(2026, 12, 7))
    with at(D(2026, 12, 1)):
        later = walk(make_case(owner, category=category), Case.Status.AWAITING_SERVICE, team=liaison, service=roads)
    sweep_on(D(2026, 12, 31))  # the later referral reaches the same step in another sweep
    assert "No head of service address for Roads" in ladder_events(later)[-1]

    for person in (manager, other_manager):
        missing = Notification.objects.filter(user=person, title="No head of service address for Roads")
        assert missing.count() == 1
        assert missing.get().url == reverse("wards:service-edit", args=[roads.pk])
    assert not Notification.objects.filter(title__contains="No head of service address for Highways").exists()
    assert not Notification.objects.filter(user=owner.user, title__startswith="No head of service").exists()
    assert MissingAddressNotice.objects.filter(service=roads).count() == 1
    assert first.pk != second.pk


@pytest.mark.django_db(transaction=True)
def test_racing_catch_up_sweeps_send_one_message_per_person_and_one_missing_address_notice(
        owner, category, liaison, manager):
    importlib.import_module("casework.migrations.0003_default_escalation_ladder").add_ladder(apps, None)
    roads = ServiceFactory(name="Roads", email="roads@example.org", head_of_service_email="")
    cases = [referred(owner, category, liaison, roads) for _ in range(4)]
    assert run_at_once(*[lambda: sweep_on(D(2027, 1, 20))] * 3) == []

    assert SlaAction.objects.filter(kind="escalation").count() == 4 * 3
    assert chasers().count() == 4  # one chaser per referral
    for person in (liaison, manager, owner.user):
        assert Notification.objects.filter(user=person, kind="escalation", title__startswith="Overdue").count() == 4
    assert Notification.objects.filter(user=manager, title="No head of service address for Roads").count() == 1
    assert MissingAddressNotice.objects.count() == 1
    assert all(len(ladder_events(case)) == 3 for case in cases)


def test_the_targets_page_warns_of_services_without_a_head_of_service_address(client, manager, roads, highways):
    inactive = ServiceFactory(name="Old service", head_of_service_email="", is_active=False)
    client.force_login(manager)
    page = client.get(reverse("casework:targets")).content.decode()
    assert "1 service has no head of service address" in page
    assert reverse("wards:service-edit", args=[roads.pk]) in page
    assert reverse("wards:service-edit", args=[highways.pk]) not in page
    assert inactive.name not in page


def test_the_targets_page_has_no_warning_when_every_service_has_a_head(client, manager, highways):
    client.force_login(manager)
    assert "no head of service address" not in client.get(reverse("casework:targets")).content.decode()
