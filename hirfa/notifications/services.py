"""Sending notifications: record them with the change, deliver them after commit."""

import logging
from collections.abc import Callable
from contextlib import nullcontext
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.functional import Promise

from hirfa.core.jobs import Window, job
from hirfa.core.languages import is_supported
from hirfa.core.prepared_writes import insert
from hirfa.notifications import backends
from hirfa.notifications.models import Channel, DeliveryStatus, Notification, Status

logger = logging.getLogger(__name__)

# Plain or lazy text (gettext_lazy, format_lazy), or a function returning text:
# a function is called inside the recipient's language, so `%` interpolation of a
# translated string belongs in one, e.g. `lambda: _("Code: %(code)s") % {"code": c}`.
Text = str | Promise | Callable[[], str]


def _language(language: str | None) -> str:
    """One of settings.LANGUAGES ("fr-MA" gives "fr"), else the default (Arabic)."""
    if language:
        primary = language.split("-")[0].lower()
        if is_supported(primary):
            return primary
        logger.warning("Unsupported notification language %r; using the default", language)
    return settings.LANGUAGE_CODE


def _render(text: Text) -> str:
    return str(text() if callable(text) else text)


def notify(
    *,
    user=None,
    phone: str | None = None,
    email: str | None = None,
    event: str,
    subject: Text,
    body: Text,
    language: str | None = None,
    channels=None,
) -> list[Notification]:
    """Record one notification per channel the recipient can be reached on.

    SMS goes to `phone` (else `user.phone`), e-mail to `email` (else `user.email`);
    a recipient with neither gets nothing and an empty list is returned. Subject and
    body are rendered in `language` (else the user's own, else the default language).
    Delivery is queued only when the surrounding transaction commits, so a rolled-back
    change sends nothing: in a batch job at most once per `NOTIFICATION_BATCH_SECONDS`
    per process (decision 72), else one job each. `channels` (e.g. `[Channel.EMAIL]`)
    keeps only those channels.
    """
    addresses = {
        Channel.SMS: phone or getattr(user, "phone", None),
        Channel.EMAIL: email or getattr(user, "email", None),
    }
    if channels is not None:
        addresses = {channel: a for channel, a in addresses.items() if channel in channels}
    # Else the language the recipient last acted in (accounts keep it).
    language = _language(language or getattr(user, "language", None))
    # Switched only when another language is active (activating one costs an approval 2 %).
    active = translation.get_language() == language
    with nullcontext() if active else translation.override(language):
        # A subject is one line (mail headers refuse line breaks) that fits its column.
        rendered_subject = " ".join(_render(subject).split())[:255]
        rendered_body = _render(body)
    notifications = [
        insert(  # Notification.objects.create, its INSERT compiled once (decision 86)
            Notification(
                recipient=user,
                channel=channel,
                address=address,
                subject=rendered_subject,
                body=rendered_body,
                language=language,
                event=event,
            )
        )
        for channel, address in addresses.items()
        if address
    ]
    if notifications:
        ids = [notification.pk for notification in notifications]
        transaction.on_commit(lambda: _queue_delivery(ids), robust=True)
    return notifications


BATCHES = Window("NOTIFICATION_BATCH_SECONDS")


def _queue_delivery(ids: list[int]) -> None:
    """After commit: one job per notification without a batch window; else the batch job,
    at most once a window per process, run at the window's end, so that it finds every
    notification the window's changes committed (one job row per approval cost approvals
    a tenth of their speed)."""
    window = settings.NOTIFICATION_BATCH_SECONDS
    if not window:
        for pk in ids:
            deliver_notification.enqueue(pk)
        return
    BATCHES.request(deliver_queued_notifications)


