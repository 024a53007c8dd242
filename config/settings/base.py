"""Settings shared by every environment. Everything that differs between machines comes from
the environment; local/test/production only change what must differ."""

import os
from pathlib import Path
from urllib.parse import urlparse

import dj_database_url
import pghistory
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env(name: str, default: str | None = None) -> str:
    value = os.environ.get(name, default)
    if value is None:
        raise ImproperlyConfigured(
            f"Set {name} in the environment (make run / make test do this for you)."
        )
    return value


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).lower() in {"1", "true", "yes", "on"}


SECRET_KEY = env("DJANGO_SECRET_KEY", "insecure-only-for-local-development")
DEBUG = False
ALLOWED_HOSTS = [h for h in env("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1").split(",") if h]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "axes",
    "csp",
    "django_filters",
    "pgtrigger",
    "pghistory",
    "kirklees.audit",  # before the apps whose models it tracks
    "kirklees.users",
    "kirklees.govuk",
    "kirklees.notifications",
    "kirklees.jobs",
    "kirklees.mailin",
    "kirklees.dbroles",
    "wards",
    "councillors",
    "casework",
    "casework.insight",
    "engagement",
    "engagement.stories",
    "engagement.learning",
    "pages",
    "pages.notices",
    "pages.sar",
]

MIDDLEWARE = [
    "kirklees.middleware.RejectNulBytesMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Every write from here on is the signed-in person's in the audit trail (kirklees.audit.context).
    "kirklees.audit.context.AuditContextMiddleware",
    "kirklees.middleware.NoStoreWhenSignedInMiddleware",
    "kirklees.middleware.LogForbiddenMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "kirklees.users.sessions.SessionTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # After allauth's: a person who must have a second factor sees only its set-up until they do.
    "kirklees.users.mfa.RequireSecondFactorMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "config.context_processors.navigation",
                "kirklees.notifications.context_processors.unread",
            ],
        },
    },
]

# Postgres everywhere: demo, tests and production run the same SQL. Two roles (kirklees/dbroles): the
# app and workers connect as DATABASE_URL's runtime role, migrate as MIGRATE_DATABASE_URL's schema
# owner; one URL for both is a one-role setup.
DATABASE_URL = env("DATABASE_URL")
MIGRATE_DATABASE_URL = env("MIGRATE_DATABASE_URL", "") or DATABASE_URL
# Tables the runtime role may only read and add rows to: no UPDATE, DELETE or TRUNCATE.
APPEND_ONLY_TABLES = ["casework_caseevent", "notices_noticeversion", "audit_readrecord", "audit_auditredaction",
                      "casework_erasurerequest"]  # and every audit table: below

# The audit trail (kirklees.audit): triggers copy every change of a tracked model into its audit
# table, with who was acting in the row itself (one JSON column: no other table to trust).
PGHISTORY_CONTEXT_FIELD = pghistory.ContextJSONField()
PGHISTORY_MIDDLEWARE_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")
# How long the audit trail keeps its rows (the nightly audit-retention job deletes older ones, through
# an owner's function that refuses anything younger than a year). Six years by default; never under one.
AUDIT_RETENTION_DAYS = max(int(env("AUDIT_RETENTION_DAYS", str(6 * 365 + 2))), 365)
AUDITED_TABLES = [  # the tables of the models marked @tracked(), each with its <table>audit table
    "casework_category", "casework_closureday", "casework_resident", "casework_case", "casework_referral",
    "casework_note", "casework_attachment", "casework_escalationstep", "casework_retentionperiod",
    "casework_outcomecategory",
    "councillors_politicalgroup", "councillors_advocacyrollout", "councillors_councillor",
    "wards_ward", "wards_service", "wards_place", "wards_wardfigure", "wards_priority", "wards_fundingscheme",
    "wards_fundingaward", "wards_officer", "users_user", "sar_subjectaccessrequest",
]
APPEND_ONLY_TABLES += [f"{table}audit" for table in AUDITED_TABLES]
# Owner's functions the runtime role may call (kirklees.dbroles): the audit's retention, which
# deletes only rows older than a year (migration audit 0002).
# And the redaction of anonymised residents' audit rows and timeline text (migration audit 0003), which
# refuses any resident whose own record is not anonymised yet.
RUNTIME_FUNCTIONS = ["audit_rows_delete_before(timestamptz)",
                     "audit_rows_redact_residents(bigint[], text, text, bigint)"]
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
# Plain cursors: fewer round trips for form choices, and safe behind a transaction-mode PgBouncer.
DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
# A kept connection that the database dropped (a restart, a failover, pg_terminate_backend) is
# noticed at the start of the next request and replaced, instead of failing that request.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# A database that does not answer fails a connection attempt after 10 s instead of hanging.
DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 10)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"


