"""Bulk import of legacy lists (docs/import.md, ADR 0023) and exports (ADR 0024).

Each row is validated by the register's own `clean_person` and `clean_craft`, the
functions behind the forms and the API. A valid row whose CNIE is not yet in the
register becomes a `Person` and an active `Registration` with a new national number;
a CNIE already in the register is skipped (the CNIE is the natural key, so an import
run twice, or two overlapping lists, never create anyone twice).

Rows are committed in chunks, each chunk with the run's `last_row`: a run killed at
any point resumes after its last committed chunk.
"""

import csv
import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from hirfa.accounts.selectors import restrict
from hirfa.audit.services import record
from hirfa.cards import services as cards
from hirfa.core.errors import DomainError
from hirfa.crafts.models import Activity
from hirfa.imports import inbox
from hirfa.imports.columns import (
    FileProblem,
    Unreadable,
    check_file,
    file_format,
    header_of,
    map_header,
    read_rows,
    row_data,
)
from hirfa.imports.exports import safe_cell
from hirfa.imports.models import ImportedRow, ImportIssue, ImportRun
from hirfa.register.bulk import insert_rows
from hirfa.register.models import Person
from hirfa.register.services import clean_craft, clean_person
from hirfa.register.services.bulk import register_many
from hirfa.territory.models import Commune, Province

CHUNK_SIZE = 2_000
SYSTEM_LABEL = "system:import"


def file_digest(path: Path) -> tuple[str, int]:
    """SHA-256 of the file and its number of lines (for the progress bar)."""
    digest, lines = hashlib.sha256(), 0
    with open(path, "rb") as handle:
        while block := handle.read(1 << 20):
            digest.update(block)
            lines += block.count(b"\n")
    return digest.hexdigest(), lines


@dataclass
class _Tables:
    """Reference data read once per run instead of once per row."""

    communes: dict
    activities: dict
    provinces_in_scope: set | None

    @classmethod
    def load(cls, actor) -> "_Tables":
        communes = {c.code: c for c in Commune.objects.select_related("province__region")}
        activities = {a.code: a for a in Activity.objects.filter(is_active=True)}
        in_scope = None
        if actor is not None:
            in_scope = set(
                restrict(Province.objects.all(), actor, via="").values_list("id", flat=True)
            )
        return cls(communes, activities, in_scope)


class _Chunk:
    def __init__(self, first_row: int):
        self.first_row = first_row
        self.today = timezone.localdate()
        self.last_row = first_row - 1
        self.valid: list[tuple[int, dict, dict, str]] = []
        self.issues: list[ImportIssue] = []

    def reject(self, row: int, column: str, message) -> None:
        self.issues.append(
            ImportIssue(
                row=row, kind=ImportIssue.Kind.REJECTED, column=column, message=str(message)
            )
        )


def _validate(chunk: _Chunk, number: int, row: list, header: list, positions, tables) -> None:
    data = row_data(row, positions)
    problems: dict[str, list[str]] = {}
    person = craft = None
    try:
        person = clean_person(data["person"], communes=tables.communes, today=chunk.today)
    except DomainError as error:
        problems.update(error.fields)
    try:
        craft = clean_craft(data["craft"], communes=tables.communes, activities=tables.activities)
    except DomainError as error:
        for field, messages in error.fields.items():
            problems.setdefault(field, []).extend(messages)
    if (
        craft is not None
        and tables.provinces_in_scope is not None
        and craft["workplace_commune"].province_id not in tables.provinces_in_scope
    ):
        problems.setdefault("workplace_commune", []).append(
            _("This workplace is outside your territory.")
        )
    if problems:
        for field, messages in problems.items():
            for message in messages:
                chunk.reject(number, header_of(field, header, positions), message)
        return
    chunk.valid.append((number, person, craft, data["legacy_number"][:40]))


