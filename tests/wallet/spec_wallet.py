"""A phone wallet written from the specifications alone: OpenID for Verifiable Credential
Issuance 1.0 (pre-authorized code flow, jwt proofs, nonce endpoint), RFC 8414, SD-JWT
(RFC 9901) and SD-JWT VC. It imports nothing of hirfa: only the standard library and
`cryptography`, and talks to the issuer over HTTP like any wallet would.
"""

from __future__ import annotations

import base64
import hashlib
import json
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

PRE_AUTHORIZED_GRANT = "urn:ietf:params:oauth:grant-type:pre-authorized_code"


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class HttpError(Exception):
    def __init__(self, status: int, body: dict, headers):
        self.status, self.body, self.headers = status, body, headers
        super().__init__(f"{status} {body}")


def _call(url: str, *, data: bytes | None = None, headers: dict | None = None):
    request = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.loads(response.read()), response.headers
    except urllib.error.HTTPError as error:
        raise HttpError(error.code, json.loads(error.read() or b"{}"), error.headers) from None


def get_json(url: str) -> dict:
    return _call(url)[0]


def post_form(url: str, fields: dict) -> dict:
    body = urllib.parse.urlencode(fields).encode()
    return _call(url, data=body, headers={"Content-Type": "application/x-www-form-urlencoded"})[0]


def post_json(url: str, body, *, token: str | None = None) -> dict:
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    return _call(url, data=json.dumps(body).encode(), headers=headers)[0]


def parse_offer(uri: str) -> dict:
    """§4.1: `openid-credential-offer://?credential_offer=<url-encoded JSON>`."""
    parsed = urllib.parse.urlsplit(uri)
    assert parsed.scheme == "openid-credential-offer", parsed.scheme
    query = urllib.parse.parse_qs(parsed.query)
    return json.loads(query["credential_offer"][0])


def well_known(issuer: str, name: str) -> str:
    """§12.2.2 / RFC 8414 §3: the well-known segment goes between host and path."""
    parts = urllib.parse.urlsplit(issuer)
    path = parts.path.rstrip("/")
    return f"{parts.scheme}://{parts.netloc}/.well-known/{name}{path}"


@dataclass
class HolderKey:
    """The wallet's key: Ed25519 (EdDSA) or P-256 (ES256)."""

    alg: str = "EdDSA"
    private: object = field(init=False)

    def __post_init__(self):
        self.private = (
            Ed25519PrivateKey.generate()
            if self.alg == "EdDSA"
            else ec.generate_private_key(ec.SECP256R1())
        )

    def jwk(self) -> dict:
        public = self.private.public_key()
        if self.alg == "EdDSA":
            return {
                "kty": "OKP",
                "crv": "Ed25519",
                "x": b64url(public.public_bytes(Encoding.Raw, PublicFormat.Raw)),
            }
        numbers = public.public_numbers()
        return {
            "kty": "EC",
            "crv": "P-256",
            "x": b64url(numbers.x.to_bytes(32, "big")),
            "y": b64url(numbers.y.to_bytes(32, "big")),
        }

    def sign(self, data: bytes) -> bytes:
        if self.alg == "EdDSA":
            return self.private.sign(data)
        r, s = decode_dss_signature(self.private.sign(data, ec.ECDSA(hashes.SHA256())))
        return r.to_bytes(32, "big") + s.to_bytes(32, "big")


def jws(header: dict, payload: dict, key: HolderKey) -> str:
    signing_input = b64url(json.dumps(header).encode()) + "." + b64url(json.dumps(payload).encode())
    return signing_input + "." + b64url(key.sign(signing_input.encode()))


def proof_jwt(key: HolderKey, *, audience: str, nonce: str, iat: int | None = None) -> str:
    """Appendix F.1: typ openid4vci-proof+jwt, the public key in `jwk`; no `iss` (anonymous
    pre-authorized access)."""
    header = {"typ": "openid4vci-proof+jwt", "alg": key.alg, "jwk": key.jwk()}
    payload = {"aud": audience, "iat": iat if iat is not None else int(time.time()), "nonce": nonce}
    return jws(header, payload, key)


