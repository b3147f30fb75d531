"""The signed QR code of the professional card (docs/card-qr.md), in pure functions.

    text = "RNA1:" + Base45(zlib(COSE_Sign1(CWT claims + card claim)))

Modelled on the EU Digital COVID Certificate: Base45 (RFC 9285) keeps the QR in its
alphanumeric mode, COSE_Sign1 (RFC 9052) with EdDSA/Ed25519 is the signature, and the
payload is a CWT claims set (RFC 8392). The revocation list is signed the same way.

Decoding never trusts its input: every failure raises `NotGenuine` with a `kind` that
says which step refused it (the verdict is NOT GENUINE whatever the kind; the kind is
for people and logs). Decompression is bounded, so a zlib bomb costs nothing.
"""

from __future__ import annotations

import hashlib
import re
import zlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum

import cbor2
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

PREFIX = "RNA1:"
ISSUER = "MA-RNA"
MAX_DECOMPRESSED = 4096
# Longest QR text worth decoding: a version 40 QR holds 4296 alphanumeric characters.
MAX_TEXT = 4296

COSE_SIGN1_TAG = 18
HEADER_ALG = 1
HEADER_KID = 4
ALG_EDDSA = -8
KID_LENGTH = 8
SIGNATURE_LENGTH = 64

CLAIM_ISS = 1
CLAIM_EXP = 4
CLAIM_IAT = 6
CLAIM_CARD = -70000
CLAIM_NEXT_UPDATE = -70001
CLAIM_ENTRIES = -70002
CLAIM_ATTESTATION = -70003

REASON_REVOKED = 1
REASON_SUSPENDED = 2

BASE45_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"
_BASE45_VALUES = {character: value for value, character in enumerate(BASE45_ALPHABET)}


class Verdict(StrEnum):
    VALID = "valid"
    EXPIRED = "expired"
    REVOKED = "revoked"
    SUSPENDED = "suspended"
    NOT_GENUINE = "not_genuine"


class NotGenuine(Exception):
    """The text is not a card this register signed. `kind` names the failed step."""

    def __init__(self, kind: str, detail: str = ""):
        self.kind = kind
        self.detail = detail
        super().__init__(f"{kind}: {detail}" if detail else kind)


# --- Base45 (RFC 9285) ---------------------------------------------------------------


def b45encode(data: bytes) -> str:
    out = []
    for i in range(0, len(data) - 1, 2):
        n = data[i] * 256 + data[i + 1]
        n, c = divmod(n, 45)
        e, d = divmod(n, 45)
        out += (BASE45_ALPHABET[c], BASE45_ALPHABET[d], BASE45_ALPHABET[e])
    if len(data) % 2:
        d, c = divmod(data[-1], 45)
        out += (BASE45_ALPHABET[c], BASE45_ALPHABET[d])
    return "".join(out)


def b45decode(text: str) -> bytes:
    """Raises ValueError on a character outside the alphabet, a dangling character or a
    group that does not fit its bytes (RFC 9285 §6: such input is refused)."""
    try:
        values = [_BASE45_VALUES[character] for character in text]
    except KeyError:
        raise ValueError("character outside the Base45 alphabet") from None
    if len(values) % 3 == 1:
        raise ValueError("truncated Base45")
    out = bytearray()
    whole = len(values) - len(values) % 3
    for low, middle, high in zip(
        values[0:whole:3], values[1:whole:3], values[2:whole:3], strict=True
    ):
        n = low + middle * 45 + high * 2025
        if n > 0xFFFF:
            raise ValueError("Base45 group out of range")
        out += n.to_bytes(2, "big")
    if whole < len(values):
        n = values[whole] + values[whole + 1] * 45
        if n > 0xFF:
            raise ValueError("Base45 group out of range")
        out.append(n)
    return bytes(out)


# --- Keys ----------------------------------------------------------------------------


def key_id(public_key: Ed25519PublicKey) -> bytes:
    """The first 8 bytes of SHA-256 of the raw public key."""
    return hashlib.sha256(raw_public_key(public_key)).digest()[:KID_LENGTH]


