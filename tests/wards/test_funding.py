"""Funding: schemes, awards and their status, totals by financial year, and the monitoring
reminders job (wards/*/funding.py, wards/tasks.py)."""
import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kirklees.jobs.models import JobRun
from kirklees.notifications.models import Notification
from kirklees.users.models import User
from wards.models import FundingAward, FundingScheme
from wards.selectors.funding import (
    financial_year, financial_year_label, funding_awarded_in_year, funding_summary_for_ward,
    funding_totals_by_scheme, funding_totals_by_ward, funding_year_total,
)
from wards.services.funding import funding_award_create, funding_award_set_status, funding_monitoring_reminders_send
from wards.tasks import funding_monitoring_reminders

from ..factories.councillors import CouncillorFactory
from ..factories.kirklees import UserFactory
from ..factories.wards import FundingAwardFactory, FundingSchemeFactory, PlaceFactory, PriorityFactory
from ..helpers import d, errors_of

S = FundingAward.Status
TODAY = timezone.localdate
DAY = datetime.timedelta(days=1)


def award_data(scheme_, /, **overrides):
    data = {"scheme": scheme_.pk, "recipient": "Moldgreen Community Café", "purpose": "Fit-out", "amount": "£1,500.50",
            "place": "", "priority": "", "status": "applied", "applied_on": d(TODAY() - 5 * DAY),
            "decided_on": "", "monitoring_due_on": ""}
    data.update(overrides)
    return data


def test_the_data_admin_records_an_award_and_moves_it_forward_one_step_at_a_time(client, world, people_in_two_wards):
    client.force_login(people_in_two_wards["data_admin"])
    ward, scheme = world["ward"], world["scheme"]
    response = client.post(reverse("wards:funding-award-create") + f"?ward={ward.pk}",
                           award_data(scheme, place=world["place"].pk, priority=world["priority"].pk))
    award = FundingAward.objects.get(recipient="Moldgreen Community Café")
    assert response.status_code == 302 and award.amount == Decimal("1500.50") and award.status == S.APPLIED
    status_url = reverse("wards:funding-award-status", args=[award.pk])
    assert client.post(status_url, {"status": "approved"}).status_code == 302
    award.refresh_from_db()
    assert award.status == S.APPROVED and award.decided_on == TODAY()
    client.post(status_url, {"status": "paid", "monitoring_due_on": d(TODAY() + 90 * DAY)})
    client.post(status_url, {"status": "monitoring_due"})
    client.post(status_url, {"status": "closed"})
    award.refresh_from_db()
    assert award.status == S.CLOSED and award.monitoring_due_on == TODAY() + 90 * DAY


@pytest.mark.parametrize("overrides,field,message", [
    ({"amount": "-50"}, "amount", "Enter an amount more than £0"),
    ({"amount": "0"}, "amount", "Enter an amount more than £0"),
    ({"amount": "lots"}, "amount", "Enter the amount in pounds, like 1500 or 1500.50"),
    ({"amount": "10.505"}, "amount", "Enter the amount to the nearest penny, like 1500.50"),
    ({"amount": "100000000"}, "amount", "Enter an amount less than £100,000,000"),
    ({"amount": ""}, "amount", "Enter the amount"),
    ({"recipient": ""}, "recipient", "Enter the recipient organisation"),
    ({"recipient": "x" * 201}, "recipient", "Recipient organisation must be 200 characters or fewer"),
    ({"scheme": ""}, "scheme", "Choose the funding scheme"),
    ({"status": "paid", "decided_on": d(TODAY() - DAY)}, "monitoring_due_on",
     "Enter the date the monitoring report is due: it is needed once an award is paid"),
    ({"status": "approved"}, "decided_on", "Enter the date the award was decided"),
    ({"status": "approved", "decided_on": d(TODAY() - 30 * DAY)}, "decided_on",
     "The decision date must be on or after the date applied"),
    ({"status": "approved", "decided_on": d(TODAY() + 3 * DAY)}, "decided_on",
     "The decision date must be today or in the past"),
    ({"status": "sent"}, "status", "Choose the award’s status"),
])
def test_a_bad_award_is_refused_with_a_message_and_nothing_written(
        client, world, people_in_two_wards, overrides, field, message):
    client.force_login(people_in_two_wards["data_admin"])
    response = client.post(reverse("wards:funding-award-create") + f"?ward={world['ward'].pk}",
                           award_data(world["scheme"], **overrides))
    assert response.status_code == 200
    assert message in errors_of(response)[field]
    assert FundingAward.objects.count() == 1


