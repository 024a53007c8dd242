"""Searches are GET forms, so residents' names sit in query strings: no server log may keep them.

The real servers are started (gunicorn with config/gunicorn.py, as the Dockerfile runs it, and
runserver, as `make run` does) and sent a search; their logs must show the path, not the name."""

import io
import logging
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest
from django.conf import settings

from kirklees.logfilters import QueryStringFilter, redact_query_strings

from ..helpers import url_of_the_test_database

NAME = "Margaret+Oakes"  # a resident's name, as a search box sends it
START_SECONDS = 30


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve_and_search(command: list[str], port: int) -> tuple[str, str]:
    """Start `command` (a server on `port`), search once through it, stop it: (stdout, stderr)."""
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.test",
        DATABASE_URL=url_of_the_test_database(),
        REDIS_URL=settings.REDIS_URL,
        PYTHONUNBUFFERED="1",
    )
    server = subprocess.Popen(
        command, cwd=settings.BASE_DIR, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        base = f"http://127.0.0.1:{port}"
        search = urllib.request.Request(
            f"{base}/people/?q={NAME}&ward=", headers={"Referer": f"{base}/queue/?q={NAME}"}
        )
        deadline = time.monotonic() + START_SECONDS
        while True:
            try:
                # Anonymous: redirected to sign in, with the search in ?next=, which is a second line.
                urllib.request.urlopen(search, timeout=10).read()
                break
            except urllib.error.HTTPError:
                break  # answered: any status is logged
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError("the server did not start:\n" + "".join(server.communicate()))
                time.sleep(0.3)
    finally:
        server.terminate()
        try:
            out, err = server.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            out, err = server.communicate()
    return out, err


@pytest.mark.django_db
def test_gunicorn_access_log_has_the_path_not_the_search():
    port = free_port()
    out, err = serve_and_search(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "-c",
            "config/gunicorn.py",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "config.wsgi",
        ],
        port,
    )
    assert "GET /people/?[redacted] HTTP/1.1" in out, out + err  # the access log is on stdout
    assert "GET /accounts/login/?[redacted] HTTP/1.1" in out, out + err  # ?next= carried the search
    assert "/queue/?[redacted]" in out, out + err  # the referrer
    assert "Oakes" not in out + err


@pytest.mark.django_db
def test_runserver_request_lines_have_the_path_not_the_search():
    port = free_port()
    out, err = serve_and_search(
        [sys.executable, "manage.py", "runserver", "--noreload", "--skip-checks", f"127.0.0.1:{port}"], port
    )
    assert "GET /people/?[redacted] HTTP/1.1" in err, out + err
    assert "Oakes" not in out + err


def test_the_django_request_loggers_handlers_drop_query_strings():
    """LOGGING gives every handler the filter: a request line or URL logged anywhere loses its query."""
    # The handlers LOGGING configured (runserver's, and the root's console), writing here for now.
    handlers = [
        h
        for name in ("django.server", "")
        for h in logging.getLogger(name).handlers
        if isinstance(h, logging.StreamHandler) and type(h).__module__ == "logging"
    ]
    assert len(handlers) == 2, handlers
    written = io.StringIO()
    streams = [h.setStream(written) for h in handlers]
    try:
        logging.getLogger("django.server").info('"%s" %s %s', "GET /queue/?q=Margaret+Oakes&page=2 HTTP/1.1", 200, 10)
        logging.getLogger("django.request").warning("Bad search: %s", "/people/?q=Margaret+Oakes")
        logging.getLogger("casework").warning("Opened /queue/?q=Margaret+Oakes from a link")
    finally:
        for handler, stream in zip(handlers, streams):
            handler.setStream(stream)
    text = written.getvalue()
    assert '"GET /queue/?[redacted] HTTP/1.1" 200 10' in text
    assert "Bad search: /people/?[redacted]" in text
    assert "Opened /queue/?[redacted] from a link" in text
    assert "Oakes" not in text


def test_redaction_keeps_the_path_and_everything_but_the_query():
    assert redact_query_strings("GET /queue/?q=Oakes&status=open HTTP/1.1") == "GET /queue/?[redacted] HTTP/1.1"
    assert (
        redact_query_strings("https://casework.example.org/people/?q=Oakes")
        == "https://casework.example.org/people/?[redacted]"
    )
    assert redact_query_strings("GET /queue/ HTTP/1.1") == "GET /queue/ HTTP/1.1"
    assert redact_query_strings("Is it down? Yes") == "Is it down? Yes"  # a question is not a query


def test_the_filter_redacts_arguments_of_every_shape_and_keeps_the_record():
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "%(url)s", None, None)
    record.args = {"url": "/people/?q=Oakes", "status": 200}
    assert QueryStringFilter().filter(record) is True
    assert record.getMessage() == "/people/?[redacted]"