def _registered_cnies(cnies: list[str]) -> set[str]:
    """Which of `cnies` are in the register (plain SQL: the ORM spends longer writing
    a two-thousand-value IN than the database answering it)."""
    found, table = set(), Person._meta.db_table
    with connection.cursor() as cursor:
        for start in range(0, len(cnies), 900):
            part = cnies[start : start + 900]
            marks = ", ".join(["%s"] * len(part))
            cursor.execute(f"SELECT cnie FROM {table} WHERE cnie IN ({marks})", part)
            found.update(row[0] for row in cursor.fetchall())
    return found


def _commit(run: ImportRun, chunk: _Chunk, header: list, positions) -> None:
    cnie_column = header_of("cnie", header, positions)
    new, seen = [], set()
    existing = _registered_cnies([p["cnie"] for _, p, _, _ in chunk.valid])
    for item in chunk.valid:
        cnie = item[1]["cnie"]
        if cnie in existing or cnie in seen:
            chunk.issues.append(
                ImportIssue(
                    row=item[0],
                    kind=ImportIssue.Kind.SKIPPED,
                    column=cnie_column,
                    message=_("This CNIE is already in the register: row skipped."),
                )
            )
            continue
        seen.add(cnie)
        new.append(item)
    with transaction.atomic():
        locked = ImportRun.objects.select_for_update().get(pk=run.pk)
        if locked.last_row != chunk.first_row - 1:
            raise FileProblem(_("Another process is importing this file."))
        written = register_many([(item[1], item[2]) for item in new])
        imported = [
            (run.pk, item[0], person_id, item[3])
            for item, (person_id, _rid, _number) in zip(new, written, strict=True)
        ]
        insert_rows(
            ImportedRow._meta.db_table, ["run_id", "row", "person_id", "legacy_number"], imported
        )
        numbers = [written[0][2], written[-1][2]] if written else []
        for issue in chunk.issues:
            issue.run = run
        ImportIssue.objects.bulk_create(chunk.issues, batch_size=500)
        rejected = len({i.row for i in chunk.issues if i.kind == ImportIssue.Kind.REJECTED})
        skipped = len(chunk.valid) - len(new)
        run.last_row = chunk.last_row
        run.imported += len(new)
        run.skipped += skipped
        run.rejected += rejected
        run.save(update_fields=["last_row", "imported", "skipped", "rejected", "updated_at"])
        # One audit entry a chunk; the row-level facts are the ImportedRow and
        # ImportIssue rows written with it (ADR 0023).
        record(
            actor=run.actor,
            actor_label=None if run.actor_id else SYSTEM_LABEL,
            action="import.chunk",
            obj=run,
            data={
                "rows": [chunk.first_row, chunk.last_row],
                "imported": len(new),
                "skipped": skipped,
                "rejected": rejected,
                "numbers": numbers,
            },
        )


def _run_for(path: Path, digest: str, fmt: str, actor, language: str) -> ImportRun:
    with transaction.atomic():
        run = ImportRun.objects.select_for_update().filter(file_sha256=digest).first()
        if run is None:
            run = ImportRun.objects.create(
                file_name=path.name[:255],
                file_sha256=digest,
                file_format=fmt,
                language=language,
                actor=actor,
            )
            record(
                actor=actor,
                actor_label=None if actor else SYSTEM_LABEL,
                action="import.started",
                obj=run,
                data={"file": run.file_name, "sha256": digest},
            )
        return run


