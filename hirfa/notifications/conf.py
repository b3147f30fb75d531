"""Settings of the notifications app, read from the environment at call time.

They are not in `hirfa/settings.py`: each reader runs when a notification is
delivered, so tests can change the environment with `monkeypatch.setenv`. The app
also reads them once when Django starts (`NotificationsConfig.ready`), so a typo
stops the process at start-up like any other setting. Every variable is explained
in `.env.example`.
"""

import json
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

from hirfa.env import env_choice, env_int, env_str

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


def sms_gateway_basic_auth() -> tuple[str, str] | None:
    """(user, password) for HTTP basic authentication, or None; exclusive with a token."""
    user = env_str("SMS_GATEWAY_USERNAME", "")
    if not user:
        return None
    if sms_gateway_token():
        raise ImproperlyConfigured(
            "Set SMS_GATEWAY_TOKEN or SMS_GATEWAY_USERNAME/SMS_GATEWAY_PASSWORD, not both"
        )
    return user, env_str("SMS_GATEWAY_PASSWORD", "")


PLACEHOLDERS = ("to", "text", "reference")
DEFAULT_BODY_TEMPLATE = '{"to": "{to}", "text": "{text}", "reference": "{reference}"}'


def sms_gateway_body_template():
    """The JSON body sent for each SMS, parsed; `{to}`, `{text}` and `{reference}` in
    its strings are replaced by the number, the text and the notification's id."""
    raw = env_str("SMS_GATEWAY_BODY_TEMPLATE", "") or DEFAULT_BODY_TEMPLATE
    try:
        template = json.loads(raw)
    except ValueError as error:
        raise ImproperlyConfigured(f"SMS_GATEWAY_BODY_TEMPLATE is not JSON: {error}") from None
    if not isinstance(template, dict):
        raise ImproperlyConfigured("SMS_GATEWAY_BODY_TEMPLATE must be a JSON object")
    for placeholder in ("to", "text"):
        if "{" + placeholder + "}" not in raw:
            raise ImproperlyConfigured(f"SMS_GATEWAY_BODY_TEMPLATE must contain {{{placeholder}}}")
    return template


def sms_gateway_timeout() -> int:
    return env_int("SMS_GATEWAY_TIMEOUT_SECONDS", 10, minimum=1)


def sms_gateway_id_field() -> str:
    """The key of the gateway's JSON answer that holds its message id."""
    return env_str("SMS_GATEWAY_ID_FIELD", "id")


def sms_webhook_secret() -> str:
    """Shared secret that signs delivery reports; without it the webhook refuses all."""
    return env_str("SMS_WEBHOOK_SECRET", "")


def sms_webhook_tolerance() -> int:
    """How far (seconds) a report's timestamp may be from now, either way."""
    return env_int("SMS_WEBHOOK_TOLERANCE_SECONDS", 300, minimum=1)


def check() -> None:
    """Read every setting once, raising ImproperlyConfigured on a malformed one."""
    email_backend()
    sms_webhook_tolerance()
    if sms_backend() == "http":
        sms_gateway_url()
        sms_gateway_basic_auth()
        sms_gateway_body_template()
        sms_gateway_timeout()
