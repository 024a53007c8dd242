"""A second factor (allauth.mfa): who must have one, and how its secrets are kept.

ASVS V6: a stolen or guessed password alone must not open residents' cases. Everyone with a staff
role and every superuser must set up an authenticator app or a security key before any page but
the set-up itself; councillors too (MFA_REQUIRED_FOR_COUNCILLORS), after a grace period of
MFA_COUNCILLOR_GRACE_DAYS counted from their first sign-in without one. allauth's own sign-in
asks for the second factor of anyone who has one, and refuses a code used once already.
"""
import base64
import datetime
import hashlib

from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from cryptography.fernet import Fernet
from django.conf import settings
from django.shortcuts import redirect
from django.utils import timezone

# A second factor proper: recovery codes only stand in for one that was lost.
SECOND_FACTORS = (Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN)

# What a person without the second factor they need may still open: its set-up, signing out, and
# what machines ask for. Everything else sends them to the set-up.
OPEN_WITHOUT_SECOND_FACTOR = {
    "mfa_index", "mfa_activate_totp", "mfa_view_recovery_codes", "mfa_download_recovery_codes",
    "mfa_generate_recovery_codes", "mfa_add_webauthn", "mfa_list_webauthn", "mfa_reauthenticate",
    "mfa_reauthenticate_webauthn", "mfa_authenticate", "account_reauthenticate", "account_logout",
    "healthz",
}


def has_second_factor(user) -> bool:
    return Authenticator.objects.filter(user=user, type__in=SECOND_FACTORS).exists()


def needs_second_factor(user) -> bool:
    return not user.is_councillor or user.is_superuser or settings.MFA_REQUIRED_FOR_COUNCILLORS


class RequireSecondFactorMiddleware:
    """After AuthenticationMiddleware and allauth's AccountMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated or not needs_second_factor(user) or has_second_factor(user):
            return None
        due = _grace_until(user)
        # What the set-up page and the banner in base.html tell the person.
        request.second_factor_due = due if due and timezone.localdate() <= due else None
        request.second_factor_required = request.second_factor_due is None
        if request.second_factor_required and request.resolver_match.url_name not in OPEN_WITHOUT_SECOND_FACTOR:
            return redirect("mfa_index")
        return None


def _grace_until(user) -> datetime.date | None:
    """A councillor's last day without a second factor; nobody else has a grace period."""
    if not user.is_councillor or user.is_superuser:
        return None
    return user.mfa_grace_until or grace_from(timezone.localdate())


def grace_from(day: datetime.date) -> datetime.date:
    return day + datetime.timedelta(days=settings.MFA_COUNCILLOR_GRACE_DAYS)


def start_grace_period(user) -> None:
    """At a councillor's first sign-in without a second factor, their grace period starts (once:
    a period already started, or ended by a reset, stays as it is)."""
    if user.is_councillor and not has_second_factor(user):
        type(user).objects.filter(pk=user.pk, mfa_grace_until=None).update(
            mfa_grace_until=grace_from(timezone.localdate()))


def _fernet() -> Fernet:
    key = hashlib.sha256(b"kirklees.mfa:" + settings.MFA_ENCRYPTION_KEY.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(key))


class MFAAdapter(DefaultMFAAdapter):
    """allauth keeps authenticator-app and recovery-code secrets in the database; encrypted here,
    so a copy of the database (a backup, a replica, a leaked dump) does not hold anyone's codes."""

    def encrypt(self, text: str) -> str:
        return _fernet().encrypt(text.encode()).decode()

    def decrypt(self, encrypted_text: str) -> str:
        return _fernet().decrypt(encrypted_text.encode()).decode()
