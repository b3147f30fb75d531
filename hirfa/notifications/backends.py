"""Delivery backends: how a rendered Notification leaves the building.

A backend is any object with `deliver(notification) -> None` that raises on
failure; the delivery job records the error and retries. Which backend serves
each channel is chosen by SMS_BACKEND and EMAIL_NOTIFICATION_BACKEND, read at
call time (see `conf`). Adding a gateway means adding a class here and a name to
`conf.SMS_BACKENDS` / `conf.EMAIL_BACKENDS`.
"""

import json
import sys
import urllib.request
from typing import Protocol

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone

from hirfa.notifications import conf
from hirfa.notifications.models import Channel, Notification

HTTP_TIMEOUT_SECONDS = 10

# Messages "delivered" by MemoryBackend, for tests. Clear it between tests.
outbox: list[Notification] = []


class Backend(Protocol):
    def deliver(self, notification: Notification) -> None:
        """Send the message, or raise."""


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

    def deliver(self, notification: Notification) -> None:
        directory = settings.VAR_DIR / "outbox"
        directory.mkdir(parents=True, exist_ok=True)
        line = json.dumps(
            {
                "id": notification.pk,
                "at": timezone.now().isoformat(),
                "channel": notification.channel,
                "to": notification.address,
                "event": notification.event,
                "language": notification.language,
                "subject": notification.subject,
                "body": notification.body,
            },
            ensure_ascii=False,
        )
        # One write per line in append mode, so concurrent workers do not interleave.
        with open(directory / f"{notification.channel}.jsonl", "a", encoding="utf-8") as file:
            file.write(line + "\n")


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


class HttpSmsBackend:
    """POST {"to": "+212…", "text": "…"} as JSON to SMS_GATEWAY_URL.

    The token, if any, is sent as `Authorization: Bearer <SMS_GATEWAY_TOKEN>`. Any
    answer other than 2xx, or no answer within 10 seconds, is a failure.
    """

    def deliver(self, notification: Notification) -> None:
        headers = {"Content-Type": "application/json; charset=utf-8", "Accept": "*/*"}
        token = conf.sms_gateway_token()
        if token:
            headers["Authorization"] = f"Bearer {token}"
        payload = {"to": notification.address, "text": notification.body}
        request = urllib.request.Request(
            conf.sms_gateway_url(),
            data=json.dumps(payload, ensure_ascii=False).encode("utf-8"),
            headers=headers,
            method="POST",
        )
        # Raises HTTPError for 3xx/4xx/5xx and URLError for network failures.
        opener = urllib.request.build_opener(_RefuseRedirects)
        with opener.open(request, timeout=HTTP_TIMEOUT_SECONDS) as response:
            if not 200 <= response.status < 300:
                raise RuntimeError(f"SMS gateway answered {response.status}")


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
