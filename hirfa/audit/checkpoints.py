"""Checkpoints of the chain's head, kept outside the database.

Nothing in the chain points at its newest entries, so removing them leaves a shorter
chain that is perfectly consistent. `hirfa verify_audit` therefore appends, after each
successful check, one line to a file outside the database: how many entries it checked,
the id and hash of the last one, and a tag (HMAC under the audit key) over those. Every
later check verifies each line's tag and that the database still holds each recorded
head, at the same place in the chain (docs/audit.md).

One line, JSON, keys sorted:
{"at": "2026-12-05T03:00:00Z", "count": 1204, "head": "<hash>", "last_id": 1204,
 "tag": "<hmac>"}
where `tag` is `checkpoint_tag(key, json of the four other keys, sorted, compact)`.
"""

import json
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings

from hirfa.audit import keys


@dataclass(frozen=True)
class Checkpoint:
    line: int  # in the file, from 1
    at: str
    count: int
    last_id: int
    head: str


class BadCheckpoint(Exception):
    """A line of the checkpoint file that is not one this software wrote with the key."""


def checkpoint_path() -> Path:
    configured = settings.AUDIT_CHECKPOINT_FILE
    if configured:
        return Path(configured)
    return Path(settings.VAR_DIR) / "audit" / "checkpoints.jsonl"


def _payload(*, at: str, count: int, last_id: int, head: str) -> bytes:
    fields = {"at": at, "count": count, "head": head, "last_id": last_id}
    return json.dumps(fields, sort_keys=True, separators=(",", ":")).encode("ascii")


def append(*, count: int, last_id: int | None, head: str | None) -> Path:
    """Record that the chain held `count` entries, the last being `last_id` with `head`."""
    at = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    fields = {"at": at, "count": count, "last_id": last_id or 0, "head": head or ""}
    line = {**fields, "tag": keys.checkpoint_tag(keys.audit_key(), _payload(**fields))}
    path = checkpoint_path()
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    with os.fdopen(descriptor, "a") as file:
        file.write(json.dumps(line, sort_keys=True, separators=(",", ":")) + "\n")
        file.flush()
        os.fsync(file.fileno())
    return path


def read_all() -> list[Checkpoint]:
    """Every checkpoint of the file, in file order; BadCheckpoint at the first forged line."""
    path = checkpoint_path()
    if not path.exists():
        return []
    key = keys.audit_key()
    found = []
    for number, text in enumerate(path.read_text(encoding="ascii").splitlines(), start=1):
        if not text.strip():
            continue
        try:
            line = json.loads(text)
            fields = {name: line[name] for name in ("at", "count", "last_id", "head")}
            tag = line["tag"]
            authentic = keys.same(tag, keys.checkpoint_tag(key, _payload(**fields)))
        except (ValueError, KeyError, TypeError, AttributeError):
            authentic = False
        if not authentic:
            raise BadCheckpoint(
                f"line {number} of {path} is not a checkpoint written with the audit key"
            )
        found.append(Checkpoint(number, **fields))
    return found
