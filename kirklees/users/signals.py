"""What the sign-in machinery tells us: written to the security log, and sessions ended when a
password changes (ASVS V7: a new password must shut out whoever knew the old one)."""
from allauth.account.signals import password_changed, password_reset
from allauth.mfa.signals import authentication_failed, authenticator_added, authenticator_removed
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from kirklees.security_log import security_event

from .mfa import start_grace_period
from .models import UserSession


@receiver(user_logged_in)
def grace_period_starts(sender, request, user, **kwargs):
    start_grace_period(user)


@receiver(password_changed)
@receiver(password_reset)
def end_other_sessions(sender, request, user, **kwargs):
    others = UserSession.objects.filter(user=user)
    if request is not None and request.session.session_key:
        others = others.exclude(session_key=request.session.session_key)
    others.delete()
    security_event("password_changed", request, account=user.email)


@receiver(authentication_failed)
def second_factor_failed(sender, request, user, reauthentication=False, **kwargs):
    security_event("second_factor_failed", request, account=user.email)


@receiver(authenticator_added)
def second_factor_added(sender, request, user, authenticator, **kwargs):
    security_event(f"second_factor_added_{authenticator.type}", request, account=user.email)


@receiver(authenticator_removed)
def second_factor_removed(sender, request, user, authenticator, **kwargs):
    security_event(f"second_factor_removed_{authenticator.type}", request, account=user.email)
