"""The SMS gateway's delivery reports: signature check and reading (decision 41).

A report is a POST whose raw body is JSON, signed by the gateway with the shared
secret SMS_WEBHOOK_SECRET:

    X-Hirfa-Timestamp: <Unix time in seconds>
    X-Hirfa-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<raw body>">

The timestamp is part of what is signed, so a captured report cannot be replayed
later with a fresh timestamp; it must be within SMS_WEBHOOK_TOLERANCE_SECONDS of now.
"""

import hashlib
import hmac
import json
import time
from dataclasses import dataclass
from datetime import UTC, datetime

from hirfa.notifications import conf
from hirfa.notifications.models import DeliveryStatus

TIMESTAMP_HEADER = "X-Hirfa-Timestamp"
SIGNATURE_HEADER = "X-Hirfa-Signature"

# The gateway's words for what became of a message, and ours.
GATEWAY_STATUSES = {
    "delivered": DeliveryStatus.DELIVERED,
    "delivrd": DeliveryStatus.DELIVERED,
    "failed": DeliveryStatus.FAILED,
    "undelivered": DeliveryStatus.FAILED,
    "undeliv": DeliveryStatus.FAILED,
    "rejected": DeliveryStatus.FAILED,
    "rejectd": DeliveryStatus.FAILED,
    "expired": DeliveryStatus.EXPIRED,
    "accepted": DeliveryStatus.PENDING,
    "queued": DeliveryStatus.PENDING,
    "sent": DeliveryStatus.PENDING,
    "buffered": DeliveryStatus.PENDING,
    "enroute": DeliveryStatus.PENDING,
}


class Unsigned(Exception):
    """No signature or timestamp: 401."""


class BadSignature(Exception):
    """A signature that does not match, a stale timestamp, or no secret set: 403."""


class Malformed(Exception):
    """A signed body that is not a report: 400."""


def sign(body: bytes, timestamp: str, secret: str) -> str:
    """The signature header's value for `body` sent at `timestamp` (for gateways, tests)."""
    message = timestamp.encode("ascii") + b"." + body
    return "sha256=" + hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def verify(body: bytes, timestamp: str | None, signature: str | None) -> None:
    """Raise Unsigned or BadSignature unless the report is signed and fresh."""
    if not timestamp or not signature:
        raise Unsigned("missing signature or timestamp")
    secret = conf.sms_webhook_secret()
    if not secret:
        raise BadSignature("SMS_WEBHOOK_SECRET is not set")
    try:
        expected = sign(body, timestamp, secret)
    except UnicodeEncodeError:
        raise BadSignature("bad timestamp") from None
    if not hmac.compare_digest(expected.encode(), signature.strip().encode("utf-8", "replace")):
        raise BadSignature("bad signature")
    try:
        sent_at = int(timestamp)
    except ValueError:
        raise BadSignature("bad timestamp") from None
    if abs(time.time() - sent_at) > conf.sms_webhook_tolerance():
        raise BadSignature("stale timestamp")


@dataclass(frozen=True)
class Report:
    reference: str
    gateway_id: str
    status: str
    at: datetime | None


def parse(body: bytes) -> Report:
    """Read {"reference", "id", "status", "at"?}; raise Malformed if it is not one."""
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise Malformed("not JSON") from None
    if not isinstance(data, dict):
        raise Malformed("not a JSON object")
    reference, gateway_id = data.get("reference"), data.get("id")
    if not isinstance(reference, str | int | type(None)) or isinstance(reference, bool):
        raise Malformed("reference must be a string")
    if not isinstance(gateway_id, str | int | type(None)) or isinstance(gateway_id, bool):
        raise Malformed("id must be a string")
    reference = "" if reference is None else str(reference).strip()
    gateway_id = "" if gateway_id is None else str(gateway_id).strip()
    if not reference and not gateway_id:
        raise Malformed("reference or id is required")
    status = data.get("status")
    if not isinstance(status, str) or status.strip().lower() not in GATEWAY_STATUSES:
        raise Malformed("unknown status")
    at = data.get("at")
    if at is not None:
        try:
            at = datetime.fromisoformat(at)
        except (TypeError, ValueError):
            raise Malformed("at must be an ISO 8601 date-time") from None
        if at.tzinfo is None:
            at = at.replace(tzinfo=UTC)
    return Report(reference, gateway_id, GATEWAY_STATUSES[status.strip().lower()], at)
