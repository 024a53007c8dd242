"""Lockout by account and address, with a growing delay; failed sign-ins and 403s in the log without
personal data (issue 12, section 5)."""

import datetime
import itertools
import logging

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from kirklees.security_log import pseudonym

from ..factories.kirklees import PASSWORD, UserFactory
from ..helpers import sign_in as sign_in_as_people_do

_hosts = itertools.count(1)


def new_address() -> str:
    """An address no other test signs in from: allauth's per-address counts stay in the cache."""
    return f"192.0.2.{next(_hosts)}"


def browser_at(address: str, **extra) -> Client:
    return Client(REMOTE_ADDR=address, **extra)


def sign_in(client, email, password, **extra):
    return sign_in_as_people_do(client, email, password, **extra)


def admin_sign_in(client, email, password, **extra):
    return client.post("/admin/login/?next=/admin/", {"username": email, "password": password}, **extra)


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def trust_proxies(settings, count):
    """What DJANGO_TRUSTED_PROXY_COUNT sets: the one count, for allauth's limits and so for axes'."""
    settings.TRUSTED_PROXY_COUNT = count
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = count


# --- Locked out from one address, not from another ------------------------------------------------

def test_ten_wrong_passwords_from_one_address_lock_it_out_while_the_officer_signs_in_from_another(liaison):
    attacker, officer = browser_at(new_address()), browser_at(new_address())

    statuses = [sign_in(attacker, liaison.email, "wrong-password").status_code for _ in range(10)]

    assert statuses == [200] * 4 + [429] * 6  # the fifth locks
    response = sign_in(attacker, liaison.email, PASSWORD)
    assert response.status_code == 429 and "Too many attempts to sign in" in response.content.decode()
    assert not signed_in(attacker)
    assert sign_in(officer, liaison.email, PASSWORD).status_code == 302
    assert signed_in(officer)


def test_the_admin_has_no_sign_in_of_its_own_so_its_door_has_the_same_limits(db):
    """The admin's sign-in page sends people to the service's, where the lockout, the per-address
    limit and the second factor apply; a password posted to the admin's page signs nobody in."""
    admin = UserFactory(email="root.lockout@example.org", is_staff=True, is_superuser=True)
    browser = browser_at(new_address())

    assert browser.get("/admin/login/?next=/admin/users/user/").url == "/accounts/login/?next=/admin/users/user/"
    response = admin_sign_in(browser, admin.email, PASSWORD)
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")
    assert not signed_in(browser)
    assert browser.get("/admin/", follow=True).redirect_chain[-1][0].startswith("/accounts/login/")


# --- The delay grows ------------------------------------------------------------------------------

def test_each_lockout_from_one_address_lasts_twice_as_long_as_the_one_before(liaison):
    attacker = browser_at(new_address())
    start = datetime.datetime(2026, 12, 2, 9, 0, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False) as clock:
        for _ in range(4):
            sign_in(attacker, liaison.email, "wrong-password")
        first = sign_in(attacker, liaison.email, "wrong-password")
        assert first.status_code == 429 and "paused for 15 minutes" in first.content.decode()

        clock.shift(datetime.timedelta(minutes=16))  # the first lockout is over: five more tries
        assert [sign_in(attacker, liaison.email, "wrong-password").status_code for _ in range(4)] == [200] * 4
        second = sign_in(attacker, liaison.email, "wrong-password")
        assert second.status_code == 429 and "paused for 30 minutes" in second.content.decode()
        still = sign_in(attacker, liaison.email, PASSWORD)
        assert still.status_code == 429 and "paused for 30 minutes" in still.content.decode()

        clock.shift(datetime.timedelta(minutes=16))  # as long as the first lasted: still locked
        assert sign_in(attacker, liaison.email, PASSWORD).status_code == 429
        assert not signed_in(attacker)

        clock.shift(datetime.timedelta(minutes=15))  # 31 minutes after the second lockout
        assert sign_in(attacker, liaison.email, PASSWORD).status_code == 302
        assert signed_in(attacker)