def import_file(
    path,
    *,
    actor=None,
    language: str | None = None,
    chunk_size: int = CHUNK_SIZE,
    progress: Callable[[int, int], None] | None = None,
) -> ImportRun:
    """Import a CSV or XLSX legacy list; resumes (or, if done, returns) the run of the same file.

    `progress(rows_done, rows_estimated)` is called after each chunk.
    """
    path = Path(path)
    fmt = file_format(path)
    language = language or settings.LANGUAGE_CODE
    with translation.override(language):
        # Nothing is written for a file that cannot be read (issue 11, finding 8).
        check_file(path, fmt)
    digest, lines = file_digest(path)
    run = _run_for(path, digest, fmt, actor, language)
    if run.status == ImportRun.Status.DONE:
        return run
    if run.status == ImportRun.Status.FAILED:
        run.status = ImportRun.Status.RUNNING
        run.save(update_fields=["status", "updated_at"])
    try:
        _import_rows(run, path, fmt, lines, chunk_size, progress)
    except Unreadable as problem:
        # Found only past the check (a workbook damaged further down): said, not left running.
        with transaction.atomic():
            run.status = ImportRun.Status.FAILED
            run.save(update_fields=["status", "updated_at"])
            record(
                actor=run.actor,
                actor_label=None if run.actor_id else SYSTEM_LABEL,
                action="import.failed",
                obj=run,
                data={"problem": str(problem)},
            )
            inbox.run_ended(run)
        raise
    with transaction.atomic():
        run.status, run.finished_at = ImportRun.Status.DONE, timezone.now()
        run.save(update_fields=["status", "finished_at", "updated_at"])
        record(
            actor=run.actor,
            actor_label=None if run.actor_id else SYSTEM_LABEL,
            action="import.finished",
            obj=run,
            data={"imported": run.imported, "skipped": run.skipped, "rejected": run.rejected},
        )
        inbox.run_ended(run)
        if run.imported:
            # Imported artisans are registered: their first cards, like an approval's.
            transaction.on_commit(cards.queue_first_cards)
    if progress:
        progress(run.last_row, run.last_row)
    return run


def _import_rows(run: ImportRun, path: Path, fmt: str, lines: int, chunk_size, progress) -> None:
    tables = _Tables.load(run.actor)
    with translation.override(run.language):
        rows = read_rows(path, fmt)
        header = next(rows, None)
        if header is None:
            raise FileProblem(_("The file is empty."))
        positions = map_header(header)
        total = lines - 1 if fmt == "csv" else 0
        chunk = _Chunk(run.last_row + 1)
        for number, row in enumerate(rows, start=1):
            if number <= run.last_row:
                continue
            chunk.last_row = number
            if any(cell for cell in row):
                _validate(chunk, number, row, header, positions, tables)
            if chunk.last_row - chunk.first_row + 1 >= chunk_size:
                _commit(run, chunk, header, positions)
                chunk = _Chunk(number + 1)
                if progress:
                    progress(number, total)
        if chunk.last_row >= chunk.first_row:
            _commit(run, chunk, header, positions)


REPORT_HEADER = ("row", "column", "kind", "message")


def write_report(run: ImportRun, target) -> int:
    """The per-row report of a run (CSV) into the text stream `target`; returns its lines."""
    writer = csv.writer(target)
    with translation.override(run.language):
        writer.writerow([_("row"), _("column"), _("kind"), _("message")])
        count = 0
        for issue in run.issues.order_by("row", "id").iterator(chunk_size=2000):
            # The column's name and the message quote the file: written as text.
            line = [issue.row, issue.column, issue.get_kind_display(), issue.message]
            writer.writerow([safe_cell(value) for value in line])
            count += 1
    return count


class Progress:
    """A progress bar on a text stream (stderr), redrawn at most a few times a second."""

    def __init__(self, stream, label: str = "import"):
        self.stream, self.label = stream, label
        self.started = time.monotonic()
        self.shown = 0.0

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if now - self.shown < 0.2 and done < total:
            return
        self.shown = now
        rate = done / max(now - self.started, 1e-6)
        if total:
            share = min(done / total, 1.0)
            bar = "#" * int(share * 30)
            line = f"\r{self.label} [{bar:<30}] {share:6.1%} {done}/{total} rows {rate:,.0f} rows/s"
        else:
            line = f"\r{self.label} {done} rows {rate:,.0f} rows/s"
        self.stream.write(line)
        self.stream.flush()

    def close(self) -> None:
        self.stream.write("\n")
        self.stream.flush()
