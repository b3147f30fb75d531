"""The little JOSE the wallet issuance needs, over `cryptography` (docs/decisions/0065).

Compact JWS signed with EdDSA (Ed25519: the register's card keys), the wallet's proof JWTs
checked whether signed with EdDSA or ES256 (P-256: most phone wallets hold such keys in
their secure hardware), and SD-JWT (RFC 9901) issuance: each personal claim a salted
disclosure whose digest the signed JWT holds.

Plain Python, no Django. Checking never trusts its input: every failure raises `JoseError`.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
from collections.abc import Mapping

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

MAX_JWT = 8192  # a proof JWT is some hundreds of characters


class JoseError(Exception):
    """The JWT is refused; the text says why (for logs and the error description)."""


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64url_decode(text: str) -> bytes:
    if not isinstance(text, str) or not text.isascii():
        raise JoseError("not base64url")
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except ValueError:
        raise JoseError("not base64url") from None


def _json_part(data) -> str:
    return b64url(json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode())


def sign_jws(header: Mapping, payload: Mapping, private_key: Ed25519PrivateKey) -> str:
    """The compact JWS `header.payload.signature`, EdDSA."""
    signing_input = f"{_json_part(dict(header))}.{_json_part(dict(payload))}"
    signature = private_key.sign(signing_input.encode())
    return f"{signing_input}.{b64url(signature)}"


def _decoded_object(part: str, what: str) -> dict:
    try:
        value = json.loads(b64url_decode(part))
    except (ValueError, UnicodeDecodeError):
        raise JoseError(f"{what} is not JSON") from None
    if not isinstance(value, dict):
        raise JoseError(f"{what} is not an object")
    return value


def public_key_of(jwk) -> Ed25519PublicKey | ec.EllipticCurvePublicKey:
    """The public key a JWK describes (OKP Ed25519 or EC P-256); never a private one."""
    if not isinstance(jwk, Mapping):
        raise JoseError("jwk is not an object")
    if "d" in jwk:
        raise JoseError("jwk holds a private key")
    try:
        if jwk.get("kty") == "OKP" and jwk.get("crv") == "Ed25519":
            return Ed25519PublicKey.from_public_bytes(b64url_decode(jwk["x"]))
        if jwk.get("kty") == "EC" and jwk.get("crv") == "P-256":
            x, y = b64url_decode(jwk["x"]), b64url_decode(jwk["y"])
            if len(x) != 32 or len(y) != 32:
                raise JoseError("P-256 coordinates are not 32 bytes")
            numbers = ec.EllipticCurvePublicNumbers(
                int.from_bytes(x, "big"), int.from_bytes(y, "big"), ec.SECP256R1()
            )
            return numbers.public_key()
    except (KeyError, TypeError, ValueError) as error:
        raise JoseError(f"jwk not usable: {type(error).__name__}") from None
    raise JoseError("jwk type not supported (OKP Ed25519 or EC P-256)")


def public_jwk(jwk: Mapping) -> dict:
    """Only the members that describe the public key (RFC 7638 order), nothing the sender added."""
    members = ("crv", "kty", "x") if jwk.get("kty") == "OKP" else ("crv", "kty", "x", "y")
    return {name: jwk[name] for name in members}


def thumbprint(jwk: Mapping) -> str:
    """RFC 7638 JWK thumbprint (SHA-256), base64url."""
    canonical = json.dumps(public_jwk(jwk), separators=(",", ":"), sort_keys=True)
    return b64url(hashlib.sha256(canonical.encode()).digest())


def verify_with_jwk(token: str, *, typ: str, algorithms=("EdDSA", "ES256")) -> tuple[dict, dict]:
    """(header, payload) of a compact JWS of type `typ` whose signature checks with the
    public key in its own `jwk` header (a proof of possession of that key)."""
    if not isinstance(token, str) or len(token) > MAX_JWT:
        raise JoseError("not a JWT")
    parts = token.split(".")
    if len(parts) != 3:
        raise JoseError("not a compact JWS")
    header = _decoded_object(parts[0], "header")
    payload = _decoded_object(parts[1], "payload")
    if header.get("typ") != typ:
        raise JoseError(f"typ is not {typ}")
    alg = header.get("alg")
    if alg not in algorithms:
        raise JoseError("alg not supported")
    if "jwk" not in header:
        raise JoseError("no jwk in the header")
    key = public_key_of(header["jwk"])
    signature = b64url_decode(parts[2])
    signing_input = f"{parts[0]}.{parts[1]}".encode()
    try:
        if alg == "EdDSA" and isinstance(key, Ed25519PublicKey):
            key.verify(signature, signing_input)
        elif alg == "ES256" and isinstance(key, ec.EllipticCurvePublicKey):
            if len(signature) != 64:
                raise JoseError("ES256 signature is not 64 bytes")
            der = encode_dss_signature(
                int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big")
            )
            key.verify(der, signing_input, ec.ECDSA(hashes.SHA256()))
        else:
            raise JoseError("alg does not match the key")
    except InvalidSignature:
        raise JoseError("signature does not check") from None
    return header, payload


# --- SD-JWT (RFC 9901) -------------------------------------------------------------------


def disclosure(name: str, value) -> tuple[str, str]:
    """(disclosure, its digest) of one object property, with a fresh 128-bit salt."""
    salt = b64url(secrets.token_bytes(16))
    text = _json_part([salt, name, value])
    return text, b64url(hashlib.sha256(text.encode()).digest())


def issue_sd_jwt(
    *,
    header: Mapping,
    payload: Mapping,
    disclosed: Mapping,
    private_key: Ed25519PrivateKey,
) -> str:
    """`<issuer-signed JWT>~<disclosure>~…~`: `payload` in clear, each of `disclosed`
    selectively disclosable (its digest in `_sd`, sorted so order reveals nothing)."""
    disclosures, digests = [], []
    for name, value in disclosed.items():
        text, digest = disclosure(name, value)
        disclosures.append(text)
        digests.append(digest)
    body = dict(payload)
    body["_sd"] = sorted(digests)
    body["_sd_alg"] = "sha-256"
    jwt = sign_jws(header, body, private_key)
    return "~".join([jwt, *disclosures]) + "~"