def test_a_successful_sign_in_starts_the_delay_again_from_fifteen_minutes(liaison):
    browser = browser_at(new_address())
    start = datetime.datetime(2026, 12, 2, 9, 0, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False) as clock:
        for _ in range(5):
            sign_in(browser, liaison.email, "wrong-password")
        clock.shift(datetime.timedelta(minutes=16))
        assert sign_in(browser, liaison.email, PASSWORD).status_code == 302
        browser.post(reverse("account_logout"))

        clock.shift(datetime.timedelta(minutes=1))
        for _ in range(4):
            sign_in(browser, liaison.email, "wrong-password")
        again = sign_in(browser, liaison.email, "wrong-password")
        assert again.status_code == 429 and "paused for 15 minutes" in again.content.decode()


# --- The address is the one the proxy rule gives ----------------------------------------------------

def test_with_no_trusted_proxy_a_rotating_x_forwarded_for_gives_no_fresh_addresses(liaison, settings):
    from axes.models import AccessAttempt

    trust_proxies(settings, 0)
    address = new_address()
    client = browser_at(address)

    statuses = [sign_in(client, liaison.email, "wrong-password", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}").status_code
                for n in range(1, 6)]

    assert statuses == [200] * 4 + [429]
    assert sign_in(client, liaison.email, PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.99").status_code == 429
    assert not signed_in(client)
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == [address]


def test_behind_one_trusted_proxy_the_last_x_forwarded_for_entry_is_the_address(liaison, settings):
    from axes.models import AccessAttempt

    trust_proxies(settings, 1)
    proxy, client_address, elsewhere = new_address(), new_address(), new_address()
    attacker, officer = browser_at(proxy), browser_at(proxy)

    statuses = [sign_in(attacker, liaison.email, "wrong-password",
                        HTTP_X_FORWARDED_FOR=f"203.0.113.{n}, {client_address}").status_code for n in range(1, 6)]

    assert statuses == [200] * 4 + [429]  # what the client wrote to the left of the proxy's entry is ignored
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == [client_address]
    assert sign_in(attacker, liaison.email, PASSWORD,
                   HTTP_X_FORWARDED_FOR=f"203.0.113.99, {client_address}").status_code == 429
    # Everyone comes through the proxy: the officer elsewhere is not locked out with the attacker.
    assert sign_in(officer, liaison.email, PASSWORD, HTTP_X_FORWARDED_FOR=elsewhere).status_code == 302
    assert signed_in(officer)


# --- Failed sign-ins and refusals are logged without personal data -----------------------------------

def security_lines(caplog):
    return [record for record in caplog.records if record.name == "kirklees.security"]


def assert_no_personal_data(caplog, *secrets):
    for record in caplog.records:
        line = record.getMessage()
        for secret in secrets:
            assert secret.lower() not in line.lower(), (record.name, line)


def test_a_failed_sign_in_is_logged_without_the_email_the_password_or_the_address(liaison, caplog):
    caplog.set_level(logging.INFO)
    address = new_address()

    sign_in(browser_at(address), liaison.email, "wrong-password-9")

    [line] = security_lines(caplog)
    assert line.security["event"] == "sign_in_failed"
    assert line.security["path_name"] == "account_login"
    assert line.security["account"] == pseudonym(liaison.email)  # lines about one account go together
    assert line.security["address"] == pseudonym(address)
    assert_no_personal_data(caplog, liaison.email, "wrong-password-9", address)


def test_a_refused_page_is_logged_without_the_email(client, caplog, db):
    caplog.set_level(logging.INFO)
    user = UserFactory(role="", email="no.role@example.org")
    client.force_login(user)

    assert client.get(reverse("casework:queue")).status_code == 403

    [line] = security_lines(caplog)
    assert line.security["event"] == "forbidden"
    assert line.security["path_name"] == "casework:queue"
    assert line.security["account"] == pseudonym(user.email)
    assert_no_personal_data(caplog, user.email)


@pytest.mark.parametrize("path", ["/accounts/login/", "/admin/login/"])
def test_a_form_posted_without_its_csrf_token_is_a_logged_403(caplog, db, path):
    caplog.set_level(logging.INFO)
    client = Client(enforce_csrf_checks=True, REMOTE_ADDR=new_address())

    response = client.post(path, {"login": "someone@example.org", "username": "someone@example.org",
                                  "password": "a-password"})

    assert response.status_code == 403
    [line] = security_lines(caplog)
    assert line.security["event"] == "forbidden" and line.security["account"] == "-"
    assert_no_personal_data(caplog, "someone@example.org", "a-password")
