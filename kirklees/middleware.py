"""What every request and response gets, whichever page answers it."""

from django.core.exceptions import BadRequest
from django.http import Http404
from django.utils.cache import patch_cache_control

from kirklees.security_log import security_event


class RejectNulBytesMiddleware:
    """A NUL byte (%00) can be in no page's address, and Postgres refuses it in any query (a 500
    if it got that far, e.g. as a survey token): answer 404 for one in the path, 400 in the query."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path_info or "\x00" in request.path:
            raise Http404("No such page")
        if any("\x00" in key or "\x00" in value for key, values in request.GET.lists() for value in values):
            raise BadRequest("A NUL byte is not allowed in a query")
        return self.get_response(request)


class NoStoreWhenSignedInMiddleware:
    """Whatever a signed-in person is sent (pages, CSV exports, attachments) may hold residents'
    details: no browser cache, proxy or shared computer may keep a copy or show it again from
    history after they sign out (Cache-Control: no-store, private). Public pages stay cacheable.

    After AuthenticationMiddleware, which gives the request its user.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True)
        return response


class LogForbiddenMiddleware:
    """Every 403, whichever refused it (a permission check, the admin, a CSRF failure), is a line
    in the security log, without personal data (kirklees.security_log).

    After AuthenticationMiddleware, which gives the request its user.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 403:
            user = getattr(request, "user", None)
            account = user.email if user is not None and user.is_authenticated else None
            security_event("forbidden", request, account=account)
        return response
