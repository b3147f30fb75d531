"""The signed revocation list, built from the database and kept signed in memory.

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

from hirfa.cards import keys, qr
from hirfa.cards.models import Card

REASONS = {Card.Status.REVOKED: qr.REASON_REVOKED, Card.Status.SUSPENDED: qr.REASON_SUSPENDED}


@dataclass(frozen=True)
class SignedList:
    data: bytes
    issued_at: int
    next_update: int
    fingerprint: tuple


_current: SignedList | None = None
_lock = threading.Lock()


def forget() -> None:
    global _current
    _current = None


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
