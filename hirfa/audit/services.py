"""Writing to the audit trail.

Services that change a registration, card or enrolment call `record` inside their
own transaction, so the entry is written if and only if the change is committed:

    with transaction.atomic():
        dossier.status = "in_review"
        dossier.save()
        audit.record(actor=user, action="dossier.review_started", obj=dossier,
                     province_code=dossier.province.code,
                     data={"from": "submitted", "to": "in_review"})
"""

import json
import re
from datetime import timedelta

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connections, router, transaction
from django.utils import timezone

from hirfa.audit import jobs
from hirfa.audit.keys import audit_key, entry_mac
from hirfa.audit.models import GENESIS_HASH, AuditEntry, ChainVerification, compute_hash

# Key of the PostgreSQL transaction-level advisory lock that serialises writers of
# the chain ("hirfa" in ASCII). Held until the writer's transaction ends.
CHAIN_LOCK_KEY = 0x6869726661

# A verification asked for and still unfinished after this long was lost (its job failed).
ABANDONED_AFTER = timedelta(hours=6)

ACTION_PATTERN = re.compile(r"^[a-z][a-z0-9_-]*(\.[a-z][a-z0-9_-]*)+$")
SYSTEM_LABEL = "system"
ANONYMOUS_LABEL = "anonymous"


def record(
    *,
    actor,
    action: str,
    obj=None,
    object_type: str | None = None,
    object_id=None,
    province_code: str | None = None,
    reason: str = "",
    data: dict | None = None,
    actor_label: str | None = None,
) -> AuditEntry:
    """Append one entry to the chain and return it.

    `actor` is a user, or None when the system acts (then pass `actor_label`, e.g.
    "system:cnss-import"). `obj` is the model instance concerned; without one, give
    `object_type` and `object_id` (or neither, for an event about no object).
    `data` says what changed, e.g. {"from": "submitted", "to": "in_review"}; it must
    be JSON (dates, decimals and UUIDs are turned into strings; floats are refused,
    because PostgreSQL may not give them back written the same way).
    """
    if not ACTION_PATTERN.match(action or ""):
        raise ValueError(f"audit action must look like 'dossier.submitted', not {action!r}")
    if obj is not None:
        if object_type is not None or object_id is not None:
            raise ValueError("pass obj, or object_type and object_id, not both")
        if obj.pk is None:
            raise ValueError("audit entries are about saved objects")
        object_type, object_id = obj._meta.label_lower, obj.pk
    actor, label = _actor_and_label(actor, actor_label)
    entry = AuditEntry(
        actor=actor,
        actor_label=label,
        action=action,
        object_type=object_type or "",
        object_id="" if object_id is None else str(object_id),
        province_code=province_code or None,
        reason=reason or "",
        data=_normalised(data),
    )
    using = router.db_for_write(AuditEntry)
    key = audit_key()  # read once per process, before the chain's lock is taken
    # No savepoint of its own: the entry commits or rolls back with the caller's change.
    with transaction.atomic(using=using, savepoint=False):
        entry.previous_hash = _lock_and_read_head(using)
        # Taken under the lock, so that time never goes backwards along the chain
        # (on one clock).
        entry.at = timezone.now()
        entry.hash = compute_hash(entry)
        entry.mac = entry_mac(key, entry.hash)
        entry.save(using=using)
    return entry


