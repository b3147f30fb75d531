"""The SPDCI messages we answer and send: headers, the signed envelope, and the answer
to each action (search, subscribe, unsubscribe, txn/status). Reads only; the services
store and audit (docs/spdci.md)."""

from __future__ import annotations

import uuid

from django.utils import timezone

from hirfa.cnss import exchange_format as fmt
from hirfa.cnss import keys as cnss_keys
from hirfa.registry import envelope, policy, records, selectors
from hirfa.registry.models import EventType, Subscription


def _now() -> str:
    return timezone.now().isoformat(timespec="seconds")


def key_id() -> str:
    return fmt.key_id(cnss_keys.signing_key().public_key())


def jwks() -> dict:
    public = cnss_keys.signing_key().public_key()
    return {
        "keys": [
            {
                "kty": "OKP",
                "crv": "Ed25519",
                "x": fmt.b64url(fmt.public_bytes(public)),
                "kid": fmt.key_id(public),
                "use": "sig",
                "alg": "EdDSA",
            }
        ]
    }


def signed(
    action: str, receiver_id: str, message: dict, *, count: int, message_id=None, **status
) -> dict:
    """Our envelope: a header for `receiver_id`, signed with our key."""
    header = {
        "version": envelope.VERSION,
        "message_id": str(message_id or uuid.uuid4()),
        "message_ts": _now(),
        "action": action,
        "sender_id": policy.RECEIVER_ID,
        "receiver_id": receiver_id,
        "total_count": count,
        "completed_count": count,
        "is_msg_encrypted": False,
        **status,
    }
    return envelope.sign(
        header,
        message,
        private_key=cnss_keys.signing_key(),
        sender_id=policy.RECEIVER_ID,
        key_id=key_id(),
    )


def _rejected(item_reference, code: str, message: str) -> dict:
    return {
        "reference_id": item_reference,
        "timestamp": _now(),
        "status": "rjct",
        "status_reason_code": code,
        "status_reason_message": message,
    }


def _normalised(id_type: str, value: str) -> str:
    value = "".join(value.split()).upper()
    return value if id_type == "CNIE" else value.replace("-", "").replace(".", "")


def search_item(item) -> tuple[dict, list]:
    """The answer to one `search_request` item, and the registrations it read."""
    if not isinstance(item, dict) or not isinstance(item.get("reference_id"), str):
        return _rejected(None, "rjct.reference_id.invalid", "reference_id is required"), []
    reference = item["reference_id"]
    criteria = item.get("search_criteria")
    if not isinstance(criteria, dict) or criteria.get("query_type") != "idtype-value":
        return _rejected(
            reference, "rjct.search_criteria.invalid", "query_type must be idtype-value"
        ), []
    query = criteria.get("query")
    id_type = query.get("type") if isinstance(query, dict) else None
    value = query.get("value") if isinstance(query, dict) else None
    if id_type not in policy.IDENTIFIER_TYPES:
        known = ", ".join(policy.IDENTIFIER_TYPES)
        return _rejected(
            reference,
            "rjct.search_criteria.invalid",
            f"unknown identifier type {str(id_type)[:40]!r}: use one of {known}",
        ), []
    if not isinstance(value, str) or not 0 < len(value) <= 40:
        return _rejected(reference, "rjct.search_criteria.invalid", "query.value is required"), []
    found = selectors.registrations_by_identifier(id_type, _normalised(id_type, value))
    answer = {
        "reference_id": reference,
        "timestamp": _now(),
        "status": "succ",
        "data": {
            "version": envelope.VERSION,
            "reg_type": policy.REG_TYPE,
            "reg_record_type": "person",
            "reg_records": [records.person_record(r) for r in found],
        },
        "pagination": {
            "page_size": policy.MAX_RECORDS,
            "page_number": 1,
            "total_count": len(found),
        },
        "locale": item.get("locale") or "fr",
    }
    return answer, found


def _subscription_of(subscriber, event_type: str) -> Subscription:
    live = Subscription.objects.filter(
        subscriber=subscriber, event_type=event_type, ended_at__isnull=True
    ).first()
    return live or Subscription.objects.create(subscriber=subscriber, event_type=event_type)


def subscribe_item(subscriber, item) -> dict:
    if not isinstance(item, dict) or not isinstance(item.get("reference_id"), str):
        return _rejected(None, "rjct.reference_id.invalid", "reference_id is required")
    criteria = item.get("subscribe_criteria")
    event = criteria.get("reg_event_type") if isinstance(criteria, dict) else None
    if event not in EventType.values:
        return _rejected(
            item["reference_id"],
            "rjct.subscribe_criteria.invalid",
            f"reg_event_type must be one of {', '.join(EventType.values)}",
        )
    subscription = _subscription_of(subscriber, event)
    return {
        "reference_id": item["reference_id"],
        "timestamp": _now(),
        "status": "succ",
        "subscriptions": [
            {
                "code": str(subscription.code),
                "status": "subscribe",
                "reg_event_type": event,
                "timestamp": subscription.created_at.isoformat(timespec="seconds"),
            }
        ],
    }


def unsubscribe(subscriber, codes) -> list[dict]:
    answers = []
    for code in codes[: policy.MAX_SUBSCRIBE_REQUESTS]:
        try:
            code_id = uuid.UUID(str(code))
        except ValueError:
            answers.append({"code": str(code)[:40], "status": "rjct"})
            continue
        ended = Subscription.objects.filter(
            subscriber=subscriber, code=code_id, ended_at__isnull=True
        ).update(ended_at=timezone.now())
        answers.append({"code": str(code_id), "status": "unsubscribe" if ended else "rjct"})
    return answers


def notify_message(notice, registration) -> dict:
    return {
        "transaction_id": str(notice.message_id),
        "notify_event": [
            {
                "reference_id": str(notice.message_id),
                "timestamp": notice.created_at.isoformat(timespec="seconds"),
                "data": {
                    "version": envelope.VERSION,
                    "reg_type": policy.REG_TYPE,
                    "reg_event_type": notice.event_type,
                    "reg_record_type": "person",
                    "reg_records": [records.person_record(registration)],
                },
            }
        ],
    }
