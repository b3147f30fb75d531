"""Writes of the registry API (docs/spdci.md, ADR 0066).

`receive` answers a subscriber's signed message: the signature and the sender checked, a
`message_id` seen before answered with the very same answer (and a different message under
it refused), the answer signed, stored and audited in one transaction. `queue_notices`
(called by the register's signals, inside the change's transaction) owes each live
subscription a notice; `deliver_notices` (a background job) sends them, signed, retried
until delivered, each under its own unchanging `message_id`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from hirfa.audit.services import record
from hirfa.core.jobs import Window
from hirfa.registry import envelope, jobs, messages, policy, selectors
from hirfa.registry.models import Notice, ReceivedMessage


@dataclass(frozen=True)
class Answer:
    body: dict
    status: int = 200


def _error(code: str, message: str, status: int = 400) -> Answer:
    return Answer(envelope.error_body(code, message), status)


def receive(*, action: str, body) -> Answer:
    """The answer to a message posted to the endpoint of `action` (search, subscribe,
    unsubscribe, txn/status)."""
    found = {}

    def keys(sender_id):
        found["subscriber"] = selectors.subscriber(sender_id)
        return selectors.public_key(found["subscriber"])

    try:
        checked = envelope.verify(body, keys)
    except envelope.EnvelopeError as error:
        return _error(error.code, error.message, error.status)
    subscriber = found["subscriber"]
    header, message = body["header"], body["message"]
    message_id = header.get("message_id")
    if not isinstance(message_id, str) or not 0 < len(message_id) <= 100:
        return _error("rjct.message_id.invalid", "header.message_id is required")
    if header.get("version") != envelope.VERSION:
        return _error("rjct.version.invalid", f"version must be {envelope.VERSION}")
    if header.get("action") != action:
        return _error("rjct.action.invalid", f"this endpoint answers the action {action!r}")
    if header.get("is_msg_encrypted"):
        return _error("err.encryption.invalid", "encrypted messages are not supported")
    if header.get("receiver_id") not in (None, policy.RECEIVER_ID):
        return _error("err.receiver_id.invalid", f"receiver_id must be {policy.RECEIVER_ID}")
    transaction_id = message.get("transaction_id")
    if not isinstance(transaction_id, str) or not 0 < len(transaction_id) <= 100:
        return _error("rjct.transaction_id.invalid", "message.transaction_id is required")
    previous = selectors.answer_to(subscriber, message_id)
    if previous is not None:
        return _repeated(previous, checked.digest)
    try:
        with transaction.atomic():
            answer = _answer(subscriber, action, message, message_id)
            ReceivedMessage.objects.create(
                subscriber=subscriber,
                message_id=message_id,
                transaction_id=transaction_id,
                action=policy.ACTIONS[action],
                digest=checked.digest,
                answer=answer.body,
                status=answer.status,
            )
    except IntegrityError:  # the same message_id, answered meanwhile by another process
        return _repeated(selectors.answer_to(subscriber, message_id), checked.digest)
    return answer


def _repeated(previous: ReceivedMessage, digest: str) -> Answer:
    if previous.digest != digest:
        return _error(
            "rjct.message_id.duplicate",
            "this message_id was used for another message",
            409,
        )
    return Answer(previous.answer, previous.status)


def _answer(subscriber, action: str, message: dict, message_id: str) -> Answer:
    transaction_id = message["transaction_id"]
    correlation = {"transaction_id": transaction_id, "correlation_id": message_id}
    receiver = subscriber.sender_id
    if action == "search":
        items = message.get("search_request")
        if not isinstance(items, list) or not 0 < len(items) <= policy.MAX_SEARCH_REQUESTS:
            return _error(
                "rjct.search_request.invalid",
                f"search_request must hold 1 to {policy.MAX_SEARCH_REQUESTS} items",
            )
        answers, read = [], []
        for item in items:
            answer, registrations = messages.search_item(item)
            answers.append(answer)
            read += registrations
        record(
            actor=None,
            actor_label=f"spdci:{receiver}"[:100],
            action="registry.searched",
            data={"message_id": message_id, "found": [r.number for r in read]},
        )
        body = {**correlation, "search_response": answers}
        return Answer(messages.signed("on-search", receiver, body, count=len(answers)))
    if action == "subscribe":
        items = message.get("subscribe_request")
        if not isinstance(items, list) or not 0 < len(items) <= policy.MAX_SUBSCRIBE_REQUESTS:
            return _error("rjct.subscribe_request.invalid", "subscribe_request must be a list")
        answers = [messages.subscribe_item(subscriber, item) for item in items]
        record(
            actor=None,
            actor_label=f"spdci:{receiver}"[:100],
            action="registry.subscribed",
            data={"message_id": message_id},
        )
        body = {**correlation, "subscribe_response": answers}
        return Answer(messages.signed("on-subscribe", receiver, body, count=len(answers)))
    if action == "unsubscribe":
        codes = message.get("subscription_codes")
        if not isinstance(codes, list) or not codes:
            return _error("rjct.subscription_codes.invalid", "subscription_codes must be a list")
        answers = messages.unsubscribe(subscriber, codes)
        record(
            actor=None,
            actor_label=f"spdci:{receiver}"[:100],
            action="registry.unsubscribed",
            data={"message_id": message_id, "codes": [a["code"] for a in answers]},
        )
        body = {**correlation, "subscription_status": answers}
        return Answer(messages.signed("on-unsubscribe", receiver, body, count=len(answers)))
    request = message.get("txnstatus_request")
    if not isinstance(request, dict) or request.get("attribute_type") != "transaction_id":
        return _error("rjct.txnstatus_request.invalid", "attribute_type must be transaction_id")
    earlier = selectors.answers_of_transaction(subscriber, str(request.get("attribute_value")))
    body = {
        **correlation,
        "txnstatus_response": {
            "reference_id": request.get("reference_id"),
            "txn_type": request.get("txn_type"),
            "txn_status": [
                {"action": m.action, "message_id": m.message_id, "answer": m.answer}
                for m in earlier
            ],
        },
    }
    return Answer(messages.signed("on-txn-status", receiver, body, count=len(earlier)))


@transaction.atomic
def save_subscriber(*, actor, subscriber) -> None:
    """Add or change a subscriber (the administrators, through the admin)."""
    subscriber.full_clean()
    created = subscriber.pk is None
    subscriber.save()
    record(
        actor=actor,
        action="registry.subscriber_added" if created else "registry.subscriber_changed",
        obj=subscriber,
        data={"sender_id": subscriber.sender_id, "active": subscriber.active},
    )


def forget_old_messages(*, now=None) -> tuple[int, int]:
    """Delete the answers kept for idempotency and `txn/status`, and the delivered notices,
    older than REGISTRY_KEEP_DAYS: they hold artisans' data (Law 09-08). Daily."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.REGISTRY_KEEP_DAYS)
    with transaction.atomic():
        answers, _ = ReceivedMessage.objects.filter(received_at__lt=cutoff).delete()
        notices, _ = Notice.objects.filter(delivered_at__lt=cutoff).delete()
        if answers or notices:
            record(
                actor=None,
                action="registry.forgotten",
                data={"answers": answers, "notices": notices, "before": cutoff.isoformat()},
            )
    return answers, notices


# --- Notifications ------------------------------------------------------------------------


def queue_notices(*, registration, event_type: str, cause: str) -> int:
    """Owe each live subscription to `event_type` a notice of `registration`; the delivery
    job is asked for after commit. Inside the caller's transaction."""
    subscriptions = selectors.live_subscriptions(event_type)
    if not subscriptions:
        return 0
    Notice.objects.bulk_create(
        [
            Notice(
                subscription=subscription,
                event_type=event_type,
                cause=cause[:80],
                registration=registration,
            )
            for subscription in subscriptions
        ],
        ignore_conflicts=True,
    )
    transaction.on_commit(queue_delivery)
    return len(subscriptions)


NOTICES = Window("REGISTRY_NOTIFY_BATCH_SECONDS")


def queue_delivery() -> None:
    """Ask for the delivery job, at most once per REGISTRY_NOTIFY_BATCH_SECONDS per process
    (it runs at the end of the window and sends every pending notice)."""
    NOTICES.request(jobs.deliver_notices)