def test_an_award_cannot_be_for_another_wards_place_or_priority(world, other_ward, data_admin):
    elsewhere = PriorityFactory(ward=other_ward)
    with pytest.raises(ValidationError) as refused:
        funding_award_create(
            by=data_admin, scheme=world["scheme"], ward=world["ward"], recipient="x", purpose="y",
            amount=Decimal("10"), applied_on=TODAY(), priority=elsewhere, place=PlaceFactory(ward=other_ward))
    assert set(refused.value.message_dict) == {"priority", "place"}
    with pytest.raises(ValidationError):
        funding_award_create(by=data_admin, scheme=world["scheme"], ward=world["ward"],
                                            recipient="x", purpose="y", amount=Decimal("-1"), applied_on=TODAY())
    assert FundingAward.objects.count() == 1


@pytest.mark.parametrize("start,move,message", [
    (S.APPLIED, S.PAID, "An award that is applied can only move on to approved"),
    (S.APPROVED, S.CLOSED, "An award that is approved can only move on to paid"),
    (S.PAID, S.APPROVED, "An award’s status only moves forward: this one is paid, so it cannot go back to approved"),
    (S.MONITORING_DUE, S.APPLIED, "An award’s status only moves forward: this one is monitoring due, "
                                  "so it cannot go back to applied"),
    (S.CLOSED, S.MONITORING_DUE, "This award is closed: its status cannot change"),
    (S.APPROVED, S.APPROVED, "This award is already approved"),
])
def test_an_illegal_award_status_move_is_refused_with_a_message(
        client, world, people_in_two_wards, start, move, message):
    award = FundingAwardFactory(scheme=world["scheme"], ward=world["ward"], status=start, decided_on=TODAY(),
                                monitoring_due_on=TODAY() + 30 * DAY)
    client.force_login(people_in_two_wards["data_admin"])
    response = client.post(reverse("wards:funding-award-status", args=[award.pk]), {"status": move})
    assert response.status_code == 200
    assert errors_of(response, "status_form")["status"] == [message]
    award.refresh_from_db()
    assert award.status == start
    with pytest.raises(ValidationError):
        funding_award_set_status(award=award, by=people_in_two_wards["data_admin"], status=move)


def test_paying_an_award_needs_the_monitoring_report_due_date(client, world, people_in_two_wards):
    award = world["award"]
    client.force_login(people_in_two_wards["data_admin"])
    response = client.post(reverse("wards:funding-award-status", args=[award.pk]), {"status": "paid"})
    assert errors_of(response, "status_form")["monitoring_due_on"] == [
        "Enter the date the monitoring report is due: it is needed once an award is paid"]
    award.refresh_from_db()
    assert award.status == S.APPROVED
    with pytest.raises(ValidationError):
        funding_award_set_status(award=award, by=people_in_two_wards["data_admin"], status=S.PAID)


def test_editing_an_award_keeps_its_status_and_a_new_due_date_earns_a_new_reminder(client, world, people_in_two_wards):
    award = FundingAwardFactory(scheme=world["scheme"], ward=world["ward"], status=S.MONITORING_DUE,
                                decided_on=TODAY() - 20 * DAY, applied_on=TODAY() - 30 * DAY,
                                monitoring_due_on=TODAY(), monitoring_reminded_on=TODAY() - 5 * DAY)
    client.force_login(people_in_two_wards["data_admin"])
    response = client.post(reverse("wards:funding-award-edit", args=[award.pk]), award_data(
        world["scheme"], amount="900", applied_on=d(award.applied_on), decided_on=d(award.decided_on),
        monitoring_due_on=d(TODAY() + 60 * DAY), status="applied"))
    assert response.status_code == 302
    award.refresh_from_db()
    assert award.status == S.MONITORING_DUE and award.amount == Decimal("900")
    assert award.monitoring_reminded_on is None


@pytest.mark.parametrize("data,message", [
    ({"name": ""}, "Enter the name of the scheme"),
    ({"name": "ward members’ fund"}, "There is already a funding scheme with this name"),
    ({"name": "x" * 151}, "Name of the scheme must be 150 characters or fewer"),
])
def test_a_bad_funding_scheme_is_refused(client, world, people_in_two_wards, data, message):
    client.force_login(people_in_two_wards["data_admin"])
    response = client.post(reverse("wards:funding-scheme-create"), data)
    assert message in errors_of(response)["name"]
    assert FundingScheme.objects.count() == 1


def test_the_data_admin_adds_and_closes_a_scheme(client, people_in_two_wards, db):
    client.force_login(people_in_two_wards["data_admin"])
    client.post(reverse("wards:funding-scheme-create"), {"name": "Community Grants", "is_open": "on"})
    scheme = FundingScheme.objects.get()
    assert scheme.is_open
    client.post(reverse("wards:funding-scheme-edit", args=[scheme.pk]), {"name": "Community Grants"})
    scheme.refresh_from_db()
    assert not scheme.is_open


