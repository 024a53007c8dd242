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


def _key(request) -> str:
    address = request.META.get("REMOTE_ADDR", "")
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
