"""Security events in the log (failed sign-ins, lockouts, refusals), without personal data.

A line names the event and the page by its URL name, never the path or query (which can hold a
case reference or a search for a resident's name). The account and the address are each given as
a pseudonym: the first 12 hex digits of an HMAC keyed by the SECRET_KEY, so lines about one account
or from one address can be put together, and someone holding the key can check whether a given
email or address is the one behind them, but the log alone names nobody. No email, password or IP
address is written in clear.
"""

import logging

from django.utils.crypto import salted_hmac

logger = logging.getLogger("kirklees.security")


def pseudonym(value: str | None) -> str:
    if not value:
        return "-"
    return salted_hmac("kirklees.security_log", value.strip().lower()).hexdigest()[:12]


def security_event(event: str, request, *, account: str | None = None) -> None:
    from kirklees.users.axes import client_ip

    match = getattr(request, "resolver_match", None)
    fields = {
        "event": event,
        "path_name": (match.view_name if match else None) or "-",
        "method": request.method,
        "account": pseudonym(account),
        "address": pseudonym(client_ip(request)),
    }
    logger.warning("%(event)s path=%(path_name)s method=%(method)s account=%(account)s address=%(address)s",
                   fields, extra={"security": fields})
