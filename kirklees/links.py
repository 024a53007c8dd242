"""Absolute links, for whatever leaves the site (emails, printed survey links): built from the one
setting, SITE_URL, never from the request's host (a proxy, a test client or a job has none to trust)."""

from django.conf import settings


def absolute_url(path: str) -> str:
    """`path` ("/cases/KC-2026-00001/") on the site, e.g. "https://casework.kirklees.gov.uk/cases/..."."""
    return settings.SITE_URL.rstrip("/") + "/" + path.lstrip("/")
