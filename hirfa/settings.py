"""Django settings for hirfa, read only from environment variables.

Every variable is listed and explained in `.env.example`.
"""

import os
import secrets
from pathlib import Path

import dj_database_url
from django.conf.locale import LANG_INFO
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from hirfa.env import env_bool, env_choice, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("HIRFA_VAR_DIR", str(BASE_DIR / "var"))).resolve()
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("DEBUG", False)


def _secret_key() -> str:
    """SECRET_KEY from the environment, else one generated once and kept in var/.

    The fallback lets `make run` work with no configuration while never shipping a
    shared key in the repository.
    """
    configured = env_str("SECRET_KEY", "")
    if configured:
        if len(configured) < 32:
            raise ImproperlyConfigured("SECRET_KEY must be at least 32 characters long")
        return configured
    key_file = VAR_DIR / "secret-key"
    if not key_file.exists():
        key_file.touch(mode=0o600)
        key_file.write_text(secrets.token_urlsafe(50))
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
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
    "hirfa.verification",
    "hirfa.cnss",
    "hirfa.coverage",
    "hirfa.search",
    "hirfa.imports",
    "hirfa.duplicates",
    "hirfa.outreach",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.humanize",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_tasks",
    "django_tasks_db",
    "ninja",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "hirfa.core.middleware.LanguageMiddleware",
    "hirfa.core.middleware.RefuseNulBytesMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "hirfa.core.middleware.DomainErrorMiddleware",
]

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
    DATABASES["default"]["CONN_MAX_AGE"] = 0
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
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "site:home"
LOGOUT_REDIRECT_URL = "site:home"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Failed logins allowed per account (and per address) within the window before
# further attempts are refused until the window has passed.
LOGIN_MAX_FAILURES = env_int("LOGIN_MAX_FAILURES", 5, minimum=1)
LOGIN_FAILURE_WINDOW_SECONDS = env_int("LOGIN_FAILURE_WINDOW_SECONDS", 900, minimum=1)
# Files one address may send to the public QR reader (/verify/read/) in a minute.
VERIFY_READS_PER_MINUTE = env_int("VERIFY_READS_PER_MINUTE", 20, minimum=1)

# Sessions and cookies
SECURE_COOKIES = env_bool("SECURE_COOKIES", False)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 3600, minimum=60)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0, minimum=0)
if env_bool("BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

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

# The register's rules that the law leaves to configuration (docs/decisions/0009).
REGISTRATION_MIN_AGE = env_int("REGISTRATION_MIN_AGE", 15, minimum=0)
REGISTRATION_VALIDITY_DAYS = env_int("REGISTRATION_VALIDITY_DAYS", 5 * 365, minimum=1)
RENEWAL_REMINDER_DAYS = env_int("RENEWAL_REMINDER_DAYS", 60, minimum=0)
DOCUMENT_MAX_BYTES = env_int("DOCUMENT_MAX_BYTES", 5 * 1024 * 1024, minimum=1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = DOCUMENT_MAX_BYTES + 1024 * 1024
PUBLIC_URL = env_str("PUBLIC_URL", "http://127.0.0.1:8000")

# Professional cards (docs/card-qr.md, docs/decisions/0010): the Ed25519 signing keys live
# in files outside the database, or whole in the CARD_SIGNING_KEYS secret.
CARD_SIGNING_KEYS_DIR = Path(env_str("CARD_SIGNING_KEYS_DIR", str(VAR_DIR / "keys")))
CARD_SIGNING_KEYS = env_str("CARD_SIGNING_KEYS", "")
CARD_KEY_VALIDITY_DAYS = env_int("CARD_KEY_VALIDITY_DAYS", 730, minimum=1)
CARD_REVOCATION_LIST_SECONDS = env_int("CARD_REVOCATION_LIST_SECONDS", 86400, minimum=60)
# First cards are issued in batches, this many seconds after an approval (0: one job each).
CARD_ISSUE_BATCH_SECONDS = env_int("CARD_ISSUE_BATCH_SECONDS", 2, minimum=0)

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

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}
