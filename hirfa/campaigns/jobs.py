"""Sending a campaign: one background job per batch of recipients (decision 45).

A batch sends its messages still queued (or failed) through the channel's backend, at most
CAMPAIGN_RATES messages per second, and never an SMS in the quiet hours: a batch due then
waits until they end. A gateway down fails the batch: what was sent is recorded, the job is
retried with backoff (`core.jobs`) and sends only what is left. Each message carries its own
id to the gateway (the HTTP backend's `Idempotency-Key`), so a retry after a crash between
sending and recording is recognised by the gateway: nothing is lost, nothing sent twice.
"""

import logging
import time

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from hirfa.audit.services import record
from hirfa.campaigns import policy
from hirfa.campaigns.models import Campaign
from hirfa.core.jobs import job
from hirfa.notifications import backends, conf
from hirfa.notifications.models import Channel, Notification, Status

logger = logging.getLogger(__name__)
SYSTEM = "system:campaigns"
# Messages recorded per write, and how often a batch looks at the clock and the campaign.
FLUSH_EVERY = 200


class Pacer:
    """At most `rate` calls of `wait()` per second (0: no limit)."""

    def __init__(self, rate: int, *, clock=time.monotonic, sleep=time.sleep):
        self.interval = 1 / rate if rate else 0
        self.clock, self.sleep = clock, sleep
        self.next = None

    def wait(self) -> None:
        if not self.interval:
            return
        now = self.clock()
        if self.next is not None and self.next > now:
            self.sleep(self.next - now)
            now = self.next
        self.next = now + self.interval


def backend_name(channel: str) -> str:
    return conf.sms_backend() if channel == Channel.SMS else conf.email_backend()


def _audit(campaign: Campaign, action: str, **data) -> None:
    record(
        actor=None,
        actor_label=SYSTEM,
        action=action,
        obj=campaign,
        province_code=campaign.province.code if campaign.province_id else None,
        data=data or None,
    )


def _start(campaign: Campaign) -> None:
    with transaction.atomic():
        moved = Campaign.objects.filter(pk=campaign.pk, state=Campaign.State.SCHEDULED).update(
            state=Campaign.State.SENDING
        )
        if moved:
            _audit(campaign, "campaign.sending")


def _finish(campaign: Campaign) -> None:
    with transaction.atomic():
        Campaign.objects.filter(pk=campaign.pk).update(batches_done=F("batches_done") + 1)
        done = Campaign.objects.filter(
            pk=campaign.pk,
            state=Campaign.State.SENDING,
            batches_done__gte=F("batches_total"),
        ).update(state=Campaign.State.SENT, sent_at=timezone.now())
        if done:
            _audit(campaign, "campaign.sent", recipients=campaign.recipients_count)


def _flush(rows: list[Notification]) -> None:
    """Record what became of `rows`: one UPDATE for the messages of the same outcome (a
    batch sent at once: all of them), plain UPDATEs by id for the others (bulk_update spends
    longer building SQL than sending the messages)."""
    if not rows:
        return
    table = connection.ops.quote_name(Notification._meta.db_table)
    columns = "status = %s, sent_at = %s, error = %s, attempts = %s, gateway_id = %s"
    outcomes: dict[tuple, list[int]] = {}
    for n in rows:
        outcomes.setdefault((n.status, n.sent_at, n.error, n.attempts, n.gateway_id), []).append(
            n.pk
        )
    singles = [(*outcome, ids[0]) for outcome, ids in outcomes.items() if len(ids) == 1]
    with transaction.atomic(), connection.cursor() as cursor:
        for outcome, ids in outcomes.items():
            if len(ids) > 1:
                marks = ", ".join(["%s"] * len(ids))
                cursor.execute(
                    f"UPDATE {table} SET {columns} WHERE id IN ({marks})", [*outcome, *ids]
                )
        if singles:
            cursor.executemany(f"UPDATE {table} SET {columns} WHERE id = %s", singles)
    rows.clear()


