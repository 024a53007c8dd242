"""A referral reaches the service: an email to its inbox (and to the named officer), through the
outbound queue, with a reply address and Message-ID that name the referral and only the resident's
details the referrer chose to share. The timeline says "sent" only once the email has gone."""

import re

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from casework import services
from casework.models import Case, CaseEvent, Referral
from kirklees.jobs.models import JobRun
from kirklees.notifications.models import OutboundEmail
from kirklees.notifications.services import outbound_emails_send
from kirklees.notifications.tasks import send_pending_emails

from ..factories.casework import ResidentFactory, make_case, walk
from ..factories.wards import OfficerFactory
from ..helpers import UNREACHABLE_BROKER, broker_at, errors_of, run_at_once

Kind = CaseEvent.Kind


@pytest.fixture
def working_case(owner, liaison, category):
    resident = ResidentFactory(created_by=owner.user, full_name="Jane Smith", email="jane@example.net",
                               phone="01484 221000", address="1 Market Street\nHuddersfield", postcode="HD1 2TA")
    case = services.case_create(by=owner.user, resident=resident, ward=owner.ward, category=category,
                                summary="Bins not collected", details="Three weeks running.")
    return walk(case, Case.Status.IN_PROGRESS, team=liaison)


def _refer(client, case, user, service, **data):
    client.force_login(user)
    form = {"version": case.version, "service": service.pk, "details": "Please collect the bins at number 1.",
            "shared": Referral.DEFAULT_SHARED} | data
    return client.post(reverse("casework:case-action", kwargs={"reference": case.reference,
                                                               "action": "refer-to-service"}), form)


def _sent_to(mailoutbox, address):
    return [m for m in mailoutbox if m.to == [address]]


# --- what goes, to whom ---------------------------------------------------------------------------


@time_machine.travel("2026-12-01 10:00 +00:00", tick=False)
def test_sending_a_referral_emails_the_service_what_is_asked_and_when_the_answer_is_due(
        client, working_case, liaison, service, mailoutbox):
    response = _refer(client, working_case, liaison, service)
    assert response.status_code == 302
    referral = Referral.objects.get(case=working_case)

    assert outbound_emails_send().sent == 1

    [email] = _sent_to(mailoutbox, service.email)
    assert working_case.reference in email.subject
    assert "Please collect the bins at number 1." in email.body
    # Response target in the category fixture: 5 working days from Tuesday 1 December.
    assert referral.due_date.isoformat() == "2026-12-08"
    assert "Please answer by Tuesday 8 December 2026." in email.body
    [(html, mimetype)] = email.alternatives
    assert mimetype == "text/html" and "Please collect the bins at number 1." in html
    assert "Tuesday 8 December 2026" in html


def test_each_referral_email_has_a_reply_address_and_message_id_made_from_an_unguessable_token(
        client, working_case, liaison, service, mailoutbox, settings):
    settings.INBOUND_EMAIL_DOMAIN = "replies.kirklees.example"
    _refer(client, working_case, liaison, service)
    outbound_emails_send()
    referral = Referral.objects.get(case=working_case)

    [email] = mailoutbox
    assert re.fullmatch(r"[0-9a-f]{32}", referral.reply_token)
    assert working_case.reference not in referral.reply_token
    assert email.reply_to == [f"referral+{referral.reply_token}@replies.kirklees.example"]
    message_id = email.message()["Message-ID"]
    assert message_id.startswith(f"<referral.{referral.reply_token}.") and message_id.endswith(
        "@replies.kirklees.example>")

    # A second referral gets a token of its own.
    working_case.refresh_from_db()
    _refer(client, working_case, liaison, service, details="And the recycling.")
    assert Referral.objects.values("reply_token").distinct().count() == 2


def test_the_named_officer_gets_their_own_copy_and_the_service_keeps_one(
        client, working_case, liaison, service, mailoutbox):
    officer = OfficerFactory(service=service, full_name="Olive Officer", email="olive@kirklees.example")
    _refer(client, working_case, liaison, service, officer=officer.pk)

    assert outbound_emails_send().sent == 2

    [to_service] = _sent_to(mailoutbox, service.email)
    [to_officer] = _sent_to(mailoutbox, "olive@kirklees.example")
    assert to_officer.body.startswith("Hello Olive Officer,")
    assert "You are named in the People Finder" in to_officer.body
    assert "You are named" not in to_service.body
    assert to_officer.reply_to == to_service.reply_to
    assert to_officer.message()["Message-ID"] != to_service.message()["Message-ID"]


