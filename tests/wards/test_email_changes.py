"""Reference data must not decide where residents' personal data goes: a new address for a
service's referrals, its head of service or an officer takes effect only once the new inbox
confirms it (a signed, one-time, expiring link) or a liaison manager approves it. Until then
referrals and chasers go to the confirmed address, whichever way the address was changed."""
import datetime
import re

import pytest
import time_machine
from django.core import signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.urls import reverse

from casework import services as case_services
from casework.models import Case
from casework.referral_emails import referral_recipients
from kirklees.notifications.models import OutboundEmail
from kirklees.refusals import Refused
from wards.models import EmailChange, ImportBatch, Officer, Service
from wards.services import email_changes
from wards.services.people import officer_update, service_update

from ..factories.casework import make_case, walk
from ..factories.kirklees import UserFactory
from ..factories.wards import OfficerFactory, ServiceFactory
from ..helpers import at, chasers, sweep_on

D = datetime.date
Status = EmailChange.Status
LINK = re.compile(r"/people/confirm-address/([^/\s]+)/")
OUTSIDE = "outside@mailbox.example"


@pytest.fixture
def highways(db):
    return ServiceFactory(name="Highways", email="highways@kirklees.example",
                          head_of_service_email="head.highways@kirklees.example")


def service_form(service, **overrides) -> dict:
    data = {"name": service.name, "email": service.email, "head_of_service_email": service.head_of_service_email,
            "is_active": "on"}
    return data | overrides


def edit_service(client, user, service, **overrides):
    client.force_login(user)
    return client.post(reverse("wards:service-edit", args=[service.pk]), service_form(service, **overrides))


def emails_to(address):
    return list(OutboundEmail.objects.filter(to=address, topic="email_change").order_by("id"))


def link_sent_to(address) -> str:
    """The path of the newest confirmation link sent to `address`."""
    [token] = LINK.findall(emails_to(address)[-1].body)
    return reverse("wards:email-change-confirm", args=[token])


def confirm_page(client, path):
    client.logout()  # the link works signed in or not; the inbox's owner usually has no account
    return client.get(path), client.post(path)


def refer(case, by, service):
    return case_services.case_refer_to_service(case=case, by=by, version=case.version, service=service,
                                               details="Please fix the pothole outside number 4")


# ---------------------------------------------------------------- the issue's own test

def test_a_data_admins_new_service_address_gets_no_chaser_until_it_is_confirmed_then_gets_the_next(
        client, owner, category, liaison, data_admin, highways):
    """Tried before: 2 of 2 chasers went to an outside mailbox typed into the People Finder."""
    with at(D(2026, 11, 23)):
        first = walk(make_case(owner, category=category), Case.Status.AWAITING_SERVICE, team=liaison,
                     service=highways)  # answer due Mon 30 Nov
    with at(D(2026, 11, 24)):
        second = walk(make_case(owner, category=category), Case.Status.AWAITING_SERVICE, team=liaison,
                      service=highways)  # answer due Tue 1 Dec
        response = edit_service(client, data_admin, highways, email=OUTSIDE)
    assert response.status_code == 302

    sweep_on(D(2026, 11, 30))  # the first referral's chaser
    assert list(chasers().values_list("to", flat=True)) == ["highways@kirklees.example"]
    assert "Chased Highways at highways@kirklees.example." in first.events.get(kind="service_chased").text

    change = EmailChange.objects.get()
    assert (change.status, change.old_email, change.new_email, change.requested_by, change.requested_via) == (
        Status.PENDING, "highways@kirklees.example", OUTSIDE, data_admin, "form")

    with at(D(2026, 11, 30)):
        shown, confirmed = confirm_page(client, link_sent_to(OUTSIDE))
    assert shown.status_code == 200 and confirmed.status_code == 200
    assert "Email address confirmed" in confirmed.content.decode()

    sweep_on(D(2026, 12, 1))  # the second referral's chaser: to the address now confirmed
    assert list(chasers().filter(subject__contains=second.reference).values_list("to", flat=True)) == [OUTSIDE]
    change.refresh_from_db()
    assert change.status == Status.CONFIRMED and change.decided_at is not None and change.decided_by is None


