"""The exchange with the CNSS: export our batches, import its answers (docs/cnss-exchange.md).

What to send and what an answer means belong to the coverage app (its selectors and
services); this module writes and reads the signed files, keeps the batches, their
sequences and the reconciliation, and applies an inbound batch in one transaction:

- a file-level fault (header, count, checksum, truncation, signature, a duplicate or
  out-of-order sequence) refuses the whole file: nothing is applied;
- a line-level fault (a malformed record, an unknown artisan, an amount with the wrong
  precision, a rule of the coverage refusing it) rejects that line only, with its reason;
  every other line is applied, all of them in the same transaction;
- the same file imported again (same batch id, same checksum) changes nothing.
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone

from hirfa.audit.services import record as audit
from hirfa.cnss import connector, inbox, outbound
from hirfa.cnss import exchange_format as fmt
from hirfa.cnss.keys import cnss_public_keys, signing_key
from hirfa.cnss.messages import file_message, line_message
from hirfa.cnss.models import Batch, Counter, Direction, Kind, LineRejection, RefusedFile, SentItem
from hirfa.cnss.services import rejections
from hirfa.core.errors import DomainError
from hirfa.coverage import services as coverage
from hirfa.register.bulk import insert_rows

logger = logging.getLogger(__name__)

FLUSH_EVERY = 5000
AUDIT_LABEL = "system:cnss"


# --- Export -------------------------------------------------------------------------------


def _next_sequence(name: str) -> int:
    counter, _created = Counter.objects.select_for_update().get_or_create(name=name)
    counter.last = F("last") + 1
    counter.save(update_fields=["last"])
    counter.refresh_from_db(fields=["last"])
    return counter.last


def _item_key(record: dict) -> str:
    if record["type"] == "dependant":
        return f"dependant:{record['dependant_id']}"
    return record["number"]


def export_batches(
    *, actor=None, via: connector.Transport | None = None, limit: int | None = None
) -> list[Batch]:
    """Write one batch per kind that has something to send, and deliver each.

    A batch is written and recorded in one transaction (the coverage marks its artisans
    "sent" in the same one); delivery follows the commit. A batch that could not be
    delivered stays "written" and goes with the next exchange (`send_pending`).
    """
    via = via or connector.transport()
    batches = []
    for kind, records in outbound.sources(limit):
        batch = _write_batch(kind, records, actor=actor)
        if batch is not None:
            batches.append(batch)
    send_pending(via=via)
    for batch in batches:
        batch.refresh_from_db()
    return batches


@transaction.atomic
def _write_batch(kind: str, records: Iterable[dict], *, actor) -> Batch | None:
    records = iter(records)
    first = next(records, None)
    if first is None:
        return None
    sequence = _next_sequence("outbound")
    now = timezone.now()
    batch = Batch.objects.create(
        batch_id=fmt.batch_id_for("RNA", sequence),
        direction=Direction.OUTBOUND,
        kind=kind,
        sequence=sequence,
        schema_version=fmt.SCHEMA_VERSION,
        record_count=0,
        sha256="",
        status=Batch.Status.WRITTEN,
        created_at=now,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
    )
    work = Path(settings.CNSS_WORK_DIR) / f"{batch.batch_id}.jsonl"
    items: list[tuple] = []
    writer = fmt.BatchWriter(work, kind=kind, sequence=sequence, key=signing_key(), created_at=now)
    try:
        for line, record in enumerate(itertools.chain([first], records), start=2):
            writer.write(record)
            items.append((batch.pk, _item_key(record), line, ""))
            if len(items) >= FLUSH_EVERY:
                _insert_items(items)
                items.clear()
        _insert_items(items)
        header = writer.close()
    except BaseException:
        writer.abort()
        raise
    try:
        _mark_sent(batch)
        batch.record_count = header.record_count
        batch.sha256 = header.records_sha256
        with open(work, "rb") as handle:
            batch.file.save(f"outbound/{batch.batch_id}.jsonl", File(handle), save=False)
        batch.save()
        audit(
            actor=actor,
            actor_label=None if actor else AUDIT_LABEL,
            action="cnss.batch_exported",
            obj=batch,
            data={"batch_id": batch.batch_id, "kind": kind, "records": batch.record_count},
        )
    finally:
        work.unlink(missing_ok=True)
    return batch


def _insert_items(rows: list[tuple]) -> None:
    """The batch's items without a model instance each (500,000 through bulk_create cost
    minutes): COPY on PostgreSQL, one executemany on SQLite."""
    insert_rows(SentItem._meta.db_table, ["batch_id", "key", "line", "outcome"], rows)


def _keys_of(batch: Batch) -> Iterator[str]:
    return batch.items.order_by("line").values_list("key", flat=True).iterator(chunk_size=5000)


def _mark_sent(batch: Batch) -> None:
    source = f"cnss:batch:{batch.batch_id}"
    if batch.kind == Kind.PRE_REGISTRATION:
        coverage.mark_sent(
            registration_numbers=_keys_of(batch), batch_id=batch.batch_id, source=source
        )
    elif batch.kind == Kind.DEPENDANTS:
        coverage.mark_dependants_sent(
            dependant_ids=(int(key.removeprefix("dependant:")) for key in _keys_of(batch)),
            batch_id=batch.batch_id,
            source=source,
        )


def send_pending(*, via: connector.Transport | None = None) -> int:
    """Deliver every outbound batch written but not yet sent, oldest first."""
    via = via or connector.transport()
    sent = 0
    pending = Batch.objects.filter(direction=Direction.OUTBOUND, status=Batch.Status.WRITTEN)
    for batch in pending.order_by("sequence"):
        work = Path(settings.CNSS_WORK_DIR) / f"send-{batch.batch_id}.jsonl"
        work.parent.mkdir(parents=True, exist_ok=True)
        try:
            with batch.file.open("rb") as source, open(work, "wb") as copy:
                while chunk := source.read(fmt.CHUNK):
                    copy.write(chunk)
            via.send(work, batch.batch_id)
        except connector.TransportError:
            logger.warning("CNSS batch %s not delivered; kept for later", batch.batch_id)
            break
        finally:
            work.unlink(missing_ok=True)
        Batch.objects.filter(pk=batch.pk).update(
            status=Batch.Status.SENT, processed_at=timezone.now()
        )
        sent += 1
    return sent


# --- Import -------------------------------------------------------------------------------


@dataclass
class ImportReport:
    """What an import did: `status` is applied, already_imported or refused."""

    file_name: str
    status: str
    batch: Batch | None = None
    code: str = ""
    message: str = ""
    applied: int = 0
    rejected: int = 0

    @property
    def refused(self) -> bool:
        return self.status == "refused"


def _file_sha256(path: Path) -> str:
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def _refuse(path: Path, error: fmt.FileError, *, actor, batch_id: str = "") -> ImportReport:
    message = file_message(error)
    with transaction.atomic():
        refused, created = RefusedFile.objects.get_or_create(
            sha256=_file_sha256(path),
            defaults={
                "name": path.name[:200],
                "batch_id": batch_id,
                "code": error.code,
                "reason": message,
                "actor": actor if getattr(actor, "is_authenticated", False) else None,
            },
        )
        if created:
            audit(
                actor=actor,
                actor_label=None if actor else AUDIT_LABEL,
                action="cnss.file_refused",
                obj=refused,
                reason=message,
                data={"file": refused.name, "batch_id": batch_id, "code": error.code},
            )
    return ImportReport(path.name, "refused", code=error.code, message=message)


def import_file(path: Path, *, actor=None, name: str | None = None) -> ImportReport:
    """Verify then apply one inbound batch file (see the module's docstring)."""
    path = Path(path)
    try:
        header = fmt.verify(path, cnss_public_keys())
    except fmt.FileError as error:
        batch_id = ""
        with contextlib.suppress(fmt.FileError):
            batch_id = fmt.read_header(path).batch_id
        return _refuse(path, error, actor=actor, batch_id=batch_id)
    if header.direction != Direction.INBOUND:
        return _refuse(path, fmt.FileError("wrong_direction"), actor=actor)
    known = Batch.objects.filter(batch_id=header.batch_id).first()
    if known is not None:
        if known.sha256 == header.records_sha256:
            return ImportReport(
                path.name,
                "already_imported",
                batch=known,
                applied=known.applied_count,
                rejected=known.rejected_count,
            )
        return _refuse(
            path,
            fmt.FileError("batch_conflict", batch_id=header.batch_id),
            actor=actor,
            batch_id=header.batch_id,
        )
    try:
        return _apply(path, header, actor=actor)
    except _SequenceError as error:
        return _refuse(path, error.file_error, actor=actor, batch_id=header.batch_id)


class _SequenceError(Exception):
    def __init__(self, file_error: fmt.FileError):
        self.file_error = file_error


def _check_sequence(header: fmt.Header) -> None:
    inbound = Batch.objects.filter(direction=Direction.INBOUND)
    last = inbound.aggregate(last=Max("sequence"))["last"] or 0
    if header.sequence <= last:
        other = inbound.filter(sequence=header.sequence).values_list("batch_id", flat=True)
        raise _SequenceError(
            fmt.FileError("sequence_used", sequence=header.sequence, other=other.first() or "?")
        )
    if header.sequence != last + 1:
        raise _SequenceError(
            fmt.FileError("out_of_order", batch_id=header.batch_id, expected=last + 1)
        )


def _apply(path: Path, header: fmt.Header, *, actor) -> ImportReport:
    with transaction.atomic():
        _check_sequence(header)
        try:
            with transaction.atomic():
                batch = Batch.objects.create(
                    batch_id=header.batch_id,
                    direction=Direction.INBOUND,
                    kind=header.kind,
                    sequence=header.sequence,
                    in_reply_to=header.in_reply_to or "",
                    schema_version=header.schema_version,
                    record_count=header.record_count,
                    sha256=header.records_sha256,
                    status=Batch.Status.APPLIED,
                    created_at=datetime.fromisoformat(header.created_at),
                    processed_at=timezone.now(),
                    actor=actor if getattr(actor, "is_authenticated", False) else None,
                )
        except IntegrityError:
            # Another import of the same batch or sequence committed first.
            raise _SequenceError(
                fmt.FileError("sequence_used", sequence=header.sequence, other="?")
            ) from None
        applied, rejected = _apply_lines(path, header, batch)
        batch.applied_count = applied
        batch.rejected_count = rejected
        if rejected:
            batch.status = Batch.Status.PARTLY_APPLIED
        with open(path, "rb") as handle:
            batch.file.save(f"inbound/{batch.batch_id}.jsonl", File(handle), save=False)
        batch.save()
        inbox.batch_applied(batch)
        audit(
            actor=actor,
            actor_label=None if actor else AUDIT_LABEL,
            action="cnss.batch_imported",
            obj=batch,
            data={
                "batch_id": batch.batch_id,
                "kind": batch.kind,
                "applied": applied,
                "rejected": rejected,
            },
        )
    return ImportReport(path.name, "applied", batch=batch, applied=applied, rejected=rejected)


class _Acknowledgements:
    """Answers to an outbound batch, written to its SentItems in chunks; the CNSS's
    rejections kept for the worklist, and closed when it accepts the artisan."""

    def __init__(self, batch: Batch):
        self.batch = batch
        self.answered = None
        if batch.in_reply_to:
            self.answered = Batch.objects.filter(
                batch_id=batch.in_reply_to, direction=Direction.OUTBOUND
            ).first()
        # The keys answered, by outcome (the two lists kept at hand: `add` runs per line).
        self.keys_accepted: list[str] = []
        self.keys_rejected: list[str] = []
        self.pending = {
            SentItem.Outcome.ACCEPTED: self.keys_accepted,
            SentItem.Outcome.REJECTED: self.keys_rejected,
        }
        self.rejected: list[tuple] = []
        self.accepted: list[str] = []

    def add(self, record: dict, line: int = 0) -> None:
        kind = record["type"]
        # Flushed as soon as one list is full: only the lists this line grows can be.
        full = False
        if kind == "rejection":
            self.rejected.append((line, record["number"], record["code"], record["reason"]))
            full = len(self.rejected) >= FLUSH_EVERY
        elif kind == "immatriculation":
            self.accepted.append(record["number"])
            full = len(self.accepted) >= FLUSH_EVERY
        if self.answered is not None:
            if kind == "dependant_decision":
                key = f"dependant:{record['dependant_id']}"
                accepted = record["accepted"]
            else:
                key = record["number"]
                accepted = kind == "immatriculation"
            pending = self.keys_accepted if accepted else self.keys_rejected
            pending.append(key)
            full = full or len(pending) >= FLUSH_EVERY
        if full:
            self.flush()

    def flush(self) -> None:
        for outcome, keys in self.pending.items():
            if keys:
                SentItem.objects.filter(batch=self.answered, key__in_many=set(keys)).update(
                    outcome=outcome, answered_by=self.batch
                )
                keys.clear()
        rejections.record_received(self.batch, self.answered, self.rejected)
        self.rejected.clear()
        if self.accepted:
            rejections.close_accepted(self.batch, self.accepted)
            self.accepted.clear()


def _bulk_services() -> dict:
    """The coverage's set-based services, by record type, and each line's arguments for them.
    Looked up at each call, so that a service replaced on the module (tests) is the one called."""
    return {
        "immatriculation": (
            coverage.record_immatriculations,
            lambda r: (r["number"], r["cnss_number"], r["on"]),
        ),
        "rejection": (
            coverage.record_rejections,
            lambda r: (r["number"], r["code"], r["reason"]),
        ),
        "payment": (
            coverage.record_payments,
            lambda r: (r["number"], r["period"], r["amount"], r["paid_on"], r["reference"]),
        ),
        "rights": (
            coverage.record_rights_statements,
            lambda r: (r["number"], r["status"], r["on"]),
        ),
    }


def _apply_chunk(lines: list[fmt.Line], source: str) -> dict[int, DomainError]:
    """Apply a chunk of valid lines (each about another artisan): the refused ones.
    Payments are recorded without judging the rights: `_apply_lines` has them judged once,
    after the file's last line."""
    by_type: dict[str, list[fmt.Line]] = {}
    for line in lines:
        by_type.setdefault(line.record["type"], []).append(line)
    bulk = _bulk_services()
    refused: dict[int, DomainError] = {}
    for kind, group in by_type.items():
        if kind in bulk:
            service, arguments = bulk[kind]
            items = [(line.number, *arguments(line.record)) for line in group]
            options = {"assess": False} if kind == "payment" else {}
            refused.update(service(items=items, source=source, **options))
            continue
        # Dependant decisions are few: one by one, each in a savepoint.
        for line in group:
            record = line.record
            try:
                with transaction.atomic():
                    coverage.record_dependant_decision(
                        dependant_id=record["dependant_id"],
                        accepted=record["accepted"],
                        reason=record["reason"],
                        source=source,
                    )
            except DomainError as error:
                refused[line.number] = error
    return refused


def _repeated_keys(path: Path, kind: str) -> set[str]:
    """The artisans (or dependants) named by more than one valid line of the file.

    A light pass finds the keys named by more than one line that decodes to a JSON object
    (`fmt.record_keys`: nothing validated); only the lines naming those, few or none, are
    then validated, so that an invalid line never holds back a valid one (ADR 0087). The
    lines are parsed and validated in full once, as they are applied."""
    once: set[str] = set()
    shared: set[str] = set()
    for key in fmt.record_keys(path):
        if key in once:
            shared.add(key)
        once.add(key)
    del once
    shared.discard("")
    if not shared:
        return set()
    valid: set[str] = set()
    repeated: set[str] = set()
    for line in fmt.records(path, kind, keys=shared, fingerprinted=()):
        if line.error is None:
            if line.key in valid:
                repeated.add(line.key)
            valid.add(line.key)
    return repeated


_DATED = ("period", "paid_on", "on")


def _fact_order(line: fmt.Line) -> tuple:
    """A line's place among the lines of its artisan: by the dates of its facts, then by
    its content, never by its place in the file."""
    record = line.record
    return (*(str(record.get(name, "")) for name in _DATED), record["type"], line.fingerprint)


def _apply_lines(path: Path, header: fmt.Header, batch: Batch) -> tuple[int, int]:
    """Stream the lines and apply them in chunks of FLUSH_EVERY, all in the batch's
    transaction (ADR 0053). An artisan named once is applied as the stream goes; the lines
    of an artisan named several times are held back, then applied in the dates of their
    facts (one line per artisan in each chunk); payments are judged once, after the last
    line. So any order of the same lines gives the same result."""
    source = f"cnss:batch:{batch.batch_id}"
    acknowledgements = _Acknowledgements(batch)
    rejections: list[LineRejection] = []
    chunk: list[fmt.Line] = []
    repeated = _repeated_keys(path, header.kind)
    held: dict[str, list[fmt.Line]] = {}
    seen: set[bytes] = set()  # fingerprints of the lines held back (the repeated artisans')
    payers: set[str] = set()
    applied = rejected = 0

    def reject(line: fmt.Line, code: str, reason: str) -> None:
        nonlocal rejected
        rejected += 1
        rejections.append(
            LineRejection(batch=batch, line=line.number, key=line.key, code=code, reason=reason)
        )
        if len(rejections) >= FLUSH_EVERY:
            LineRejection.objects.bulk_create(rejections)
            rejections.clear()

    def flush() -> None:
        nonlocal applied
        refused = _apply_chunk(chunk, source)
        for line in chunk:
            error = refused.get(line.number)
            if error is not None:
                reject(line, error.code, str(error.message))
            else:
                applied += 1
                acknowledgements.add(line.record, line.number)
                if line.record["type"] == "payment":
                    payers.add(line.record["number"])
        chunk.clear()

    def queue(line: fmt.Line) -> None:
        if len(chunk) >= FLUSH_EVERY:
            flush()
        chunk.append(line)

    for line in fmt.records(path, header.kind, fingerprinted=repeated):
        if line.error is not None:
            reject(line, line.error.code, line_message(line.error))
        elif line.key not in repeated:
            queue(line)  # the only valid line of its artisan: no repeat to look for
        elif line.fingerprint in seen:
            # Applying the same fact twice would change nothing but the counts.
            reject(line, "repeated_line", line_message(fmt.LineError("repeated_line")))
        else:
            seen.add(line.fingerprint)
            held.setdefault(line.key, []).append(line)
    flush()
    rounds = [sorted(lines, key=_fact_order) for _key, lines in sorted(held.items())]
    for position in range(max(map(len, rounds), default=0)):
        for lines in rounds:
            if position < len(lines):
                queue(lines[position])
        flush()
    if payers:
        coverage.assess_payers(numbers=payers, source=source)
    LineRejection.objects.bulk_create(rejections)
    acknowledgements.flush()
    return applied, rejected


# --- The exchange as a whole --------------------------------------------------------------


def last_inbound_sequence() -> int:
    inbound = Batch.objects.filter(direction=Direction.INBOUND)
    return inbound.aggregate(last=Max("sequence"))["last"] or 0


def receive(*, actor=None, via: connector.Transport | None = None) -> list[ImportReport]:
    """Import every answer waiting on the transport, in sequence order."""
    via = via or connector.transport()
    reports = []
    for path in via.receive(last_inbound_sequence()):
        report = import_file(path, actor=actor)
        reports.append(report)
        # An out-of-order batch waits where it is until the missing one arrives.
        if report.code != "out_of_order":
            via.done(path, refused=report.refused)
    return reports


def synchronise(*, actor=None, via: connector.Transport | None = None) -> dict:
    """One exchange: send what is new, then import what came back."""
    via = via or connector.transport()
    batches = export_batches(actor=actor, via=via)
    reports = receive(actor=actor, via=via)
    return {
        "exported": [batch.batch_id for batch in batches],
        "imported": [r.batch.batch_id for r in reports if r.status == "applied"],
        "refused": [r.file_name for r in reports if r.refused],
    }
