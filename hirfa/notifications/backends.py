"""Delivery backends: how a rendered Notification leaves the building.

A backend is any object with `deliver(notification)` that raises on failure; the
delivery job records the error and retries, except after PermanentDeliveryError. It
may return the gateway's id for the message, kept to match delivery reports. Which backend serves
each channel is chosen by SMS_BACKEND and EMAIL_NOTIFICATION_BACKEND, read at
call time (see `conf`). Adding a gateway means adding a class here and a name to
`conf.SMS_BACKENDS` / `conf.EMAIL_BACKENDS`.
"""

import base64
import json
import re
import sys
import urllib.error
import urllib.request
from typing import Protocol

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone

from hirfa.notifications import conf
from hirfa.notifications.models import Channel, Notification

# Messages "delivered" by MemoryBackend, for tests. Clear it between tests.
outbox: list[Notification] = []


class Backend(Protocol):
    def deliver(self, notification: Notification) -> str | None:
        """Send the message, or raise; return the gateway's message id if any."""


# A backend may also offer `deliver_many(notifications) -> [gateway id or None, …]`: all the
# messages (of one channel) sent at once, or an exception for all of them. The campaigns'
# batches use it when they are not paced (decision 70).


class ConsoleBackend:
    """Print each message to standard output: a header line, then the body."""

    def __init__(self, stream=None):
        self.stream = stream

    def deliver(self, notification: Notification) -> None:
        stream = self.stream or sys.stdout
        header = f"[{notification.channel}] to {notification.address} ({notification.event})"
        if notification.subject:
            header += f": {notification.subject}"
        stream.write(f"{header}\n{notification.body}\n")
        stream.flush()


class FileBackend:
    """Append one JSON line per message to <VAR_DIR>/outbox/<channel>.jsonl."""

    def _line(self, notification: Notification, at: str) -> str:
        return json.dumps(
            {
                "id": notification.pk,
                "at": at,
                "channel": notification.channel,
                "to": notification.address,
                "event": notification.event,
                "language": notification.language,
                "subject": notification.subject,
                "body": notification.body,
            },
            ensure_ascii=False,
        )

    def _append(self, channel: str, text: str) -> None:
        directory = settings.VAR_DIR / "outbox"
        directory.mkdir(parents=True, exist_ok=True)
        # One write in append mode, so concurrent workers do not interleave lines.
        with open(directory / f"{channel}.jsonl", "a", encoding="utf-8") as file:
            file.write(text)

    def deliver(self, notification: Notification) -> None:
        self._append(
            notification.channel, self._line(notification, timezone.now().isoformat()) + "\n"
        )

    def deliver_many(self, notifications: list[Notification]) -> list[None]:
        """Several messages of one channel in one write (a campaign's batch); raises for all
        of them, or returns their gateway ids (none here)."""
        if notifications:
            at = timezone.now().isoformat()
            text = "".join(self._line(n, at) + "\n" for n in notifications)
            self._append(notifications[0].channel, text)
        return [None] * len(notifications)


class EmailBackend:
    """Send e-mail through Django's mail settings (EMAIL_DELIVERY, EMAIL_HOST…)."""

    def deliver(self, notification: Notification) -> None:
        send_mail(
            subject=notification.subject,
            message=notification.body,
            from_email=None,
            recipient_list=[notification.address],
            fail_silently=False,
        )


class _RefuseRedirects(urllib.request.HTTPRedirectHandler):
    # urllib would follow a redirect with a GET, dropping the message; a gateway
    # that redirects is misconfigured, and the failure says so.
    def redirect_request(self, *args, **kwargs):
        return None


class PermanentDeliveryError(Exception):
    """The gateway refused the message for good (a 4xx): retrying would not help."""


# 4xx answers that mean "later", not "never".
_TRANSIENT_CLIENT_ERRORS = {408, 425, 429}
_PLACEHOLDER = re.compile(r"\{(" + "|".join(conf.PLACEHOLDERS) + r")\}")


