"""With time frozen, a case walks through reminder and each escalation step on the right working
day, each exactly once, even when the job runs twice or two runs overlap."""

import datetime
import importlib

import pytest
from django.apps import apps
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from casework import escalation, services
from casework.models import Case, CaseEvent, SlaAction
from kirklees.notifications.models import Notification, Preference
from kirklees.notifications.services import emails_send_pending

from ..factories.casework import make_case, walk
from ..factories.councillors import CouncillorFactory
from ..factories.wards import ServiceFactory
from ..helpers import at, chasers, run_at_once, sweep_on

D = datetime.date
Kind = CaseEvent.Kind


@pytest.fixture
def referred_case(owner, category, liaison, manager):
    """An advocacy case referred to a service on Mon 23 Nov 2026; the answer is due in 5 working days."""
    service = ServiceFactory(name="Highways", email="highways@example.org",
                             head_of_service_email="head.highways@example.org")
    with at(D(2026, 11, 23)):
        case = walk(make_case(owner, category=category), Case.Status.AWAITING_SERVICE, team=liaison,
                    service=service)
    referral = case.referrals.get()
    assert referral.due_date == D(2026, 11, 30)
    return case


def timeline(case):
    return list(case.events.filter(kind__in=[Kind.REMINDER_SENT, Kind.ESCALATED, Kind.SERVICE_CHASED])
                .order_by("id").values_list("kind", flat=True))


def test_a_referral_climbs_the_ladder_one_step_at_a_time_and_each_step_happens_once(
        referred_case, owner, liaison, manager):
    case = referred_case
    sweep_on(D(2026, 11, 26))  # Thursday: two working days before, nothing yet
    assert timeline(case) == []

    for _ in range(2):
        sweep_on(D(2026, 11, 27))  # Friday: one working day before the due date -> reminder, once
    assert timeline(case) == [Kind.REMINDER_SENT]
    assert Notification.objects.filter(user=liaison, kind="reminder").count() == 1

    for _ in range(2):
        sweep_on(D(2026, 11, 30))  # the due date: chase the service, tell the officer and councillor
    assert timeline(case) == [Kind.REMINDER_SENT, Kind.SERVICE_CHASED]
    assert chasers().filter(to="highways@example.org").count() == 1
    assert case.referrals.get().chased_at is not None
    assert Notification.objects.filter(user=liaison, kind="escalation").count() == 1
    assert Notification.objects.filter(user=owner.user, kind="escalation").count() == 1
    assert not Notification.objects.filter(user=manager, kind="escalation").exists()

    sweep_on(D(2026, 12, 1))  # one working day late: nothing new
    assert len(timeline(case)) == 2

    sweep_on(D(2026, 12, 2))  # two working days late: the managers
    assert timeline(case)[-1] == Kind.ESCALATED
    assert Notification.objects.filter(user=manager, kind="escalation").count() == 1

    sweep_on(D(2026, 12, 6))  # a Sunday: still only four working days late
    assert len(timeline(case)) == 3
    for _ in range(2):
        sweep_on(D(2026, 12, 7))  # five working days late: the head of service
    assert len(timeline(case)) == 4
    assert chasers().filter(to="head.highways@example.org").count() == 1
    assert Notification.objects.filter(user=owner.user, kind="escalation").count() == 3

    # The emails go out once, to the people who want them.
    sent = emails_send_pending()
    assert sent["service emails"] == 3  # the referral itself, the chaser and the head of service's
    assert emails_send_pending() == {"notification emails": 0, "service emails": 0}
    assert {m.to[0] for m in mail.outbox} >= {"highways@example.org", "head.highways@example.org",
                                              liaison.email, owner.user.email, manager.email}


def test_a_late_sweep_after_an_outage_catches_up_with_every_step_due(referred_case):
    sweep_on(D(2026, 12, 10))
    assert sorted(timeline(referred_case)) == sorted([Kind.SERVICE_CHASED, Kind.ESCALATED, Kind.ESCALATED])
    # The reminder's moment has passed: it is not sent after the due date.
    assert not referred_case.events.filter(kind=Kind.REMINDER_SENT).exists()


