"""A limit on survey submissions per address, counted in the cache (Redis), never in the database.

The address is hashed before it becomes a cache key, so not even Redis holds it, and the count
expires with the window. A council library or a street stall's tablet sends many honest
responses from one address, so the limit is generous: it stops floods, not families.
"""
import hashlib
import logging

from django.conf import settings
from django.core.cache import cache

logger = logging.getLogger(__name__)

SURVEY_LIMIT = 20
SURVEY_WINDOW_SECONDS = 15 * 60


def client_address(request) -> str:
    """The address a request came from.

    Behind a proxy (production puts a TLS-terminating one in front of the app), REMOTE_ADDR is the
    proxy's, the same for every resident: counting by it would let 20 people answer per quarter
    hour, and let anyone shut the survey for everyone. Each of the TRUSTED_PROXY_COUNT proxies
    appends the address it was reached from to X-Forwarded-For, so the entry that many places from
    the right is the one the outermost trusted proxy saw; entries to its left are whatever the
    client chose to send, so they are never used.
    """
    hops = settings.TRUSTED_PROXY_COUNT
    if hops > 0:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= hops:
            return forwarded[-hops]
    return request.META.get("REMOTE_ADDR", "")


def _key(request) -> str:
    address = client_address(request)
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:{address}".encode()).hexdigest()[:32]
    return f"engagement:survey-posts:{digest}"


def survey_allowed(request) -> bool:
    """Count this submission; False once the address has sent more than the limit in the window.

    If the cache is down the submission is let through: losing a resident's answers is worse than
    a short gap in flood protection, and the honeypot still stands.
    """
    key = _key(request)
    try:
        if cache.add(key, 1, timeout=SURVEY_WINDOW_SECONDS):
            return True
        return cache.incr(key) <= SURVEY_LIMIT
    except Exception:
        logger.warning("Survey rate limit not checked: the cache is unavailable", exc_info=True)
        return True
