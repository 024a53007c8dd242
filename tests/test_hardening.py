"""Holes an attacker would use, and faults that lose work (issue 10, section 5)."""

import socket

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import override_settings

from .factories import PASSWORD, UserFactory


# --- Account takeover through allauth's email page -------------------------------------------------

@pytest.mark.parametrize("url", ["/accounts/email/", "/accounts/signup/", "/accounts/password/change/",
                                 "/accounts/password/set/", "/accounts/reauthenticate/", "/accounts/confirm-email/"])
def test_self_service_account_pages_are_not_mounted(client, liaison, url):
    client.force_login(liaison)
    assert client.get(url).status_code == 404


def test_a_signed_in_person_cannot_add_an_email_address_to_their_account(client, liaison):
    client.force_login(liaison)
    response = client.post("/accounts/email/", {"action_add": "", "email": "attacker@example.com"})
    assert response.status_code == 404
    assert not EmailAddress.objects.filter(email="attacker@example.com").exists()
    liaison.refresh_from_db()
    assert liaison.email != "attacker@example.com"


def test_signing_in_and_resetting_a_password_are_still_there(client, liaison):
    assert client.get("/accounts/login/").status_code == 200
    assert client.get("/accounts/password/reset/").status_code == 200
    assert client.get("/accounts/password/reset/done/").status_code == 200
    response = client.post("/accounts/login/", {"login": liaison.email, "password": PASSWORD})
    assert response.status_code == 302 and "_auth_user_id" in client.session


# --- The admin's sign-in has the same brute-force limits -------------------------------------------

def admin_sign_in(client, email, password):
    return client.post("/admin/login/?next=/admin/", {"username": email, "password": password})


def test_failed_admin_sign_ins_are_recorded_and_lock_the_account(client, db):
    from axes.models import AccessAttempt

    admin = UserFactory(email="root@example.org", is_staff=True, is_superuser=True)
    for _ in range(4):
        assert admin_sign_in(client, "Root@example.org", "wrong-password").status_code == 200
    assert admin_sign_in(client, "Root@example.org", "wrong-password").status_code == 429  # the fifth locks
    assert AccessAttempt.objects.get(username="root@example.org").failures_since_start == 5
    response = admin_sign_in(client, admin.email, PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_failures_at_the_admin_and_the_sign_in_page_count_together(client, db):
    admin = UserFactory(email="root@example.org", is_staff=True, is_superuser=True)
    for _ in range(3):
        admin_sign_in(client, admin.email, "wrong-password")
    for _ in range(2):
        client.post("/accounts/login/", {"login": admin.email, "password": "wrong-password"})
    assert client.post("/accounts/login/", {"login": admin.email, "password": PASSWORD}).status_code == 429
    assert admin_sign_in(client, admin.email, PASSWORD).status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_right_password_at_the_admin_still_signs_in(client, db):
    admin = UserFactory(email="root@example.org", is_staff=True, is_superuser=True)
    admin_sign_in(client, admin.email, "wrong-password")
    assert admin_sign_in(client, admin.email, PASSWORD).status_code == 302
    assert "_auth_user_id" in client.session


# --- Sign-in and password reset while Redis is down ------------------------------------------------

def closed_port() -> int:
    """A loopback port nothing listens on: connections to it are refused at once."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def cache_down(settings):
    cache = dict(settings.CACHES["default"], LOCATION=f"redis://127.0.0.1:{closed_port()}/1")
    with override_settings(CACHES={"default": cache}):
        yield


def test_signing_in_works_while_the_cache_is_down(client, liaison, cache_down):
    response = client.post("/accounts/login/", {"login": liaison.email, "password": PASSWORD})
    assert response.status_code == 302
    assert "_auth_user_id" in client.session


def test_a_wrong_password_is_still_refused_and_counted_while_the_cache_is_down(client, liaison, cache_down):
    for _ in range(5):
        response = client.post("/accounts/login/", {"login": liaison.email, "password": "wrong-password"})
        assert response.status_code in (200, 429)
    # axes counts in the database: the lockout stands without Redis.
    assert client.post("/accounts/login/", {"login": liaison.email, "password": PASSWORD}).status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_password_reset_is_sent_while_the_cache_is_down(client, liaison, cache_down):
    response = client.post("/accounts/password/reset/", {"email": liaison.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [liaison.email]