def redis_urls(url: str) -> tuple[str, str]:
    """REDIS_URL -> (Celery broker URL, Django cache URL).

    The cache gets the next database number, so that clearing the cache can never empty the
    broker's queues. The embedded Redis listens on a unix socket only; kombu spells that
    `redis+socket://` (choosing the database with `virtual_host`) while redis-py, behind the
    Django cache, spells it `unix://` (with `db`).
    """
    parsed = urlparse(url)
    if parsed.scheme == "unix":
        return f"redis+socket://{parsed.path}?virtual_host=0", f"unix://{parsed.path}?db=1"
    db = int(parsed.path.strip("/") or 0)
    return url, parsed._replace(path=f"/{db + 1}").geturl()


REDIS_URL = env("REDIS_URL")
CELERY_BROKER_URL, CACHE_REDIS_URL = redis_urls(REDIS_URL)
CACHES = {
    "default": {
        "BACKEND": "kirklees.cache.FailSafeRedisCache",
        "LOCATION": CACHE_REDIS_URL,
        "KEY_PREFIX": env("CACHE_KEY_PREFIX", "kirklees"),
        # A cache that is down must not take the site down with it.
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }
}

CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "Europe/London"
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_ACKS_LATE = False  # only on tasks that are idempotent, set per task
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Publishing must never hang a web request when Redis is away: fail fast, the sweeps catch up.
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 2, "socket_timeout": 2, "max_retries": 0}
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_QUEUE", "celery")

