"""The register's status list: an IETF Token Status List in its CWT form (docs/card-qr.md §12,
docs/decisions/0063), in pure functions.

    COSE_Sign1( protected {1: -8, 4: kid, 16: "application/statuslist+cwt"},
                payload  {1: iss, 2: sub (the list's URI), 6: iat, 4: exp, 65534: ttl,
                          65533: {"bits": 2, "lst": zlib(statuses)}} )

Each Claim 169 card names its index in the list (claim 65535, `{"status_list": {"idx",
"uri"}}`); the card's database id is its index. Two bits a card: 0 valid, 1 revoked
(INVALID), 2 suspended; index i is in byte i // 4, bits 2·(i % 4) and up (least significant
first). A list past its `exp` is stale and refused; past `iat + ttl` it should be refreshed.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from hirfa.cards import claim169, qr

TYPE = "application/statuslist+cwt"
HEADER_TYPE = 16
CLAIM_SUB = 2
CLAIM_STATUS_LIST = 65533
CLAIM_TTL = 65534
BITS = 2
VALID, INVALID, SUSPENDED = 0, 1, 2
# 2 MiB of statuses: 8 million cards at two bits each. A larger list is refused unread.
MAX_LIST_BYTES = 2 * 1024 * 1024


@dataclass(frozen=True)
class StatusList:
    issued_at: int
    expires_at: int
    ttl: int | None
    bits: int
    statuses: bytes
    kid: bytes

    @property
    def size(self) -> int:
        return len(self.statuses) * 8 // self.bits

    def status(self, index: int) -> int | None:
        """The status at `index`, None when the list is shorter (a card issued after it)."""
        if not 0 <= index < self.size:
            return None
        per_byte = 8 // self.bits
        byte = self.statuses[index // per_byte]
        return (byte >> (index % per_byte * self.bits)) & ((1 << self.bits) - 1)

    def refresh_at(self) -> int:
        return self.issued_at + self.ttl if self.ttl else self.expires_at


def pack(statuses: Mapping[int, int], size: int) -> bytes:
    """The 2-bit status array of `size` entries, all valid but those given."""
    out = bytearray((size * BITS + 7) // 8)
    for index, value in statuses.items():
        if not 0 <= index < size or not 0 <= value < 4:
            raise ValueError(f"status {value} at index {index} does not fit")
        out[index // 4] |= value << (index % 4 * 2)
    return bytes(out)


def encode(
    statuses: Mapping[int, int],
    *,
    size: int,
    issued_at: int,
    expires_at: int,
    ttl: int,
    private_key: Ed25519PrivateKey,
    kid: bytes,
) -> bytes:
    payload = {
        qr.CLAIM_ISS: claim169.ISSUER,
        CLAIM_SUB: claim169.STATUS_LIST_URI,
        qr.CLAIM_IAT: int(issued_at),
        qr.CLAIM_EXP: int(expires_at),
        CLAIM_TTL: int(ttl),
        CLAIM_STATUS_LIST: {"bits": BITS, "lst": zlib.compress(pack(statuses, size), 9)},
    }
    protected = qr.cbor2.dumps(
        {qr.HEADER_ALG: qr.ALG_EDDSA, qr.HEADER_KID: kid, HEADER_TYPE: TYPE}, canonical=True
    )
    body = qr.cbor2.dumps(payload, canonical=True)
    signature = private_key.sign(qr._sig_structure(protected, body))
    return qr.cbor2.dumps(qr.cbor2.CBORTag(qr.COSE_SIGN1_TAG, [protected, {}, body, signature]))


def decode(
    data: bytes, keys: Callable[[bytes], Ed25519PublicKey | None], *, now: int
) -> StatusList:
    """The register's status list, once its signature, type, issuer, subject and age check;
    NotGenuine otherwise (kind "stale" for a list past its `exp`)."""
    if not isinstance(data, bytes) or len(data) > MAX_LIST_BYTES:
        raise qr.NotGenuine("too_large", "not a status list of a fitting size")
    payload, header = qr.open_signed_header(data, keys)
    if header.get(HEADER_TYPE) != TYPE:
        raise qr.NotGenuine("structure", "not a status list token")
    if payload.get(qr.CLAIM_ISS) != claim169.ISSUER:
        raise qr.NotGenuine("payload", "another issuer")
    if payload.get(CLAIM_SUB) != claim169.STATUS_LIST_URI:
        raise qr.NotGenuine("payload", "another status list")
    issued_at, expires_at = payload.get(qr.CLAIM_IAT), payload.get(qr.CLAIM_EXP)
    ttl = payload.get(CLAIM_TTL)
    if type(issued_at) is not int or type(expires_at) is not int:
        raise qr.NotGenuine("payload", "iat or exp missing")
    if ttl is not None and (type(ttl) is not int or ttl <= 0):
        raise qr.NotGenuine("payload", "ttl is not a positive integer")
    if now > expires_at:
        raise qr.NotGenuine("stale", "the status list has expired")
    body = payload.get(CLAIM_STATUS_LIST)
    if not isinstance(body, Mapping) or body.get("bits") not in (1, 2, 4, 8):
        raise qr.NotGenuine("payload", "status_list without bits 1, 2, 4 or 8")
    if type(body.get("lst")) is not bytes:
        raise qr.NotGenuine("payload", "status_list without lst")
    statuses = qr.inflate(body["lst"], MAX_LIST_BYTES)
    return StatusList(issued_at, expires_at, ttl, body["bits"], statuses, header[qr.HEADER_KID])


REASONS = {INVALID: qr.REASON_REVOKED, SUSPENDED: qr.REASON_SUSPENDED}


def revocation_reason(signed: qr.SignedCard, status_list: StatusList | None) -> int | None:
    """What the status list says of a Claim 169 card, as the verdict's revocation reason
    (None: valid, not listed, or no list)."""
    if status_list is None or signed.status is None:
        return None
    return REASONS.get(status_list.status(signed.status.index))
