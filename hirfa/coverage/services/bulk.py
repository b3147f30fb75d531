"""Set-based writing for the CNSS batches (ADR 0027): locking many enrolments at once,
updating them in one statement, one audit entry per chunk, and the job that tells their
artisans after the commit.
"""

from collections.abc import Iterable
from datetime import datetime

from django.db import connection, transaction
from django.utils import timezone

from hirfa.audit.models import AuditEntry
from hirfa.audit.services import record
from hirfa.core.errors import DomainError
from hirfa.core.jobs import job
from hirfa.core.signals import rows_written
from hirfa.coverage.models import CoverageRules, Enrolment, State
from hirfa.coverage.money import add_months
from hirfa.coverage.services._helpers import (
    CHUNK,
    _artisans,
    _not_enrolled_error,
    _rights_values,
    _tell_artisan,
)

BULK_CHUNK = 5000


def _number(value) -> str:
    return str(value or "").strip()


def _distinct_chunks(items: Iterable, size: int = BULK_CHUNK):
    """Chunks of lines, cut before a number comes back: within a chunk each line concerns
    another artisan, so applying the chunk at once equals applying its lines in order."""
    chunk, seen = [], set()
    for item in items:
        if len(chunk) >= size or item[1] in seen:
            yield chunk
            chunk, seen = [], set()
        chunk.append(item)
        seen.add(item[1])
    if chunk:
        yield chunk


def _live(numbers, *columns) -> dict[str, tuple]:
    """The enrolments of `numbers`, locked: {number: (id, province code, *columns)}."""
    rows = (
        Enrolment.objects.select_for_update(of=("self",))
        .filter(registration__number__in_many=set(numbers))
        .values_list("registration__number", "id", "registration__province__code", *columns)
    )
    return {row[0]: row[1:] for row in rows}


def _missing(numbers) -> dict[str, DomainError]:
    registered = set(_artisans().filter(number__in=numbers).values_list("number", flat=True))
    return {n: _not_enrolled_error(n, registered=n in registered) for n in numbers}


def _update_many(columns: list[str], rows: list[tuple]) -> None:
    """Update enrolments, each row giving the values of `columns`, then the id."""
    if not rows:
        return
    _write_many(columns, rows)
    # No post_save was sent: tell who keeps derived figures (statistics).
    rows_written.send(sender=Enrolment, where={"id__in": [row[-1] for row in rows]})


def _write_many(columns: list[str], rows: list[tuple]) -> None:
    quote = connection.ops.quote_name
    table = quote(Enrolment._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            sets = ", ".join(f"{quote(c)} = %s" for c in columns)
            cursor.executemany(f"UPDATE {table} SET {sets} WHERE id = %s", _adapted_rows(rows))
            return
        # PostgreSQL: one statement, the rows travel as one array per column (single-row
        # UPDATEs made the 500,000-line import take 88 s there).
        types = [Enrolment._meta.get_field(c).db_type(connection) for c in columns]
        types.append(Enrolment._meta.pk.rel_db_type(connection))
        names = ", ".join(quote(c) for c in [*columns, "id"])
        sets = ", ".join(f"{quote(c)} = v.{quote(c)}" for c in columns)
        arrays = ", ".join(f"%s::{t}[]" for t in types)
        cursor.execute(
            f"UPDATE {table} SET {sets} FROM unnest({arrays}) AS v({names}) "
            f"WHERE {table}.id = v.id",
            [list(column) for column in zip(*rows, strict=True)],
        )


def _adapted(row: tuple) -> list:
    # Raw SQL gets what the ORM would write: SQLite keeps naive UTC text for datetimes.
    adapt = connection.ops.adapt_datetimefield_value
    return [adapt(value) if isinstance(value, datetime) else value for value in row]


def _adapted_rows(rows: list[tuple]) -> list[tuple]:
    """`_adapted` for many rows, column by column: only the columns holding a datetime are
    gone through, each distinct datetime adapted once (a chunk's rows share `now`)."""
    adapt = connection.ops.adapt_datetimefield_value
    cache: dict[datetime, str] = {}

    def text(value):
        if not isinstance(value, datetime):
            return value
        adapted = cache.get(value)
        if adapted is None:
            adapted = cache[value] = adapt(value)
        return adapted

    columns = list(zip(*rows, strict=True))
    for index, column in enumerate(columns):
        if any(issubclass(kind, datetime) for kind in set(map(type, column))):
            columns[index] = list(map(text, column))
    return list(zip(*columns, strict=True))


def _audit_chunk(action: str, *, source: str, object_type: str, items: list, single=None, **kw):
    """One entry for the lines of a chunk applied together, listing their facts (as the
    imports app does, ADR 0023); `single` (object id, province code) when it is one line."""
    object_id, province_code = single if single and len(items) == 1 else (None, None)
    return record(
        actor=None,
        actor_label=source,
        action=action,
        object_type=object_type,
        object_id=object_id,
        province_code=province_code,
        reason=kw.pop("reason", ""),
        data={"source": source, "count": len(items), **kw, "items": items},
    )


def _tell_later(entry) -> None:
    """The artisans of an applied chunk hear of it from one job, after the commit."""
    transaction.on_commit(lambda pk=entry.pk: tell_artisans.enqueue(pk), robust=True)


@job
def tell_artisans(entry_id: int) -> int:
    """Notify the artisans listed by one audit entry of a chunk (action "enrolment.<state>").

    One transaction: a retry after a failure sends nothing twice.
    """
    entry = AuditEntry.objects.filter(pk=entry_id).first()
    if entry is None:
        return 0
    state = entry.action.removeprefix("enrolment.")
    numbers = [item[0] for item in entry.data.get("items", [])]
    waiting = CoverageRules.current().waiting_months
    told = 0
    with transaction.atomic():
        enrolments = Enrolment.objects.filter(registration__number__in=numbers).select_related(
            "registration__person__user"
        )
        for enrolment in enrolments.iterator(chunk_size=CHUNK):
            opening = None
            if state == State.IMMATRICULATED and enrolment.dues_from:
                opening = max(add_months(enrolment.dues_from, waiting), enrolment.immatriculated_on)
            _tell_artisan(enrolment, opening, state=state)
            told += 1
    return told


def _set_rights_many(changes: list[tuple], *, trigger: str | None = None) -> None:
    """Apply rights changes (pk, province, number, from, state, on, source), grouped by
    state and source: one UPDATE, one audit entry and one notification job per group."""
    groups: dict[tuple[str, str], list[tuple]] = {}
    for change in changes:
        groups.setdefault((change[4], change[6]), []).append(change)
    now = timezone.now()
    for (state, source), group in groups.items():
        columns = list(_rights_values(state, group[0][5], source, now))
        _update_many(
            [*columns, "updated_at"],
            [
                (*_rights_values(state, on, source, now).values(), now, pk)
                for pk, *_x, on, _s in group
            ],
        )
        extra = {"trigger": trigger} if trigger else {}
        entry = _audit_chunk(
            f"enrolment.{state}",
            source=source,
            object_type="coverage.enrolment",
            items=[[n, previous, on] for _pk, _p, n, previous, _st, on, _s in group],
            single=group[0][:2],
            **extra,
        )
        _tell_later(entry)
