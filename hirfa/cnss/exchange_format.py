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
turns them into translated messages (hirfa/cnss/messages.py).
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

FORMAT_NAME = "hirfa-cnss-exchange"
SCHEMA_VERSION = 1
# A record line longer than this is refused without being parsed (a runaway line must not
# fill memory); the whole file is still hashed.
MAX_LINE_BYTES = 16 * 1024
CHUNK = 1024 * 1024

RNA_TO_CNSS = "rna-to-cnss"
CNSS_TO_RNA = "cnss-to-rna"

# Which record types each kind of batch may hold, and its direction.
KINDS: dict[str, tuple[str, frozenset[str]]] = {
    "pre_registration": (RNA_TO_CNSS, frozenset({"pre_registration"})),
    "update": (RNA_TO_CNSS, frozenset({"update"})),
    "dependants": (RNA_TO_CNSS, frozenset({"dependant"})),
    "acknowledgement": (
        CNSS_TO_RNA,
        frozenset({"immatriculation", "rejection", "dependant_decision"}),
    ),
    "payments": (CNSS_TO_RNA, frozenset({"payment"})),
    "rights": (CNSS_TO_RNA, frozenset({"rights"})),
}

BATCH_ID = re.compile(r"^(RNA|CNSS)-[0-9]{8}$")
REGISTRATION_NUMBER = re.compile(r"^[1-9][0-9]{9}$")
CNSS_NUMBER = re.compile(r"^[0-9]{9}$")
CNIE = re.compile(r"^[A-Z]{1,2}[0-9]{5,7}$")
PERIOD = re.compile(r"^[0-9]{4}-(0[1-9]|1[0-2])$")
AMOUNT = re.compile(r"^[0-9]{1,7}\.[0-9]{2}$")
CODE = re.compile(r"^[A-Z][A-Z0-9_]{1,39}$")
SHA256_HEX = re.compile(r"^[0-9a-f]{64}$")
DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


class FileError(Exception):
    """The whole file is refused (bad header, checksum, count, signature, truncation)."""

    def __init__(self, code: str, **params):
        self.code = code
        self.params = params
        super().__init__(f"{code} {params}" if params else code)


class LineError(Exception):
    """One record line is refused; the others of the batch are not concerned."""

    def __init__(self, code: str, field: str = "", **params):
        self.code = code
        self.field = field
        self.params = params
        super().__init__(f"{code} {field} {params}".strip())


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
    from cryptography.hazmat.primitives.serialization import NoEncryption, PrivateFormat

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


def dumps(value: dict) -> bytes:
    return json.dumps(
        value, ensure_ascii=False, separators=(",", ":"), sort_keys=True, default=_json_default
    ).encode()


def _json_default(value):
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    raise TypeError(f"not JSON: {type(value).__name__}")


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


@dataclass
class Line:
    number: int  # in the file: the header is line 1
    record: dict | None = None
    error: LineError | None = None
    key: str = field(default="")


def records(path: Path, kind: str) -> Iterator[Line]:
    """Second pass (after `verify`): every record line, parsed or with its error."""
    lines = _lines(path)
    next(lines, None)
    previous = None
    number = 1
    for line in lines:
        if previous is not None:
            number += 1
            yield parse_line(kind, previous, number)
        previous = line


def parse_line(kind: str, raw: bytes, number: int = 0) -> Line:
    """One record line, validated for a batch of `kind`; never raises."""
    if raw is TOO_LONG or len(raw) > MAX_LINE_BYTES:
        return Line(number, error=LineError("line_too_long"))
    try:
        value = json.loads(raw.rstrip(b"\n"), parse_float=_refuse_float)
    except _FloatRefused:
        return Line(number, error=LineError("amount_precision", "amount"))
    except (ValueError, UnicodeDecodeError, RecursionError):
        return Line(number, error=LineError("bad_json"))
    if not isinstance(value, dict):
        return Line(number, error=LineError("bad_json"))
    key = _key_of(value)
    try:
        record = validate_record(kind, value)
    except LineError as error:
        return Line(number, error=error, key=key)
    return Line(number, record=record, key=key)


class _FloatRefused(ValueError):
    pass


def _refuse_float(text: str):
    # Amounts travel as strings with exactly two decimals: a JSON number would pass
    # through binary floating point somewhere along the way.
    raise _FloatRefused(text)


def _key_of(value: dict) -> str:
    for name in ("number", "dependant_id"):
        item = value.get(name)
        if isinstance(item, (str, int)) and not isinstance(item, bool):
            return str(item)[:40]
    return ""


# --- Records ------------------------------------------------------------------------------


def _text(value: dict, name: str, *, max_length: int = 100, required: bool = True) -> str:
    item = value.get(name)
    if item is None or item == "":
        if required:
            raise LineError("missing_field", name)
        return ""
    if not isinstance(item, str) or len(item) > max_length or not item.isprintable():
        raise LineError("bad_field", name)
    return item


def _match(value: dict, name: str, pattern: re.Pattern, *, required: bool = True) -> str:
    item = _text(value, name, required=required)
    if item and not pattern.match(item):
        raise LineError("bad_field", name)
    return item