@job
def deliver_queued_notifications() -> str:
    """Send every notification never tried yet, oldest first. Each is claimed by one
    conditional UPDATE, so two batches running at once never send one twice; one that
    fails is left failed and retried by its own job (`deliver_notification`)."""
    sent = 0
    waiting = Notification.objects.filter(status=Status.QUEUED, attempts=0)
    for pk in waiting.order_by("id").values_list("id", flat=True).iterator(chunk_size=500):
        if not Notification.objects.filter(pk=pk, status=Status.QUEUED, attempts=0).update(
            attempts=1
        ):
            continue  # another batch, or its own job, has it
        notification = Notification.objects.get(pk=pk)
        try:
            if _deliver(notification) == "sent":
                sent += 1
        except Exception:
            logger.warning("Notification %s failed; retried by its own job", pk, exc_info=True)
            deliver_notification.enqueue(pk)
    return f"{sent} sent"


@job
def deliver_notification(notification_id: int) -> str:
    """Send one notification through its channel's backend. Safe to run twice.

    A notification already sent (or refused for good) is left alone. A failure is
    recorded on the notification (status failed, error, attempts) and raised, so the
    job wrapper retries it; a permanent refusal (a gateway's 4xx) is recorded as
    refused and not retried. The gateway's message id, if it gives one, is kept.
    """
    try:
        notification = Notification.objects.get(pk=notification_id)
    except Notification.DoesNotExist:
        logger.warning("Notification %s no longer exists; nothing to send", notification_id)
        return "missing"
    if notification.status == Status.SENT:
        return "already sent"
    if notification.status == Status.REFUSED:
        return "refused"
    notification.attempts += 1
    return _deliver(notification)


def _deliver(notification: Notification) -> str:
    """Send `notification` (its attempt counted) and record what came of it."""
    try:
        gateway_id = backends.get_backend(notification.channel).deliver(notification)
    except backends.PermanentDeliveryError as error:
        notification.status = Status.REFUSED
        notification.error = str(error)[:2000]
        notification.save(update_fields=["status", "error", "attempts"])
        logger.warning("Notification %s refused by the gateway: %s", notification.pk, error)
        return "refused"
    except Exception as error:
        notification.status = Status.FAILED
        notification.error = f"{type(error).__name__}: {error}"[:2000]
        notification.save(update_fields=["status", "error", "attempts"])
        raise
    notification.status = Status.SENT
    notification.sent_at = timezone.now()
    notification.error = ""
    notification.gateway_id = gateway_id or ""
    notification.save(update_fields=["status", "sent_at", "error", "attempts", "gateway_id"])
    return "sent"


def record_delivery_report(
    *, reference: str, gateway_id: str, status: str, at: datetime | None = None
) -> str:
    """Apply one delivery report of the SMS gateway (decision 41).

    The SMS is found by `reference` (our id, sent with the message), else by
    `gateway_id`. Returns "unknown" when there is no such SMS, "unchanged" when the
    report tells nothing new (a duplicate, a report after a final status, an
    intermediate status after a final one), else "updated". The first final status
    (delivered, failed, expired) wins.
    """
    with transaction.atomic():
        matches = Notification.objects.select_for_update().filter(channel=Channel.SMS)
        if reference:
            known = reference.isdigit() and len(reference) <= 18
            matches = matches.filter(pk=int(reference)) if known else matches.none()
        elif gateway_id:
            matches = matches.filter(gateway_id=gateway_id)
        else:
            matches = matches.none()
        notification = matches.first()
        if notification is None:
            logger.warning("Delivery report for an unknown SMS (%r, %r)", reference, gateway_id)
            return "unknown"
        current = notification.delivery_status
        if current in DeliveryStatus.final() or current == status:
            return "unchanged"
        notification.delivery_status = status
        notification.delivery_reported_at = timezone.now()
        fields = ["delivery_status", "delivery_reported_at"]
        if status == DeliveryStatus.DELIVERED:
            notification.delivered_at = at or notification.delivery_reported_at
            fields.append("delivered_at")
        if gateway_id and not notification.gateway_id:
            notification.gateway_id = gateway_id[:100]
            fields.append("gateway_id")
        notification.save(update_fields=fields)
        return "updated"