def _fill(template, values: dict[str, str]):
    """The template with each placeholder in its strings replaced, in one pass (a text
    containing "{to}" stays as written)."""
    if isinstance(template, str):
        return _PLACEHOLDER.sub(lambda match: values[match.group(1)], template)
    if isinstance(template, dict):
        return {key: _fill(value, values) for key, value in template.items()}
    if isinstance(template, list):
        return [_fill(value, values) for value in template]
    return template


def gateway_reference(notification: Notification) -> str:
    """The reference sent with a message: its own id, the same on every retry."""
    return str(notification.pk)


class HttpSmsBackend:
    """POST the body template (by default {"to", "text", "reference"}) to SMS_GATEWAY_URL.

    Authenticated by a bearer token or basic auth. The reference is the notification's
    id, also sent as the `Idempotency-Key` header, so a gateway can drop a retry of a
    message it already accepted. A 2xx is accepted: returns the gateway's message id
    (SMS_GATEWAY_ID_FIELD of a JSON answer) or "". A 4xx other than 408/425/429 raises
    PermanentDeliveryError; anything else (3xx, 5xx, refused, timeout) raises to be
    retried.
    """

    def deliver(self, notification: Notification) -> str:
        reference = gateway_reference(notification)
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "Accept": "application/json, */*",
            "Idempotency-Key": reference,
        }
        token = conf.sms_gateway_token()
        basic = conf.sms_gateway_basic_auth()
        if token:
            headers["Authorization"] = f"Bearer {token}"
        elif basic:
            pair = base64.b64encode(f"{basic[0]}:{basic[1]}".encode()).decode("ascii")
            headers["Authorization"] = f"Basic {pair}"
        payload = _fill(
            conf.sms_gateway_body_template(),
            {"to": notification.address, "text": notification.body, "reference": reference},
        )
        request = urllib.request.Request(
            conf.sms_gateway_url(),
            data=json.dumps(payload, ensure_ascii=False).encode("utf-8"),
            headers=headers,
            method="POST",
        )
        # Raises HTTPError for 3xx/4xx/5xx and URLError for network failures.
        opener = urllib.request.build_opener(_RefuseRedirects)
        try:
            with opener.open(request, timeout=conf.sms_gateway_timeout()) as response:
                if not 200 <= response.status < 300:
                    raise RuntimeError(f"SMS gateway answered {response.status}")
                answer = response.read(65536)
        except urllib.error.HTTPError as error:
            if 400 <= error.code < 500 and error.code not in _TRANSIENT_CLIENT_ERRORS:
                detail = error.read(500).decode("utf-8", "replace").strip()
                raise PermanentDeliveryError(
                    f"SMS gateway refused the message: {error.code} {detail}".strip()
                ) from error
            raise
        return _gateway_id(answer)


def _gateway_id(answer: bytes) -> str:
    try:
        data = json.loads(answer)
    except ValueError:
        return ""
    value = data.get(conf.sms_gateway_id_field()) if isinstance(data, dict) else None
    return str(value)[:100] if value not in (None, "") else ""


class MemoryBackend:
    """Keep messages in `backends.outbox`, for tests."""

    def deliver(self, notification: Notification) -> None:
        outbox.append(notification)


_SMS = {"console": ConsoleBackend, "file": FileBackend, "http": HttpSmsBackend}
_EMAIL = {"console": ConsoleBackend, "file": FileBackend, "smtp": EmailBackend}


def get_backend(channel: str) -> Backend:
    """The backend configured now for `channel` ("sms" or "email")."""
    if channel == Channel.SMS:
        name = conf.sms_backend()
        return MemoryBackend() if name == "memory" else _SMS[name]()
    if channel == Channel.EMAIL:
        name = conf.email_backend()
        return MemoryBackend() if name == "memory" else _EMAIL[name]()
    raise ValueError(f"unknown notification channel {channel!r}")
