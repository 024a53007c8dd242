"""Residents hear back, with their consent (issue 14): on accepted, referred and resolved, an update
that says the reference and the new status only, by email (Django's backend) or through GOV.UK
Notify (a local stand-in that speaks its API), sent after the step commits, once, retried."""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from casework import resident_updates, services
from casework.models import Case, CaseEvent
from kirklees.notifications.models import Update
from kirklees.notifications.updates import updates_send
from kirklees.notifications.services import emails_send_pending

from .. import notify_standin
from ..factories.casework import ResidentFactory

EMAIL = "zinnia.updates@example.org"
MOBILE = "07700 900 982"
NAME = "Zinnia Pemberton-Oddly"
SUMMARY = "Broken streetlight outside number 14"


@pytest.fixture
def notify(settings):
    state, server = notify_standin.start()
    settings.RESIDENT_UPDATES_BACKEND = "notify"
    settings.NOTIFY_BASE_URL = state.url
    settings.NOTIFY_API_KEY = notify_standin.API_KEY
    settings.NOTIFY_TEMPLATES = {"case_update": {"email": "11111111-1111-1111-1111-111111111111",
                                                 "sms": "22222222-2222-2222-2222-222222222222"}}
    yield state
    server.shutdown()
    server.server_close()


def new_case(owner, category, updates_by, **resident):
    details = {"full_name": NAME, "email": EMAIL, "phone": MOBILE, "preferred_contact": "email", **resident}
    person = ResidentFactory(created_by=owner.user, **details)
    return services.case_create(by=owner.user, resident=person, ward=owner.ward, category=category,
                                summary=SUMMARY, details=f"{NAME} rang about it", updates_by=updates_by)


def the_three_steps(case, owner, liaison, service, capture):
    """Accept, refer, resolve: each step's commit queues (never sends) its update; then the sender runs."""
    sent_during_requests = []
    with capture(execute=True):
        case = services.case_refer_to_advocacy(case=case, by=owner.user, version=case.version)
        case = services.case_accept(case=case, by=liaison, version=case.version, assignee=liaison)
        services.case_refer_to_service(case=case, by=liaison, version=case.version, service=service,
                                       details="Please fix the light")
        case.refresh_from_db()
        case = services.case_resolve(case=case, by=liaison, version=case.version, outcome="Fixed on Tuesday")
    sent_during_requests.append(len(mail.outbox))
    mail.outbox.clear()
    result = updates_send()
    return case, result, sent_during_requests


WORDS = [resident_updates.STEPS["accepted"], resident_updates.STEPS["referred"], resident_updates.STEPS["resolved"]]


def assert_reference_and_status_only(text: str, case: Case):
    assert case.reference in text
    for private in (NAME, "Pemberton", SUMMARY, "streetlight", "Please fix", "Fixed on Tuesday", EMAIL, "Highways"):
        assert private not in text


def test_a_resident_who_chose_email_gets_three_updates_by_email_and_the_timeline_says_so(
        owner, category, liaison, service, django_capture_on_commit_callbacks, client):
    case = new_case(owner, category, Case.Updates.EMAIL)
    assert case.updates_consent_at is not None
    case, result, during = the_three_steps(case, owner, liaison, service, django_capture_on_commit_callbacks)
    assert during == [0]  # nothing went while the steps ran: they only queued it
    assert result.sent == 3
    assert [m.to for m in mail.outbox] == [[EMAIL]] * 3
    for message, words in zip(mail.outbox, WORDS, strict=True):
        assert f"Your councillor casework case {case.reference}: {words}." in message.body
        html, kind = message.alternatives[0]
        assert kind == "text/html" and case.reference in html and words.replace("'", "&#x27;") in html
        assert message.extra_headers["Message-ID"] == Update.objects.get(personalisation__status=words).message_id
        assert_reference_and_status_only(message.subject + message.body + html, case)
    events = list(case.events.filter(kind=CaseEvent.Kind.RESIDENT_UPDATED).values_list("text", flat=True))
    assert events == [f"By email: “{words}”" for words in WORDS]
    assert not any(EMAIL in text for text in case.events.values_list("text", flat=True))
    # Sent once: running the sender (or the periodic job) again sends nothing more.
    assert updates_send().sent == 0 and emails_send_pending().get("updates", 0) == 0
    assert len([m for m in mail.outbox if m.to == [EMAIL]]) == 3
    client.force_login(owner.user)
    page = client.get(case.get_absolute_url()).content.decode()
    assert "Update sent to the resident" in page and "By email, when the case is accepted" in page