def test_an_officer_marked_inactive_is_neither_offered_nor_sent_to(client, working_case, liaison, service):
    gone = OfficerFactory(service=service, full_name="Gone Officer", is_active=False)
    client.force_login(liaison)
    page = client.get(reverse("casework:case-action", kwargs={"reference": working_case.reference,
                                                              "action": "refer-to-service"})).content.decode()
    assert "Gone Officer" not in page

    response = _refer(client, working_case, liaison, service, officer=gone.pk)
    assert errors_of(response) == {"officer": ["Choose an officer from the list"]}
    with pytest.raises(Exception, match="no longer in post"):
        services.case_refer_to_service(case=working_case, by=liaison, version=working_case.version,
                                       service=service, details="x", officer=gone)
    assert not Referral.objects.exists() and not OutboundEmail.objects.exists()


def test_an_officer_who_leaves_after_the_referral_still_has_the_service_copy_only_once(
        client, working_case, liaison, service, mailoutbox):
    officer = OfficerFactory(service=service, email=service.email.upper())  # the same inbox, other case
    _refer(client, working_case, liaison, service, officer=officer.pk)
    outbound_emails_send()
    assert [m.to for m in mailoutbox] == [[service.email]]


# --- the resident's details ---------------------------------------------------------------------


def test_a_sensitive_case_sends_only_the_details_ticked_and_never_the_case_itself(
        client, owner, liaison, category, service, mailoutbox):
    resident = ResidentFactory(created_by=owner.user, full_name="Jane Smith", email="jane@example.net",
                               phone="01484 221000", address="9 Secret Row\nDewsbury", postcode="WF13 1AA")
    case = services.case_create(by=owner.user, resident=resident, ward=owner.ward, category=category,
                                summary="Housing need after a cancer diagnosis",
                                details="She is on Universal Credit and in chemotherapy.", sensitive=True,
                                special_category_condition="elected_representative")
    case = walk(case, Case.Status.IN_PROGRESS, team=liaison)

    _refer(client, case, liaison, service, details="Please assess the housing repair at the property.")
    outbound_emails_send()

    [email] = mailoutbox
    html = email.alternatives[0][0]
    for text in (email.body, html):
        assert "Jane Smith" in text and "jane@example.net" in text and "01484 221000" in text
        assert "Please assess the housing repair" in text
        for private in ("cancer", "Universal Credit", "chemotherapy", "9 Secret Row", "WF13 1AA"):
            assert private not in text


def test_the_referrer_can_share_the_address_or_nothing_at_all(client, working_case, liaison, service, mailoutbox):
    _refer(client, working_case, liaison, service, shared=["address"])
    working_case.refresh_from_db()
    _refer(client, working_case, liaison, service, shared=[], details="Anonymous question.")
    outbound_emails_send()

    with_address, anonymous = sorted(mailoutbox, key=lambda m: "Anonymous" in m.body)
    assert "1 Market Street" in with_address.body and "HD1 2TA" in with_address.body
    assert "Jane Smith" not in with_address.body and "jane@example.net" not in with_address.body
    assert "No personal details of the resident are shared" in anonymous.body
    assert "Jane Smith" not in anonymous.body and "Market Street" not in anonymous.body
    assert list(Referral.objects.order_by("pk").values_list("shared", flat=True)) == [["address"], []]


def test_the_referral_form_shares_name_and_contact_details_unless_changed(client, working_case, liaison):
    client.force_login(liaison)
    response = client.get(reverse("casework:case-action", kwargs={"reference": working_case.reference,
                                                                  "action": "refer-to-service"}))
    page = response.content.decode()
    assert re.search(r'value="name" checked', page) and re.search(r'value="contact" checked', page)
    assert not re.search(r'value="address" checked', page)


def test_a_detail_that_is_not_offered_is_refused_and_nothing_is_saved(client, working_case, liaison, service):
    response = _refer(client, working_case, liaison, service, shared=["name", "health"])
    assert errors_of(response) == {"shared": ["Choose details from the list"]}
    assert not Referral.objects.exists() and not OutboundEmail.objects.exists()


# --- the timeline, the case page and the jobs page tell the truth --------------------------------