def test_a_new_head_of_service_or_officer_address_waits_too(owner, category, liaison, data_admin, highways):
    officer = OfficerFactory(full_name="Priya Patel", email="priya@kirklees.example", service=highways)
    with at(D(2026, 11, 23)):
        case = walk(make_case(owner, category=category), Case.Status.IN_PROGRESS, team=liaison)
        case_services.case_refer_to_service(case=case, by=liaison, version=case.version, service=highways,
                                            officer=officer, details="Please fix")
        service_update(service=highways, by=data_admin, head_of_service_email="boss@mailbox.example")
        officer_update(officer=officer, by=data_admin, email="priya@mailbox.example")
    sweep_on(D(2026, 12, 7))  # every step at once, the head of service's included
    assert set(chasers().values_list("to", flat=True)) == {
        "highways@kirklees.example", "priya@kirklees.example", "head.highways@kirklees.example"}
    assert EmailChange.objects.pending().count() == 2


# ---------------------------------------------------------------- the emails

def test_the_link_goes_only_to_the_new_address_names_who_asked_and_the_old_address_is_told(
        client, data_admin, highways):
    edit_service(client, data_admin, highways, email=OUTSIDE)
    [to_new] = emails_to(OUTSIDE)
    [to_old] = emails_to("highways@kirklees.example")
    assert "Dana Data" in to_new.body and LINK.search(to_new.body)
    assert "Dana Data" in to_old.body and OUTSIDE in to_old.body
    assert not LINK.search(to_old.body) and "confirm-address" not in to_old.body
    assert set(OutboundEmail.objects.filter(topic="email_change").values_list("to", flat=True)) == {
        OUTSIDE, "highways@kirklees.example"}


def test_saving_the_form_again_unchanged_sends_nothing_more(client, data_admin, highways):
    edit_service(client, data_admin, highways, email=OUTSIDE)
    highways.refresh_from_db()
    edit_service(client, data_admin, highways, name="Highways and Streets")
    assert EmailChange.objects.count() == 1 and len(emails_to(OUTSIDE)) == 1


# ---------------------------------------------------------------- what the pages show

def test_the_service_and_officer_pages_show_the_new_address_as_pending_confirmation(
        client, data_admin, highways):
    officer = OfficerFactory(full_name="Priya Patel", email="priya@kirklees.example", service=highways)
    edit_service(client, data_admin, highways, email=OUTSIDE)
    client.post(reverse("wards:officer-edit", args=[officer.pk]), {
        "full_name": "Priya Patel", "job_title": officer.job_title, "service": highways.pk,
        "email": "priya@mailbox.example", "is_active": "on"})
    services_page = client.get(reverse("wards:services")).content.decode()
    assert "highways@kirklees.example" in services_page
    assert OUTSIDE in services_page and "Pending confirmation" in services_page
    edit_page = client.get(reverse("wards:service-edit", args=[highways.pk])).content.decode()
    assert f"<strong>{OUTSIDE}</strong> is pending confirmation" in edit_page
    people_page = client.get(reverse("wards:people")).content.decode()
    assert "priya@mailbox.example" in people_page and "Pending confirmation" in people_page
    officer_page = client.get(reverse("wards:officer-edit", args=[officer.pk])).content.decode()
    assert "<strong>priya@mailbox.example</strong> is pending confirmation" in officer_page


# ---------------------------------------------------------------- the link