# The periodic schedule, in one place: beat runs it and the scheduled jobs page lists it. Each job's
# task is declared with @periodic_job("<its name here>") (kirklees.jobs.periodic), which records its
# runs under that name. Every entry is also a management command.
SLA_SWEEP_SECONDS = int(env("SLA_SWEEP_SECONDS", "120"))
JOB_RUNS_KEPT_DAYS = int(env("JOB_RUNS_KEPT_DAYS", "90"))  # the scheduled jobs page's history of each job
INBOUND_IMAP_POLL_SECONDS = int(env("INBOUND_IMAP_POLL_SECONDS", "60"))  # how often mailbox-poll runs
SCHEDULED_JOBS = {
    "sla-sweep": {"task": "casework.tasks.sla_sweep", "schedule": SLA_SWEEP_SECONDS,
                  "description": "Reminders before due dates, and the escalation ladder after them"},
    "send-pending-emails": {"task": "kirklees.notifications.tasks.send_pending_emails", "schedule": 300,
                            "description": "Sends emails that are waiting (catches up after an outage)"},
    "daily-digest": {"task": "casework.tasks.daily_digest", "schedule": crontab(hour=7, minute=0),
                     "description": "Each councillor's summary of yesterday's changes to their cases"},
    "handover-check": {"task": "casework.tasks.handover_check", "schedule": crontab(hour=7, minute=5),
                       "description": "Counts open cases whose councillor no longer serves (or no longer serves "
                                      "the case's ward) and tells the liaison managers, once a day"},
    # Hourly in the working day: the first run the day before reminds, later ones catch up late bookings.
    "event-reminders": {"task": "engagement.learning.tasks.send_event_reminders",
                        "schedule": crontab(hour="9-17", minute=0),
                        "description": "Reminds everyone booked on a learning event the day before it"},
    "funding-monitoring-reminders": {"task": "wards.tasks.funding_monitoring_reminders",
                                     "schedule": crontab(hour=7, minute=15),
                                     "description": "Marks paid funding awards whose monitoring report is due within 5 "
                                                    "days, and tells the ward data admins and the ward's councillors"},
    "sar-reminders": {"task": "pages.sar.tasks.sar_reminders", "schedule": crontab(hour=7, minute=30),
                      "description": "Reminds the liaison managers and whoever started each subject access request "
                                     "7 days and 1 day before it is due, and when it is overdue (once each)"},
    "audit-retention": {"task": "kirklees.audit.tasks.audit_retention", "schedule": crontab(hour=3, minute=45),
                        "description": "Deletes audit rows older than the audit's retention period "
                                       "(AUDIT_RETENTION_DAYS; never under a year)"},
    "resident-retention": {"task": "casework.tasks.resident_retention", "schedule": crontab(hour=2, minute=30),
                           "description": "Anonymises residents whose every case is past its retention period "
                                          "(none on legal hold), and deletes their files"},
    "report-rollup": {"task": "casework.insight.tasks.report_rollup", "schedule": crontab(minute="*/15"),
                      "description": "Brings the reports' daily figures up to date: new days, and the days of "
                                     "cases changed since the last run"},
    "mailbox-poll": {"task": "kirklees.mailin.tasks.mailbox_poll", "schedule": INBOUND_IMAP_POLL_SECONDS,
                     "description": "Takes new messages from the council's IMAP mailbox (INBOUND_IMAP_HOST; "
                                    "does nothing when it is unset), each once"},
    "delete-old-submission-keys": {"task": "kirklees.govuk.tasks.delete_old_submission_keys",
                                   "schedule": crontab(hour=3, minute=30),
                                   "description": "Deletes forms' one-time keys older than two days (the keys stop "
                                                  "a form being sent twice)"},
}
# Celery's beat entries take no description.
CELERY_BEAT_SCHEDULE = {name: {"task": job["task"], "schedule": job["schedule"]}
                        for name, job in SCHEDULED_JOBS.items()}

AUTH_USER_MODEL = "users.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "config.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

# allauth: email and password only; accounts are made by admins, never by sign-up.
ACCOUNT_ADAPTER = "kirklees.users.adapters.NoSignupAccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_PASSWORD_RESET_TOKEN_GENERATOR = None
ACCOUNT_PREVENT_ENUMERATION = True
# The person is emailed when their password changes or a second factor is added or removed.
ACCOUNT_EMAIL_NOTIFICATIONS = True

# Sign-in limits. django-axes locks an account *from one address* after five wrong passwords, so
# that the right password from there is refused too until the cool-off ends; the same account from
# any other address is not touched, so nobody can lock a named officer out from elsewhere. Each
# lockout of the pair lasts twice the one before (15 minutes, 30, 60, ... at most a day, see
# kirklees.users.axes.cool_off), so guessing from one address slows to a few dozen tries a day.
AXES_FAILURE_LIMIT = 5
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_COOLOFF_TIME = "kirklees.users.axes.cool_off"
# The growing delay is remembered in axes' own failure log (a row per failure, locked_out on the
# one that locked), and each attempt expires by its own cool-off: without that, axes would clear
# every pair's attempts by the cool-off of whoever failed last.
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_USE_ATTEMPT_EXPIRATION = True
# The address as allauth reads it: one trusted-proxy rule (TRUSTED_PROXY_COUNT) for both limits.
AXES_CLIENT_IP_CALLABLE = "kirklees.users.axes.client_ip"
# allauth limits failures per address, whichever accounts they try. It has no per-account limit
# (no "/key" rate): one would refuse the account's right password from everywhere, the lockout
# by account alone that axes no longer does.
ACCOUNT_RATE_LIMITS = {"login_failed": "20/m/ip"}
AXES_USERNAME_FORM_FIELD = "login"
AXES_USERNAME_CALLABLE = "kirklees.users.axes.login_username"
AXES_RESET_ON_SUCCESS = True
# Attempts during a lockout neither extend it nor slip through; axes then flags the request so
# that its middleware answers with the lockout page.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_TEMPLATE = "account/lockout.html"