# ---------------------------------------------------------------- funding totals

@pytest.fixture
def money(ward, other_ward):
    """Awards with hand-computed totals. The financial year 2026–27 runs 1 April 2026 to 31 March 2027."""
    x, y = FundingSchemeFactory(name="X fund"), FundingSchemeFactory(name="Y fund")

    def award(scheme, ward_, amount, status, decided):
        return FundingAwardFactory(scheme=scheme, ward=ward_, amount=Decimal(amount), status=status,
                                   applied_on=datetime.date(2025, 1, 1), decided_on=decided,
                                   monitoring_due_on=datetime.date(2027, 6, 1) if status not in (
                                       S.APPLIED, S.APPROVED) else None)

    award(x, ward, "1000.00", S.APPROVED, datetime.date(2026, 4, 1))         # first day of the year
    award(x, ward, "250.50", S.PAID, datetime.date(2027, 3, 31))             # last day of the year
    award(y, ward, "400.00", S.CLOSED, datetime.date(2026, 3, 31))           # the year before
    award(y, ward, "999.00", S.APPLIED, None)                                # not decided: not awarded
    award(y, ward, "100.00", S.MONITORING_DUE, datetime.date(2026, 6, 15))
    award(x, other_ward, "5000.00", S.PAID, datetime.date(2026, 5, 1))
    return x, y


def test_the_financial_year_runs_from_april_to_march():
    assert financial_year(datetime.date(2026, 11, 25)) == (datetime.date(2026, 4, 1),
                                                                           datetime.date(2027, 3, 31))
    assert financial_year(datetime.date(2027, 3, 31)) == (datetime.date(2026, 4, 1),
                                                                          datetime.date(2027, 3, 31))
    assert financial_year(datetime.date(2026, 4, 1))[0] == datetime.date(2026, 4, 1)
    assert financial_year_label(datetime.date(2026, 1, 10)) == "2025–26"


def test_funding_awarded_in_the_year_is_what_was_decided_in_that_financial_year(money, ward):
    awards = list(funding_awarded_in_year(ward, datetime.date(2026, 11, 25)))
    assert sorted(a.amount for a in awards) == [Decimal("100.00"), Decimal("250.50"), Decimal("1000.00")]
    assert sum(a.amount for a in awards) == Decimal("1350.50")
    earlier = list(funding_awarded_in_year(ward, datetime.date(2026, 3, 31)))
    assert [a.amount for a in earlier] == [Decimal("400.00")]


def test_ward_funding_totals_match_the_hand_computed_figures(money, ward, django_assert_num_queries):
    x, y = money
    with django_assert_num_queries(2):
        summary = funding_summary_for_ward(ward, datetime.date(2026, 11, 25))
    assert (summary.year_total, summary.year_count) == (Decimal("1350.50"), 3)
    assert summary.all_total == Decimal("1750.50")
    assert (summary.applied_total, summary.applied_count) == (Decimal("999.00"), 1)
    by_scheme = {row["scheme__name"]: row for row in summary.by_scheme}
    assert (by_scheme["X fund"]["year_total"], by_scheme["X fund"]["all_total"]) == (Decimal("1250.50"),
                                                                                     Decimal("1250.50"))
    assert (by_scheme["Y fund"]["year_total"], by_scheme["Y fund"]["all_total"],
            by_scheme["Y fund"]["applied_total"]) == (Decimal("100.00"), Decimal("500.00"), Decimal("999.00"))


def test_totals_by_ward_and_by_scheme_match_the_hand_computed_figures(money, ward, other_ward):
    today = datetime.date(2026, 11, 25)
    by_ward = {row["ward__name"]: (row["total"], row["awards"])
               for row in funding_totals_by_ward(today)}
    assert by_ward == {"Dalton": (Decimal("1350.50"), 3), "Batley East": (Decimal("5000.00"), 1)}
    by_scheme = {s.name: (s.year_total, s.all_total, s.applied_total) for s in
                 funding_totals_by_scheme(today)}
    assert by_scheme == {"X fund": (Decimal("6250.50"), Decimal("6250.50"), Decimal("0.00")),
                         "Y fund": (Decimal("100.00"), Decimal("500.00"), Decimal("999.00"))}
    assert funding_year_total(today) == {"total": Decimal("6350.50"), "awards": 4}


