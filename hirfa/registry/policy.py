"""What the registry API accepts: identifier types, events, sizes (docs/spdci.md)."""

from hirfa.registry.models import EventType

RECEIVER_ID = "ma.rna"
REG_TYPE = "ns:ma:rna:RegistryType:CraftsRegister"
# query_type "idtype-value": the identifier types a search may use, and the field each reads.
IDENTIFIER_TYPES = {"CNIE": "person__cnie", "RNA": "number"}
MAX_SEARCH_REQUESTS = 10  # search_request items in one message
MAX_RECORDS = 10  # registrations answered for one identifier
MAX_SUBSCRIBE_REQUESTS = 10
MAX_BODY = 64 * 1024
ACTIONS = {
    "search": "search",
    "subscribe": "subscribe",
    "unsubscribe": "unsubscribe",
    "txn/status": "txn-status",
}
NOTICES_PER_JOB = 500


def event_for_status(action: str) -> str:
    """A status change of the register → the event a subscriber is told."""
    return EventType.STRUCK_OFF if action == "struck_off" else EventType.CHANGED


def event_for_approval(dossier_kind: str) -> str:
    return EventType.REGISTERED if dossier_kind == "registration" else EventType.CHANGED


def may_receive(subscriber) -> bool:
    return subscriber is not None and subscriber.active