def test_a_link_works_once(client, data_admin, highways):
    edit_service(client, data_admin, highways, email=OUTSIDE)
    path = link_sent_to(OUTSIDE)
    shown, confirmed = confirm_page(client, path)
    page = shown.content.decode()
    assert "Dana Data" in page and OUTSIDE in page and 'method="post"' in page
    assert confirmed.status_code == 200
    again_shown, again_posted = confirm_page(client, path)
    for response in (again_shown, again_posted):
        assert response.status_code == 400
        assert "already been used" in response.content.decode()
    assert EmailChange.objects.get().status == Status.CONFIRMED


def test_opening_the_link_without_pressing_the_button_changes_nothing(client, data_admin, highways):
    edit_service(client, data_admin, highways, email=OUTSIDE)
    client.logout()
    assert client.get(link_sent_to(OUTSIDE)).status_code == 200  # e.g. a mail scanner following links
    highways.refresh_from_db()
    assert highways.confirmed_email == "highways@kirklees.example"


def test_an_expired_link_is_refused_and_changes_nothing(client, data_admin, highways):
    with time_machine.travel("2026-11-23 09:00 +00:00", tick=False):
        edit_service(client, data_admin, highways, email=OUTSIDE)
    path = link_sent_to(OUTSIDE)
    with time_machine.travel("2026-12-01 09:00 +00:00", tick=False):  # eight days on
        shown, posted = confirm_page(client, path)
    for response in (shown, posted):
        assert response.status_code == 400
        assert "This link has expired. Nothing has been changed." in response.content.decode()
    highways.refresh_from_db()
    assert highways.confirmed_email == "highways@kirklees.example"
    assert EmailChange.objects.get().status == Status.PENDING


@pytest.mark.parametrize("tamper", [
    lambda token: token[:-2] + ("AA" if not token.endswith("AA") else "BB"),  # the signature
    lambda token: token.replace(token.split(":")[0], token.split(":")[0][::-1], 1),  # the payload
    lambda token: "not-a-token",
    lambda token: signing.TimestampSigner(salt=email_changes.SALT).sign_object(  # signed, but a guessed nonce
        {"c": signing.TimestampSigner(salt=email_changes.SALT).unsign_object(token)["c"], "n": "guess"}),
    lambda token: signing.TimestampSigner(salt="another-purpose").sign_object(
        signing.TimestampSigner(salt=email_changes.SALT).unsign_object(token)),
])
def test_a_tampered_link_is_refused_and_changes_nothing(client, data_admin, highways, tamper):
    edit_service(client, data_admin, highways, email=OUTSIDE)
    token = LINK.findall(emails_to(OUTSIDE)[-1].body)[0]
    shown, posted = confirm_page(client, reverse("wards:email-change-confirm", args=[tamper(token)]))
    for response in (shown, posted):
        assert response.status_code == 400
        assert "This link does not work" in response.content.decode()
    highways.refresh_from_db()
    assert highways.confirmed_email == "highways@kirklees.example"
    assert EmailChange.objects.get().status == Status.PENDING


def test_a_link_for_a_change_since_replaced_does_not_work(client, data_admin, highways):
    edit_service(client, data_admin, highways, email=OUTSIDE)
    first = link_sent_to(OUTSIDE)
    highways.refresh_from_db()
    edit_service(client, data_admin, highways, email="roads@kirklees.example")
    shown, posted = confirm_page(client, first)
    assert shown.status_code == posted.status_code == 400
    assert "replaced" in posted.content.decode()
    assert EmailChange.objects.get(new_email=OUTSIDE).status == Status.SUPERSEDED
    assert confirm_page(client, link_sent_to("roads@kirklees.example"))[1].status_code == 200
    highways.refresh_from_db()
    assert highways.confirmed_email == "roads@kirklees.example"


def test_changing_back_to_the_confirmed_address_withdraws_the_request(client, data_admin, highways):
    edit_service(client, data_admin, highways, email=OUTSIDE)
    highways.refresh_from_db()
    edit_service(client, data_admin, highways, email="highways@kirklees.example")
    assert EmailChange.objects.get().status == Status.SUPERSEDED
    assert confirm_page(client, link_sent_to(OUTSIDE))[1].status_code == 400