def raw_public_key(public_key: Ed25519PublicKey) -> bytes:
    return public_key.public_bytes(Encoding.Raw, PublicFormat.Raw)


# --- COSE_Sign1 (RFC 9052) -----------------------------------------------------------


def _sig_structure(protected: bytes, payload: bytes) -> bytes:
    return cbor2.dumps(["Signature1", protected, b"", payload])


def protected_header(kid: bytes) -> bytes:
    return cbor2.dumps({HEADER_ALG: ALG_EDDSA, HEADER_KID: kid}, canonical=True)


def sign(payload: Mapping, private_key: Ed25519PrivateKey, kid: bytes) -> bytes:
    """The tagged COSE_Sign1 of the CBOR map `payload`, deterministic (Ed25519 is)."""
    protected = protected_header(kid)
    body = cbor2.dumps(dict(payload), canonical=True)
    signature = private_key.sign(_sig_structure(protected, body))
    return cbor2.dumps(cbor2.CBORTag(COSE_SIGN1_TAG, [protected, {}, body, signature]))


def _loads(data: bytes, kind: str):
    try:
        return cbor2.loads(data)
    except Exception as error:  # cbor2 raises many kinds on hostile input
        raise NotGenuine(kind, type(error).__name__) from None


def open_signed(
    data: bytes, keys: Callable[[bytes], Ed25519PublicKey | None]
) -> tuple[dict, bytes]:
    """The payload map of a COSE_Sign1 whose signature checks, and its kid.

    `keys(kid)` gives the public key of a published kid, or None.
    """
    message = _loads(data, "cbor")
    if isinstance(message, cbor2.CBORTag):
        if message.tag != COSE_SIGN1_TAG:
            raise NotGenuine("structure", f"CBOR tag {message.tag}")
        message = message.value
    if not (
        isinstance(message, list | tuple)  # cbor2 gives a tuple inside a tag
        and len(message) == 4
        and isinstance(message[0], bytes)
        and isinstance(message[1], Mapping)
        and isinstance(message[2], bytes)
        and isinstance(message[3], bytes)
    ):
        raise NotGenuine("structure", "not a COSE_Sign1 array")
    protected, _unprotected, body, signature = message
    header = _loads(protected, "structure")
    if not isinstance(header, Mapping) or header.get(HEADER_ALG) != ALG_EDDSA:
        raise NotGenuine("algorithm")
    kid = header.get(HEADER_KID)
    if not isinstance(kid, bytes) or len(kid) != KID_LENGTH:
        raise NotGenuine("structure", "no 8-byte kid in the protected header")
    public_key = keys(kid)
    if public_key is None:
        raise NotGenuine("unknown_kid", kid.hex())
    if len(signature) != SIGNATURE_LENGTH:
        raise NotGenuine("signature", "not 64 bytes")
    try:
        public_key.verify(signature, _sig_structure(protected, body))
    except InvalidSignature:
        raise NotGenuine("signature") from None
    payload = _loads(body, "payload")
    if not isinstance(payload, Mapping):
        raise NotGenuine("payload", "not a map")
    return dict(payload), kid


# --- The camera address (docs/card-qr.md §1, docs/decisions/0050) -----------------------

CAMERA_PATH = "/verify/"
# A QR code holds 4296 characters at most, whatever their form: a camera address too.
MAX_CAMERA_TEXT = MAX_TEXT + len(PREFIX) + 64
_URL_START = re.compile(r"https?://", re.IGNORECASE)
_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
_ESCAPED = re.compile(r"%([0-9A-Fa-f]{2})")


def camera_url(base_url: str, text: str) -> str:
    """The address a phone's camera opens: `<base_url>/verify/#RNA1:…`.

    The signed text rides in the fragment, which a browser never sends to the server.
    Base45's space and `%` are written `%20` and `%25` (a fragment may not hold a space,
    and a bare `%` would read as an escape): every character stays in the QR code's
    alphanumeric set, so the signed part still takes 5.5 bits a character.
    """
    fragment = text.replace("%", "%25").replace(" ", "%20")
    return f"{base_url.rstrip('/')}{CAMERA_PATH}#{fragment}"