def test_a_second_service_on_a_case_already_waiting_sends_no_second_update(
        owner, category, liaison, service, django_capture_on_commit_callbacks):
    case = new_case(owner, category, Case.Updates.EMAIL)
    with django_capture_on_commit_callbacks(execute=True):
        case = services.case_refer_to_advocacy(case=case, by=owner.user, version=case.version)
        case = services.case_accept(case=case, by=liaison, version=case.version, assignee=liaison)
        for details in ("Please fix the light", "And the one next door"):
            case.refresh_from_db()
            services.case_refer_to_service(case=case, by=liaison, version=case.version, service=service,
                                           details=details)
    assert updates_send().sent == 2  # accepted, then referred once
    assert [m.body.count(resident_updates.STEPS["referred"]) for m in mail.outbox] == [0, 1]


def test_through_notify_the_stand_in_gets_each_update_with_its_template_and_personalisation(
        owner, category, liaison, service, django_capture_on_commit_callbacks, notify):
    case = new_case(owner, category, Case.Updates.EMAIL)
    case, result, _ = the_three_steps(case, owner, liaison, service, django_capture_on_commit_callbacks)
    assert result.sent == 3 and mail.outbox == [] and notify.refused == []
    sent = notify.of("email")
    assert [b["template_id"] for b in sent] == ["11111111-1111-1111-1111-111111111111"] * 3
    assert [b["email_address"] for b in sent] == [EMAIL] * 3
    assert [b["personalisation"] for b in sent] == [{"reference": case.reference, "status": w} for w in WORDS]
    for body in sent:
        assert_reference_and_status_only(str(body["personalisation"]), case)
    assert all(u.provider_id and u.backend == "notify" for u in Update.objects.all())


def test_a_resident_who_chose_text_messages_gets_them_through_notify(
        owner, category, liaison, service, django_capture_on_commit_callbacks, notify):
    case = new_case(owner, category, Case.Updates.SMS, preferred_contact="phone")
    case, result, _ = the_three_steps(case, owner, liaison, service, django_capture_on_commit_callbacks)
    assert result.sent == 3 and notify.of("email") == []
    sms = notify.of("sms")
    assert [(b["phone_number"], b["template_id"]) for b in sms] == [
        (MOBILE, "22222222-2222-2222-2222-222222222222")] * 3
    assert [b["personalisation"]["status"] for b in sms] == WORDS
    texts = list(case.events.filter(kind=CaseEvent.Kind.RESIDENT_UPDATED).values_list("text", flat=True))
    assert texts == [f"By text message: “{w}”" for w in WORDS]
    assert not any("07700" in t for t in case.events.values_list("text", flat=True))


def test_a_resident_who_did_not_opt_in_gets_nothing(owner, category, liaison, service,
                                                     django_capture_on_commit_callbacks, notify):
    case = new_case(owner, category, Case.Updates.NONE)
    assert case.updates_consent_at is None
    case, result, _ = the_three_steps(case, owner, liaison, service, django_capture_on_commit_callbacks)
    assert result.sent == 0 and Update.objects.count() == 0
    assert notify.received == [] and mail.outbox == []
    assert not case.events.filter(kind__in=[CaseEvent.Kind.RESIDENT_UPDATED, CaseEvent.Kind.RESIDENT_UPDATE_NOT_SENT])