# ---------------------------------------------------------------- a liaison manager's decision

def test_a_liaison_manager_approves_a_pending_change_and_referrals_go_there(
        client, manager, data_admin, highways, owner, category, liaison):
    edit_service(client, data_admin, highways, email="roads@kirklees.example")
    change = EmailChange.objects.get()
    client.force_login(manager)
    page = client.get(reverse("wards:email-changes")).content.decode()
    assert "roads@kirklees.example" in page and "Dana Data" in page and "highways@kirklees.example" in page
    response = client.post(reverse("wards:email-change-approve", args=[change.pk]))
    assert response.status_code == 302
    change.refresh_from_db()
    assert (change.status, change.decided_by) == (Status.APPROVED, manager)
    case = walk(make_case(owner, category=category), Case.Status.IN_PROGRESS, team=liaison)
    referral = refer(case, liaison, Service.objects.get(pk=highways.pk))
    assert [address for address, _ in referral_recipients(referral)] == ["roads@kirklees.example"]
    recorded = client.get(reverse("wards:email-changes")).content.decode()
    assert "Approved by a liaison manager" in recorded and "Mark Manager" in recorded
    # and the link, sent before, no longer works
    assert confirm_page(client, link_sent_to("roads@kirklees.example"))[1].status_code == 400


def test_a_liaison_manager_rejects_a_change_and_the_typed_address_goes_back(client, manager, data_admin, highways):
    edit_service(client, data_admin, highways, email=OUTSIDE)
    change = EmailChange.objects.get()
    client.force_login(manager)
    assert client.post(reverse("wards:email-change-reject", args=[change.pk])).status_code == 302
    highways.refresh_from_db()
    assert (highways.email, highways.confirmed_email) == ("highways@kirklees.example", "highways@kirklees.example")
    change.refresh_from_db()
    assert (change.status, change.decided_by) == (Status.REJECTED, manager)
    assert confirm_page(client, link_sent_to(OUTSIDE))[1].status_code == 400


@pytest.mark.parametrize("who", ["data_admin", "councillor", "liaison", "no_role", "superuser"])
def test_nobody_but_a_liaison_manager_may_see_approve_or_reject_changes(
        client, councillor_and_staff, no_role, data_admin, highways, who):
    people = councillor_and_staff | {"no_role": no_role, "superuser": UserFactory(
        email="root@example.org", is_staff=True, is_superuser=True)}
    edit_service(client, data_admin, highways, email=OUTSIDE)
    change = EmailChange.objects.get()
    client.force_login(people[who])
    assert client.get(reverse("wards:email-changes")).status_code == 403
    for action in ("wards:email-change-approve", "wards:email-change-reject"):
        assert client.post(reverse(action, args=[change.pk])).status_code == 403
    change.refresh_from_db()
    highways.refresh_from_db()
    assert change.status == Status.PENDING and highways.confirmed_email == "highways@kirklees.example"


def test_signed_out_the_pending_page_asks_to_sign_in(client):
    response = client.get(reverse("wards:email-changes"))
    assert response.status_code == 302 and "login" in response.url


def test_approving_needs_a_post_with_a_csrf_token(manager, data_admin, highways, client):
    edit_service(client, data_admin, highways, email=OUTSIDE)
    change = EmailChange.objects.get()
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(manager)
    assert strict.get(reverse("wards:email-change-approve", args=[change.pk])).status_code == 405
    assert strict.post(reverse("wards:email-change-approve", args=[change.pk])).status_code == 403
    assert EmailChange.objects.get().status == Status.PENDING


def test_a_manager_cannot_approve_a_change_they_asked_for(manager, highways):
    Service.objects.filter(pk=highways.pk).update(email=OUTSIDE)  # as if they had typed it somewhere
    with transaction.atomic():
        [change] = email_changes.addresses_changed(highways, by=manager, via="admin")
    with pytest.raises(Refused, match="someone else must approve it"):
        email_changes.email_change_approve(change=change, by=manager)
    assert EmailChange.objects.get().status == Status.PENDING