def payload_text(text) -> str:
    """The `RNA1:…` text a scanned code holds: the text itself (cards printed before the
    camera address), or the fragment of a camera address, unescaped. Anything else is
    given back trimmed, for the prefix check to refuse."""
    if not isinstance(text, str):
        raise NotGenuine("prefix")
    text = text.strip()
    if text.startswith(PREFIX) or not _URL_START.match(text) or "#" not in text:
        return text
    if len(text) > MAX_CAMERA_TEXT:
        raise NotGenuine("too_large", "longer than a QR code holds")
    fragment = text.split("#", 1)[1]
    if _PERCENT.search(fragment):
        raise NotGenuine("base45", "a % that escapes nothing")
    try:
        return _ESCAPED.sub(lambda m: bytes([int(m.group(1), 16)]).decode("ascii"), fragment)
    except UnicodeDecodeError:
        raise NotGenuine("base45", "character outside the Base45 alphabet") from None


def is_signed_text(text: str) -> bool:
    """Does a code read from a picture hold a register's signed text (bare or camera)?"""
    try:
        return payload_text(text).startswith(PREFIX)
    except NotGenuine:
        return False


# --- The card ------------------------------------------------------------------------

CARD_FIELDS = {"n": str, "v": int, "ar": str, "la": str, "zg": str, "c": str, "a": str, "p": str}
REQUIRED_CARD_FIELDS = ("n", "v", "ar", "la", "c", "a", "p")


@dataclass(frozen=True)
class CardClaims:
    number: str
    version: int
    name_ar: str
    name_latin: str
    category: str
    activity: str
    province: str
    name_zgh: str = ""

    def as_map(self) -> dict:
        card = {
            "n": self.number,
            "v": self.version,
            "ar": self.name_ar,
            "la": self.name_latin,
            "c": self.category,
            "a": self.activity,
            "p": self.province,
        }
        if self.name_zgh:
            card["zg"] = self.name_zgh
        return card

    @classmethod
    def from_map(cls, card) -> CardClaims:
        if not isinstance(card, Mapping) or any(key not in card for key in REQUIRED_CARD_FIELDS):
            raise NotGenuine("payload", "card claim incomplete")
        for key, value in card.items():
            expected = CARD_FIELDS.get(key)
            if expected is not None and (
                type(value) is not expected or (expected is int and not 0 < value < 2**31)
            ):
                raise NotGenuine("payload", f"card claim {key!r} of a wrong type")
        return cls(
            number=card["n"],
            version=card["v"],
            name_ar=card["ar"],
            name_latin=card["la"],
            category=card["c"],
            activity=card["a"],
            province=card["p"],
            name_zgh=card.get("zg", ""),
        )


@dataclass(frozen=True)
class SignedCard:
    card: CardClaims
    issued_at: int  # epoch seconds
    expires_at: int
    kid: bytes


def compress(data: bytes) -> bytes:
    return zlib.compress(data, 9)


def inflate(data: bytes, limit: int = MAX_DECOMPRESSED) -> bytes:
    """zlib-decompress at most `limit` bytes; a longer, truncated or corrupt stream is refused."""
    decompressor = zlib.decompressobj()
    try:
        out = decompressor.decompress(data, limit + 1)
    except zlib.error as error:
        raise NotGenuine("zlib", str(error)) from None
    if len(out) > limit or decompressor.unconsumed_tail:
        raise NotGenuine("too_large", f"more than {limit} bytes once decompressed")
    if not decompressor.eof:
        raise NotGenuine("zlib", "truncated stream")
    return out


# --- The attestation (docs/card-qr.md §10, docs/decisions/0051) -------------------------

