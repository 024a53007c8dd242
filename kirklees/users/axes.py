"""How django-axes counts and locks sign-in failures: per account and address, with a growing delay."""

from datetime import timedelta

from allauth.account.adapter import get_adapter
from django.core.exceptions import PermissionDenied
from django.db.models import Max
from django.utils import timezone

FIRST_LOCKOUT = timedelta(minutes=15)
LONGEST_LOCKOUT = timedelta(hours=24)
# How long an earlier lockout makes the next one longer (unless a sign-in succeeds in between).
LOCKOUTS_REMEMBERED_FOR = timedelta(hours=24)


def login_username(request, credentials=None) -> str | None:
    """The account a login attempt is for, as django-axes needs it to count failures.

    Every sign-in route shares the same count: allauth calls authenticate() with `email=` while its
    form posts `login`; the admin's login form posts `username` and authenticates with it. Read
    any of them, so that the lockout follows the account whichever way axes is asked and whichever
    door is tried.
    """
    credentials = credentials or {}
    value = credentials.get("email") or credentials.get("login") or credentials.get("username")
    if not value and request is not None and request.method == "POST":
        value = request.POST.get("login") or request.POST.get("username")
    return value.strip().lower() if value else None


def client_ip(request) -> str | None:
    """The address axes counts failures by: allauth's, so that both limits follow one proxy rule
    (ALLAUTH_TRUSTED_PROXY_COUNT, which is TRUSTED_PROXY_COUNT): with no trusted proxy,
    REMOTE_ADDR and never X-Forwarded-For; with N, the Nth entry from the right, the one the
    outermost trusted proxy wrote, never one the client put to its left."""
    try:
        return get_adapter(request).get_client_ip(request)
    except PermissionDenied:  # a request with no address at all, such as the test client's force_login()
        return None


def cool_off(request) -> timedelta:
    """How long a lockout of this account from this address lasts: 15 minutes, doubled for each
    earlier lockout of the pair in the last day since its last successful sign-in, at most a day.

    axes asks for this on every check, not once per lockout, so the answer must not change while a
    lockout stands: the lockout now in force is the one whose failure-log row is no older than the
    pair's latest recorded attempt, and only lockouts before that count.
    """
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    username = login_username(request) if request is not None else None
    address = getattr(request, "axes_ip_address", None)
    if not username or not address:
        return FIRST_LOCKOUT
    pair = {"username": username, "ip_address": address}
    since = timezone.now() - LOCKOUTS_REMEMBERED_FOR
    last_success = AccessLog.objects.filter(username__iexact=username, ip_address=address).aggregate(
        at=Max("attempt_time"))["at"]
    since = max(since, last_success) if last_success else since
    earlier = AccessFailureLog.objects.filter(**pair, locked_out=True, attempt_time__gte=since)
    current_run = AccessAttempt.objects.filter(**pair).aggregate(at=Max("attempt_time"))["at"]
    if current_run is not None:
        earlier = earlier.filter(attempt_time__lt=current_run)
    doublings = min(earlier.count(), 7)  # 15 minutes * 2**7 is already past the longest
    return min(FIRST_LOCKOUT * 2**doublings, LONGEST_LOCKOUT)
