"""`make run` runs as production would: the local settings have DEBUG off unless DJANGO_DEBUG=1 asks
for it, a missing or refused page is our own 404 (never Django's technical page listing every URL
pattern), and WhiteNoise serves the static files that runserver would not serve with DEBUG off."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from kirklees.users.models import User

from ..factories.kirklees import UserFactory

ROOT = Path(__file__).resolve().parents[2]

# Run in a fresh interpreter: settings are read once per process, and the tests' own are test.py.
# Only pages that need no database are asked for, so that no database is needed.
PROBE = """
import json, django
django.setup()
from django.conf import settings
from django.test import Client
client = Client(HTTP_HOST="127.0.0.1")
missing = client.get("/no-such-page/")
static = client.get("/static/js/app.js")
print(json.dumps({
    "debug": settings.DEBUG,
    "missing": [missing.status_code, missing.content.decode()],
    "static": [static.status_code, b"".join(static.streaming_content).decode()[:200] if static.streaming else ""],
}))
"""


def local_settings(**environ) -> dict:
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_DEBUG"}
    env.update(DJANGO_SETTINGS_MODULE="config.settings.local", **environ)
    result = subprocess.run([sys.executable, "-c", PROBE], env=env, cwd=ROOT, capture_output=True, text=True,
                            timeout=60, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_local_settings_have_debug_off_and_a_missing_page_is_our_own_404():
    probe = local_settings()
    assert probe["debug"] is False
    status, html = probe["missing"]
    assert status == 404
    assert "Page not found" in html and "govuk-template" in html
    assert "URLconf" not in html


def test_local_settings_serve_static_files_with_debug_off():
    status, body = local_settings()["static"]
    assert status == 200
    assert body.startswith("// Project JavaScript")


def test_a_developer_switches_debug_on_with_an_environment_variable():
    assert local_settings(DJANGO_DEBUG="1")["debug"] is True


@pytest.mark.django_db
def test_a_refused_case_is_our_own_404(client, case):
    client.force_login(UserFactory(role=User.Role.COUNCILLOR))
    response = client.get(case.get_absolute_url())
    assert response.status_code == 404
    assert [t.name for t in response.templates][0] == "errors/404.html"
    assert b"Page not found" in response.content
