"""An OAuth 2.0 access token for the IMAP poller (Microsoft 365 takes no password for IMAP): the
client-credentials flow of the Microsoft identity platform, at INBOUND_IMAP_OAUTH_TOKEN_URL, with
the app registration's client id and secret. The token is kept in the cache (one key per client id)
until a minute before it expires, so a poll every minute asks for one about once an hour.

Neither the secret nor a token is ever logged or put in an error message."""

import hashlib
import logging

import requests
from django.conf import settings
from django.core.cache import cache

logger = logging.getLogger(__name__)

EARLY = 60  # seconds before expires_in that a cached token is given up


class TokenError(RuntimeError):
    """The token endpoint gave no usable token: the poll fails, nothing is taken."""


def _key(client_id: str) -> str:
    return "mailin:imap-oauth-token:" + hashlib.sha256(client_id.encode()).hexdigest()[:32]


def xoauth2(user: str, token: str) -> bytes:
    """SASL XOAUTH2's initial response (imaplib base64-encodes it)."""
    return f"user={user}\x01auth=Bearer {token}\x01\x01".encode()


def access_token() -> str:
    """The cached token, or a new one from the token endpoint."""
    client_id = settings.INBOUND_IMAP_OAUTH_CLIENT_ID
    url = settings.INBOUND_IMAP_OAUTH_TOKEN_URL
    if not (client_id and settings.INBOUND_IMAP_OAUTH_CLIENT_SECRET and url):
        raise TokenError("INBOUND_IMAP_AUTH is oauth2 but INBOUND_IMAP_OAUTH_CLIENT_ID, "
                         "INBOUND_IMAP_OAUTH_CLIENT_SECRET or INBOUND_IMAP_OAUTH_TENANT (or _TOKEN_URL) is not set")
    token = cache.get(_key(client_id))
    if token:
        return token
    try:
        reply = requests.post(url, data={"grant_type": "client_credentials", "client_id": client_id,
                                         "client_secret": settings.INBOUND_IMAP_OAUTH_CLIENT_SECRET,
                                         "scope": settings.INBOUND_IMAP_OAUTH_SCOPE},
                              timeout=settings.INBOUND_IMAP_TIMEOUT, verify=True)
    except requests.RequestException as exc:
        raise TokenError(f"The OAuth token endpoint {url} could not be reached: {type(exc).__name__}") from None
    try:
        body = reply.json()
    except ValueError:
        body = None
    if reply.status_code != 200 or not isinstance(body, dict) or not isinstance(body.get("access_token"), str):
        # Microsoft's error answer: {"error": "invalid_client", "error_description": "AADSTS7000215: ..."}
        said = ""
        if isinstance(body, dict) and isinstance(body.get("error"), str):
            said = f": {body['error'][:100]}"
            description = body.get("error_description")
            if isinstance(description, str) and description.strip():
                said += f" ({description.strip().splitlines()[0][:200]})"
        raise TokenError(f"The OAuth token endpoint {url} gave no access token for client {client_id} "
                         f"(HTTP {reply.status_code}{said or ', not a token answer'})")
    try:
        expires_in = int(body.get("expires_in", 0))
    except (TypeError, ValueError):
        expires_in = 0
    if expires_in - EARLY > 0:
        cache.set(_key(client_id), body["access_token"], timeout=expires_in - EARLY)
    logger.info("Got an OAuth access token for the IMAP mailbox (client %s, for %ss)", client_id, expires_in)
    return body["access_token"]


def forget_token() -> None:
    """Drop the cached token (the IMAP server refused it): the next poll asks for a new one."""
    cache.delete(_key(settings.INBOUND_IMAP_OAUTH_CLIENT_ID))
