"""Holes an attacker would use, and faults that lose work (issue 10, section 5)."""

import pytest
from allauth.account.models import EmailAddress

from .factories import PASSWORD


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