@dataclass
class Received:
    sd_jwt: str
    header: dict
    payload: dict
    claims: dict  # every disclosed claim


def verify_sd_jwt(sd_jwt: str, jwks: dict) -> Received:
    """RFC 9901 §7.1 and SD-JWT VC: the issuer's signature (EdDSA, key by kid from its
    JWKS), each disclosure's digest listed in `_sd`, none twice."""
    assert sd_jwt.endswith("~"), "an SD-JWT without key binding ends with ~"
    jwt, *disclosures = sd_jwt[:-1].split("~")
    head, body, signature = jwt.split(".")
    header = json.loads(b64url_decode(head))
    payload = json.loads(b64url_decode(body))
    assert header["typ"] == "dc+sd-jwt" and header["alg"] == "EdDSA"
    key = next(k for k in jwks["keys"] if k["kid"] == header["kid"])
    Ed25519PublicKey.from_public_bytes(b64url_decode(key["x"])).verify(
        b64url_decode(signature), f"{head}.{body}".encode()
    )
    assert payload["_sd_alg"] == "sha-256"
    listed = set(payload["_sd"])
    claims = {}
    for text in disclosures:
        digest = b64url(hashlib.sha256(text.encode()).digest())
        assert digest in listed, "a disclosure the issuer did not sign"
        listed.discard(digest)
        _salt, name, value = json.loads(b64url_decode(text))
        assert name not in claims and name not in payload
        claims[name] = value
    return Received(sd_jwt, header, payload, claims)


@dataclass
class Wallet:
    key: HolderKey = field(default_factory=HolderKey)

    def receive(self, offer_uri: str, tx_code: str) -> Received:
        """The whole pre-authorized code flow, from the scanned offer to the checked SD-JWT VC."""
        offer = parse_offer(offer_uri)
        issuer = offer["credential_issuer"]
        metadata = get_json(well_known(issuer, "openid-credential-issuer"))
        assert metadata["credential_issuer"] == issuer
        servers = metadata.get("authorization_servers") or [issuer]
        as_metadata = get_json(well_known(servers[0], "oauth-authorization-server"))
        assert PRE_AUTHORIZED_GRANT in as_metadata["grant_types_supported"]
        grant = offer["grants"][PRE_AUTHORIZED_GRANT]
        assert len(tx_code) == grant["tx_code"]["length"]
        token = post_form(
            as_metadata["token_endpoint"],
            {
                "grant_type": PRE_AUTHORIZED_GRANT,
                "pre-authorized_code": grant["pre-authorized_code"],
                "tx_code": tx_code,
            },
        )
        assert token["token_type"].lower() == "bearer"
        configuration_id = offer["credential_configuration_ids"][0]
        configuration = metadata["credential_configurations_supported"][configuration_id]
        assert configuration["format"] == "dc+sd-jwt"
        assert (
            self.key.alg
            in configuration["proof_types_supported"]["jwt"]["proof_signing_alg_values_supported"]
        )
        nonce = post_json(metadata["nonce_endpoint"], {})["c_nonce"]
        response = post_json(
            metadata["credential_endpoint"],
            {
                "credential_configuration_id": configuration_id,
                "proofs": {"jwt": [proof_jwt(self.key, audience=issuer, nonce=nonce)]},
            },
            token=token["access_token"],
        )
        jwt_vc_issuer = get_json(well_known(issuer, "jwt-vc-issuer"))
        jwks = get_json(jwt_vc_issuer["jwks_uri"])
        received = verify_sd_jwt(response["credentials"][0]["credential"], jwks)
        assert received.payload["iss"] == issuer
        assert received.payload["vct"] == configuration["vct"]
        assert received.payload["cnf"]["jwk"] == self.key.jwk(), "bound to another key"
        return received
