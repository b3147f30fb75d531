"""Django settings for hirfa, read only from environment variables.

Every variable is listed and explained in `.env.example`.
"""

import ipaddress
import os
import secrets
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.conf.locale import LANG_INFO
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from hirfa.env import env_bool, env_choice, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("HIRFA_VAR_DIR", str(BASE_DIR / "var"))).resolve()
VAR_DIR.mkdir(parents=True, exist_ok=True)

# The deployment profile: "development" (the default, what `make run` serves on a laptop)
# or "production", which refuses to start without a real SECRET_KEY and ALLOWED_HOSTS and
# turns on HTTPS only, HSTS and secure cookies unless told otherwise (docs/security.md).
PROFILE = env_choice("HIRFA_PROFILE", "development", {"development", "production"})
PRODUCTION = PROFILE == "production"
DEBUG = env_bool("DEBUG", False)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DEBUG must be false when HIRFA_PROFILE is production")


def _secret_key() -> str:
    """SECRET_KEY from the environment, else one generated once and kept in var/.

    The fallback lets `make run` work with no configuration while never shipping a
    shared key in the repository.
    """
    configured = env_str("SECRET_KEY", "")
    if configured:
        minimum = 50 if PRODUCTION else 32
        if len(configured) < minimum or len(set(configured)) < 5:
            raise ImproperlyConfigured(
                f"SECRET_KEY must be at least {minimum} random characters long"
            )
        return configured
    if PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY must be set when HIRFA_PROFILE is production")
    key_file = VAR_DIR / "secret-key"
    if not key_file.exists():
        key_file.touch(mode=0o600)
        key_file.write_text(secrets.token_urlsafe(50))
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
# Earlier keys, still accepted for signatures and sessions while a new key is rolled out.
SECRET_KEY_FALLBACKS = env_list("SECRET_KEY_FALLBACKS", [])
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "[::1]"])
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when HIRFA_PROFILE is production")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "hirfa.site",
    "hirfa.core",
    "hirfa.territory",
    "hirfa.crafts",
    "hirfa.accounts",
    "hirfa.audit",
    "hirfa.notifications",
    "hirfa.register",
    "hirfa.cards",
    "hirfa.wallet",
    "hirfa.registry",
    "hirfa.verification",
    "hirfa.cnss",
    "hirfa.coverage",
    "hirfa.search",
    "hirfa.imports",
    "hirfa.duplicates",
    "hirfa.privacy",
    "hirfa.backups",
    "hirfa.outreach",
    "hirfa.campaigns",
    "hirfa.field",
    "hirfa.stats",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.humanize",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "ninja",
    # Second factor for staff (docs/decisions/0038).
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "hirfa.core.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "hirfa.core.privacy.NoStoreMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "hirfa.core.middleware.LanguageMiddleware",
    "hirfa.core.middleware.RefuseNulBytesMiddleware",
    # Every online check of a card, answered past the layers below (docs/decisions/0082).
    "hirfa.core.middleware.DirectViewsMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "hirfa.accounts.sessions.SessionTimeoutMiddleware",
    # Second factor (docs/decisions/0038): who is verified, then who must be first.
    "django_otp.middleware.OTPMiddleware",
    "hirfa.accounts.middleware.RequireSecondFactorMiddleware",
    "hirfa.accounts.middleware.RememberLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "hirfa.core.middleware.DomainErrorMiddleware",
    "hirfa.audit.access.PersonalDataAccessMiddleware",
    "hirfa.field.middleware.WipeOnLogoutMiddleware",
]

# Where DirectViewsMiddleware looks for views marked `served_directly`.
DIRECT_VIEW_PREFIXES = ("/api/v1/cards/",)

ROOT_URLCONF = "hirfa.urls"
WSGI_APPLICATION = "hirfa.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "hirfa.core.context_processors.languages",
                "hirfa.site.context_processors.navigation",
            ],
        },
    },
]

