"""A second factor (issue 12, section 1): staff cannot use the service without one, councillors after
a grace period; signing in asks for it; a code works once; a lost one is reset by a manager."""
import datetime
import logging
import re

import pytest
import time_machine
from allauth.mfa.models import Authenticator
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kirklees.users.models import User, UserSession

from ..factories.councillors import CouncillorFactory
from ..factories.kirklees import PASSWORD, UserFactory, give_second_factor, totp_code
from ..helpers import sign_in

SETUP = reverse("mfa_index")


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


# --- Who must have one -----------------------------------------------------------------------------

@pytest.mark.parametrize("role", [User.Role.LIAISON_OFFICER, User.Role.LIAISON_MANAGER, User.Role.WARD_DATA_ADMIN])
def test_staff_without_a_second_factor_reach_only_its_set_up(client, db, role):
    person = UserFactory(role=role, second_factor=False)
    client.force_login(person)

    for url in [reverse("home"), reverse("casework:queue"), reverse("users:sessions"), "/admin/"]:
        response = client.get(url)
        assert response.status_code == 302 and response.url == SETUP, url
    assert client.post(reverse("casework:queue")).url == SETUP

    page = client.get(SETUP).content.decode()
    assert "You need to set up a second factor before you can use the service" in page
    assert client.get(reverse("mfa_activate_totp")).status_code in (200, 302)  # 302: confirm it is you first
    assert client.post(reverse("account_logout")).status_code == 302
    assert not signed_in(client)


def test_a_superuser_without_a_second_factor_cannot_open_the_admin(client, db):
    root = UserFactory(role="", is_staff=True, is_superuser=True, second_factor=False)
    client.force_login(root)
    assert client.get("/admin/users/user/").url == SETUP


def test_staff_with_a_second_factor_work_as_before(client, liaison):
    client.force_login(liaison)
    assert client.get(reverse("casework:queue")).status_code == 200


def test_a_councillor_has_a_grace_period_from_their_first_sign_in_then_must_set_one_up(db):
    councillor = CouncillorFactory(user__email="cllr.grace@example.org")
    today = timezone.localdate()
    client = Client()

    assert sign_in(client, councillor.user).status_code == 302 and signed_in(client)
    councillor.user.refresh_from_db()
    assert councillor.user.mfa_grace_until == today + datetime.timedelta(days=14)
    page = client.get(reverse("casework:my-cases")).content.decode()
    assert f"Set up a second factor by {councillor.user.mfa_grace_until:%-d %B %Y}" in page

    with time_machine.travel(timezone.now() + datetime.timedelta(days=14), tick=False):
        client.force_login(councillor.user)  # a new sign-in on the last day does not start a new period
        assert client.get(reverse("casework:my-cases")).status_code == 200
    with time_machine.travel(timezone.now() + datetime.timedelta(days=15), tick=False):
        client.force_login(councillor.user)
        assert client.get(reverse("casework:my-cases")).url == SETUP
        assert "You need to set up a second factor" in client.get(SETUP).content.decode()


def test_a_council_may_let_councillors_go_without_one(client, owner, settings):
    settings.MFA_REQUIRED_FOR_COUNCILLORS = False
    client.force_login(owner.user)
    page = client.get(reverse("casework:my-cases")).content.decode()
    assert "second factor" not in page


# --- Signing in with one ---------------------------------------------------------------------------

def test_the_password_alone_does_not_sign_in_someone_with_a_second_factor(liaison):
    client = Client()
    client.get(reverse("account_login"))
    before = client.session.session_key

    response = client.post(reverse("account_login"), {"login": liaison.email, "password": PASSWORD})

    assert response.url == reverse("mfa_authenticate") and not signed_in(client)
    assert client.get(reverse("casework:queue")).status_code == 302 and not signed_in(client)
    wrong = client.post(reverse("mfa_authenticate"), {"code": "000000" if totp_code() != "000000" else "111111"})
    assert wrong.status_code == 200 and "Incorrect code" in wrong.content.decode() and not signed_in(client)

    right = client.post(reverse("mfa_authenticate"), {"code": totp_code()})

    assert right.status_code == 302 and signed_in(client)
    assert client.session.session_key != before
    assert client.get(reverse("casework:queue")).status_code == 200


def test_a_code_works_once(liaison):
    code = totp_code()
    first, second = Client(), Client()
    for client in (first, second):
        client.post(reverse("account_login"), {"login": liaison.email, "password": PASSWORD})

    assert first.post(reverse("mfa_authenticate"), {"code": code}).status_code == 302 and signed_in(first)
    again = second.post(reverse("mfa_authenticate"), {"code": code})

    assert again.status_code == 200 and "Incorrect code" in again.content.decode() and not signed_in(second)


