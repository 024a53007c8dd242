"""Factories for the ground floor: users (every test person signs in with PASSWORD).

Everyone who must have a second factor to use the service (staff roles, superusers) gets an
authenticator app with TOTP_SECRET, so `force_login` reaches their pages as signing in would;
`second_factor=False` makes one without, `second_factor=True` gives a councillor one too.
`totp_code()` is what their app would show now.
"""
import time

import factory
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value, yield_hotp_counters_from_time

from kirklees.users.models import User

PASSWORD = "correct-horse-battery"
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def totp_code(secret: str = TOTP_SECRET, *, counter: int | None = None) -> str:
    """The six digits an authenticator app shows for `secret` now (RFC 6238), as a phone would work them out."""
    if counter is None:
        # A code read in the last moments of its 30-second step has changed by the time a browser
        # test has typed it and the server checks it (no tolerance is allowed): wait for the next.
        left = mfa_settings.TOTP_PERIOD - time.time() % mfa_settings.TOTP_PERIOD
        if left < 4:
            time.sleep(left + 0.2)
        counter = next(yield_hotp_counters_from_time())
    return format_hotp_value(hotp_value(secret, counter))


def code_for(user) -> str:
    """What this person's authenticator app shows now, from the key stored for them (the factory's
    TOTP_SECRET, or the demo's published key for the demo logins)."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.utils import decrypt

    stored = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    return totp_code(decrypt(stored.data["secret"]))


def give_second_factor(user) -> None:
    """An authenticator app set up with TOTP_SECRET, for a user made some other way than the factory."""
    TOTP.activate(user, TOTP_SECRET)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Sequence(lambda n: f"Person {n}")
    role = User.Role.COUNCILLOR
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def saved(obj, create, extracted, **kwargs):
        if create:
            obj.save()

    @factory.post_generation
    def second_factor(obj, create, extracted, **kwargs):
        wanted = extracted if extracted is not None else (obj.role != User.Role.COUNCILLOR or obj.is_superuser)
        if create and wanted:
            give_second_factor(obj)