def test_a_decided_change_cannot_be_decided_again(client, manager, data_admin, highways):
    edit_service(client, data_admin, highways, email=OUTSIDE)
    change = EmailChange.objects.get()
    client.force_login(manager)
    client.post(reverse("wards:email-change-reject", args=[change.pk]))
    response = client.post(reverse("wards:email-change-approve", args=[change.pk]), follow=True)
    assert "no longer pending" in response.content.decode()
    highways.refresh_from_db()
    assert highways.confirmed_email == "highways@kirklees.example"


# ---------------------------------------------------------------- new services and officers

def test_a_new_service_cannot_be_referred_to_until_its_address_is_confirmed(
        client, data_admin, owner, category, liaison):
    client.force_login(data_admin)
    client.post(reverse("wards:service-create"), {"name": "Parks", "email": "parks@kirklees.example",
                                                  "is_active": "on"})
    parks = Service.objects.get(name="Parks")
    assert (parks.email, parks.confirmed_email) == ("parks@kirklees.example", "")
    case = walk(make_case(owner, category=category), Case.Status.IN_PROGRESS, team=liaison)
    client.force_login(liaison)
    response = client.post(reverse("casework:case-action", kwargs={"reference": case.reference,
                                                                   "action": "refer-to-service"}),
                           {"version": case.version, "service": parks.pk, "details": "Please mow"})
    assert response.status_code == 200
    assert "Parks cannot be sent referrals yet: its email address (parks@kirklees.example) has not been " \
           "confirmed" in response.content.decode()
    assert not case.referrals.exists()
    assert not OutboundEmail.objects.exclude(topic="email_change").exists()

    confirm_page(client, link_sent_to("parks@kirklees.example"))
    case.refresh_from_db()
    referral = refer(case, liaison, Service.objects.get(pk=parks.pk))
    assert [address for address, _ in referral_recipients(referral)] == ["parks@kirklees.example"]


def test_a_new_officers_address_gets_no_referral_until_confirmed(client, data_admin, highways, owner, category,
                                                                 liaison):
    client.force_login(data_admin)
    client.post(reverse("wards:officer-create"), {"full_name": "Sam Jones", "job_title": "Inspector",
                                                  "service": highways.pk, "email": "sam@kirklees.example",
                                                  "is_active": "on"})
    sam = Officer.objects.get(full_name="Sam Jones")
    case = walk(make_case(owner, category=category), Case.Status.IN_PROGRESS, team=liaison)
    referral = case_services.case_refer_to_service(case=case, by=liaison, version=case.version, service=highways,
                                                   officer=sam, details="Please look")
    assert [address for address, _ in referral_recipients(referral)] == ["highways@kirklees.example"]
    [change] = EmailChange.objects.filter(officer=sam)
    assert (change.old_email, change.new_email, change.status) == ("", "sam@kirklees.example", Status.PENDING)


def test_removing_the_head_of_service_address_takes_effect_at_once_and_is_recorded(
        client, data_admin, highways):
    edit_service(client, data_admin, highways, head_of_service_email="")
    highways.refresh_from_db()
    assert highways.confirmed_head_of_service_email == ""
    change = EmailChange.objects.get()
    assert (change.status, change.old_email, change.new_email) == (Status.REMOVED, "head.highways@kirklees.example",
                                                                   "")


# ---------------------------------------------------------------- the CSV import and the Django admin

def import_file(client, user, kind, text):
    client.force_login(user)
    response = client.post(reverse("dataimport:index"), {
        "kind": kind, "file": SimpleUploadedFile("file.csv", text.encode(), content_type="text/csv")})
    assert response.status_code == 302
    batch = ImportBatch.objects.get(pk=int(response.url.rstrip("/").split("/")[-1]))
    html = client.get(response.url).content.decode()
    assert "is confirmed from the email sent to it" in html  # the preview says so before confirming
    fingerprint = re.search(r'name="fingerprint" value="(\w+)"', html).group(1)
    assert client.post(reverse("dataimport:confirm", args=[batch.pk]), {"fingerprint": fingerprint}).status_code \
        == 302


