"""A person sees where they are signed in and ends any of those sessions, or all but this one."""
import pytest
from django.test import Client
from django.urls import reverse

from kirklees.users.models import UserSession
from kirklees.users.views import session_id

from ..helpers import sign_in

PHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) Mobile Safari"
LAPTOP = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/131.0"


def signed_in(user, device) -> Client:
    client = Client(HTTP_USER_AGENT=device)
    assert sign_in(client, user).status_code == 302
    return client


def test_a_person_sees_each_device_they_are_signed_in_on(liaison):
    laptop, phone = signed_in(liaison, LAPTOP), signed_in(liaison, PHONE)

    page = laptop.get(reverse("users:sessions")).content.decode()

    assert "iPhone" in page and "Windows NT" in page
    assert page.count("This device") == 1
    assert laptop.session.session_key not in page and phone.session.session_key not in page
    assert UserSession.objects.filter(user=liaison).count() == 2


def test_sign_out_everywhere_else_ends_the_other_browsers_session_and_keeps_this_one(liaison):
    laptop, phone = signed_in(liaison, LAPTOP), signed_in(liaison, PHONE)
    assert phone.get(reverse("casework:queue")).status_code == 200

    response = laptop.post(reverse("users:session-end"), {"everywhere": "1"}, follow=True)

    assert "Signed out of 1 other session" in response.content.decode()
    assert phone.get(reverse("casework:queue")).status_code == 302  # asked to sign in again
    assert laptop.get(reverse("casework:queue")).status_code == 200


def test_one_other_session_can_be_ended_by_itself(liaison):
    laptop, phone, tablet = signed_in(liaison, LAPTOP), signed_in(liaison, PHONE), signed_in(liaison, "Tablet")

    laptop.post(reverse("users:session-end"), {"session": session_id(phone.session.session_key)})

    assert phone.get(reverse("casework:queue")).status_code == 302
    assert tablet.get(reverse("casework:queue")).status_code == 200


@pytest.mark.parametrize("whose", ["someone else's", "made up"])
def test_nobody_ends_a_session_that_is_not_theirs(liaison, other_liaison, whose):
    mine, theirs = signed_in(liaison, LAPTOP), signed_in(other_liaison, PHONE)
    target = session_id(theirs.session.session_key) if whose == "someone else's" else "0" * 20

    assert mine.post(reverse("users:session-end"), {"session": target}).status_code == 404
    assert theirs.get(reverse("casework:queue")).status_code == 200


def test_signing_out_ends_the_session_on_the_server(liaison):
    laptop = signed_in(liaison, LAPTOP)
    key = laptop.session.session_key
    laptop.post(reverse("account_logout"))
    assert not UserSession.objects.filter(session_key=key).exists()
