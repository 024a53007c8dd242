"""A signed-in session ends after a while without use, and after a working day whatever happens.

ASVS V7: an unattended browser in a surgery or a library must not stay signed in to residents'
cases. The times are settings (SESSION_IDLE_SECONDS, SESSION_ABSOLUTE_SECONDS). When one has
passed, the session is ended on the server (as signing out does) and the person is asked to sign
in again, then brought back to where they were going.
"""
import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore

SIGNED_IN_AT = "kirklees_signed_in_at"
LAST_SEEN_AT = "kirklees_last_seen_at"
# Saving the session on every request would write to it on every click; once a minute is enough
# for a 30-minute limit.
LAST_SEEN_EVERY_SECONDS = 60


class SessionStore(DatabaseSessionStore):
    """Sessions in the database, as Django's, that note when their person signed in.

    Django gives a session a new key (`cycle_key`) when someone signs in, whichever way they do (the
    sign-in page, the admin's, a test's force_login): the moment both clocks start.
    """

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
        return self.get_response(request)

    @staticmethod
    def _signed_out(request, reason: str):
        logout(request)
        messages.info(request, reason + " Sign in again to carry on.")
        return redirect_to_login(request.get_full_path())