def test_an_answer_stops_the_ladder(referred_case, liaison):
    sweep_on(D(2026, 11, 30))
    case = Case.objects.get(pk=referred_case.pk)
    services.referral_record_response(case=case, by=liaison, version=case.version,
                                      referral=case.referrals.get(), response="Fixed")
    sweep_on(D(2026, 12, 10))
    # No more rungs for the referral; the case's own resolution date has its ladder.
    assert SlaAction.objects.filter(case=case, referral__isnull=False).count() == 1
    assert case.events.filter(kind=Kind.SERVICE_CHASED).count() == 1


def test_an_overdue_triage_goes_to_the_liaison_officer_then_the_managers(owner, category, liaison, manager):
    with at(D(2026, 11, 23)):
        case = walk(make_case(owner, category=category), Case.Status.TRIAGE, team=liaison)
    assert case.triage_due == D(2026, 11, 25)
    sweep_on(D(2026, 11, 25))
    assert Notification.objects.filter(user=liaison, kind="escalation").count() == 1
    sweep_on(D(2026, 11, 27))
    assert Notification.objects.filter(user=manager, kind="escalation").count() == 1
    assert SlaAction.objects.filter(case=case, kind="escalation").count() == 2


def test_a_paused_case_is_not_chased(owner, category, liaison):
    with at(D(2026, 11, 23)):
        case = walk(make_case(owner, category=category), Case.Status.AWAITING_RESIDENT, team=liaison)
    sweep_on(D(2027, 2, 1))
    assert timeline(case) == []


def test_a_councillor_working_alone_gets_reminded(unenrolled, category):
    with at(D(2026, 11, 23)):
        case = make_case(unenrolled, category=category)
    sweep_on(case.due_date - datetime.timedelta(days=1) if case.due_date.weekday() else case.due_date)
    assert Notification.objects.filter(user=unenrolled.user, kind="reminder").count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_racing_take_each_step_once(owner, category, liaison, manager):
    # The ladder is data from a migration, which an earlier transactional test's flush removed.
    importlib.import_module("casework.migrations.0003_default_escalation_ladder").add_ladder(apps, None)
    service = ServiceFactory()
    with at(D(2026, 11, 23)):
        cases = [walk(make_case(owner, category=category), Case.Status.AWAITING_SERVICE, team=liaison,
                      service=service) for _ in range(5)]
    errors = run_at_once(*[lambda: sweep_on(D(2026, 12, 10))] * 3)
    assert errors == []
    assert SlaAction.objects.filter(kind="escalation").count() == 5 * 3
    assert CaseEvent.objects.filter(kind__in=[Kind.ESCALATED, Kind.SERVICE_CHASED]).count() == 5 * 3
    assert chasers().count() == 5
    assert {c.pk for c in cases} == set(SlaAction.objects.values_list("case_id", flat=True))


def test_a_sweep_runs_a_fixed_number_of_queries_however_many_cases(owner, category, liaison, manager):
    service = ServiceFactory()

    def overdue(count):
        with at(D(2026, 11, 23)):
            for _ in range(count):
                walk(make_case(owner, category=category), Case.Status.AWAITING_SERVICE, team=liaison,
                     service=service)
                walk(make_case(owner, category=category), Case.Status.TRIAGE, team=liaison)

    def queries(day):
        with at(day), CaptureQueriesContext(connection) as captured:
            escalation.sla_sweep()
        return len(captured)

    overdue(2)
    few = queries(D(2026, 12, 10))
    overdue(20)
    many = queries(D(2026, 12, 11))
    assert few == many
    assert queries(D(2026, 12, 11)) < few  # nothing left to do: the inserts return nothing


