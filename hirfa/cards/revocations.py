"""The signed revocation list and status list, built from the database and kept signed in
memory. The revocation list (`RNA1:` cards' verifiers, docs/card-qr.md §5) stays while any
verifier may need it; the status list (docs/card-qr.md §12) serves Claim 169 cards.

Re-signed when a card's status changes (`forget`, called on commit; other processes
notice through the fingerprint query) or when half its lifetime has passed, so a
verifier that refreshes at `next update` always gets a list younger than that.
It lists the revoked and suspended cards that have not expired yet: an expired card
reads EXPIRED offline whatever happened to it, which keeps the list short.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Max
from django.utils import timezone

from hirfa.cards import keys, qr, statuslist
from hirfa.cards.models import Card

REASONS = {Card.Status.REVOKED: qr.REASON_REVOKED, Card.Status.SUSPENDED: qr.REASON_SUSPENDED}
STATUSES = {Card.Status.REVOKED: statuslist.INVALID, Card.Status.SUSPENDED: statuslist.SUSPENDED}
# The status list covers card ids by blocks: a card issued since it was signed is in it
# (valid) until its block is full, and the list is re-signed once a new block starts.
STATUS_BLOCK = 16384
# A status list is refused (stale) this long after it was signed: a verifier that has not
# been online for a week no longer trusts what it says of revocations.
STATUS_LIST_EXPIRES_SECONDS = 7 * 86400


@dataclass(frozen=True)
class SignedList:
    data: bytes
    issued_at: int
    next_update: int
    fingerprint: tuple


_current: SignedList | None = None
_status: SignedList | None = None
_lock = threading.Lock()


def forget() -> None:
    global _current, _status
    _current = None
    _status = None


def _fingerprint() -> tuple:
    row = Card.objects.exclude(status=Card.Status.CURRENT).aggregate(
        n=Count("id"), last=Max("revoked_at")
    )
    return (row["n"], row["last"])


def _build(fingerprint: tuple) -> SignedList:
    now = timezone.now()
    rows = (
        Card.objects.exclude(status=Card.Status.CURRENT)
        .filter(expires_at__gt=now)
        .order_by("registration__number", "version")
        .values_list("registration__number", "version", "status")
    )
    issued_at = int(now.timestamp())
    next_update = issued_at + settings.CARD_REVOCATION_LIST_SECONDS
    key = keys.signing_key(now)
    data = qr.encode_revocations(
        [(number, version, REASONS[status]) for number, version, status in rows],
        issued_at=issued_at,
        next_update=next_update,
        private_key=key.private_key,
        kid=key.kid,
    )
    return SignedList(data, issued_at, next_update, fingerprint)


def current() -> SignedList:
    global _current
    fingerprint = _fingerprint()
    signed = _current
    now = int(timezone.now().timestamp())
    half_life = settings.CARD_REVOCATION_LIST_SECONDS // 2
    if signed is None or signed.fingerprint != fingerprint or now >= signed.issued_at + half_life:
        with _lock:
            signed = _build(fingerprint)
            _current = signed
    return signed


def _status_size() -> int:
    last = Card.objects.aggregate(last=Max("id"))["last"] or 0
    return (last // STATUS_BLOCK + 1) * STATUS_BLOCK


def _build_status(fingerprint: tuple) -> SignedList:
    now = timezone.now()
    rows = (
        Card.objects.exclude(status=Card.Status.CURRENT)
        .filter(expires_at__gt=now)
        .values_list("id", "status")
    )
    issued_at = int(now.timestamp())
    key = keys.signing_key(now)
    data = statuslist.encode(
        {pk: STATUSES[status] for pk, status in rows},
        size=fingerprint[-1],
        issued_at=issued_at,
        expires_at=issued_at + STATUS_LIST_EXPIRES_SECONDS,
        ttl=settings.CARD_REVOCATION_LIST_SECONDS,
        private_key=key.private_key,
        kid=key.kid,
    )
    return SignedList(
        data, issued_at, issued_at + settings.CARD_REVOCATION_LIST_SECONDS, fingerprint
    )


def current_status_list() -> SignedList:
    """The signed status list (`GET /.well-known/rna-status-list`), re-signed when a card's
    status changes, a new block of card ids starts, or half its time to live has passed."""
    global _status
    fingerprint = (*_fingerprint(), _status_size())
    signed = _status
    now = int(timezone.now().timestamp())
    half_life = settings.CARD_REVOCATION_LIST_SECONDS // 2
    if signed is None or signed.fingerprint != fingerprint or now >= signed.issued_at + half_life:
        with _lock:
            signed = _build_status(fingerprint)
            _status = signed
    return signed