# Database: SQLite in var/ by default (WAL, immediate transactions so that a writer
# waits for the lock instead of failing mid-transaction); PostgreSQL via DATABASE_URL.
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'hirfa.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60, minimum=0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Connections are kept (DATABASE_CONN_MAX_AGE) as on PostgreSQL: opening one and running
    # its pragmas cost more than the one query of a public card check (ADR 0058).
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL;"
            "PRAGMA synchronous=NORMAL;"
            "PRAGMA foreign_keys=ON;"
            "PRAGMA cache_size=-65536;"
        ),
    }
    # Tests use a file, not memory, so that several processes can share the test
    # database (concurrency tests); the process id keeps parallel runs apart.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-{os.getpid()}.sqlite3")}
# PostgreSQL's JIT compilation, off unless asked for: compiling the funnel's and the
# campaigns' aggregates cost more than running them (ADR 0070).
DATABASE_JIT = env_bool("DATABASE_JIT", False)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "site:home"
LOGOUT_REDIRECT_URL = "site:home"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
# Passwords (docs/security.md, V2): at least PASSWORD_MIN_LENGTH characters that are not
# only spaces, unlike the account's names, username and phone, not one of the known
# common or breached passwords (Django's offline list, or a larger one in
# PASSWORD_LIST_FILE), not all digits.
PASSWORD_MIN_LENGTH = env_int("PASSWORD_MIN_LENGTH", 10, minimum=8)
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ("username", "first_name", "last_name", "email", "phone")},
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": PASSWORD_MIN_LENGTH},
    },
    {
        "NAME": "hirfa.accounts.passwords.NotOnlySpacesValidator",
        "OPTIONS": {"min_length": PASSWORD_MIN_LENGTH},
    },
    {
        "NAME": "hirfa.accounts.passwords.PersonalInformationValidator",
        "OPTIONS": {"min_length": PASSWORD_MIN_LENGTH},
    },
    {
        "NAME": "django.contrib.auth.password_validation.CommonPasswordValidator",
        **(
            {"OPTIONS": {"password_list_path": env_str("PASSWORD_LIST_FILE", "")}}
            if env_str("PASSWORD_LIST_FILE", "")
            else {}
        ),
    },
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Failed logins allowed per account from one address within the window before further
# attempts are refused until it has passed; four times as many per account from every
# address, and per address across accounts (docs/decisions/0032).
LOGIN_MAX_FAILURES = env_int("LOGIN_MAX_FAILURES", 5, minimum=1)
LOGIN_FAILURE_WINDOW_SECONDS = env_int("LOGIN_FAILURE_WINDOW_SECONDS", 900, minimum=1)
# Second factor (docs/decisions/0038): the staff roles that must use one (TOTP app, with
# recovery codes); other staff may enrol. Artisans never use one. Empty: nobody must.
SECOND_FACTOR_REQUIRED_ROLES = env_list("SECOND_FACTOR_REQUIRED_ROLES", ["admin", "auditor"])
OTP_TOTP_ISSUER = env_str("OTP_TOTP_ISSUER", "hirfa")
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
# Files one address may send to the public QR reader (/verify/read/) in a minute.
VERIFY_READS_PER_MINUTE = env_int("VERIFY_READS_PER_MINUTE", 20, minimum=1)
# Proxies in front of hirfa whose X-Forwarded-For is believed (addresses or networks,
# comma-separated). None by default: the client is REMOTE_ADDR (docs/decisions/0032).
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", [])
for _proxy in TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError:
        raise ImproperlyConfigured(
            f"TRUSTED_PROXIES must list addresses or networks, got {_proxy!r}"
        ) from None

