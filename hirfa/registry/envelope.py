"""The SPDCI message envelope: `{"signature", "header", "message"}`, signed with Ed25519 in
the header form of the DCI standards (docs/spdci.md, ADR 0066):

    namespace="dci", kidId="{sender_id}|{key_id}|ed25519", algorithm="ed25519",
    created="{unix}", expires="{unix}", headers="(created) (expires) digest",
    signature="{base64 of Ed25519 over the signing string}"

    signing string = "(created): {created}\n(expires): {expires}\ndigest: BLAKE-512={digest}"
    digest = base64(BLAKE2b-512(canonical JSON of {"header": …, "message": …}))

Canonical JSON: keys sorted, no white space, UTF-8 (non-ASCII kept). Plain Python, no
Django; checking never trusts its input and raises `EnvelopeError` with the SPDCI code.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

VERSION = "1.0.0"
SIGNATURE_SECONDS = 300
CLOCK_SKEW = 60
MAX_SIGNATURE = 1000
_PARAMETER = re.compile(r'\s*([a-zA-Z]+)="([^"]*)"\s*(?:,|$)')


class EnvelopeError(Exception):
    """`code` is SPDCI's (err.* for the HTTP layer, rjct.* for the header)."""

    def __init__(self, code: str, message: str, status: int = 400):
        self.code = code
        self.message = message
        self.status = status
        super().__init__(f"{code}: {message}")


def canonical(value) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def digest_of(header: Mapping, message) -> str:
    data = canonical({"header": header, "message": message})
    return base64.b64encode(hashlib.blake2b(data, digest_size=64).digest()).decode()


def signing_string(created: int, expires: int, digest: str) -> bytes:
    return f"(created): {created}\n(expires): {expires}\ndigest: BLAKE-512={digest}".encode()


def sign(
    header: Mapping,
    message,
    *,
    private_key: Ed25519PrivateKey,
    sender_id: str,
    key_id: str,
    now: int | None = None,
) -> dict:
    """The whole envelope, its `signature` made now."""
    created = int(now if now is not None else time.time())
    expires = created + SIGNATURE_SECONDS
    signature = private_key.sign(signing_string(created, expires, digest_of(header, message)))
    text = (
        f'namespace="dci", kidId="{sender_id}|{key_id}|ed25519", algorithm="ed25519", '
        f'created="{created}", expires="{expires}", headers="(created) (expires) digest", '
        f'signature="{base64.b64encode(signature).decode()}"'
    )
    return {"signature": text, "header": dict(header), "message": message}


def parameters(text) -> dict[str, str]:
    if not isinstance(text, str) or not text or len(text) > MAX_SIGNATURE:
        raise EnvelopeError("err.signature.missing", "the envelope has no signature", 401)
    found, position = {}, 0
    text = text.strip().removeprefix("Signature:").strip()
    while position < len(text):
        match = _PARAMETER.match(text, position)
        if match is None:
            raise EnvelopeError("err.signature.invalid", "the signature is not well formed", 401)
        found[match.group(1)] = match.group(2)
        position = match.end()
    return found


@dataclass(frozen=True)
class Checked:
    sender_id: str
    key_id: str
    digest: str


def verify(
    envelope,
    keys: Callable[[str], Ed25519PublicKey | None],
    *,
    now: int | None = None,
) -> Checked:
    """Check an envelope's shape and signature. `keys(sender_id)` gives the sender's
    registered public key, or None for an unknown sender."""
    if not isinstance(envelope, Mapping):
        raise EnvelopeError("err.request.bad", "the body is not a JSON object")
    header, message = envelope.get("header"), envelope.get("message")
    if not isinstance(header, Mapping) or not isinstance(message, Mapping):
        raise EnvelopeError("err.request.bad", "header and message objects are required")
    sender_id = header.get("sender_id")
    if not isinstance(sender_id, str) or not sender_id:
        raise EnvelopeError("err.sender_id.invalid", "header.sender_id is required")
    params = parameters(envelope.get("signature"))
    kid = params.get("kidId", "").split("|")
    if len(kid) != 3 or kid[0] != sender_id or kid[2] != "ed25519":
        raise EnvelopeError("err.signature.invalid", "kidId does not name the sender", 401)
    if params.get("algorithm") != "ed25519":
        raise EnvelopeError("err.signature.invalid", "only ed25519 signatures", 401)
    if params.get("headers") != "(created) (expires) digest":
        raise EnvelopeError(
            "err.signature.invalid", "headers must be (created) (expires) digest", 401
        )
    try:
        created, expires = int(params["created"]), int(params["expires"])
        signature = base64.b64decode(params["signature"], validate=True)
    except (KeyError, ValueError):
        raise EnvelopeError(
            "err.signature.invalid", "the signature is not well formed", 401
        ) from None
    now = int(now if now is not None else time.time())
    if created > now + CLOCK_SKEW or expires < now or expires <= created:
        raise EnvelopeError("err.signature.invalid", "the signature is out of its period", 401)
    key = keys(sender_id)
    if key is None:
        raise EnvelopeError("err.sender_id.invalid", "unknown sender", 401)
    digest = digest_of(header, message)
    try:
        key.verify(signature, signing_string(created, expires, digest))
    except InvalidSignature:
        raise EnvelopeError("err.signature.invalid", "the signature does not check", 401) from None
    return Checked(sender_id=sender_id, key_id=kid[1], digest=digest)


def error_body(code: str, message: str) -> dict:
    """The HTTP-layer error of the SPDCI API."""
    return {"error": {"code": code, "message": message}}
