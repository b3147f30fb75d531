"""The RNA ⇄ CNSS exchange format (docs/cnss-exchange.md): signed JSON Lines batches.

A batch file is, one JSON object per line (UTF-8, "\\n" after every line):

    line 1      the header: schema version, batch id, sequence, kind, direction,
                creation time, record count and the SHA-256 of the record lines
    lines 2…n   one record per line
    last line   the trailer: {"signature": {"alg": "Ed25519", "key_id": …, "value": …}},
                the sender's Ed25519 signature of the exact bytes of the header line

The header holds the records' checksum, so signing the header signs the whole batch, and
a file cut short loses its trailer (or its count no longer matches): truncation is always
seen. Writer and reader both stream, in constant memory, whatever the batch size.

This module is plain Python (no Django): the CNSS sandbox, which must not touch our
database, uses it too. Errors carry a stable `code` and English `params`; the Django side
turns them into translated messages (hirfa/cnss/messages.py). What each record holds is
`exchange_records`'s.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import tempfile
from collections.abc import Container, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
)

from hirfa.cnss.exchange_records import (
    KINDS,
    RNA_TO_CNSS,
    LineError,
    validate_record,
)

FORMAT_NAME = "hirfa-cnss-exchange"
SCHEMA_VERSION = 1
# A record line longer than this is refused without being parsed (a runaway line must not
# fill memory); the whole file is still hashed.
MAX_LINE_BYTES = 16 * 1024
CHUNK = 1024 * 1024

BATCH_ID = re.compile(r"^(RNA|CNSS)-[0-9]{8}$")
SHA256_HEX = re.compile(r"^[0-9a-f]{64}$")


class FileError(Exception):
    """The whole file is refused (bad header, checksum, count, signature, truncation)."""

    def __init__(self, code: str, **params):
        self.code = code
        self.params = params
        super().__init__(f"{code} {params}" if params else code)


# --- Keys and signatures ------------------------------------------------------------------


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def public_bytes(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(Encoding.Raw, PublicFormat.Raw)


def key_id(key: Ed25519PublicKey) -> str:
    """The first 8 bytes of the SHA-256 of the raw public key, in hex."""
    return hashlib.sha256(public_bytes(key)).hexdigest()[:16]


def private_key_from_text(text: str) -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(b64url_decode(text.strip()))


def public_key_from_text(text: str) -> Ed25519PublicKey:
    return Ed25519PublicKey.from_public_bytes(b64url_decode(text.strip()))


def private_key_text(key: Ed25519PrivateKey) -> str:
    return b64url(key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption()))


def load_or_create_private_key(path: Path) -> Ed25519PrivateKey:
    """A key kept in a 0600 file, created on first use, its public half written beside it."""
    path = Path(path)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        key = Ed25519PrivateKey.generate()
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            handle.write(private_key_text(key) + "\n")
        path.with_suffix(".pub").write_text(b64url(public_bytes(key.public_key())) + "\n")
    return private_key_from_text(path.read_text())


# --- Canonical JSON -----------------------------------------------------------------------


def _json_default(value):
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    raise TypeError(f"not JSON: {type(value).__name__}")


# One encoder for every line (json.dumps with options builds one per call).
_ENCODER = json.JSONEncoder(
    ensure_ascii=False, separators=(",", ":"), sort_keys=True, default=_json_default
)


def dumps(value: dict) -> bytes:
    return _ENCODER.encode(value).encode()


# --- The header ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Header:
    batch_id: str
    sequence: int
    kind: str
    created_at: str
    record_count: int
    records_sha256: str
    in_reply_to: str | None = None
    schema_version: int = SCHEMA_VERSION

    @property
    def direction(self) -> str:
        return KINDS[self.kind][0]

    @property
    def sender(self) -> str:
        return "RNA" if self.direction == RNA_TO_CNSS else "CNSS"

    def as_dict(self) -> dict:
        return {
            "format": FORMAT_NAME,
            "schema_version": self.schema_version,
            "batch_id": self.batch_id,
            "sequence": self.sequence,
            "kind": self.kind,
            "direction": self.direction,
            "sender": self.sender,
            "created_at": self.created_at,
            "in_reply_to": self.in_reply_to,
            "record_count": self.record_count,
            "records_sha256": self.records_sha256,
        }


def parse_header(raw: bytes) -> Header:
    try:
        value = json.loads(raw)
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise FileError("bad_header") from None
    if (
        not isinstance(value, dict)
        or value.get("format") != FORMAT_NAME
        or "schema_version" not in value
    ):
        raise FileError("bad_header")
    if value.get("schema_version") != SCHEMA_VERSION:
        raise FileError("unsupported_schema", version=str(value.get("schema_version"))[:20])
    kind = value.get("kind")
    batch_id = value.get("batch_id")
    sequence = value.get("sequence")
    count = value.get("record_count")
    checksum = value.get("records_sha256")
    reply = value.get("in_reply_to")
    created = value.get("created_at")
    valid = (
        isinstance(kind, str)
        and kind in KINDS
        and isinstance(batch_id, str)
        and BATCH_ID.match(batch_id)
        and type(sequence) is int
        and 0 < sequence < 10**8
        and type(count) is int
        and count >= 0
        and isinstance(checksum, str)
        and SHA256_HEX.match(checksum)
        and (reply is None or (isinstance(reply, str) and BATCH_ID.match(reply)))
        and isinstance(created, str)
        and _is_datetime(created)
        and value.get("direction") == KINDS[kind][0]
    )
    if not valid:
        raise FileError("bad_header")
    header = Header(
        batch_id=batch_id,
        sequence=sequence,
        kind=kind,
        created_at=created,
        record_count=count,
        records_sha256=checksum,
        in_reply_to=reply,
    )
    if value.get("sender") != header.sender or not batch_id.startswith(header.sender + "-"):
        raise FileError("bad_header")
    return header


def _is_datetime(text: str) -> bool:
    try:
        datetime.fromisoformat(text)
    except ValueError:
        return False
    return True


def batch_id_for(sender: str, sequence: int) -> str:
    return f"{sender}-{sequence:08d}"


# --- Writing ------------------------------------------------------------------------------


class BatchWriter:
    """Streams records into a signed batch file; memory stays constant.

    Records go to a scratch file while their checksum and count grow; `close()` then
    writes header, records and signature into a temporary file renamed over `path`, so
    a reader never sees a half-written batch.

        with BatchWriter(path, kind="pre_registration", sequence=42, key=key) as writer:
            for record in records:
                writer.write(record)
        writer.header  # the header written
    """

    def __init__(
        self,
        path: Path,
        *,
        kind: str,
        sequence: int,
        key: Ed25519PrivateKey,
        in_reply_to: str | None = None,
        created_at: datetime | None = None,
    ):
        self.path = Path(path)
        self.kind = kind
        self.sequence = sequence
        self.key = key
        self.in_reply_to = in_reply_to
        self.created_at = (created_at or datetime.now(UTC)).isoformat(timespec="seconds")
        self.types = KINDS[kind][1]
        self.count = 0
        self.header: Header | None = None
        self._digest = hashlib.sha256()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # Closed by close() or abort(): the writer outlives any one block.
        self._scratch = tempfile.NamedTemporaryFile(  # noqa: SIM115
            "wb", dir=self.path.parent, prefix=".records-", delete=False
        )

    def write(self, record: dict) -> None:
        if record.get("type") not in self.types:
            raise ValueError(f"a {self.kind} batch holds no {record.get('type')!r} record")
        line = dumps(record) + b"\n"
        self._digest.update(line)
        self._scratch.write(line)
        self.count += 1

    def close(self) -> Header:
        sender = "RNA" if KINDS[self.kind][0] == RNA_TO_CNSS else "CNSS"
        self.header = Header(
            batch_id=batch_id_for(sender, self.sequence),
            sequence=self.sequence,
            kind=self.kind,
            created_at=self.created_at,
            record_count=self.count,
            records_sha256=self._digest.hexdigest(),
            in_reply_to=self.in_reply_to,
        )
        header_line = dumps(self.header.as_dict())
        signature = {
            "signature": {
                "alg": "Ed25519",
                "key_id": key_id(self.key.public_key()),
                "value": b64url(self.key.sign(header_line)),
            }
        }
        self._scratch.close()
        final = self.path.with_name(f".{self.path.name}.tmp")
        try:
            with open(final, "wb") as out, open(self._scratch.name, "rb") as records:
                out.write(header_line + b"\n")
                while chunk := records.read(CHUNK):
                    out.write(chunk)
                out.write(dumps(signature) + b"\n")
            os.replace(final, self.path)
        finally:
            os.unlink(self._scratch.name)
            if final.exists():
                final.unlink()
        return self.header

    def abort(self) -> None:
        self._scratch.close()
        if os.path.exists(self._scratch.name):
            os.unlink(self._scratch.name)

    def __enter__(self) -> BatchWriter:
        return self

    def __exit__(self, kind, value, traceback) -> None:
        if kind is None:
            self.close()
        else:
            self.abort()


# --- Reading ------------------------------------------------------------------------------


# A line longer than CHUNK stands for itself in the reader: it is hashed piece by piece and
# refused, never held whole.
TOO_LONG = object()


def _lines(path: Path, on_long_piece=None) -> Iterator:
    """The lines of a file, each with its "\\n" (the last may lack it: truncated).

    A line longer than CHUNK comes out as TOO_LONG, its pieces handed to `on_long_piece`
    on the way (such a line can only be a record: header and trailer are short).
    """
    with open(path, "rb") as handle:
        while True:
            line = handle.readline(CHUNK)
            if not line:
                return
            if len(line) < CHUNK or line.endswith(b"\n"):
                yield line
                continue
            if on_long_piece is not None:
                on_long_piece(line)
            while True:
                more = handle.readline(CHUNK)
                if not more:
                    raise FileError("truncated")
                if on_long_piece is not None:
                    on_long_piece(more)
                if more.endswith(b"\n"):
                    break
            yield TOO_LONG


def read_header(path: Path) -> Header:
    for line in _lines(path):
        if line is TOO_LONG or not line.endswith(b"\n"):
            raise FileError("bad_header")
        return parse_header(line[:-1])
    raise FileError("empty_file")


def verify(path: Path, public_keys: dict[str, Ed25519PublicKey]) -> Header:
    """First pass: the header, the count, the checksum, the trailer and the signature.

    Raises FileError for anything wrong at the level of the file; nothing of it may
    then be applied. `public_keys` maps key ids to the keys trusted for the sender.
    """
    digest = hashlib.sha256()
    count = 0
    previous = None

    def flush():
        nonlocal previous, count
        if previous is not None:
            digest.update(previous)
            count += 1
            previous = None

    def long_piece(piece: bytes):
        flush()
        digest.update(piece)

    lines = _lines(path, long_piece)
    first = next(lines, None)
    if first is None:
        raise FileError("empty_file")
    if first is TOO_LONG or not first.endswith(b"\n"):
        raise FileError("bad_header")
    header_line = first[:-1]
    header = parse_header(header_line)
    for line in lines:
        if line is TOO_LONG:
            count += 1  # hashed piece by piece as it was read
        else:
            flush()
            previous = line
    if previous is None or not previous.endswith(b"\n"):
        raise FileError("truncated")
    signature = _parse_trailer(previous[:-1])
    if count != header.record_count:
        # Fewer lines than announced is a cut file; more means lines were added.
        code = "truncated" if count < header.record_count else "count_mismatch"
        raise FileError(code, expected=header.record_count, found=count)
    if digest.hexdigest() != header.records_sha256:
        raise FileError("checksum_mismatch")
    key = public_keys.get(signature["key_id"])
    if key is None:
        raise FileError("unknown_key", key_id=signature["key_id"][:40])
    try:
        key.verify(b64url_decode(signature["value"]), header_line)
    except (InvalidSignature, ValueError):
        raise FileError("bad_signature") from None
    return header


def _parse_trailer(raw: bytes) -> dict:
    try:
        value = json.loads(raw)
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise FileError("truncated") from None
    signature = value.get("signature") if isinstance(value, dict) else None
    if (
        not isinstance(signature, dict)
        or len(value) != 1
        or signature.get("alg") != "Ed25519"
        or not isinstance(signature.get("key_id"), str)
        or not isinstance(signature.get("value"), str)
    ):
        raise FileError("truncated")
    return signature


@dataclass(slots=True)
class Line:
    number: int  # in the file: the header is line 1
    record: dict | None = None
    error: LineError | None = None
    key: str = field(default="")
    # The line's bytes, digested: the same line twice in one batch is one fact, not two.
    fingerprint: bytes = b""


def _record_lines(path: Path) -> Iterator[tuple[int, bytes]]:
    """Every record line with its number (the header is line 1; the trailer is left out)."""
    lines = _lines(path)
    next(lines, None)
    previous = None
    number = 1
    for line in lines:
        if previous is not None:
            number += 1
            yield number, previous
        previous = line


def records(
    path: Path,
    kind: str,
    *,
    keys: Container[str] | None = None,
    fingerprinted: Container[str] | None = None,
) -> Iterator[Line]:
    """Second pass (after `verify`): every record line, parsed or with its error.

    `keys`: only the lines that decode to a JSON object naming one of these keys (see
    `record_keys`), the others skipped unvalidated. `fingerprinted`: only the valid lines
    naming one of these keys get their fingerprint (by default, every valid line).
    """
    for number, raw in _record_lines(path):
        line = parse_line(kind, raw, number, keys=keys, fingerprinted=fingerprinted)
        if line is not None:
            yield line


def record_keys(path: Path) -> Iterator[str]:
    """The light pass: the key of each record line that decodes to a JSON object ("" for the
    others), nothing validated. A valid line's key is the one named here, so a key named by
    one line here is named by at most one valid line."""
    for _number, raw in _record_lines(path):
        value = _decoded(raw)
        yield _key_of(value) if isinstance(value, dict) else ""


def _decoded(raw) -> object:
    """A record line's JSON value, or the LineError that refuses it before its fields do."""
    if raw is TOO_LONG or len(raw) > MAX_LINE_BYTES:
        return LineError("line_too_long")
    try:
        value = _loads(raw.rstrip(b"\n"))
    except _FloatRefused:
        return LineError("amount_precision", "amount")
    except (ValueError, UnicodeDecodeError, RecursionError):
        return LineError("bad_json")
    return value if isinstance(value, dict) else LineError("bad_json")