def test_the_timeline_says_sent_only_once_the_email_has_gone(client, working_case, liaison, service, mailoutbox):
    _refer(client, working_case, liaison, service)
    assert not CaseEvent.objects.filter(kind=Kind.REFERRAL_EMAILED).exists()
    page = client.get(working_case.get_absolute_url()).content.decode()
    assert f"Email to {service.email} waiting to be sent" in page

    outbound_emails_send()

    [event] = CaseEvent.objects.filter(case=working_case, kind=Kind.REFERRAL_EMAILED)
    email = OutboundEmail.objects.get()
    assert event.referral == Referral.objects.get() and event.created_at == email.sent_at
    assert event.text.startswith(f"Sent to {service.email} at ")
    page = client.get(working_case.get_absolute_url()).content.decode()
    assert f"Emailed to {service.email}" in page and "Referral emailed" in page
    assert outbound_emails_send().sent == 0  # and not again
    assert CaseEvent.objects.filter(kind=Kind.REFERRAL_EMAILED).count() == 1


def test_a_failed_send_shows_on_the_case_and_the_jobs_page_and_the_next_run_sends_it(
        client, working_case, liaison, manager, service, mailoutbox, settings):
    _refer(client, working_case, liaison, service)
    # A relay that refuses connections (nothing listens on port 1).
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 5

    send_pending_emails()

    email = OutboundEmail.objects.get()
    assert email.sent_at is None and email.attempts == 1 and "Connection refused" in email.last_error
    run = JobRun.objects.get(name="send-pending-emails")
    assert run.ok is False and "1 service emails failed" in run.summary
    assert not CaseEvent.objects.filter(kind=Kind.REFERRAL_EMAILED).exists()
    page = client.get(working_case.get_absolute_url()).content.decode()
    assert "Email not sent" in page and "tried 1 time, trying again" in page
    client.force_login(manager)
    jobs = client.get(reverse("jobs:list")).content.decode()
    assert "Emails that could not be sent" in jobs and email.subject in jobs and "Connection refused" in jobs

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    send_pending_emails()

    assert len(_sent_to(mailoutbox, service.email)) == 1
    assert CaseEvent.objects.filter(kind=Kind.REFERRAL_EMAILED).count() == 1
    assert JobRun.objects.order_by("-started_at", "-id").first().ok is True


def test_a_send_that_keeps_failing_is_given_up_and_says_so(client, working_case, liaison, service, settings):
    _refer(client, working_case, liaison, service)
    OutboundEmail.objects.update(attempts=OutboundEmail.MAX_ATTEMPTS, last_error="SMTPRecipientsRefused: no")
    assert outbound_emails_send().sent == 0
    page = client.get(working_case.get_absolute_url()).content.decode()
    assert "gave up after 10 tries, so contact the service another way" in page


def test_a_relay_that_is_down_stops_the_run_after_a_few_failures(owner, liaison, category, service, settings):
    for _ in range(6):
        walk(make_case(owner, category=category), Case.Status.AWAITING_SERVICE, team=liaison, service=service)
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 5
    result = outbound_emails_send()
    assert (result.sent, result.failed) == (0, 3)
    assert OutboundEmail.objects.filter(attempts=0).count() == 3  # left for the next run


# --- races and outages ------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_nothing_is_sent_twice_when_the_job_races_itself(owner, liaison, category, service, mailoutbox):
    for _ in range(5):
        walk(make_case(owner, category=category), Case.Status.AWAITING_SERVICE, team=liaison, service=service)

    errors = run_at_once(outbound_emails_send, outbound_emails_send, outbound_emails_send)

    assert errors == []
    assert len(mailoutbox) == 5
    assert len({m.message()["Message-ID"] for m in mailoutbox}) == 5
    assert CaseEvent.objects.filter(kind=Kind.REFERRAL_EMAILED).count() == 5


@pytest.mark.django_db(transaction=True)
def test_a_referral_made_while_the_broker_is_down_is_sent_by_the_periodic_job(
        client, owner, liaison, category, service, mailoutbox, monkeypatch):
    case = walk(make_case(owner, category=category), Case.Status.IN_PROGRESS, team=liaison)
    with broker_at(UNREACHABLE_BROKER, monkeypatch):
        response = _refer(client, case, liaison, service)
    assert response.status_code == 302
    assert _sent_to(mailoutbox, service.email) == []
    assert OutboundEmail.objects.get().sent_at is None

    call_command("send_pending_emails")

    assert len(_sent_to(mailoutbox, service.email)) == 1
    assert CaseEvent.objects.filter(case=case, kind=Kind.REFERRAL_EMAILED).count() == 1