def _date(value: dict, name: str, *, required: bool = True) -> date | None:
    item = _text(value, name, max_length=10, required=required)
    if not item:
        return None
    if not DATE.match(item):
        raise LineError("bad_field", name)
    try:
        return date.fromisoformat(item)
    except ValueError:
        raise LineError("bad_field", name) from None


def _bool(value: dict, name: str) -> bool:
    item = value.get(name, False)
    if not isinstance(item, bool):
        raise LineError("bad_field", name)
    return item


def _choice(value: dict, name: str, choices: set[str]) -> str:
    item = _text(value, name)
    if item not in choices:
        raise LineError("bad_field", name)
    return item


def _int(value: dict, name: str) -> int:
    item = value.get(name)
    if item is None:
        raise LineError("missing_field", name)
    if type(item) is not int or not 0 < item < 2**63:
        raise LineError("bad_field", name)
    return item


def _amount(value: dict, name: str) -> Decimal:
    item = value.get(name)
    if item is None:
        raise LineError("missing_field", name)
    if not isinstance(item, str) or not AMOUNT.match(item):
        raise LineError("amount_precision", name)
    try:
        amount = Decimal(item)
    except InvalidOperation:
        raise LineError("amount_precision", name) from None
    if amount <= 0:
        raise LineError("bad_field", name)
    return amount


def _person(value: dict) -> dict:
    return {
        "number": _match(value, "number", REGISTRATION_NUMBER),
        "cnie": _match(value, "cnie", CNIE),
        "first_name_ar": _text(value, "first_name_ar"),
        "last_name_ar": _text(value, "last_name_ar"),
        "first_name_latin": _text(value, "first_name_latin"),
        "last_name_latin": _text(value, "last_name_latin"),
        "sex": _choice(value, "sex", {"F", "M"}),
        "birth_date": _date(value, "birth_date"),
        "phone": _text(value, "phone", max_length=16, required=False),
        "province": _text(value, "province", max_length=12),
        "commune": _text(value, "commune", max_length=16),
        "category": _text(value, "category", max_length=20),
        "activity": _text(value, "activity", max_length=16),
        "approved_on": _date(value, "approved_on"),
    }


def validate_record(kind: str, value: dict) -> dict:
    """The record, with typed values, or a LineError naming the field at fault."""
    types = KINDS[kind][1]
    kind_of_record = value.get("type")
    if not isinstance(kind_of_record, str) or kind_of_record not in types:
        raise LineError("wrong_type", "type")
    if kind_of_record == "pre_registration":
        return {"type": kind_of_record, **_person(value)}
    if kind_of_record == "update":
        return {
            "type": kind_of_record,
            **_person(value),
            "status": _text(value, "status", max_length=20),
        }
    if kind_of_record == "dependant":
        return {
            "type": kind_of_record,
            "number": _match(value, "number", REGISTRATION_NUMBER),
            "dependant_id": _int(value, "dependant_id"),
            "relation": _choice(value, "relation", {"spouse", "child"}),
            "first_name_ar": _text(value, "first_name_ar", required=False),
            "last_name_ar": _text(value, "last_name_ar", required=False),
            "first_name_latin": _text(value, "first_name_latin"),
            "last_name_latin": _text(value, "last_name_latin"),
            "birth_date": _date(value, "birth_date"),
            "cnie": _match(value, "cnie", CNIE, required=False),
            "student": _bool(value, "student"),
            "disabled": _bool(value, "disabled"),
            "eligible_until": _date(value, "eligible_until", required=False),
        }
    if kind_of_record == "immatriculation":
        return {
            "type": kind_of_record,
            "number": _match(value, "number", REGISTRATION_NUMBER),
            "cnss_number": _match(value, "cnss_number", CNSS_NUMBER),
            "on": _date(value, "on"),
        }
    if kind_of_record == "rejection":
        return {
            "type": kind_of_record,
            "number": _match(value, "number", REGISTRATION_NUMBER),
            "code": _match(value, "code", CODE),
            "reason": _text(value, "reason", max_length=500),
        }
    if kind_of_record == "dependant_decision":
        return {
            "type": kind_of_record,
            "number": _match(value, "number", REGISTRATION_NUMBER),
            "dependant_id": _int(value, "dependant_id"),
            "accepted": _bool(value, "accepted"),
            "reason": _text(value, "reason", max_length=500, required=False),
        }
    if kind_of_record == "payment":
        return {
            "type": kind_of_record,
            "number": _match(value, "number", REGISTRATION_NUMBER),
            "period": _match(value, "period", PERIOD),
            "amount": _amount(value, "amount"),
            "paid_on": _date(value, "paid_on"),
            "reference": _match(value, "reference", re.compile(r"^[A-Za-z0-9._-]{1,40}$")),
        }
    return {
        "type": kind_of_record,
        "number": _match(value, "number", REGISTRATION_NUMBER),
        "status": _choice(value, "status", {"open", "suspended", "closed"}),
        "on": _date(value, "on"),
    }