def test_the_funding_page_shows_a_chosen_financial_years_totals(client, money, people_in_two_wards):
    client.force_login(people_in_two_wards["councillor"])
    page = client.get(reverse("wards:funding"), {"year": "2026"}).content.decode()
    assert "2026–27" in page and "£6,350.50" in page and "£1,350.50" in page
    page = client.get(reverse("wards:funding"), {"year": "2025"}).content.decode()
    assert "2025–26" in page and "£400.00" in page


# ---------------------------------------------------------------- monitoring reminders

@pytest.fixture
def due_soon(world, ward, other_ward, colleague):
    """Awards around the 5-day horizon, and who should hear of them."""
    today = TODAY()

    def award(status, due, ward_=ward, **kw):
        return FundingAwardFactory(scheme=world["scheme"], ward=ward_, status=status, decided_on=today - 40 * DAY,
                                   applied_on=today - 50 * DAY, monitoring_due_on=due, **kw)

    return {
        "in_5_days": award(S.PAID, today + 5 * DAY),
        "overdue": award(S.PAID, today - 3 * DAY),
        "marked_by_hand": award(S.MONITORING_DUE, today + 2 * DAY),
        "in_6_days": award(S.PAID, today + 6 * DAY),
        "not_paid": award(S.APPROVED, today + DAY),
        "already_reminded": award(S.MONITORING_DUE, today, monitoring_reminded_on=today - 7 * DAY),
        "closed": award(S.CLOSED, today),
        "elsewhere": award(S.PAID, today + DAY, ward_=other_ward),
    }


def test_the_monitoring_job_marks_awards_due_within_5_days_and_notifies_once(
        due_soon, people_in_two_wards, data_admin, owner, colleague, liaison, manager):
    second_admin = UserFactory(role=User.Role.WARD_DATA_ADMIN)
    retired = CouncillorFactory(ward=owner.ward, term_end=TODAY() - 30 * DAY)
    assert funding_monitoring_reminders_send() == 4
    assert funding_monitoring_reminders_send() == 0  # running twice notifies once

    def status(name):
        due_soon[name].refresh_from_db()
        return due_soon[name].status, due_soon[name].monitoring_reminded_on

    for name in ("in_5_days", "overdue", "marked_by_hand", "elsewhere"):
        assert status(name) == (S.MONITORING_DUE, TODAY()), name
    assert status("in_6_days") == (S.PAID, None)
    assert status("not_paid") == (S.APPROVED, None)
    assert status("already_reminded") == (S.MONITORING_DUE, TODAY() - 7 * DAY)

    notified = {n.user_id: n for n in Notification.objects.filter(kind="funding_monitoring_due")}
    assert Notification.objects.filter(kind="funding_monitoring_due").count() == len(notified)
    assert set(notified) == {data_admin.pk, second_admin.pk, owner.user_id, colleague.user_id,
                             people_in_two_wards["other_councillor"].pk}
    assert retired.user_id not in notified and liaison.pk not in notified and manager.pk not in notified
    assert notified[owner.user_id].title == "Monitoring reports due for 3 funding awards in Dalton"
    assert (notified[people_in_two_wards["other_councillor"].pk].title
            == "Monitoring report due for 1 funding award in Batley East")
    assert notified[data_admin.pk].title == "Monitoring reports due for 4 funding awards"
    assert due_soon["in_5_days"].recipient in notified[owner.user_id].body
    assert due_soon["elsewhere"].recipient not in notified[owner.user_id].body
    assert notified[owner.user_id].url == (reverse("wards:funding-awards")
                                           + f"?status=monitoring_due&ward={owner.ward_id}")


def test_the_monitoring_job_is_recorded_and_is_a_management_command(due_soon, capsys):
    funding_monitoring_reminders()
    run = JobRun.objects.get(name="funding-monitoring-reminders")
    assert run.ok and run.summary == "4 awards marked monitoring due"
    call_command("send_funding_monitoring_reminders")
    assert "0 awards marked monitoring due" in capsys.readouterr().out
    assert JobRun.objects.filter(name="funding-monitoring-reminders").count() == 2
    # The data admin, the two Dalton councillors and the one in Batley East: each told once.
    assert Notification.objects.filter(kind="funding_monitoring_due").count() == 4


def test_the_monitoring_job_is_on_the_beat_schedule(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["funding-monitoring-reminders"]
    assert entry["task"] == "wards.tasks.funding_monitoring_reminders"


def test_the_monitoring_job_with_nothing_due_sends_nothing(world, db):
    with CaptureQueriesContext(connection) as captured:
        assert funding_monitoring_reminders_send() == 0
    assert [q["sql"].split()[0] for q in captured if "SAVEPOINT" not in q["sql"]] == ["UPDATE"]
    assert not Notification.objects.exists()
