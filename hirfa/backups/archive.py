"""The backup archive file (docs/backups.md): one gzip-compressed tar, written mode 0600.

Members, in this order: the database snapshot, `media/…`, `keys/…`, and last
`manifest.json`, which gives the SHA-256 and size of every other member. Readers go
through the whole archive once to check it before anything is restored.

With a passphrase the tar.gz is encrypted whole (AES-256-GCM in 1 MiB chunks, the key
derived by scrypt): MAGIC, a 16-byte salt, a 7-byte nonce prefix, then chunks, each a
4-byte big-endian length and the sealed chunk. A chunk's nonce is the prefix, its
4-byte counter and a last-chunk flag, so a reordered, cut or altered archive is refused.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import posixpath
import struct
import tarfile
import time
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from hirfa.backups.databases import BackupError

MANIFEST = "manifest.json"
FORMAT = "hirfa-backup"
FORMAT_VERSION = 1
MAGIC = b"hirfa-backup-aes256gcm-v1\n"
GZIP_MAGIC = b"\x1f\x8b"
CHUNK = 1024 * 1024
COMPRESS_LEVEL = 6
REQUIRED = ("hirfa_version", "database", "migrations", "rows", "keys", "members")


class ArchiveWriter:
    """Writes `<output>.partial` (mode 0600), renamed to `output` once complete."""

    def __init__(self, output: Path, *, passphrase: str | None = None):
        self.output = Path(output)
        self.partial = self.output.with_name(self.output.name + ".partial")
        descriptor = os.open(self.partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.fchmod(descriptor, 0o600)  # whatever the umask, or a stale partial file
        self.file = os.fdopen(descriptor, "wb")
        self.sink = _Encrypting(self.file, passphrase) if passphrase else self.file
        # gzip's usual level 6: level 9 (tarfile's "w|gz") costs much time for little.
        self.gzip = gzip.GzipFile(
            fileobj=self.sink, mode="wb", compresslevel=COMPRESS_LEVEL, mtime=0
        )
        self.tar = tarfile.open(  # noqa: SIM115 - closed by close()
            fileobj=self.gzip, mode="w|", format=tarfile.PAX_FORMAT
        )
        self.members: dict[str, dict] = {}
        self.now = int(time.time())

    def add(self, name: str, stream: BinaryIO, size: int) -> None:
        _check_name(name)
        info = tarfile.TarInfo(name)
        info.size, info.mode, info.mtime = size, 0o600, self.now
        hashing = _Hashing(stream)
        try:
            self.tar.addfile(info, hashing)
        except OSError as error:  # tarfile's "unexpected end of data": the file shrank
            raise BackupError(f"{name} changed while it was being read: {error}") from error
        self.members[name] = {"sha256": hashing.digest.hexdigest(), "size": size}

    def add_path(self, name: str, path: Path) -> None:
        with open(path, "rb") as stream:
            self.add(name, stream, os.fstat(stream.fileno()).st_size)

    def close(self, manifest: dict) -> Path:
        body = json.dumps(manifest | {"members": self.members}, indent=1, sort_keys=True).encode()
        info = tarfile.TarInfo(MANIFEST)
        info.size, info.mode, info.mtime = len(body), 0o600, self.now
        self.tar.addfile(info, io.BytesIO(body))
        self.tar.close()
        self.gzip.close()  # leaves the file open
        if self.sink is not self.file:
            self.sink.close()
        self.file.flush()
        os.fsync(self.file.fileno())
        self.file.close()
        os.replace(self.partial, self.output)
        return self.output

    def abandon(self) -> None:
        self.file.close()
        self.partial.unlink(missing_ok=True)


def verify(path: Path, *, passphrase: str | None = None) -> dict:
    """The manifest, once every member's checksum and size matched it; else BackupError."""
    found: dict[str, dict] = {}
    body = None
    for name, stream in members(path, passphrase=passphrase):
        if name in found or (name == MANIFEST and body is not None):
            raise BackupError(f"{name} appears twice in {path}: not a hirfa backup.")
        if name == MANIFEST:
            body = stream.read()
            continue
        hashing = _Hashing(stream)
        while hashing.read(CHUNK):
            pass
        found[name] = {"sha256": hashing.digest.hexdigest(), "size": hashing.size}
    if body is None:
        raise BackupError(f"{path} holds no {MANIFEST}: not a hirfa backup, or cut short.")
    try:
        manifest = json.loads(body)
    except ValueError as error:
        raise BackupError(f"The manifest of {path} is unreadable: {error}") from error
    if (
        not isinstance(manifest, dict)
        or manifest.get("format") != FORMAT
        or manifest.get("format_version") != FORMAT_VERSION
        or not all(key in manifest for key in REQUIRED)
    ):
        raise BackupError(f"{path} is not a hirfa backup of format version {FORMAT_VERSION}.")
    expected = manifest.get("members", {})
    for name in sorted(set(expected) | set(found)):
        if name not in found:
            raise BackupError(f"{name} is missing from the archive: it was cut short.")
        if name not in expected:
            raise BackupError(f"{name} is in the archive but not in its manifest.")
        if found[name] != expected[name]:
            raise BackupError(f"{name} does not match its checksum: the archive is corrupt.")
    return manifest


