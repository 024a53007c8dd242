from django.contrib.auth.views import redirect_to_login
from django.shortcuts import resolve_url


def admin_login(request, extra_context=None):
    """The admin has no sign-in of its own: its page sends people to the service's, so that the
    same limits, lockout and second factor apply at the one door (a password alone at the admin's
    own form would skip the second factor). Someone signed in without admin access is refused."""
    from django.core.exceptions import PermissionDenied

    if request.user.is_authenticated:
        raise PermissionDenied("This account cannot use the admin.")
    return redirect_to_login(request.GET.get("next") or resolve_url("admin:index"))