# A second factor (allauth.mfa): an authenticator app's codes, recovery codes, and security keys
# or passkeys as the second factor (never instead of the password). Everyone with a staff role and
# every superuser must have one before any other page (kirklees/users/mfa.py); councillors too,
# unless MFA_REQUIRED_FOR_COUNCILLORS is off, after a grace period counted from their first visit.
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_PASSKEY_LOGIN_ENABLED = False
MFA_PASSKEY_SIGNUP_ENABLED = False
MFA_TOTP_ISSUER = "Kirklees councillor casework"
MFA_ADAPTER = "kirklees.users.mfa.MFAAdapter"  # keeps authenticator-app secrets encrypted at rest
MFA_RECOVERY_CODE_COUNT = 10
# The key authenticator-app secrets are encrypted with; changing it means everyone sets theirs up again.
MFA_ENCRYPTION_KEY = env("DJANGO_MFA_ENCRYPTION_KEY", SECRET_KEY)
MFA_REQUIRED_FOR_COUNCILLORS = env_bool("MFA_REQUIRED_FOR_COUNCILLORS", True)
MFA_COUNCILLOR_GRACE_DAYS = int(env("MFA_COUNCILLOR_GRACE_DAYS", "14"))

SESSION_COOKIE_HTTPONLY = True
SESSION_ENGINE = "kirklees.users.sessions"  # in the database, with whose each is (kirklees.users.UserSession)
SESSION_COOKIE_AGE = 60 * 60 * 12
# A session ends after this long unused, and this long after signing in (kirklees/users/sessions.py).
SESSION_IDLE_SECONDS = int(env("SESSION_IDLE_SECONDS", str(30 * 60)))
SESSION_ABSOLUTE_SECONDS = int(env("SESSION_ABSOLUTE_SECONDS", str(12 * 60 * 60)))
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# How many proxies in front of the app append the client's address to X-Forwarded-For. 0 trusts
# no such header (the address is REMOTE_ADDR); production, behind its TLS proxy, defaults to 1.
TRUSTED_PROXY_COUNT = int(env("DJANGO_TRUSTED_PROXY_COUNT", "0"))
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT  # allauth's per-address sign-in limits, the same rule

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

LANGUAGE_CODE = "en-gb"
FORMAT_MODULE_PATH = ["kirklees.formats"]
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]