def record_many(*, actor, entries: list[dict]) -> list[AuditEntry]:
    """Append several entries by one actor at once: the chain's head is read once and the
    entries written in one statement (the reads of personal data a page made).

    Each of `entries` holds `action`, `object_type`, `object_id` and optionally
    `province_code`, `reason`, `data`, as `record` takes them.
    """
    if not entries:
        return []
    actor, label = _actor_and_label(actor, None)
    rows = []
    for item in entries:
        if not ACTION_PATTERN.match(item["action"]):
            raise ValueError(f"audit action must look like 'dossier.submitted': {item['action']!r}")
        rows.append(
            AuditEntry(
                actor=actor,
                actor_label=label,
                action=item["action"],
                object_type=item.get("object_type") or "",
                object_id=str(item.get("object_id") or ""),
                province_code=item.get("province_code") or None,
                reason=item.get("reason") or "",
                data=_normalised(item.get("data")),
            )
        )
    using = router.db_for_write(AuditEntry)
    key = audit_key()
    with transaction.atomic(using=using, savepoint=False):
        previous = _lock_and_read_head(using)
        now = timezone.now()
        for entry in rows:
            entry.previous_hash, entry.at = previous, now
            entry.hash = compute_hash(entry)
            entry.mac = entry_mac(key, entry.hash)
            previous = entry.hash
        AuditEntry.objects.using(using).append_chained(rows)
    return rows


def record_access(*, actor, obj, province_code: str | None = None, reason: str = "") -> AuditEntry:
    """Log that `actor` opened `obj` (e.g. a person's file): action "<model>.viewed"."""
    return record(
        actor=actor,
        action=f"{obj._meta.model_name}.viewed",
        obj=obj,
        province_code=province_code,
        reason=reason,
    )


def _actor_and_label(actor, explicit_label):
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor, default = None, ANONYMOUS_LABEL  # AnonymousUser
    elif actor is None:
        default = SYSTEM_LABEL
    else:
        default = actor.get_username()
    return actor, (explicit_label or default)


def _lock_and_read_head(using: str) -> str:
    """Serialise writers, then return the hash of the last entry (the chain's head).

    On PostgreSQL a transaction-level advisory lock queues writers; the read that
    follows sees the last committed entry (READ COMMITTED). SQLite runs every
    transaction in IMMEDIATE mode (settings), so the writer already holds the
    database's write lock. Should serialisation ever fail, the unique constraint on
    `previous_hash` refuses a second entry after the same head instead of forking
    the chain.
    """
    connection = connections[using]
    table = connection.ops.quote_name(AuditEntry._meta.db_table)
    # Plain SQL: this runs on every audited change.
    head = f"SELECT hash FROM {table} ORDER BY id DESC LIMIT 1"
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            cursor.execute(head)
        elif connection.settings_dict["OPTIONS"].get("server_side_binding"):
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK_KEY])
            cursor.execute(head)
        else:
            # One round trip (decision 86): both statements in one query, each with its
            # own snapshot, so the read still sees what the previous holder committed.
            cursor.execute(f"SELECT pg_advisory_xact_lock(%s); {head}", [CHAIN_LOCK_KEY])
            cursor.nextset()
        row = cursor.fetchone()
    return row[0] if row else GENESIS_HASH


def _normalised(data):
    """`data` as it will come back from the database, so that its hash is stable."""
    if data is None:
        return {}
    text = json.dumps(data, cls=DjangoJSONEncoder, allow_nan=False)
    return _DECODER.decode(text)


def _refuse_float(text):
    raise TypeError("audit data holds no floats; pass decimals or strings")


# Floats refused as they are read back (a JSON number with a fraction or an exponent is the
# only thing the decoder makes a float of): a walk of the value after it took as long as
# the rest for the 5,000 items of a CNSS chunk's entry.
_DECODER = json.JSONDecoder(parse_float=_refuse_float)


def request_verification(*, actor) -> ChainVerification:
    """Queue a check of the whole chain (a background job); one at a time: while one is
    waiting or running, that one is returned (one left unfinished for longer than
    `ABANDONED_AFTER`, its job failed for good, no longer counts)."""
    with transaction.atomic():
        pending = (
            ChainVerification.objects.select_for_update()
            .filter(finished_at__isnull=True, requested_at__gte=timezone.now() - ABANDONED_AFTER)
            .order_by("-id")
            .first()
        )
        if pending is not None:
            return pending
        verification = ChainVerification.objects.create(
            requested_at=timezone.now(), requested_by=actor
        )
        record(actor=actor, action="audit.verification_requested", obj=verification)
        transaction.on_commit(lambda pk=verification.pk: jobs.verify_chain.enqueue(pk), robust=True)
    return verification