def members(path: Path, *, passphrase: str | None = None) -> Iterator[tuple[str, BinaryIO]]:
    """(name, stream) for every member in order; corruption raises BackupError."""
    try:
        with open(path, "rb") as raw:
            start = raw.read(len(MAGIC))
            raw.seek(0)
            if start == MAGIC:
                if not passphrase:
                    raise BackupError(
                        f"{path} is encrypted: give its passphrase in HIRFA_BACKUP_PASSPHRASE."
                    )
                source = _Decrypting(raw, passphrase)
            elif start.startswith(GZIP_MAGIC):
                source = raw
            else:
                raise BackupError(f"{path} is not a hirfa backup archive.")
            # gzip (not tarfile's own "r|gz", which skips it) checks the CRC at the end.
            with gzip.GzipFile(fileobj=source, mode="rb") as unzipped:
                with tarfile.open(fileobj=unzipped, mode="r|") as tar:
                    for member in tar:
                        if not member.isfile():
                            raise BackupError(f"{member.name}: a backup holds only files.")
                        _check_name(member.name)
                        yield member.name, _Guarded(tar.extractfile(member), path)
                while unzipped.read(CHUNK):
                    pass
    except READ_ERRORS as error:
        raise BackupError(f"{path} is corrupt or truncated ({error}).") from error


READ_ERRORS = (tarfile.TarError, EOFError, zlib.error, OSError)


class _Guarded:
    """A member's stream whose read errors say the archive is corrupt."""

    def __init__(self, stream: BinaryIO, path: Path):
        self.stream, self.path = stream, path

    def read(self, size: int = -1) -> bytes:
        try:
            return self.stream.read(size)
        except READ_ERRORS as error:
            raise BackupError(f"{self.path} is corrupt or truncated ({error}).") from error


def _check_name(name: str) -> None:
    normal = posixpath.normpath(name)
    if name.startswith("/") or normal != name or normal.startswith(".."):
        raise BackupError(f"Unsafe member name in a backup: {name!r}")


class _Hashing:
    """A reader that hashes and counts what passes through it."""

    def __init__(self, stream: BinaryIO):
        self.stream, self.digest, self.size = stream, hashlib.sha256(), 0

    def read(self, size: int = -1) -> bytes:
        data = self.stream.read(size)
        self.digest.update(data)
        self.size += len(data)
        return data


# --- Encryption ---------------------------------------------------------------------------


def _key(passphrase: str, salt: bytes) -> bytes:
    return Scrypt(salt=salt, length=32, n=2**15, r=8, p=1).derive(passphrase.encode())


def _nonce(prefix: bytes, counter: int, last: bool) -> bytes:
    return prefix + struct.pack(">IB", counter, int(last))


class _Encrypting:
    def __init__(self, file: BinaryIO, passphrase: str):
        salt, self.prefix = os.urandom(16), os.urandom(7)
        self.file, self.aead = file, AESGCM(_key(passphrase, salt))
        self.header = MAGIC + salt + self.prefix
        self.buffer, self.counter = bytearray(), 0
        file.write(self.header)

    def write(self, data: bytes) -> int:
        self.buffer += data
        while len(self.buffer) > CHUNK:
            self._seal(bytes(self.buffer[:CHUNK]), last=False)
            del self.buffer[:CHUNK]
        return len(data)

    def close(self) -> None:
        self._seal(bytes(self.buffer), last=True)
        self.buffer.clear()

    def _seal(self, plain: bytes, *, last: bool) -> None:
        sealed = self.aead.encrypt(_nonce(self.prefix, self.counter, last), plain, self.header)
        self.file.write(struct.pack(">I", len(sealed)) + sealed)
        self.counter += 1


class _Decrypting:
    def __init__(self, file: BinaryIO, passphrase: str):
        self.header = file.read(len(MAGIC) + 16 + 7)
        if len(self.header) != len(MAGIC) + 23:
            raise BackupError("The encrypted archive is truncated.")
        salt, self.prefix = self.header[len(MAGIC) : -7], self.header[-7:]
        self.file, self.aead = file, AESGCM(_key(passphrase, salt))
        self.buffer, self.counter, self.done = b"", 0, False

    def read(self, size: int = -1) -> bytes:
        while not self.done and (size < 0 or len(self.buffer) < size):
            self._open_next()
        if size < 0:
            size = len(self.buffer)
        data, self.buffer = self.buffer[:size], self.buffer[size:]
        return data

    def _open_next(self) -> None:
        length = self.file.read(4)
        if len(length) != 4:
            raise BackupError("The encrypted archive is truncated.")
        sealed = self.file.read(struct.unpack(">I", length)[0])
        for last in (False, True):
            try:
                plain = self.aead.decrypt(
                    _nonce(self.prefix, self.counter, last), sealed, self.header
                )
            except InvalidTag:
                continue
            self.buffer += plain
            self.counter += 1
            self.done = last
            if last and self.file.read(1):
                raise BackupError("The encrypted archive has data after its end.")
            return
        raise BackupError("Wrong passphrase, or the encrypted archive is corrupt.")