def test_a_failing_notify_never_breaks_the_step_and_the_update_is_retried_until_it_goes_once(
        owner, category, liaison, django_capture_on_commit_callbacks, notify):
    case = new_case(owner, category, Case.Updates.EMAIL)
    notify.fail_next = [500, 429]
    with django_capture_on_commit_callbacks(execute=True):
        case = services.case_refer_to_advocacy(case=case, by=owner.user, version=case.version)
        case = services.case_accept(case=case, by=liaison, version=case.version, assignee=liaison)
    assert case.status == Case.Status.IN_PROGRESS  # the step stands whatever Notify does
    assert updates_send().failed == 1
    update = Update.objects.get()
    assert (update.attempts, update.sent_at) == (1, None) and "500" in update.last_error
    assert updates_send().failed == 1
    update.refresh_from_db()
    assert update.attempts == 2 and "429" in update.last_error and "Exceeded rate limit" in update.last_error
    assert updates_send().sent == 1 and updates_send().sent == 0
    assert len(notify.of("email")) == 1
    update.refresh_from_db()
    assert update.sent_at and update.last_error == ""
    assert case.events.filter(kind=CaseEvent.Kind.RESIDENT_UPDATED).count() == 1


def test_notify_refusing_an_update_records_it_as_not_sent_with_the_reason_and_does_not_retry(
        owner, category, liaison, django_capture_on_commit_callbacks, notify, client):
    case = new_case(owner, category, Case.Updates.EMAIL)
    notify.fail_next = [400]
    with django_capture_on_commit_callbacks(execute=True):
        case = services.case_refer_to_advocacy(case=case, by=owner.user, version=case.version)
        case = services.case_accept(case=case, by=liaison, version=case.version, assignee=liaison)
    updates_send()
    assert updates_send().sent == 0 and notify.received == []
    update = Update.objects.get()
    assert update.not_sent_at and "team-only API key" in update.last_error
    event = case.events.get(kind=CaseEvent.Kind.RESIDENT_UPDATE_NOT_SENT)
    assert "GOV.UK Notify refused it" in event.text and EMAIL not in event.text
    client.force_login(liaison)
    page = client.get(case.get_absolute_url()).content.decode()
    assert "Not sent" in page and "team-only API key" in page


def test_the_stand_in_refuses_a_token_signed_with_another_secret(owner, category, liaison,
                                                                  django_capture_on_commit_callbacks, notify,
                                                                  settings):
    settings.NOTIFY_API_KEY = f"wrong-{notify_standin.SERVICE_ID}-{'0' * 8}-0000-0000-0000-{'0' * 12}"
    case = new_case(owner, category, Case.Updates.EMAIL)
    with django_capture_on_commit_callbacks(execute=True):
        case = services.case_refer_to_advocacy(case=case, by=owner.user, version=case.version)
        services.case_accept(case=case, by=liaison, version=case.version, assignee=liaison)
    updates_send()
    assert notify.received == [] and notify.refused and "Invalid token" in notify.refused[0][1]
    assert Update.objects.get().not_sent_at is not None  # a 403: a bad key will not get better by itself


def test_text_messages_with_the_email_backend_are_recorded_as_not_sent_and_staff_see_why(
        owner, category, liaison, django_capture_on_commit_callbacks, client):
    case = new_case(owner, category, Case.Updates.SMS, preferred_contact="phone")
    with django_capture_on_commit_callbacks(execute=True):
        case = services.case_refer_to_advocacy(case=case, by=owner.user, version=case.version)
        case = services.case_accept(case=case, by=liaison, version=case.version, assignee=liaison)
    assert updates_send().sent == 0 and mail.outbox == []
    event = case.events.get(kind=CaseEvent.Kind.RESIDENT_UPDATE_NOT_SENT)
    assert "text messages need GOV.UK Notify" in event.text
    client.force_login(owner.user)
    page = client.get(case.get_absolute_url()).content.decode()
    assert "Update to the resident not sent" in page and "text messages need GOV.UK Notify" in page