ATTESTATION_FIELDS = {
    "n": str, "ar": str, "la": str, "zg": str, "c": str, "a": str, "p": str, "r": str,
    "u": str, "k": str,
}  # fmt: skip
REQUIRED_ATTESTATION_FIELDS = ("n", "ar", "la", "c", "a", "p", "r", "k")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class AttestationClaims:
    """What an attestation of practice says: its holder, activity and dates. `code` is the
    attestation's verification code, for the online check (`/verify/attestation/…`)."""

    number: str
    name_ar: str
    name_latin: str
    category: str
    activity: str
    province: str
    registered_on: str  # ISO date
    code: str
    valid_until: str = ""  # ISO date; empty while the registration has no end
    name_zgh: str = ""

    def as_map(self) -> dict:
        claim = {
            "n": self.number,
            "ar": self.name_ar,
            "la": self.name_latin,
            "c": self.category,
            "a": self.activity,
            "p": self.province,
            "r": self.registered_on,
            "k": self.code,
        }
        if self.valid_until:
            claim["u"] = self.valid_until
        if self.name_zgh:
            claim["zg"] = self.name_zgh
        return claim

    @classmethod
    def from_map(cls, claim) -> AttestationClaims:
        if not isinstance(claim, Mapping) or any(
            key not in claim for key in REQUIRED_ATTESTATION_FIELDS
        ):
            raise NotGenuine("payload", "attestation claim incomplete")
        for key, value in claim.items():
            expected = ATTESTATION_FIELDS.get(key)
            if expected is not None and type(value) is not expected:
                raise NotGenuine("payload", f"attestation claim {key!r} of a wrong type")
        for key in ("r", "u"):
            if key in claim and not _ISO_DATE.fullmatch(claim[key]):
                raise NotGenuine("payload", f"attestation claim {key!r} is not a date")
        return cls(
            number=claim["n"],
            name_ar=claim["ar"],
            name_latin=claim["la"],
            category=claim["c"],
            activity=claim["a"],
            province=claim["p"],
            registered_on=claim["r"],
            code=claim["k"],
            valid_until=claim.get("u", ""),
            name_zgh=claim.get("zg", ""),
        )


@dataclass(frozen=True)
class SignedAttestation:
    attestation: AttestationClaims
    issued_at: int  # epoch seconds
    expires_at: int | None  # None: valid as long as the registration is not struck off
    kid: bytes


def encode_attestation(
    attestation: AttestationClaims,
    *,
    issued_at: int,
    expires_at: int | None,
    private_key: Ed25519PrivateKey,
    kid: bytes,
) -> str:
    payload = {
        CLAIM_ISS: ISSUER,
        CLAIM_IAT: int(issued_at),
        CLAIM_ATTESTATION: attestation.as_map(),
    }
    if expires_at is not None:
        payload[CLAIM_EXP] = int(expires_at)
    return PREFIX + b45encode(compress(sign(payload, private_key, kid)))


def encode_card(
    card: CardClaims, *, issued_at: int, expires_at: int, private_key: Ed25519PrivateKey, kid: bytes
) -> str:
    payload = {
        CLAIM_ISS: ISSUER,
        CLAIM_EXP: int(expires_at),
        CLAIM_IAT: int(issued_at),
        CLAIM_CARD: card.as_map(),
    }
    return PREFIX + b45encode(compress(sign(payload, private_key, kid)))


def decode_card(text: str, keys: Callable[[bytes], Ed25519PublicKey | None]) -> SignedCard:
    """The card a QR text carries, once its signature checks; NotGenuine otherwise.

    Surrounding white space is ignored (scanners and copy-paste add it); nothing else is.
    """
    payload, kid = _open_text(text, keys)
    return _signed_card(payload, kid)


def decode_document(
    text: str, keys: Callable[[bytes], Ed25519PublicKey | None]
) -> SignedCard | SignedAttestation:
    """A card or an attestation, whichever the signed text holds; NotGenuine otherwise."""
    payload, kid = _open_text(text, keys)
    if CLAIM_ATTESTATION in payload and CLAIM_CARD not in payload:
        issued_at, expires_at = payload.get(CLAIM_IAT), payload.get(CLAIM_EXP)
        if type(issued_at) is not int or (expires_at is not None and type(expires_at) is not int):
            raise NotGenuine("payload", "iat missing or exp not a date")
        return SignedAttestation(
            attestation=AttestationClaims.from_map(payload[CLAIM_ATTESTATION]),
            issued_at=issued_at,
            expires_at=expires_at,
            kid=kid,
        )
    return _signed_card(payload, kid)


