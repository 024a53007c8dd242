import os
import secrets
import subprocess
import sys

from django.conf import settings


def test_production_settings_pass_the_deployment_checks():
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},  # set for browser tests
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "casework.example.org",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SECRET_KEY"}
    env.update(DJANGO_SETTINGS_MODULE="config.settings.production", DJANGO_ALLOWED_HOSTS="x.example.org")
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=settings.BASE_DIR, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode != 0 and "DJANGO_SECRET_KEY" in result.stderr



def test_production_counts_sign_in_attempts_by_the_address_the_proxy_saw(settings):
    """Behind the TLS proxy every request comes from the proxy: allauth's per-address sign-in limits
    must read the client from X-Forwarded-For, as the survey's limit does, or one person's failures
    slow everyone down."""
    from allauth.core.internal.httpkit import get_client_ip
    from django.test import RequestFactory

    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.production",
           "DJANGO_SECRET_KEY": secrets.token_urlsafe(50), "DJANGO_ALLOWED_HOSTS": "casework.example.org"}
    result = subprocess.run(
        [sys.executable, "-c", "from django.conf import settings; "
                               "print(settings.ALLAUTH_TRUSTED_PROXY_COUNT, settings.TRUSTED_PROXY_COUNT)"],
        cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=120,
    )
    assert result.stdout.split() == ["1", "1"], result.stderr

    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    request = RequestFactory().get("/accounts/login/", REMOTE_ADDR="10.0.0.2",
                                   HTTP_X_FORWARDED_FOR="198.51.100.7, 203.0.113.9")
    assert get_client_ip(request) == "203.0.113.9"  # what the proxy saw, not what the client wrote
