"""The Ed25519 keys that sign cards and revocation lists, kept out of the database.

Each key is a small JSON file in `CARD_SIGNING_KEYS_DIR` (mode 0600), written by
`hirfa create_signing_key`, or given whole in the secret `CARD_SIGNING_KEYS` (one such
JSON object, or a list of them) when the deployment keeps secrets in its environment:

    {"kid": "<base64url of 8 bytes>", "d": "<base64url of the 32-byte private key>",
     "valid_from": "2026-01-01T00:00:00+00:00", "valid_until": "2028-01-01T00:00:00+00:00"}

Several keys may be valid at once (rotation): the signer takes the newest key whose
period covers now. Keys are re-read only when the folder or the secret changes.
"""

from __future__ import annotations

import base64
import json
import os
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cached_property
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from hirfa.cards import qr
from hirfa.core.errors import DomainError


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass(frozen=True)
class SigningKey:
    kid: bytes
    private_key: Ed25519PrivateKey
    valid_from: datetime
    valid_until: datetime

    @cached_property  # derived once per key (every online verification asks for it)
    def public_key(self) -> Ed25519PublicKey:
        return self.private_key.public_key()

    def valid_at(self, moment: datetime) -> bool:
        return self.valid_from <= moment < self.valid_until

    def as_json(self) -> dict:
        raw = self.private_key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
        return {
            "kid": b64url(self.kid),
            "d": b64url(raw),
            "valid_from": self.valid_from.isoformat(),
            "valid_until": self.valid_until.isoformat(),
        }

    @classmethod
    def from_json(cls, data: dict) -> SigningKey:
        private_key = Ed25519PrivateKey.from_private_bytes(b64url_decode(data["d"]))
        kid = qr.key_id(private_key.public_key())
        if data.get("kid") and b64url_decode(data["kid"]) != kid:
            raise ValueError("the kid does not match the key")
        return cls(
            kid=kid,
            private_key=private_key,
            valid_from=datetime.fromisoformat(data["valid_from"]),
            valid_until=datetime.fromisoformat(data["valid_until"]),
        )


class NoSigningKey(DomainError):
    status = 503
    code = "no_signing_key"


def keys_dir() -> Path:
    return Path(settings.CARD_SIGNING_KEYS_DIR)


def create_key(
    *, valid_from: datetime | None = None, valid_until: datetime | None = None
) -> tuple[SigningKey, Path]:
    """A new key, written to the keys folder readable by its owner only."""
    valid_from = valid_from or timezone.now().replace(microsecond=0)
    valid_until = valid_until or valid_from + timedelta(days=settings.CARD_KEY_VALIDITY_DAYS)
    if valid_until <= valid_from:
        raise DomainError(_("The end of the validity must come after its start."))
    private_key = Ed25519PrivateKey.generate()
    key = SigningKey(qr.key_id(private_key.public_key()), private_key, valid_from, valid_until)
    folder = keys_dir()
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    path = folder / f"{valid_from:%Y%m%dT%H%M%S}-{b64url(key.kid)}.json"
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w") as file:
        json.dump(key.as_json(), file, indent=1)
    os.chmod(path, 0o600)  # whatever the umask
    return key, path


_cache: dict = {}
_cache_lock = threading.Lock()


def _fingerprint() -> tuple:
    # Asked on every check of a card: `os.stat` of the folder's name, no `Path` made.
    folder = str(settings.CARD_SIGNING_KEYS_DIR)
    try:
        stamp = os.stat(folder).st_mtime_ns
    except FileNotFoundError:
        stamp = None
    return (folder, stamp, settings.CARD_SIGNING_KEYS)


def _read_all() -> tuple[SigningKey, ...]:
    found: dict[bytes, SigningKey] = {}
    secret = settings.CARD_SIGNING_KEYS.strip()
    if secret:
        items = json.loads(secret)
        for item in items if isinstance(items, list) else [items]:
            key = SigningKey.from_json(item)
            found[key.kid] = key
    folder = keys_dir()
    if folder.is_dir():
        for path in sorted(folder.glob("*.json")):
            key = SigningKey.from_json(json.loads(path.read_text()))
            found[key.kid] = key
    return tuple(sorted(found.values(), key=lambda k: (k.valid_from, k.kid)))


def all_keys() -> tuple[SigningKey, ...]:
    """Every key held, oldest first."""
    fingerprint = _fingerprint()
    keys = _cache.get(fingerprint)
    if keys is None:
        with _cache_lock:
            keys = _read_all()
            _cache.clear()
            _cache[fingerprint] = keys
    return keys


def signing_key(moment: datetime | None = None) -> SigningKey:
    """The newest key valid now."""
    moment = moment or timezone.now()
    valid = [key for key in all_keys() if key.valid_at(moment)]
    if not valid:
        raise NoSigningKey(
            _("No card signing key is valid now: run “%(command)s”.")
            % {"command": "hirfa create_signing_key"}
        )
    return valid[-1]


def public_key(kid: bytes) -> Ed25519PublicKey | None:
    for key in all_keys():
        if key.kid == kid:
            return key.public_key
    return None


def jwk(key: SigningKey) -> dict:
    return {
        "kty": "OKP",
        "crv": "Ed25519",
        "x": b64url(qr.raw_public_key(key.public_key)),
        "kid": b64url(key.kid),
        "use": "sig",
        "alg": "EdDSA",
        "nbf": int(key.valid_from.timestamp()),
        "exp": int(key.valid_until.timestamp()),
    }