def _open_text(text: str, keys) -> tuple[dict, bytes]:
    """The signed payload of a QR text (bare or camera address), of this issuer."""
    text = payload_text(text)
    if not text.startswith(PREFIX):
        raise NotGenuine("prefix")
    if len(text) > MAX_TEXT + len(PREFIX):
        raise NotGenuine("too_large", "longer than a QR code holds")
    try:
        compressed = b45decode(text[len(PREFIX) :])
    except ValueError as error:
        raise NotGenuine("base45", str(error)) from None
    payload, kid = open_signed(inflate(compressed), keys)
    if payload.get(CLAIM_ISS) != ISSUER:
        raise NotGenuine("payload", "another issuer")
    return payload, kid


def _signed_card(payload: dict, kid: bytes) -> SignedCard:
    issued_at, expires_at = payload.get(CLAIM_IAT), payload.get(CLAIM_EXP)
    if type(issued_at) is not int or type(expires_at) is not int:
        raise NotGenuine("payload", "iat or exp missing")
    return SignedCard(
        card=CardClaims.from_map(payload.get(CLAIM_CARD)),
        issued_at=issued_at,
        expires_at=expires_at,
        kid=kid,
    )


# --- The revocation list -------------------------------------------------------------


@dataclass(frozen=True)
class RevocationList:
    issued_at: int
    next_update: int
    entries: dict[tuple[str, int], int]  # (number, version) -> reason

    def reason_for(self, number: str, version: int) -> int | None:
        return self.entries.get((number, version))


def encode_revocations(
    entries, *, issued_at: int, next_update: int, private_key: Ed25519PrivateKey, kid: bytes
) -> bytes:
    payload = {
        CLAIM_ISS: ISSUER,
        CLAIM_IAT: int(issued_at),
        CLAIM_NEXT_UPDATE: int(next_update),
        CLAIM_ENTRIES: [[number, int(version), int(reason)] for number, version, reason in entries],
    }
    return sign(payload, private_key, kid)


def decode_revocations(
    data: bytes, keys: Callable[[bytes], Ed25519PublicKey | None]
) -> RevocationList:
    payload, _kid = open_signed(data, keys)
    issued_at, next_update = payload.get(CLAIM_IAT), payload.get(CLAIM_NEXT_UPDATE)
    rows = payload.get(CLAIM_ENTRIES)
    if payload.get(CLAIM_ISS) != ISSUER or type(issued_at) is not int:
        raise NotGenuine("payload", "not a revocation list")
    if type(next_update) is not int or not isinstance(rows, list | tuple):
        raise NotGenuine("payload", "not a revocation list")
    entries = {}
    for row in rows:
        if not (
            isinstance(row, list | tuple)
            and len(row) == 3
            and type(row[0]) is str
            and type(row[1]) is int
            and row[2] in (REASON_REVOKED, REASON_SUSPENDED)
        ):
            raise NotGenuine("payload", "malformed revocation entry")
        entries[(row[0], row[1])] = row[2]
    return RevocationList(issued_at=issued_at, next_update=next_update, entries=entries)


def verdict(
    signed: SignedCard | SignedAttestation, *, revocation_reason: int | None, now: int
) -> Verdict:
    """The verdict order every verifier follows (after the signature checked). An
    attestation is never on the revocation list: VALID or EXPIRED offline; its current
    status is the online check's (docs/decisions/0051)."""
    if isinstance(signed, SignedAttestation):
        if signed.expires_at is not None and now > signed.expires_at:
            return Verdict.EXPIRED
        return Verdict.VALID
    if revocation_reason == REASON_REVOKED:
        return Verdict.REVOKED
    if revocation_reason == REASON_SUSPENDED:
        return Verdict.SUSPENDED
    if now > signed.expires_at:
        return Verdict.EXPIRED
    return Verdict.VALID