def _sent(notification: Notification, gateway_id, at) -> None:
    notification.status = Status.SENT
    notification.sent_at = at
    notification.error = ""
    notification.gateway_id = gateway_id or ""


def _send_one(backend, notification: Notification, done: list, campaign_id: int) -> None:
    """Send one message; raises (after recording it failed) when the batch must be retried."""
    notification.attempts += 1
    done.append(notification)
    try:
        gateway_id = backend.deliver(notification)
    except backends.PermanentDeliveryError as error:
        notification.status = Status.REFUSED
        notification.error = str(error)[:2000]
        return
    except Exception as error:
        notification.status = Status.FAILED
        notification.error = f"{type(error).__name__}: {error}"[:2000]
        logger.warning("Campaign %s: sending failed, batch to retry", campaign_id)
        raise
    _sent(notification, gateway_id, timezone.now())


def _send_all(deliver_many, chunk: list[Notification], done: list, campaign_id: int) -> None:
    """Send `chunk` at once through a backend's `deliver_many` (decision 70)."""
    for notification in chunk:
        notification.attempts += 1
    done.extend(chunk)
    try:
        gateway_ids = deliver_many(chunk)
    except backends.PermanentDeliveryError as error:
        for notification in chunk:
            notification.status = Status.REFUSED
            notification.error = str(error)[:2000]
        return
    except Exception as error:
        for notification in chunk:
            notification.status = Status.FAILED
            notification.error = f"{type(error).__name__}: {error}"[:2000]
        logger.warning("Campaign %s: sending failed, batch to retry", campaign_id)
        raise
    at = timezone.now()
    for notification, gateway_id in zip(chunk, gateway_ids, strict=True):
        _sent(notification, gateway_id, at)


def _stopped(campaign_id: int) -> bool:
    return Campaign.objects.filter(pk=campaign_id, state=Campaign.State.CANCELLED).exists()


@job
def send_batch(campaign_id: int, first_id: int, last_id: int) -> str:
    """Send the campaign's messages to its recipients `first_id`…`last_id`. Safe to run twice."""
    campaign = Campaign.objects.select_related("province").filter(pk=campaign_id).first()
    if campaign is None:
        return "missing"
    if campaign.state in (Campaign.State.CANCELLED, Campaign.State.SENT):
        return campaign.state
    now = timezone.now()
    start = policy.next_sending_time(now, campaign.channel)
    if start > now:
        send_batch.using(run_after=start).enqueue(campaign_id, first_id, last_id)
        return "waiting"
    _start(campaign)
    name = backend_name(campaign.channel)
    backend = backends.get_backend(campaign.channel)
    pacer = Pacer(policy.rate_for(name))
    pending = list(
        Notification.objects.filter(
            campaign_recipient__campaign_id=campaign_id,
            campaign_recipient__id__gte=first_id,
            campaign_recipient__id__lte=last_id,
            status__in=(Status.QUEUED, Status.FAILED),
        )
        .only(
            *("id", "channel", "address", "subject", "body", "language", "event"),
            *("status", "attempts", "sent_at", "error", "gateway_id"),
        )
        .order_by("pk")
    )
    # Unpaced, a backend that sends many messages at once gets them a chunk at a time.
    deliver_many = None if pacer.interval else getattr(backend, "deliver_many", None)
    done: list[Notification] = []
    try:
        for start in range(0, len(pending), FLUSH_EVERY):
            if start:
                _flush(done)
                if _stopped(campaign_id):
                    return "cancelled"
                moment = timezone.now()
                if policy.next_sending_time(moment, campaign.channel) > moment:
                    send_batch.using(
                        run_after=policy.next_sending_time(moment, campaign.channel)
                    ).enqueue(campaign_id, first_id, last_id)
                    return "waiting"
            chunk = pending[start : start + FLUSH_EVERY]
            if deliver_many is not None:
                _send_all(deliver_many, chunk, done, campaign_id)
                continue
            for notification in chunk:
                pacer.wait()
                _send_one(backend, notification, done, campaign_id)
    finally:
        _flush(done)
    _finish(campaign)
    return "sent"
