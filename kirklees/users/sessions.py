"""A signed-in session ends after a while without use, and after a working day whatever happens.

ASVS V7: an unattended browser in a surgery or a library must not stay signed in to residents'
cases. The times are settings (SESSION_IDLE_SECONDS, SESSION_ABSOLUTE_SECONDS). When one has
passed, the session is ended on the server (as signing out does) and the person is asked to sign
in again, then brought back to where they were going.
"""
import datetime
import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY, logout
from django.contrib.auth.views import redirect_to_login
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore

SIGNED_IN_AT = "kirklees_signed_in_at"
LAST_SEEN_AT = "kirklees_last_seen_at"
DEVICE = "kirklees_device"
# Saving the session on every request would write to it on every click; once a minute is enough
# for a 30-minute limit.
LAST_SEEN_EVERY_SECONDS = 60


def _moment(seconds):
    return datetime.datetime.fromtimestamp(seconds, tz=datetime.UTC) if seconds else None


class SessionStore(DatabaseSessionStore):
    """Sessions in the database (kirklees.users.UserSession), each row saying whose it is, on what
    device, when they signed in and when it was last used, so a person can list and end theirs.

    Django gives a session a new key (`cycle_key`) when someone signs in, whichever way they do (the
    sign-in page, the admin's, a test's force_login): the moment both clocks start.
    """

    @classmethod
    def get_model_class(cls):
        from .models import UserSession

        return UserSession

    def create_model_instance(self, data):
        row = super().create_model_instance(data)
        user_id = data.get(SESSION_KEY)
        row.user_id = int(user_id) if user_id else None
        row.device = data.get(DEVICE, "")[:300]
        row.signed_in_at, row.last_seen_at = _moment(data.get(SIGNED_IN_AT)), _moment(data.get(LAST_SEEN_AT))
        return row

    def cycle_key(self):
        super().cycle_key()
        self[SIGNED_IN_AT] = self[LAST_SEEN_AT] = int(time.time())


class SessionTimeoutMiddleware:
    """After AuthenticationMiddleware and MessageMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        now = int(time.time())
        if request.user.is_authenticated:
            session = request.session
            if now - session.get(LAST_SEEN_AT, now) > settings.SESSION_IDLE_SECONDS:
                return self._signed_out(request, "You were signed out because you had not used the service "
                                                 f"for {settings.SESSION_IDLE_SECONDS // 60} minutes.")
            if now - session.get(SIGNED_IN_AT, now) > settings.SESSION_ABSOLUTE_SECONDS:
                return self._signed_out(request, "You were signed out because you signed in more than "
                                                 f"{settings.SESSION_ABSOLUTE_SECONDS // 3600} hours ago.")
            if SIGNED_IN_AT not in session:  # signed in before these clocks existed
                session[SIGNED_IN_AT] = now
            if now - session.get(LAST_SEEN_AT, 0) >= LAST_SEEN_EVERY_SECONDS:
                session[LAST_SEEN_AT] = now
        response = self.get_response(request)
        session = getattr(request, "session", None)
        # The device is noted when the session is being saved anyway (signing in does), never alone.
        if session is not None and session.modified and request.user.is_authenticated and DEVICE not in session:
            session[DEVICE] = request.META.get("HTTP_USER_AGENT", "")[:300]
        return response

    @staticmethod
    def _signed_out(request, reason: str):
        logout(request)
        messages.info(request, reason + " Sign in again to carry on.")
        return redirect_to_login(request.get_full_path())