def test_a_csv_import_of_services_only_asks_for_new_addresses(client, data_admin, highways):
    import_file(client, data_admin, "services", "name,email,head_of_service_email,active\n"
                f"Highways,{OUTSIDE},head.highways@kirklees.example,yes\n"
                "Parks,parks@kirklees.example,,yes\n")
    highways.refresh_from_db()
    assert (highways.email, highways.confirmed_email) == (OUTSIDE, "highways@kirklees.example")
    parks = Service.objects.get(name="Parks")
    assert parks.confirmed_email == ""
    assert set(EmailChange.objects.pending().values_list("new_email", "requested_via")) == {
        (OUTSIDE, "import"), ("parks@kirklees.example", "import")}
    assert LINK.search(emails_to(OUTSIDE)[0].body)


def test_a_csv_import_of_a_new_officer_asks_for_their_address(client, data_admin, highways):
    import_file(client, data_admin, "officers", "email,full_name,job_title,service,phone,wards,places,"
                "last_confirmed,active\nsam@mailbox.example,Sam Jones,Inspector,Highways,,,,,yes\n")
    sam = Officer.objects.get(email="sam@mailbox.example")
    assert sam.confirmed_email == ""
    assert EmailChange.objects.pending().get().officer == sam


def test_an_edit_in_the_django_admin_only_asks_for_the_new_address(client, highways):
    root = UserFactory(email="root@example.org", full_name="Root", role="", is_staff=True, is_superuser=True)
    client.force_login(root)
    response = client.post(reverse("admin:wards_service_change", args=[highways.pk]), service_form(
        highways, email=OUTSIDE))
    assert response.status_code == 302
    highways.refresh_from_db()
    assert (highways.email, highways.confirmed_email) == (OUTSIDE, "highways@kirklees.example")
    change = EmailChange.objects.get()
    assert (change.requested_by, change.requested_via, change.status) == (root, "admin", Status.PENDING)


def test_the_confirmed_address_is_not_a_field_in_the_django_admin(client, highways):
    root = UserFactory(email="root@example.org", full_name="Root", role="", is_staff=True, is_superuser=True)
    client.force_login(root)
    client.post(reverse("admin:wards_service_change", args=[highways.pk]),
                service_form(highways, confirmed_email=OUTSIDE, confirmed_head_of_service_email=OUTSIDE))
    highways.refresh_from_db()
    assert highways.confirmed_email == "highways@kirklees.example"
    assert highways.confirmed_head_of_service_email == "head.highways@kirklees.example"


# ---------------------------------------------------------------- existing data

@pytest.mark.django_db(transaction=True)
def test_the_migration_counts_existing_addresses_as_confirmed():
    before, after = [("wards", "0003_fundingscheme_boundarychange_importbatch_place_and_more")], \
        [("wards", "0005_existing_addresses_confirmed")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    service = old.get_model("wards", "Service").objects.create(
        name="Highways", email="highways@kirklees.example", head_of_service_email="head@kirklees.example")
    old.get_model("wards", "Officer").objects.create(full_name="Priya Patel", job_title="Inspector",
                                                     service_id=service.pk, email="priya@kirklees.example")
    try:
        executor = MigrationExecutor(connection)
        executor.migrate(after)
        new = executor.loader.project_state(after).apps
        migrated = new.get_model("wards", "Service").objects.get()
        assert migrated.confirmed_email == "highways@kirklees.example"
        assert migrated.confirmed_head_of_service_email == "head@kirklees.example"
        assert new.get_model("wards", "Officer").objects.get().confirmed_email == "priya@kirklees.example"
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
