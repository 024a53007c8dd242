import os

from .base import *  # noqa: F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# In-process tests always get locmem (Django's test set-up forces it, for mail.outbox); a worker
# started by an end-to-end test is told by its environment to write its emails to files instead.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
EMAIL_TIMEOUT = 2  # the stalling-relay test waits this long
if "EMAIL_FILE_PATH" in os.environ:
    EMAIL_FILE_PATH = os.environ["EMAIL_FILE_PATH"]
# Each run its own keys, so one run's rate-limit counters never leak into the next.
CACHES["default"]["KEY_PREFIX"] = f"test-{os.getpid()}"  # noqa: F405
PRIVATE_MEDIA_ROOT = BASE_DIR / "var" / "test-private"  # noqa: F405
STORAGES["default"]["OPTIONS"]["location"] = PRIVATE_MEDIA_ROOT  # noqa: F405
# Tests publish to their own queue, never to the one a development worker listens on.
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("CELERY_QUEUE", "tests")
# The browser tests' live server is plain http on localhost: let security keys and passkeys work there.
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = True
