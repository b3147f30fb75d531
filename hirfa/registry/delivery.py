"""Sending the notices owed to subscribers (the job `deliver_notices` runs this)."""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request

from django.conf import settings
from django.utils import timezone

from hirfa.registry import messages, policy, selectors
from hirfa.registry.models import Notice

logger = logging.getLogger(__name__)


class DeliveryFailed(Exception):
    """Some notices could not be delivered: the job is retried (core.jobs)."""


def _post(url: str, body: dict) -> None:
    data = json.dumps(body, ensure_ascii=False).encode()
    request = urllib.request.Request(
        url, data=data, headers={"Content-Type": "application/json"}, method="POST"
    )
    with urllib.request.urlopen(request, timeout=settings.REGISTRY_NOTIFY_TIMEOUT) as response:
        if not 200 <= response.status < 300:
            raise urllib.error.HTTPError(url, response.status, "not 2xx", response.headers, None)


def deliver_notices() -> int:
    """Send the pending notices, oldest first; returns how many were delivered. Raises
    DeliveryFailed when some were not (they stay pending, with their error)."""
    delivered, failed = 0, 0
    for notice in selectors.pending_notices(policy.NOTICES_PER_JOB):
        registration = selectors.registration_record(notice.registration_id)
        subscriber = notice.subscription.subscriber
        if registration is None:  # an entity's registration: nothing to say in SPDCI
            Notice.objects.filter(pk=notice.pk).update(
                delivered_at=timezone.now(), last_error="not a person"
            )
            continue
        body = messages.signed(
            "notify",
            subscriber.sender_id,
            messages.notify_message(notice, registration),
            count=1,
            message_id=notice.message_id,
        )
        try:
            _post(subscriber.callback_url, body)
        except (OSError, ValueError) as error:  # URLError and HTTPError are OSErrors
            failed += 1
            Notice.objects.filter(pk=notice.pk).update(
                attempts=notice.attempts + 1, last_error=str(error)[:300]
            )
            logger.warning("SPDCI notice %s to %s failed: %s", notice.pk, subscriber, error)
            continue
        delivered += 1
        Notice.objects.filter(pk=notice.pk).update(
            delivered_at=timezone.now(), attempts=notice.attempts + 1, last_error=""
        )
    if failed:
        raise DeliveryFailed(f"{failed} notices not delivered")
    return delivered