def parse_line(
    kind: str,
    raw: bytes,
    number: int = 0,
    *,
    keys: Container[str] | None = None,
    fingerprinted: Container[str] | None = None,
) -> Line | None:
    """One record line, validated for a batch of `kind`; never raises. None when `keys` is
    given and the line names none of them (see `records`)."""
    value = _decoded(raw)
    if isinstance(value, LineError):
        return None if keys is not None else Line(number, error=value)
    key = _key_of(value)
    if keys is not None and key not in keys:
        return None
    try:
        record = validate_record(kind, value)
    except LineError as error:
        return Line(number, error=error, key=key)
    if fingerprinted is not None and key not in fingerprinted:
        return Line(number, record=record, key=key)
    fingerprint = hashlib.blake2b(raw.rstrip(b"\n"), digest_size=12).digest()
    return Line(number, record=record, key=key, fingerprint=fingerprint)


class _FloatRefused(ValueError):
    pass


def _refuse_float(text: str):
    # Amounts travel as strings with exactly two decimals: a JSON number would pass
    # through binary floating point somewhere along the way.
    raise _FloatRefused(text)


# One decoder for every line (json.loads with an option builds one per call).
_DECODER = json.JSONDecoder(parse_float=_refuse_float)


def _loads(raw: bytes):
    """json.loads(raw, parse_float=_refuse_float), with the decoder built once."""
    if raw[:1] == b"{" and raw[1:2] != b"\x00":
        # What json.detect_encoding answers for a line opening an object (no BOM, not
        # UTF-16 or 32), without its look at every byte order mark.
        return _DECODER.decode(raw.decode("utf-8", "surrogatepass"))
    return _DECODER.decode(raw.decode(json.detect_encoding(raw), "surrogatepass"))


def _key_of(value: dict) -> str:
    for name in ("number", "dependant_id"):
        item = value.get(name)
        if isinstance(item, (str, int)) and not isinstance(item, bool):
            return str(item)[:40]
    return ""