def test_the_daily_digest_tells_each_councillor_once_and_respects_opt_out(owner, category, liaison, unenrolled):
    with at(D(2026, 11, 23)):
        case = walk(make_case(owner, category=category), Case.Status.IN_PROGRESS, team=liaison)
        services.case_add_note(case=case, by=liaison, text="Rang the service")
        make_case(unenrolled, category=category)  # only their own changes: no digest
    with at(D(2026, 11, 24), 7):
        assert escalation.digests_send() == 1
        assert escalation.digests_send() == 0
    digest = Notification.objects.get(user=owner.user, kind="digest")
    assert case.reference in digest.body and "Accepted" in digest.body and "Note added" in digest.body
    assert not Notification.objects.filter(user=unenrolled.user, kind="digest").exists()

    Preference.objects.create(user=owner.user, daily_digest=False)
    with at(D(2026, 11, 24)):
        services.case_add_note(case=case, by=liaison, text="Again")
    with at(D(2026, 11, 25), 7):
        assert escalation.digests_send() == 0


def test_every_periodic_job_is_also_a_command_and_is_recorded(db, capsys):
    from kirklees.jobs.models import JobRun

    call_command("run_sla_sweep")
    call_command("send_daily_digest")
    call_command("send_pending_emails")
    assert set(JobRun.objects.filter(ok=True).values_list("name", flat=True)) == {
        "sla-sweep", "daily-digest", "send-pending-emails"}


def test_the_beat_schedule_runs_every_job(settings):
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert tasks == {"casework.tasks.sla_sweep", "casework.tasks.daily_digest", "casework.tasks.handover_check",
                     "kirklees.notifications.tasks.send_pending_emails",
                     "wards.tasks.funding_monitoring_reminders",
                     "engagement.learning.tasks.send_event_reminders",
                     "kirklees.govuk.tasks.delete_old_submission_keys",
                     "kirklees.audit.tasks.audit_retention", "pages.sar.tasks.sar_reminders",
                     "casework.tasks.resident_retention", "casework.insight.tasks.report_rollup",
                     "kirklees.mailin.tasks.mailbox_poll"}


def test_councillor_factory_has_no_liaison_officer_by_default(db):
    assert CouncillorFactory().liaison_officer is None


def test_a_chaser_also_goes_to_the_officer_the_referral_names(owner, category, liaison):
    from ..factories.wards import OfficerFactory

    service = ServiceFactory(name="Highways", email="highways@example.org")
    officer = OfficerFactory(full_name="Priya Patel", email="priya.patel@example.org", service=service)
    with at(D(2026, 11, 23)):
        case = walk(make_case(owner, category=category), Case.Status.IN_PROGRESS, team=liaison)
        services.case_refer_to_service(case=case, by=liaison, version=case.version, service=service,
                                       officer=officer, details="Please fix the pothole")
    sweep_on(D(2026, 12, 1))  # the day after the answer was due
    assert set(chasers().values_list("to", flat=True)) == {"highways@example.org",
                                                                       "priya.patel@example.org"}
    chased = case.events.get(kind=Kind.SERVICE_CHASED)
    assert "Chased Priya Patel at priya.patel@example.org." in chased.text
    sweep_on(D(2026, 12, 1))
    assert chasers().count() == 2


def test_no_chaser_goes_to_a_named_officer_who_has_since_left_the_people_finder(owner, category, liaison):
    """The chaser carries what was asked about a resident: only to someone still in post."""
    from ..factories.wards import OfficerFactory

    service = ServiceFactory(name="Highways", email="highways@example.org")
    officer = OfficerFactory(full_name="Priya Patel", email="priya.patel@example.org", service=service)
    with at(D(2026, 11, 23)):
        case = walk(make_case(owner, category=category), Case.Status.IN_PROGRESS, team=liaison)
        services.case_refer_to_service(case=case, by=liaison, version=case.version, service=service,
                                       officer=officer, details="Please fix the pothole")
    officer.is_active = False  # moved on: the ward data admin marks them so in the People Finder
    officer.save(update_fields=["is_active"])
    sweep_on(D(2026, 12, 1))
    assert list(chasers().values_list("to", flat=True)) == ["highways@example.org"]
    assert "priya.patel" not in case.events.get(kind=Kind.SERVICE_CHASED).text
