"""Requests that no page of the app can answer, refused before any view or query sees them."""

from django.core.exceptions import BadRequest
from django.http import Http404


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