def test_a_failed_code_is_in_the_security_log_without_the_email(liaison, caplog):
    caplog.set_level(logging.INFO)
    client = Client()
    client.post(reverse("account_login"), {"login": liaison.email, "password": PASSWORD})
    client.post(reverse("mfa_authenticate"), {"code": "12345x"})

    events = [r.security["event"] for r in caplog.records if hasattr(r, "security")]
    assert "second_factor_failed" in events
    assert liaison.email not in caplog.text


# --- Setting one up, and recovery codes ------------------------------------------------------------

def test_an_officer_sets_up_an_authenticator_app_and_a_recovery_code_works_once(client, db):
    officer = UserFactory(role=User.Role.LIAISON_OFFICER, second_factor=False, email="new.officer@example.org")
    client.force_login(officer)

    # Changing how one signs in asks for the password again first.
    response = client.get(reverse("mfa_activate_totp"))
    assert response.url.startswith(reverse("account_reauthenticate"))
    assert client.post(response.url, {"password": PASSWORD}).status_code == 302

    page = client.get(reverse("mfa_activate_totp")).content.decode()
    secret = re.search(r'id="totp-secret">([A-Z2-7]+)<', page).group(1)
    assert 'src="data:image/svg+xml;base64,' in page
    refused = client.post(reverse("mfa_activate_totp"), {"code": "12345"})
    assert "Incorrect code" in refused.content.decode()
    assert not Authenticator.objects.filter(user=officer).exists()

    response = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})

    assert response.status_code == 302
    codes = re.findall(r"<li><code>(\w+)</code></li>", client.get(response.url).content.decode())
    assert len(codes) == 10
    assert client.get(reverse("casework:queue")).status_code == 200
    stored = Authenticator.objects.get(user=officer, type=Authenticator.Type.TOTP).data["secret"]
    assert secret not in stored  # encrypted at rest

    client.post(reverse("account_logout"))
    assert sign_in_with_code(officer, codes[0]) is True
    assert sign_in_with_code(officer, codes[0]) is False  # used once already
    assert sign_in_with_code(officer, codes[1]) is True


def sign_in_with_code(user, code) -> bool:
    client = Client()
    client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    client.post(reverse("mfa_authenticate"), {"code": code})
    return signed_in(client)


def test_the_second_factor_pages_open_for_someone_who_has_one(client, liaison):
    client.force_login(liaison)
    page = client.get(SETUP).content.decode()
    assert "You sign in with a code from your authenticator app" in page
    assert "You need to set up" not in page


# --- A lost second factor --------------------------------------------------------------------------

def test_a_manager_resets_a_councillors_lost_second_factor(client, manager, owner, caplog,
                                                           django_capture_on_commit_callbacks):
    caplog.set_level(logging.INFO)
    give_second_factor(owner.user)
    elsewhere = Client()
    elsewhere.force_login(owner.user)
    client.force_login(manager)
    url = reverse("users:second-factor-reset", args=[owner.user.pk])
    assert "Reset their second factor" in client.get(url).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, follow=True)

    assert "second factor was reset" in response.content.decode()
    assert not Authenticator.objects.filter(user=owner.user).exists()
    assert not UserSession.objects.filter(user=owner.user).exists()
    assert not signed_in(elsewhere) or elsewhere.get(reverse("casework:my-cases")).status_code == 302
    (message,) = mail.outbox
    assert message.to == [owner.user.email] and manager.full_name in message.body
    assert "second_factor_reset" in [r.security["event"] for r in caplog.records if hasattr(r, "security")]
    # The councillor's grace period is over: next time they must set one up straight away.
    elsewhere.force_login(owner.user)
    assert elsewhere.get(reverse("casework:my-cases")).url == SETUP


def test_only_a_superuser_resets_a_managers_and_nobody_their_own(client, manager, liaison, owner, db):
    other_manager = UserFactory(role=User.Role.LIAISON_MANAGER)
    root = UserFactory(role="", is_superuser=True, is_staff=True)
    cases = [(manager, other_manager, 403), (manager, manager, 403), (liaison, owner.user, 403),
             (owner.user, liaison, 403), (root, root, 403), (root, manager, 302), (manager, liaison, 302)]
    for by, whose, status in cases:
        client.force_login(by)
        response = client.post(reverse("users:second-factor-reset", args=[whose.pk]))
        assert response.status_code == status, (by, whose)
    assert Authenticator.objects.filter(user=other_manager).exists()
    assert not Authenticator.objects.filter(user=manager).exists()


def test_changing_the_password_ends_the_other_sessions(liaison):
    laptop, phone = Client(), Client()
    sign_in(laptop, liaison)
    sign_in(phone, liaison)

    response = laptop.post(reverse("account_change_password"), {
        "oldpassword": PASSWORD, "password1": "a-new-long-password-77", "password2": "a-new-long-password-77"})

    assert response.status_code == 302
    assert laptop.get(reverse("casework:queue")).status_code == 200
    assert phone.get(reverse("casework:queue")).status_code == 302
    assert UserSession.objects.filter(user=liaison).count() == 1
