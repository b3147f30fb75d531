"""The audit key: an HMAC-SHA256 key kept in a file, outside the database.

Every entry carries `mac`, the HMAC of its hash under this key, and every checkpoint
of the chain's head written outside the database carries a tag under it
(docs/audit.md, docs/decisions/0033). Someone who can write to the database but not
read this file can no longer rewrite the chain consistently: recomputing the plain
SHA-256 hashes is not enough.

The file holds 64 hexadecimal characters (32 random bytes). It is created, mode 0600,
when it is missing and the trail holds no keyed entry yet; once the trail holds keyed
entries a missing key is an error (restore the file from its backup), never a reason
to start a second key silently.
"""

import contextlib
import hashlib
import hmac
import os
import secrets
import threading
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from hirfa.audit.models import AuditEntry

ENTRY_CONTEXT = b"hirfa-audit-entry\x00"
CHECKPOINT_CONTEXT = b"hirfa-audit-checkpoint\x00"
KEY_BYTES = 32

_cache: dict[Path, bytes] = {}
_cache_lock = threading.Lock()
_by_settings: dict[tuple, bytes] = {}


class MissingAuditKey(ImproperlyConfigured):
    """The trail is keyed but the key file is gone."""


def key_path() -> Path:
    """AUDIT_KEY_FILE, or <var>/keys/audit.key beside the card signing keys."""
    configured = settings.AUDIT_KEY_FILE
    return Path(configured) if configured else Path(settings.VAR_DIR) / "keys" / "audit.key"


def audit_key() -> bytes:
    """The key, read once per process (created if missing and the trail is not keyed)."""
    # Found by the settings that name its file, without building the path: every audited
    # change asks (decision 86).
    settings_named = (settings.AUDIT_KEY_FILE, settings.VAR_DIR)
    key = _by_settings.get(settings_named)
    if key is not None:
        return key
    path = key_path()
    key = _cache.get(path)
    if key is None:
        with _cache_lock:
            if not path.exists():
                _refuse_if_trail_is_keyed(path)
            key = _cache[path] = load_or_create(path)
    _by_settings[settings_named] = key
    return key


def load_or_create(path: Path) -> bytes:
    """Read the key at `path`, creating it first (mode 0600) if it does not exist.

    Two processes creating it at once end with the same key: each writes a temporary
    file and links it into place, and the loser reads the winner's.
    """
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        temporary = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(descriptor, "w") as file:
                file.write(secrets.token_hex(KEY_BYTES) + "\n")
            os.chmod(temporary, 0o600)  # whatever the umask
            with contextlib.suppress(FileExistsError):  # another process won
                os.link(temporary, path)
        finally:
            temporary.unlink(missing_ok=True)
    text = path.read_text().strip()
    try:
        key = bytes.fromhex(text)
    except ValueError:
        key = b""
    if len(key) != KEY_BYTES:
        raise ImproperlyConfigured(
            f"the audit key file {path} must hold {2 * KEY_BYTES} hexadecimal characters"
        )
    return key


def entry_mac(key: bytes, entry_hash: str) -> str:
    """The MAC of an entry: HMAC-SHA256(key, "hirfa-audit-entry" NUL hash), in hex."""
    return hmac.new(key, ENTRY_CONTEXT + entry_hash.encode("ascii"), hashlib.sha256).hexdigest()


def checkpoint_tag(key: bytes, payload: bytes) -> str:
    """The tag of a checkpoint: HMAC-SHA256(key, "hirfa-audit-checkpoint" NUL payload)."""
    return hmac.new(key, CHECKPOINT_CONTEXT + payload, hashlib.sha256).hexdigest()


def same(a: str | None, b: str) -> bool:
    return a is not None and hmac.compare_digest(a, b)


def _refuse_if_trail_is_keyed(path: Path) -> None:
    if AuditEntry.objects.filter(mac__isnull=False).exists():
        raise MissingAuditKey(
            f"the audit key file {path} is missing but the audit trail holds entries "
            "signed with a key: restore the file from its backup (AUDIT_KEY_FILE)"
        )
