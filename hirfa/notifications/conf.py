"""Settings of the notifications app, read from the environment at call time.

They are not in `hirfa/settings.py`: each reader runs when a notification is
delivered, so tests can change the environment with `monkeypatch.setenv`. The app
also reads them once when Django starts (`NotificationsConfig.ready`), so a typo
stops the process at start-up like any other setting. Every variable is explained
in `.env.example`.
"""

from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

from hirfa.env import env_choice, env_str

SMS_BACKENDS = {"console", "file", "http", "memory"}
EMAIL_BACKENDS = {"console", "file", "smtp", "memory"}


def sms_backend() -> str:
    return env_choice("SMS_BACKEND", "file", SMS_BACKENDS)


def email_backend() -> str:
    return env_choice("EMAIL_NOTIFICATION_BACKEND", "file", EMAIL_BACKENDS)


def sms_gateway_url() -> str:
    """The gateway's URL; required (http or https) when SMS_BACKEND is http."""
    url = env_str("SMS_GATEWAY_URL", "")
    if not url:
        raise ImproperlyConfigured("SMS_GATEWAY_URL must be set when SMS_BACKEND is http")
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        raise ImproperlyConfigured(f"SMS_GATEWAY_URL must be an http(s) URL, got {url!r}")
    return url


def sms_gateway_token() -> str:
    return env_str("SMS_GATEWAY_TOKEN", "")


def check() -> None:
    """Read every setting once, raising ImproperlyConfigured on a malformed one."""
    email_backend()
    if sms_backend() == "http":
        sms_gateway_url()