# --- intake and the change page ----------------------------------------------------------------


def intake(owner, category, **changes):
    data = {"full_name": "Priya Quarmby", "postcode": "HD1 2TA", "address": "2 Market Street\nHuddersfield",
            "email": "", "phone": "", "preferred_contact": "post", "ward": owner.ward_id,
            "category": category.pk, "summary": "Pothole", "details": "", "enquiry_type": "member_enquiry",
            "priority": "normal", "capacity": "ward_councillor", "lawful_basis": "public_task",
            "special_category_condition": "", "updates_by": "none", **changes}
    return data


@pytest.mark.parametrize("choice, error", [
    ("email", "Enter the resident’s email address to send them updates by email, or choose another option"),
    ("sms", "Enter the resident’s mobile phone number to send them text messages, or choose another option"),
])
def test_intake_refuses_updates_without_the_address_they_need_and_saves_nothing(
        owner, category, client, choice, error):
    client.force_login(owner.user)
    response = client.post(reverse("casework:case-create"), intake(owner, category, updates_by=choice))
    page = response.content.decode()
    assert response.status_code == 200 and error in page and "govuk-error-summary" in page
    assert Case.objects.count() == 0


def test_intake_refuses_text_messages_to_a_landline(owner, category, client):
    client.force_login(owner.user)
    response = client.post(reverse("casework:case-create"), intake(
        owner, category, updates_by="sms", preferred_contact="phone", phone="01484 221000"))
    assert "Text messages go to mobile numbers only" in response.content.decode()
    assert Case.objects.count() == 0


def test_intake_records_the_choice_and_when_and_staff_may_change_or_withdraw_it(owner, category, client, liaison):
    client.force_login(owner.user)
    before = timezone.now()
    response = client.post(reverse("casework:case-create"), intake(
        owner, category, updates_by="email", preferred_contact="email", email="priya@example.org"))
    case = Case.objects.get()
    assert response.status_code == 302
    assert case.updates_by == Case.Updates.EMAIL and case.updates_consent_at >= before
    assert case.events.filter(kind=CaseEvent.Kind.UPDATES_CHANGED, text="The resident asked for updates by email")
    change = reverse("casework:case-action", args=[case.reference, "change-updates"])
    page = client.get(case.get_absolute_url()).content.decode()
    assert change in page and "By email, when the case is accepted" in page
    # A text message needs a phone number the record does not have: refused, nothing changes.
    response = client.post(change, {"version": case.version, "updates_by": "sms"})
    assert "Enter the resident’s mobile phone number" in response.content.decode()
    case.refresh_from_db()
    assert case.updates_by == Case.Updates.EMAIL
    response = client.post(change, {"version": case.version, "updates_by": "none"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.updates_by, case.updates_consent_at) == (Case.Updates.NONE, None)
    assert case.events.filter(kind=CaseEvent.Kind.UPDATES_CHANGED,
                              text="The resident does not want updates (consent withdrawn)").exists()
    client.force_login(liaison)  # not their case's team yet: may not
    assert client.get(change).status_code in (403, 404)


@pytest.mark.django_db(transaction=True)
def test_two_senders_at_once_send_each_update_once(owner, category, liaison, notify):
    import threading

    from django.db import connection

    cases = [new_case(owner, category, Case.Updates.EMAIL) for _ in range(6)]
    for case in cases:  # committed at once (no test transaction): each queues its update
        case = services.case_refer_to_advocacy(case=case, by=owner.user, version=case.version)
        services.case_accept(case=case, by=liaison, version=case.version, assignee=liaison)
    notify.delay = 0.05
    results = []

    def run():
        try:
            results.append(updates_send().sent)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(results) == 6
    assert sorted(b["personalisation"]["reference"] for b in notify.of("email")) == sorted(c.reference for c in cases)
    assert Update.objects.filter(sent_at__isnull=False).count() == 6
    assert CaseEvent.objects.filter(kind=CaseEvent.Kind.RESIDENT_UPDATED).count() == 6
