"""Reading the audit trail: an object's entries, and checking the whole chain.

Who may read which entries is the accounts' business (`hirfa.accounts.selectors.history_for`):
the audit, below the accounts, knows no roles and no territorial scope.
"""

from typing import NamedTuple

from django.db.models import QuerySet

from hirfa.audit.models import GENESIS_HASH, AuditEntry, compute_hash

ALTERED = "content altered"
BROKEN_LINK = "link broken"


def entries_about(*, object_type: str, object_id) -> QuerySet[AuditEntry]:
    """Every entry about one object, oldest first."""
    return AuditEntry.objects.filter(object_type=object_type, object_id=str(object_id)).order_by(
        "id"
    )


class ChainReport(NamedTuple):
    """What `verify_chain` found. Unpacks as (ok, checked, first_broken, problem)."""

    ok: bool
    checked: int  # entries read, the broken one included
    first_broken: AuditEntry | None
    problem: str  # "" when ok; else starts with ALTERED or BROKEN_LINK


def verify_chain(batch_size: int = 5000) -> ChainReport:
    """Recompute every entry's hash in chain order and check every link.

    Stops at the first broken entry:
    - ALTERED: its stored hash is not the hash of its content, so a field (or its
      hash) was changed after it was written;
    - BROKEN_LINK: its content is intact but its previous_hash is not the hash of
      the entry before it, so that entry was deleted, or rewritten together with
      its hash.
    """
    expected_previous = GENESIS_HASH
    previous_id = None
    checked = 0
    entries = AuditEntry.objects.order_by("id").iterator(chunk_size=batch_size)
    try:
        for entry in entries:
            checked += 1
            problem = _problem_of(entry, expected_previous, previous_id)
            if problem:
                return ChainReport(False, checked, entry, problem)
            expected_previous = entry.hash
            previous_id = entry.pk
    finally:
        entries.close()  # releases PostgreSQL's server-side cursor on an early return
    return ChainReport(True, checked, None, "")


def _problem_of(entry: AuditEntry, expected_previous: str, previous_id) -> str:
    if compute_hash(entry) != entry.hash:
        return f"{ALTERED}: the stored hash is not the hash of the entry's content"
    if entry.previous_hash != expected_previous:
        before = (
            f"the hash of entry #{previous_id}"
            if previous_id is not None
            else "the start of the chain (64 zeros)"
        )
        return (
            f"{BROKEN_LINK}: previous_hash is not {before}; "
            "an entry before it is missing or was rewritten"
        )
    return ""
