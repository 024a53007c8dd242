"""Going back where a form came from, safely."""

from django.http import HttpResponseRedirect
from django.shortcuts import resolve_url
from django.utils.http import url_has_allowed_host_and_scheme


def safe_next(request, default: str, field: str = "next") -> str:
    """The `next` path the request carries (POST, else GET), or `default` (a URL name or path).

    Only a path on this site is followed: never another host or scheme (an open redirect), and
    never a bare word such as `abc`, which `redirect()` would take for a URL name and fail on.
    """
    target = request.POST.get(field) or request.GET.get(field) or ""
    if (target.startswith("/") and "\x00" not in target
            and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                require_https=request.is_secure())):
        return target
    return resolve_url(default)


def redirect_to_next(request, default: str, field: str = "next") -> HttpResponseRedirect:
    return HttpResponseRedirect(safe_next(request, default, field))
