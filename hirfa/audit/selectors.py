"""Reading the audit trail: an object's entries, and checking the whole chain.

Who may read which entries is the accounts' business (`hirfa.accounts.selectors.history_for`):
the audit, below the accounts, knows no roles and no territorial scope.
"""

from typing import NamedTuple

from django.db.models import Q, QuerySet

from hirfa.audit import checkpoints
from hirfa.audit.keys import audit_key, entry_mac, same
from hirfa.audit.models import GENESIS_HASH, AuditEntry, ChainVerification, compute_hash

ALTERED = "content altered"
FORGED = "not authentic"
BROKEN_LINK = "link broken"
MISSING = "entries missing"
BAD_CHECKPOINT = "checkpoint forged"


def entries_about(*, object_type: str, object_id) -> QuerySet[AuditEntry]:
    """Every entry about one object, oldest first."""
    return AuditEntry.objects.filter(object_type=object_type, object_id=str(object_id)).order_by(
        "id"
    )


class ChainReport(NamedTuple):
    """What `verify_chain` found. Unpacks as (ok, checked, first_broken, problem)."""

    ok: bool
    checked: int  # entries read, the broken one included
    first_broken: AuditEntry | None  # None when entries are missing at the end
    problem: str  # "" when ok; else starts with one of the five labels above


class ChainCheck(NamedTuple):
    report: ChainReport
    last: AuditEntry | None  # the last entry read (the head, when the chain is intact)


def verify_chain(batch_size: int = 5000) -> ChainReport:
    """Check the whole trail; stops at the first problem (see `check_chain`)."""
    return check_chain(batch_size).report


def check_chain(batch_size: int = 5000) -> ChainCheck:
    """Recompute every entry's hash and MAC in chain order, check every link, and check
    the chain against the checkpoints kept outside the database (docs/audit.md).

    Stops at the first problem:
    - ALTERED: an entry's stored hash is not the hash of its content, so a field (or
      its hash) was changed after it was written;
    - FORGED: its MAC is not the audit key's MAC of its hash: it was rewritten (its
      hash recomputed) or inserted by someone without the key;
    - BROKEN_LINK: its content is intact but its previous_hash is not the hash of the
      entry before it, so that entry was deleted, or rewritten together with its hash;
    - MISSING: an entry a checkpoint recorded is gone, or the chain holds fewer
      entries up to it than the checkpoint counted: entries were removed (the newest
      ones, which the chain alone cannot show);
    - BAD_CHECKPOINT: a line of the checkpoint file was not written with the key.
    """
    key = audit_key()
    try:
        recorded = [c for c in checkpoints.read_all() if c.last_id]
    except checkpoints.BadCheckpoint as error:
        return ChainCheck(ChainReport(False, 0, None, f"{BAD_CHECKPOINT}: {error}"), None)
    pending: dict[int, list] = {}
    for checkpoint in recorded:
        pending.setdefault(checkpoint.last_id, []).append(checkpoint)
    expected_previous = GENESIS_HASH
    previous = None
    checked = 0
    entries = AuditEntry.objects.order_by("id").iterator(chunk_size=batch_size)
    try:
        for entry in entries:
            checked += 1
            problem = _problem_of(entry, expected_previous, previous, key) or _against(
                entry, checked, pending.pop(entry.pk, ())
            )
            if problem:
                return ChainCheck(ChainReport(False, checked, entry, problem), entry)
            expected_previous = entry.hash
            previous = entry
    finally:
        entries.close()  # releases PostgreSQL's server-side cursor on an early return
    if pending:
        lost = min((c for group in pending.values() for c in group), key=lambda c: c.last_id)
        end = f"entry #{previous.pk}" if previous is not None else "nothing"
        problem = (
            f"{MISSING}: the checkpoint of {lost.at} recorded entry #{lost.last_id} "
            f"(hash {lost.head[:16]}…) as the {lost.count}th of the chain; the chain now "
            f"ends at {end} after {checked} entries: its newest entries were removed"
        )
        return ChainCheck(ChainReport(False, checked, None, problem), previous)
    return ChainCheck(ChainReport(True, checked, None, ""), previous)


def _problem_of(entry: AuditEntry, expected_previous: str, previous, key: bytes) -> str:
    if compute_hash(entry) != entry.hash:
        return f"{ALTERED}: the stored hash is not the hash of the entry's content"
    if not same(entry.mac, entry_mac(key, entry.hash)):
        return (
            f"{FORGED}: its MAC is not the audit key's MAC of its hash; it was rewritten "
            "or written by someone without the key"
        )
    if entry.previous_hash != expected_previous:
        before = (
            f"the hash of entry #{previous.pk}"
            if previous is not None
            else "the start of the chain (64 zeros)"
        )
        return (
            f"{BROKEN_LINK}: previous_hash is not {before}; "
            "an entry before it is missing or was rewritten"
        )
    return ""


def _against(entry: AuditEntry, position: int, recorded) -> str:
    for checkpoint in recorded:
        if not same(entry.hash, checkpoint.head):
            return (
                f"{ALTERED}: the checkpoint of {checkpoint.at} recorded another hash "
                f"for this entry ({checkpoint.head[:16]}…)"
            )
        if checkpoint.count != position:
            return (
                f"{MISSING}: the checkpoint of {checkpoint.at} counted {checkpoint.count} "
                f"entries up to this one; the chain now holds {position}"
            )
    return ""


def search(
    entries: QuerySet[AuditEntry],
    *,
    actor_id: int | None = None,
    actor_label: str = "",
    objects: list[tuple[str, str]] | None = None,
    actions: list[str] | None = None,
    since=None,
    until=None,
) -> QuerySet[AuditEntry]:
    """`entries` narrowed by doer, objects (type, id), actions and period (datetimes,
    `until` excluded), newest first. Paged by `page_before`: never counted, never offset,
    so that a search over years reads one page of an index."""
    if actor_id is not None:
        entries = entries.filter(actor_id=actor_id)
    elif actor_label:
        entries = entries.filter(actor__isnull=True, actor_label=actor_label)
    if objects is not None:
        about = Q(pk__in=[])
        for object_type, object_id in objects:
            about |= Q(object_type=object_type, object_id=str(object_id))
        entries = entries.filter(about)
    if actions:
        entries = entries.filter(action__in=actions)
    if since is not None:
        entries = entries.filter(at__gte=since)
    if until is not None:
        entries = entries.filter(at__lt=until)
    return entries.order_by("-id")


def page_before(entries: QuerySet[AuditEntry], before: int | None, size: int):
    """One page of `entries` (newest first) older than entry `before`, and the id to ask
    for the next page with (None on the last page). One query."""
    if before is not None:
        entries = entries.filter(id__lt=before)
    rows = list(entries[: size + 1])
    following = rows[size - 1].pk if len(rows) > size else None
    return rows[:size], following


def latest_verification() -> ChainVerification | None:
    return ChainVerification.objects.order_by("-requested_at", "-id").first()