# Bounds on what a file may cost to decode (docs/decisions/0032): pixels of any bitmap
# drawn from a PDF page or decoded from an image (Pillow's own guard is set to it too),
# and the declared uncompressed size and compression ratio of an XLSX import's parts.
IMAGE_MAX_PIXELS = env_int("IMAGE_MAX_PIXELS", 25_000_000, minimum=1_000_000)
IMPORT_XLSX_MAX_UNCOMPRESSED_BYTES = env_int(
    "IMPORT_XLSX_MAX_UNCOMPRESSED_BYTES", 256 * 1024 * 1024, minimum=1024 * 1024
)
IMPORT_XLSX_MAX_RATIO = env_int("IMPORT_XLSX_MAX_RATIO", 100, minimum=10)
# A list uploaded in the browser (ADR 0055): larger lists are split, or imported with
# `hirfa import_artisans` on the server.
IMPORT_MAX_BYTES = env_int("IMPORT_MAX_BYTES", 20 * 1024 * 1024, minimum=1024)
# An export prepared in the background holds personal data: its file is deleted after this
# many days (ADR 0055).
EXPORT_FILES_KEPT_DAYS = env_int("EXPORT_FILES_KEPT_DAYS", 7, minimum=1)

# Sessions and cookies. The production profile turns every HTTPS-only setting on by
# default; each can still be set from the environment (a deployment still on plain HTTP
# behind a VPN, say), and `hirfa check --deploy` then says what is missing.
SECURE_COOKIES = env_bool("SECURE_COOKIES", PRODUCTION)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
if SECURE_COOKIES:
    # The `__Host-` prefix (ASVS 3.4.4): a browser keeps such a cookie only when it is
    # Secure, set for the path / and for this host alone (no Domain), so neither another
    # subdomain nor a plain-HTTP page can set or shadow it (docs/decisions/0077).
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 3600, minimum=60)
# Signed out after this long without a request (staff; everyone else), and this long
# after signing in whatever the activity (docs/decisions/0033).
SESSION_IDLE_SECONDS_STAFF = env_int("SESSION_IDLE_SECONDS_STAFF", 30 * 60, minimum=60)
SESSION_IDLE_SECONDS = env_int("SESSION_IDLE_SECONDS", 2 * 3600, minimum=60)
SESSION_MAX_SECONDS = env_int("SESSION_MAX_SECONDS", 12 * 3600, minimum=60)
# API tokens stop working this many days after they were created.
API_TOKEN_DAYS = env_int("API_TOKEN_DAYS", 90, minimum=1)
# Sensitive actions (a password, API tokens, staff accounts, turning the second factor
# off) ask for the password, and the code when the account has a second factor, unless
# the session showed them within this many seconds (docs/decisions/0077).
REAUTHENTICATION_SECONDS = env_int("REAUTHENTICATION_SECONDS", 10 * 60, minimum=60)
# API requests one token, or one signed-in session, may make in a minute; more are
# answered 429 with Retry-After until the next minute. 0: no budget (docs/decisions/0077).
API_REQUESTS_PER_MINUTE = env_int("API_REQUESTS_PER_MINUTE", 120, minimum=0)
# A name search is sent in the request's body and kept in the session under a random id,
# the only thing the address shows, for this many seconds (docs/decisions/0077).
SEARCH_KEPT_SECONDS = env_int("SEARCH_KEPT_SECONDS", 3600, minimum=60)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", PRODUCTION)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 365 * 86400 if PRODUCTION else 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", PRODUCTION)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", PRODUCTION)
# Trust X-Forwarded-Proto only when a TLS-terminating proxy is declared: anyone could
# send the header straight to the application otherwise.
if env_bool("BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content Security Policy (docs/decisions/0037): scripts, styles, fonts and connections
# from this origin only, no inline script unless it carries the request's nonce
# (`{{ request.csp_nonce }}`), no plugins. Images may also be data: and blob: URLs (the
# card verifier draws photos and camera frames). Pages may be framed by this origin only
# when they allow it (X-Frame-Options SAMEORIGIN, the documents shown on the decision
# screen); otherwise by nobody (hirfa.core.middleware.ContentSecurityPolicyMiddleware).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:", "blob:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "worker-src": [SELF],
        "frame-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# Languages: Arabic first. Tamazight (Standard Moroccan Tamazight, Tifinagh script)
# is not among Django's built-in languages, so it is declared here.
LANG_INFO["zgh"] = {
    "bidi": False,
    "code": "zgh",
    "name": "Standard Moroccan Tamazight",
    "name_local": "ⵜⴰⵎⴰⵣⵉⵖⵜ",
}
LANGUAGE_CODE = "ar"
FORMAT_MODULE_PATH = ["hirfa.formats"]
LANGUAGES = [
    ("ar", _("Arabic")),
    ("zgh", _("Tamazight")),
    ("fr", _("French")),
    ("en", _("English")),
]
LANGUAGE_COOKIE_NAME = "hirfa_language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SAMESITE = "Lax"
LOCALE_PATHS = [BASE_DIR / "hirfa" / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = env_str("TIME_ZONE", "Africa/Casablanca")

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
# Uploaded documents: local files by default; an S3-compatible object store in
# production (MEDIA_STORAGE=s3, needs the `s3` extra: django-storages and boto3).
if env_choice("MEDIA_STORAGE", "local", {"local", "s3"}) == "s3":
    MEDIA_BACKEND = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env_str("S3_BUCKET", "hirfa-media"),
            "endpoint_url": env_str("S3_ENDPOINT_URL", "") or None,
            "region_name": env_str("S3_REGION", "") or None,
            "access_key": env_str("S3_ACCESS_KEY_ID", "") or None,
            "secret_key": env_str("S3_SECRET_ACCESS_KEY", "") or None,
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
else:
    MEDIA_BACKEND = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": MEDIA_BACKEND,
    "staticfiles": {
        "BACKEND": env_str(
            "STATICFILES_STORAGE",
            "whitenoise.storage.CompressedManifestStaticFilesStorage",
        )
    },
}

EMAIL_BACKEND = {
    "console": "django.core.mail.backends.console.EmailBackend",
    "file": "django.core.mail.backends.filebased.EmailBackend",
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
}[env_choice("EMAIL_DELIVERY", "file", {"console", "file", "smtp"})]
EMAIL_FILE_PATH = VAR_DIR / "mail"
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "hirfa <no-reply@hirfa.localhost>")

