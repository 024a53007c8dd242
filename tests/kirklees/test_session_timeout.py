"""A signed-in session ends after 30 minutes unused and 12 hours after signing in, on the server;
the person signs in again and is brought back to where they were going."""
import datetime

import time_machine
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from ..helpers import sign_in as sign_in_as_people_do

START = timezone.now().replace(microsecond=0)


def sign_in(client, user):
    response = sign_in_as_people_do(client, user)
    assert response.status_code == 302
    return client.session.session_key


def test_the_session_key_changes_when_a_person_signs_in(client, liaison):
    client.get(reverse("account_login"))
    before = client.session.session_key
    assert sign_in(client, liaison) != before


def test_after_30_minutes_unused_the_next_request_is_signed_out_and_the_session_ended(client, liaison):
    with time_machine.travel(START, tick=False) as clock:
        key = sign_in(client, liaison)
        assert client.get(reverse("casework:queue")).status_code == 200
        clock.shift(datetime.timedelta(minutes=29))
        assert client.get(reverse("casework:queue")).status_code == 200  # 29 minutes: still signed in
        clock.shift(datetime.timedelta(minutes=31))

        response = client.get(reverse("casework:queue") + "?status=open")

        assert response.status_code == 302
        assert response.url == reverse("account_login") + "?next=/queue/%3Fstatus%3Dopen"
        login_page = client.get(response.url).content.decode()
        assert "signed out because you had not used the service for 30 minutes" in login_page
        assert client.session.session_key != key
        assert client.get(reverse("casework:queue")).status_code == 302  # the old session is gone for good
        assert not Session.objects.filter(session_key=key).exists()


def test_someone_working_all_day_is_signed_out_12_hours_after_signing_in(client, liaison):
    with time_machine.travel(START, tick=False) as clock:
        sign_in(client, liaison)
        for _ in range(12 * 3):  # a request every 20 minutes for 12 hours
            clock.shift(datetime.timedelta(minutes=20))
            assert client.get(reverse("casework:queue")).status_code == 200
        clock.shift(datetime.timedelta(minutes=20))
        response = client.get(reverse("casework:queue"))
        assert response.status_code == 302 and response.url.startswith(reverse("account_login"))
        assert "signed in more than 12 hours ago" in client.get(response.url).content.decode()


def test_the_limits_are_settings(client, liaison, settings):
    settings.SESSION_IDLE_SECONDS = 5 * 60
    with time_machine.travel(START, tick=False) as clock:
        sign_in(client, liaison)
        clock.shift(datetime.timedelta(minutes=6))
        assert client.get(reverse("casework:queue")).status_code == 302
