"""Reads of the registry API. The subscribers are national programmes (the CNSS): their
reads are not scoped to a territory; each answered search is written to the audit trail."""

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.db.models import Prefetch, QuerySet

from hirfa.cnss import exchange_format as fmt
from hirfa.core.prepared import Prepared
from hirfa.coverage.models import Dependant
from hirfa.register.models import Registration
from hirfa.registry import policy
from hirfa.registry.models import Notice, ReceivedMessage, Subscriber, Subscription


def subscriber(sender_id: str) -> Subscriber | None:
    return Subscriber.objects.filter(sender_id=sender_id, active=True).first()


def public_key(found: Subscriber | None) -> Ed25519PublicKey | None:
    if found is None:
        return None
    try:
        return fmt.public_key_from_text(found.public_key)
    except ValueError:
        return None


def _records() -> QuerySet[Registration]:
    return (
        Registration.objects.filter(person__isnull=False)
        .select_related("person", "person__commune", "province", "principal_activity", "enrolment")
        .prefetch_related(
            Prefetch(
                "dependants",
                queryset=Dependant.objects.exclude(
                    state__in=(Dependant.State.REFUSED, Dependant.State.DECLARED)
                ).order_by("birth_date", "id"),
            )
        )
    )


def registrations_by_identifier(id_type: str, value: str) -> list[Registration]:
    """The persons' registrations an identifier names, newest first (at most MAX_RECORDS)."""
    field = policy.IDENTIFIER_TYPES[id_type]
    found = _records().filter(**{field: value}).order_by("-registered_on", "-id")
    return list(found[: policy.MAX_RECORDS])


def registration_record(registration_id: int) -> Registration | None:
    return _records().filter(pk=registration_id).first()


def answer_to(found: Subscriber, message_id: str) -> ReceivedMessage | None:
    return ReceivedMessage.objects.filter(subscriber=found, message_id=message_id).first()


def answers_of_transaction(found: Subscriber, transaction_id: str) -> list[ReceivedMessage]:
    return list(
        ReceivedMessage.objects.filter(subscriber=found, transaction_id=transaction_id)
        .exclude(action="txn-status")
        .order_by("received_at", "id")[:20]
    )


def _live(shape, event_type: str) -> QuerySet[Subscription]:
    return Subscription.objects.filter(
        event_type=event_type, ended_at__isnull=True, subscriber__active=True
    ).only("id", "event_type")


# Read by every approval: compiled once (decision 81).
_LIVE = Prepared(_live, str)


def live_subscriptions(event_type: str) -> list[Subscription]:
    """The subscriptions owed a notice of `event_type` (their ids and event only)."""
    return _LIVE.fetch(None, event_type)


def pending_notices(limit: int) -> QuerySet[Notice]:
    return (
        Notice.objects.filter(delivered_at__isnull=True, subscription__subscriber__active=True)
        .select_related("subscription__subscriber")
        .order_by("created_at", "id")[:limit]
    )
