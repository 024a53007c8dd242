"""Signing in: email and password, no public sign-up, rate-limited, accounts made by admins."""

import re

from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from kirklees.users.models import User

from ..factories.kirklees import PASSWORD, UserFactory


def sign_in(client, email, password):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def test_a_councillor_signs_in_with_email_and_password_and_lands_on_their_account(client, owner):
    response = sign_in(client, owner.user.email, PASSWORD)
    assert response.status_code == 302
    assert client.get("/", follow=True).redirect_chain[-1][0] == reverse("account:councillor-account")


def test_each_role_starts_where_its_work_is(client, liaison, data_admin):
    client.force_login(liaison)
    assert client.get("/").url == reverse("casework:queue")
    client.force_login(data_admin)
    assert client.get("/").url == reverse("wards:list")


def test_there_is_no_public_sign_up(client, db):
    assert client.get("/accounts/signup/").status_code == 404
    client.post("/accounts/signup/", {"email": "someone@example.com", "password1": "a-long-password-1"})
    assert not User.objects.filter(email="someone@example.com").exists()


def test_a_wrong_password_is_refused_with_a_message(client, owner):
    response = sign_in(client, owner.user.email, "not-the-password")
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_after_five_failures_even_the_right_password_is_refused(client, owner):
    for _ in range(5):
        sign_in(client, owner.user.email, "wrong-password")
    response = sign_in(client, owner.user.email, PASSWORD)
    assert response.status_code == 429
    assert "Too many attempts to sign in" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_an_invited_person_sets_their_password_from_the_emailed_link(client, db, django_capture_on_commit_callbacks,
                                                                     settings):
    settings.SITE_URL = "http://testserver"  # the link is built from the one setting, not a --base-url
    with django_capture_on_commit_callbacks(execute=True):
        call_command("invite_user", "new.officer@example.org", "New Officer", "liaison_officer")
    user = User.objects.get(email="new.officer@example.org")
    assert not user.has_usable_password()
    assert sign_in(client, user.email, "").status_code == 200  # no password, no way in

    link = re.search(r"http://testserver(\S+)", mail.outbox[0].body).group(1)
    response = client.get(link, follow=True)
    form_url = response.redirect_chain[-1][0] if response.redirect_chain else link
    response = client.post(form_url, {"password1": "a sound new pass phrase", "password2": "a sound new pass phrase"})
    assert response.status_code == 302
    client.logout()
    assert sign_in(client, user.email, "a sound new pass phrase").status_code == 302


def test_signing_out_needs_a_post(client, owner):
    client.force_login(owner.user)
    client.get(reverse("account_logout"))
    assert "_auth_user_id" in client.session
    client.post(reverse("account_logout"))
    assert "_auth_user_id" not in client.session


def test_a_user_with_no_role_sees_no_cases(client, db):
    user = UserFactory(role="")
    client.force_login(user)
    assert "has no role yet" in client.get("/").content.decode()
    assert client.get(reverse("casework:queue")).status_code == 403
