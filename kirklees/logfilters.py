"""No query strings in the server's logs: searches put residents' names in URLs.

The queue's and *My cases*' text search, the People Finder, the people and stories lists are GET
forms, so `/queue/?q=Oakes` names a resident. Every query string is dropped from what the servers
log, on every path (simpler, and safe for any search added later): the line keeps the path and
shows `?[redacted]` where the query string was.

- gunicorn (production): `config/gunicorn.py` sets `logger_class` to `RedactingGunicornLogger`,
  which redacts the request line (`%(r)s`), the query string (`%(q)s`) and the referrer (`%(f)s`,
  the page the search results were on) in the access log, and query strings in its error log.
- Django's own loggers (`django.server`, runserver's request lines in `make run`; `django.request`):
  `QueryStringFilter` on their handlers in `LOGGING` (config/settings/base.py).

Imports nothing of Django: gunicorn's master process loads it before the app.
"""

import logging
import re

REDACTED = "[redacted]"

# A "?" that follows part of a URL and is followed by something: the query string runs to the next
# space or quote (a request line is `GET /path?query HTTP/1.1`).
_QUERY = re.compile(r"(?<=[^\s?\"'])\?[^\s\"']+")


def redact_query_strings(text: str) -> str:
    """`text` with every URL's query string replaced by `?[redacted]`."""
    return _QUERY.sub("?" + REDACTED, text)


def _redacted(value):
    return redact_query_strings(value) if isinstance(value, str) else value


class QueryStringFilter(logging.Filter):
    """Rewrites a record's message and arguments without query strings; never drops a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact_query_strings(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(_redacted(arg) for arg in record.args)
        elif isinstance(record.args, dict):
            record.args = {key: _redacted(value) for key, value in record.args.items()}
        return True


try:
    from gunicorn.glogging import Logger as _GunicornLogger
except ImportError:  # pragma: no cover - gunicorn is a production dependency
    _GunicornLogger = object


class RedactingGunicornLogger(_GunicornLogger):
    """gunicorn's logger, with no query string in any access log atom or error log line."""

    # The atoms that carry a query string: the request line, the query string itself, the referrer.
    URL_ATOMS = ("r", "f", "{referer}i", "{raw_uri}e", "{http_referer}e", "{request_uri}e")
    QUERY_ATOMS = ("q", "{query_string}e")

    def setup(self, cfg):
        super().setup(cfg)
        self.error_log.addFilter(QueryStringFilter())  # "Error handling request /queue/?q=..."

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        for name in self.URL_ATOMS:
            if name in atoms:
                atoms[name] = _redacted(atoms[name])
        for name in self.QUERY_ATOMS:
            if atoms.get(name):
                atoms[name] = REDACTED
        return atoms
