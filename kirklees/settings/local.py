from .base import *  # noqa: F403

DEBUG = True
EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")  # noqa: F405
EMAIL_FILE_PATH = BASE_DIR / "var" / "sent-emails"  # noqa: F405