# Background jobs run durably in the database; a deployment that outgrows it can
# switch TASKS to an RQ or Celery backend without touching the task code.
TASKS = {
    "default": {
        "BACKEND": env_str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}
# How many times a job is attempted before it is left failed for administrators.
JOB_MAX_ATTEMPTS = env_int("JOB_MAX_ATTEMPTS", 5, minimum=1)
JOB_RETRY_BASE_SECONDS = env_int("JOB_RETRY_BASE_SECONDS", 30, minimum=0)
# The statistics' counts fold the changes noted in the last this many seconds together, in
# a job queued at most this often per process (docs/decisions/0068).
STATISTICS_FOLD_SECONDS = env_int("STATISTICS_FOLD_SECONDS", 10, minimum=0)
# A worker writes a heartbeat this often; a job whose worker has been silent for the
# lease (or whose process is gone, on the same host) is put back to be run again.
JOB_WORKER_HEARTBEAT_SECONDS = env_int("JOB_WORKER_HEARTBEAT_SECONDS", 15, minimum=1)
JOB_WORKER_LEASE_SECONDS = env_int("JOB_WORKER_LEASE_SECONDS", 120, minimum=2)
if JOB_WORKER_LEASE_SECONDS <= 2 * JOB_WORKER_HEARTBEAT_SECONDS:
    raise ImproperlyConfigured(
        "JOB_WORKER_LEASE_SECONDS must exceed twice JOB_WORKER_HEARTBEAT_SECONDS"
    )

# The register's rules that the law leaves to configuration (docs/decisions/0009).
REGISTRATION_MIN_AGE = env_int("REGISTRATION_MIN_AGE", 15, minimum=0)
REGISTRATION_VALIDITY_DAYS = env_int("REGISTRATION_VALIDITY_DAYS", 5 * 365, minimum=1)
RENEWAL_REMINDER_DAYS = env_int("RENEWAL_REMINDER_DAYS", 60, minimum=0)
DOCUMENT_MAX_BYTES = env_int("DOCUMENT_MAX_BYTES", 5 * 1024 * 1024, minimum=1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = DOCUMENT_MAX_BYTES + 1024 * 1024
# The agents' field app (docs/field-app.md, decision 60): what a phone captured offline is
# erased after this many days unsynced (warned this many days before), and a phone clock
# further than this from the server's is told to the agent.
FIELD_OFFLINE_DAYS = env_int("FIELD_OFFLINE_DAYS", 7, minimum=1)
FIELD_OFFLINE_WARN_DAYS = env_int("FIELD_OFFLINE_WARN_DAYS", 2, minimum=0)
FIELD_CLOCK_TOLERANCE_SECONDS = env_int("FIELD_CLOCK_TOLERANCE_SECONDS", 600, minimum=1)
# Tests only: a server run as a subprocess exits right after an item's commit (decision 60).
FIELD_EXIT_AFTER_APPLY = env_bool("FIELD_EXIT_AFTER_APPLY", False)
# Law 09-08 (docs/privacy.md, docs/decisions/0036): personal data of a person whose
# registrations are all struck off is anonymised this many days after the striking-off.
# UNCONFIRMED: the period the CNDP declaration will state; 10 years by default.
PERSONAL_DATA_RETENTION_DAYS = env_int("PERSONAL_DATA_RETENTION_DAYS", 3650, minimum=1)
# Outreach funnel (docs/outreach.md, docs/decisions/0046): an application started up to this
# many days after a person attended an event is credited to the last such event.
OUTREACH_ATTRIBUTION_DAYS = env_int("OUTREACH_ATTRIBUTION_DAYS", 90, minimum=1)
PUBLIC_URL = env_str("PUBLIC_URL", "http://127.0.0.1:8000")
if PRODUCTION and not PUBLIC_URL.startswith("https://"):
    # Printed in every card's QR code and on attestations: it must be the HTTPS address.
    raise ImproperlyConfigured("PUBLIC_URL must be an https:// address in production")

# Campaigns (docs/campaigns.md, docs/decisions/0044 and 0045): no campaign SMS in the quiet
# hours (local time of CAMPAIGN_TIME_ZONE, "HH:MM"); at most this many SMS segments per
# message; at most this many messages per second per gateway and worker (0: no limit).
CAMPAIGN_TIME_ZONE = env_str("CAMPAIGN_TIME_ZONE", "Africa/Casablanca")
CAMPAIGN_QUIET_FROM = env_str("CAMPAIGN_QUIET_FROM", "21:00")
CAMPAIGN_QUIET_UNTIL = env_str("CAMPAIGN_QUIET_UNTIL", "08:00")
for _name, _value in (
    ("CAMPAIGN_QUIET_FROM", CAMPAIGN_QUIET_FROM),
    ("CAMPAIGN_QUIET_UNTIL", CAMPAIGN_QUIET_UNTIL),
):
    _hours, _, _minutes = _value.partition(":")
    if not (_hours.isdigit() and _minutes.isdigit() and int(_hours) < 24 and int(_minutes) < 60):
        raise ImproperlyConfigured(f"{_name} must be a time of day like 21:00, got {_value!r}")
CAMPAIGN_MAX_SMS_SEGMENTS = env_int("CAMPAIGN_MAX_SMS_SEGMENTS", 3, minimum=1)
CAMPAIGN_RATES = {
    "http": env_int("CAMPAIGN_RATE_HTTP", 30, minimum=0),
    "smtp": env_int("CAMPAIGN_RATE_SMTP", 10, minimum=0),
    "file": env_int("CAMPAIGN_RATE_FILE", 0, minimum=0),
    "console": 0,
    "memory": 0,
}
# Messages per background job: a gateway down retries one batch, not the campaign.
CAMPAIGN_BATCH_SIZE = env_int("CAMPAIGN_BATCH_SIZE", 1000, minimum=1)

# Professional cards (docs/card-qr.md, docs/decisions/0010): the Ed25519 signing keys live
# in files outside the database, or whole in the CARD_SIGNING_KEYS secret.
CARD_SIGNING_KEYS_DIR = Path(env_str("CARD_SIGNING_KEYS_DIR", str(VAR_DIR / "keys")))
CARD_SIGNING_KEYS = env_str("CARD_SIGNING_KEYS", "")
CARD_KEY_VALIDITY_DAYS = env_int("CARD_KEY_VALIDITY_DAYS", 730, minimum=1)
CARD_REVOCATION_LIST_SECONDS = env_int("CARD_REVOCATION_LIST_SECONDS", 86400, minimum=60)
# Each online card check asks the database for the card's status (ADR 0089): for several
# application hosts that do not share HIRFA_VAR_DIR, where the change stamp cannot tell them.
CARD_CHECK_ASKS_DATABASE = env_bool("CARD_CHECK_ASKS_DATABASE", False)
# First cards are issued in batches, this many seconds after an approval (0: one job each).
CARD_ISSUE_BATCH_SECONDS = env_int("CARD_ISSUE_BATCH_SECONDS", 2, minimum=0)
# Notifications are delivered in batches, this many seconds after the change that recorded
# them (0: one job each, at once; decision 72).
NOTIFICATION_BATCH_SECONDS = env_int("NOTIFICATION_BATCH_SECONDS", 2, minimum=0)

# The SPDCI registry API (docs/spdci.md): notices to subscribers are sent by one job per
# batch of changes, this many seconds after the first (0: one job per change).
REGISTRY_NOTIFY_BATCH_SECONDS = env_int("REGISTRY_NOTIFY_BATCH_SECONDS", 2, minimum=0)
REGISTRY_NOTIFY_TIMEOUT = env_int("REGISTRY_NOTIFY_TIMEOUT", 10, minimum=1)
# Answers kept for repeated message_ids and txn/status, and delivered notices, are deleted
# after this many days by `hirfa forget_registry_messages` (they hold artisans' data).
REGISTRY_KEEP_DAYS = env_int("REGISTRY_KEEP_DAYS", 30, minimum=1)

# Exchange with the CNSS (docs/cnss-exchange.md, docs/decisions/0018 and 0019).
CNSS_TRANSPORT = env_choice("CNSS_TRANSPORT", "file", {"file", "http"})
CNSS_OUTBOX_DIR = Path(env_str("CNSS_OUTBOX_DIR", str(VAR_DIR / "cnss" / "outbox")))
CNSS_INBOX_DIR = Path(env_str("CNSS_INBOX_DIR", str(VAR_DIR / "cnss" / "inbox")))
CNSS_WORK_DIR = VAR_DIR / "cnss" / "work"
CNSS_HTTP_URL = env_str("CNSS_HTTP_URL", "")
CNSS_HTTP_TOKEN = env_str("CNSS_HTTP_TOKEN", "")
CNSS_HTTP_TIMEOUT_SECONDS = env_int("CNSS_HTTP_TIMEOUT_SECONDS", 60, minimum=1)
CNSS_SIGNING_KEY = env_str("CNSS_SIGNING_KEY", "")
CNSS_SIGNING_KEY_FILE = VAR_DIR / "cnss" / "keys" / "rna-signing.key"
CNSS_PUBLIC_KEYS = env_list("CNSS_PUBLIC_KEYS", [])
CNSS_ANSWER_DAYS = env_int("CNSS_ANSWER_DAYS", 30, minimum=1)
CNSS_SANDBOX = env_bool("CNSS_SANDBOX", False)
CNSS_SANDBOX_DIR = Path(env_str("CNSS_SANDBOX_DIR", str(VAR_DIR / "cnss-sandbox")))

# The audit trail (docs/audit.md): the HMAC key of its entries, and the file of
# checkpoints of its head. Both outside the database; empty means under HIRFA_VAR_DIR.
AUDIT_KEY_FILE = env_str("AUDIT_KEY_FILE", "")
AUDIT_CHECKPOINT_FILE = env_str("AUDIT_CHECKPOINT_FILE", "")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}