# Residents' attachments never sit under a public URL: they live outside STATIC/MEDIA and are
# read only through a permission-checked view.
PRIVATE_MEDIA_ROOT = Path(env("PRIVATE_MEDIA_ROOT", str(BASE_DIR / "var" / "private")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                "OPTIONS": {"location": PRIVATE_MEDIA_ROOT, "base_url": None}},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Councillor casework <casework@example.org>")
# A relay that stalls (after DATA, say) must not hold a worker: every SMTP connect, command and
# reply gives up after this many seconds, and the send is retried later by send-pending-emails.
EMAIL_TIMEOUT = int(env("EMAIL_TIMEOUT", "20"))
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000")  # for links in emails
# Replies to referral emails come back to referral+<token>@ this domain (a mailbox or a provider's
# inbound route that the council points at the app).
INBOUND_EMAIL_DOMAIN = env("INBOUND_EMAIL_DOMAIN", "casework.example.org")
# Email that reaches us (kirklees.mailin): a larger message is refused with the reason recorded and
# is not kept; attachments pass the same content check as uploads (type by content, this size).
INBOUND_EMAIL_MAX_BYTES = int(env("INBOUND_EMAIL_MAX_BYTES", str(25 * 1024 * 1024)))
INBOUND_ATTACHMENT_MAX_BYTES = int(env("INBOUND_ATTACHMENT_MAX_BYTES", str(10 * 1024 * 1024)))
INBOUND_ATTACHMENT_TYPES = [
    "application/pdf", "image/jpeg", "image/png",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
]
# A reply to a referral from one of these addresses (a service's or officer's confirmed address,
# comma-separated) counts as the service's response at once, without an officer confirming it.
REFERRAL_REPLIES_TRUSTED_FROM = [a.strip().lower() for a in env("REFERRAL_REPLIES_TRUSTED_FROM", "").split(",")
                                 if a.strip()]

# Updates to residents who asked for them (kirklees.notifications.updates): "email" sends them with
# EMAIL_BACKEND above (no text messages: an SMS update is recorded as not sent, and staff see why);
# "notify" sends email and SMS through GOV.UK Notify, each template by its id.
RESIDENT_UPDATES_BACKEND = env("RESIDENT_UPDATES_BACKEND", "email")
RESIDENT_UPDATES_REPLY_TO = env("RESIDENT_UPDATES_REPLY_TO", "")  # e.g. the members' support inbox
NOTIFY_API_KEY = env("NOTIFY_API_KEY", "")  # the whole key Notify shows once: name-serviceid-secret
NOTIFY_BASE_URL = env("NOTIFY_BASE_URL", "https://api.notifications.service.gov.uk")
NOTIFY_TIMEOUT = int(env("NOTIFY_TIMEOUT", "20"))
NOTIFY_EMAIL_REPLY_TO_ID = env("NOTIFY_EMAIL_REPLY_TO_ID", "")  # a reply-to address set up in Notify
# Template key -> Notify template ids. "case_update" has two placeholders, ((reference)) and ((status)).
NOTIFY_TEMPLATES = {
    "case_update": {"email": env("NOTIFY_TEMPLATE_CASE_UPDATE_EMAIL", ""),
                    "sms": env("NOTIFY_TEMPLATE_CASE_UPDATE_SMS", "")},
}
# The IMAP poller (kirklees.mailin.imap, the mailbox-poll job): a council mailbox the replies reach.
# Unset host: the poller does nothing (and says so). Microsoft 365: outlook.office365.com, 993, SSL.
INBOUND_IMAP_HOST = env("INBOUND_IMAP_HOST", "")
INBOUND_IMAP_SSL = env_bool("INBOUND_IMAP_SSL", True)  # TLS from the start (port 993)
INBOUND_IMAP_STARTTLS = env_bool("INBOUND_IMAP_STARTTLS", False)  # plain port 143, then STARTTLS
INBOUND_IMAP_PORT = int(env("INBOUND_IMAP_PORT", "993" if INBOUND_IMAP_SSL else "143"))
INBOUND_IMAP_USER = env("INBOUND_IMAP_USER", "")
INBOUND_IMAP_PASSWORD = env("INBOUND_IMAP_PASSWORD", "")
# How the poller logs in: "password" (LOGIN), or "oauth2" (AUTHENTICATE XOAUTH2, which Microsoft 365
# needs) with a token from the client-credentials flow of an app registration (kirklees.mailin.oauth).
INBOUND_IMAP_AUTH = env("INBOUND_IMAP_AUTH", "password")
INBOUND_IMAP_OAUTH_TENANT = env("INBOUND_IMAP_OAUTH_TENANT", "")  # the directory (tenant) id
INBOUND_IMAP_OAUTH_TOKEN_URL = env(
    "INBOUND_IMAP_OAUTH_TOKEN_URL",
    f"https://login.microsoftonline.com/{INBOUND_IMAP_OAUTH_TENANT}/oauth2/v2.0/token" if INBOUND_IMAP_OAUTH_TENANT
    else "")
INBOUND_IMAP_OAUTH_CLIENT_ID = env("INBOUND_IMAP_OAUTH_CLIENT_ID", "")  # the application (client) id
INBOUND_IMAP_OAUTH_CLIENT_SECRET = env("INBOUND_IMAP_OAUTH_CLIENT_SECRET", "")
INBOUND_IMAP_OAUTH_SCOPE = env("INBOUND_IMAP_OAUTH_SCOPE", "https://outlook.office365.com/.default")
INBOUND_IMAP_FOLDER = env("INBOUND_IMAP_FOLDER", "INBOX")
INBOUND_IMAP_MARK_SEEN = env_bool("INBOUND_IMAP_MARK_SEEN", True)  # flag each taken message \Seen
INBOUND_IMAP_BATCH = int(env("INBOUND_IMAP_BATCH", "500"))  # messages per poll at most; the next poll goes on
INBOUND_IMAP_TIMEOUT = int(env("INBOUND_IMAP_TIMEOUT", "30"))  # seconds for a connect or a reply
# A mail provider's inbound webhook (kirklees.mailin.webhook, through django-anymail), at
# /mail/inbound/ (Mailgun raw MIME: /mail/inbound/mime/). Unset: the URL is a 404.
INBOUND_EMAIL_PROVIDER = env("INBOUND_EMAIL_PROVIDER", "")  # mailgun, mailersend, postmark, sendgrid, amazon_ses
# The largest JSON post a provider may make (the whole message inside it, base64 attachments and all).
INBOUND_WEBHOOK_MAX_BYTES = int(env("INBOUND_WEBHOOK_MAX_BYTES", str(50 * 1024 * 1024)))
ANYMAIL = {key: value for key, value in {
    # HTTP basic auth "user:password" the provider is told to send (the only check for Postmark, SendGrid).
    "WEBHOOK_SECRET": env("ANYMAIL_WEBHOOK_SECRET", ""),
    "MAILGUN_WEBHOOK_SIGNING_KEY": env("ANYMAIL_MAILGUN_WEBHOOK_SIGNING_KEY", ""),  # Mailgun's HMAC key
    "MAILERSEND_INBOUND_SECRET": env("ANYMAIL_MAILERSEND_INBOUND_SECRET", ""),  # MailerSend's inbound route secret
}.items() if value}

# Casework policy.
CASE_ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
CASE_REOPEN_WINDOW_DAYS = 30
CASES_PER_PAGE = 50
# How many years after a case is closed or withdrawn its resident's details are kept, by kind of case
# (Case.enquiry_type), unless a liaison manager has set another period (casework.RetentionPeriod).
CASE_RETENTION_YEARS = {"member_enquiry": 2, "service_request": 2, "complaint": 6}
# After a councillor's term ends they may still read (never change) their cases for this many
# days, until the cases are handed over; 0: their access ends on the term's end date.
COUNCILLOR_READ_GRACE_DAYS = int(env("COUNCILLOR_READ_GRACE_DAYS", "0"))

# No query strings in the logs (kirklees/logfilters.py): searches are GET forms with residents'
# names in the URL. Every handler drops them; django.server (runserver's "GET /queue/?q=..." lines)
# gets the same handler and format as Django's default, plus the filter. gunicorn's own access and
# error logs are redacted by its logger class (config/gunicorn.py).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"no_query_strings": {"()": "kirklees.logfilters.QueryStringFilter"}},
    "formatters": {
        "django.server": {"()": "django.utils.log.ServerFormatter", "format": "[{server_time}] {message}",
                          "style": "{"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["no_query_strings"]},
        "django.server": {"class": "logging.StreamHandler", "formatter": "django.server",
                          "filters": ["no_query_strings"]},
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.server": {"handlers": ["django.server"], "level": "INFO", "propagate": False},
        # Security events (kirklees.security_log) are kept whatever LOG_LEVEL is set to.
        "axes": {"level": "WARNING"},
        "kirklees.security": {"level": "WARNING"},
    },
}
