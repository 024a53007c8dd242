from .base import *  # noqa: F403

# The demo runs as production would: DEBUG off, so a refused or missing page is our own 403/404/500
# page, never Django's technical one that lists every URL pattern. A developer who wants the
# technical pages sets DJANGO_DEBUG=1.
DEBUG = env_bool("DJANGO_DEBUG", False)  # noqa: F405

# With DEBUG off, runserver serves no static files: WhiteNoise does, in every process `make run`
# starts (they all read these settings). It finds them where runserver would (static/ and the apps),
# so no collectstatic is needed, and rereads them as `make assets` rebuilds them.
MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")  # noqa: F405  (after SecurityMiddleware)
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")  # noqa: F405
EMAIL_FILE_PATH = BASE_DIR / "var" / "sent-emails"  # noqa: F405
