"""Keeping the counts: note the objects a change touched, fold them into the counts (move
each from the keys it was counted under to its new ones), or rebuild every count from the
register (docs/decisions/0047, 0068).

`note` runs inside the transaction of the change (receivers): one insert, so the note
commits or rolls back with it. `fold` runs later, in a job or before a page reads the
counts (`catch_up`), and is idempotent: an object folded twice is counted once.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from datetime import date

from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.db.models import Subquery
from django.utils import timezone

from hirfa.register.bulk import insert_rows
from hirfa.stats.measures import SOURCES
from hirfa.stats.models import KEY_FIELDS, Contribution, Count, Freshness, Pending

CHUNK = 2000
# Notes a page read folds before reading; beyond, it shows the counts "as of" the oldest
# note and leaves the rest to the job.
CATCH_UP = 500
FOLD_BATCH = 2000  # notes a fold transaction takes (the job loops)
UPSERT_ROWS = 1000  # 13 parameters a row: under SQLite's limit of 32,766


def _as_filter(key: tuple) -> dict:
    return dict(zip(KEY_FIELDS, key, strict=True))


def _apply(delta: Counter) -> None:
    """Add each key's change to its count: one upsert for all of them (PostgreSQL and
    SQLite both read `ON CONFLICT … DO UPDATE`). A count that falls to 0 stays as a row of
    0, which every read and the rebuild comparison treat as absent."""
    changes = [(key, change) for key, change in sorted(delta.items()) if change]
    if not changes:
        return
    quote = connection.ops.quote_name
    columns = ", ".join(quote(name) for name in (*KEY_FIELDS, "n"))
    keys = ", ".join(quote(name) for name in KEY_FIELDS)
    row = "(" + ", ".join(["%s"] * (len(KEY_FIELDS) + 1)) + ")"
    table = quote(Count._meta.db_table)
    conflict = (
        f"ON CONFLICT ({keys}) DO UPDATE SET {quote('n')} = {table}.{quote('n')} + "
        f"excluded.{quote('n')}"
    )
    if connection.vendor == "postgresql":
        # One array per column: psycopg parses a statement's placeholders one by one, which
        # cost more than the upsert itself for a bulk load's thousands of keys.
        types = [Count._meta.get_field(name).db_type(connection) for name in (*KEY_FIELDS, "n")]
        arrays = ", ".join(f"%s::{kind}[]" for kind in types)
        values = [
            [date.fromisoformat(key[1]) if index == 1 else key[index] for key, _c in changes]
            if index < len(KEY_FIELDS)
            else [change for _k, change in changes]
            for index in range(len(KEY_FIELDS) + 1)
        ]
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} ({columns}) SELECT * FROM unnest({arrays}) {conflict}",
                values,
            )
        return
    for start in range(0, len(changes), UPSERT_ROWS):
        chunk = changes[start : start + UPSERT_ROWS]
        params = []
        for key, change in chunk:
            month = date.fromisoformat(key[1])
            params += [key[0], connection.ops.adapt_datefield_value(month), *key[2:], change]
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} ({columns}) VALUES {', '.join([row] * len(chunk))} "
                f"{conflict}",
                params,
            )


def _insert(contributions: list[Contribution]) -> None:
    """New contributions: COPY on PostgreSQL (bulk loads and the rebuild write millions)."""
    if len(contributions) < 50:
        Contribution.objects.bulk_create(contributions)
        return
    rows = [(c.source, c.object_id, json.dumps(c.keys)) for c in contributions]
    insert_rows(Contribution._meta.db_table, ["source", "object_id", "keys"], rows)


def _normal(keys) -> list[tuple]:
    return sorted(tuple(key) for key in keys)


def note(source_name: str, ids: Iterable[int]) -> None:
    """Remember, in the change's transaction, that these objects are to be counted again:
    one insert, no read (the fold does the work)."""
    text = ",".join(str(pk) for pk in dict.fromkeys(ids))
    if not text:
        return
    db = connections[DEFAULT_DB_ALIAS]
    at = db.ops.adapt_datetimefield_value(timezone.now())
    with db.cursor() as cursor:
        cursor.execute(NOTE_SQL, [source_name, text, at])


# Built once (approvals are the hottest write): PostgreSQL and SQLite both quote with "".
NOTE_SQL = f'INSERT INTO "{Pending._meta.db_table}" (source, object_ids, at) VALUES (%s, %s, %s)'


# A registration noted in the open transaction stands for its dossiers too (the fold of a
# registration counts its dossiers again: DEPENDENT), so a dossier saved after it in the
# same transaction (an approval) needs no note of its own. Each registration noted is
# remembered, per connection, with a no-op `on_commit` marker, which Django drops with the
# note: at the commit, at a rollback, at the rollback of a savepoint it was taken in. A fold
# or a rebuild in the same transaction deletes notes: it forgets them all.
NOTED = "statistics_noted"
NOTED_KEPT = 64  # registrations remembered at most (a long transaction forgets the oldest)


class _Marker:
    __slots__ = ()

    def __call__(self) -> None:
        pass


def remember(registration_id: int) -> None:
    """This registration was noted in the open transaction (`note`)."""
    db = connections[DEFAULT_DB_ALIAS]
    if not db.in_atomic_block:
        return  # autocommit: the note is already committed, alone
    marker = _Marker()
    db.on_commit(marker)
    noted = db.__dict__.setdefault(NOTED, {})
    if len(noted) >= NOTED_KEPT:
        noted.clear()
    noted[registration_id] = marker


def noted_in_this_transaction(registration_id: int | None) -> bool:
    """Whether a note of this registration, written in the open transaction, still stands
    (and so will be folded with its dossiers)."""
    if registration_id is None:
        return False
    db = connections[DEFAULT_DB_ALIAS]
    marker = db.__dict__.get(NOTED, {}).get(registration_id)
    if marker is None or not db.in_atomic_block:
        return False
    # Django's (savepoint ids, callback, robust) entries; without them, every dossier notes.
    return any(marker in entry for entry in getattr(db, "run_on_commit", ()))


def _forget_noted() -> None:
    connections[DEFAULT_DB_ALIAS].__dict__.pop(NOTED, None)


def ids_where(source_name: str, where: dict) -> list[int]:
    """The ids of the rows a bulk write names (read now: a later write may move them)."""
    if set(where) == {"id__in"}:
        return list(where["id__in"])
    rows = SOURCES[source_name].model._base_manager.filter(**where)
    return list(rows.values_list("id", flat=True))


def refresh(source_name: str, ids: Iterable[int]) -> None:
    """Count the objects `ids` of a source as they are now (deleted ones: not at all), at
    once (the fold; tests)."""
    # Joins the caller's transaction (or makes one in autocommit).
    with transaction.atomic(savepoint=False):
        _refresh(source_name, list(dict.fromkeys(ids)))


def _refresh(source_name: str, ids: list[int]) -> None:
    source = SOURCES[source_name]
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        rows = {row["id"]: row for row in source.rows().filter(id__in=chunk)}
        known = {
            c.object_id: c
            for c in Contribution.objects.select_for_update().filter(
                source=source_name, object_id__in=chunk
            )
        }
        delta: Counter = Counter()
        new_rows, gone, changed = [], [], []
        for pk in chunk:
            new = _normal(source.keys(rows[pk])) if pk in rows else []
            held = known.get(pk)
            old = _normal(held.keys) if held else []
            if new == old:
                continue
            delta.subtract(source.expand(old))
            delta.update(source.expand(new))
            if held is None:
                new_rows.append(Contribution(source=source_name, object_id=pk, keys=new))
            elif new:
                held.keys = new
                changed.append(held)
            else:
                gone.append(held.pk)
        _insert(new_rows)
        if changed:
            Contribution.objects.bulk_update(changed, ["keys"], batch_size=500)
        if gone:
            Contribution.objects.filter(pk__in=gone).delete()
        _apply(delta)


def _locked_freshness(*, wait: bool = True) -> Freshness | None:
    """The one Freshness row, locked: folds and rebuilds run one at a time (PostgreSQL;
    SQLite writes one transaction at a time anyway). None when another holds it and
    `wait` is False."""
    _freshness()
    rows = Freshness.objects.order_by("pk")
    if connection.features.has_select_for_update_skip_locked and not wait:
        return rows.select_for_update(skip_locked=True).first()
    return rows.select_for_update().first()


def fold(*, limit: int | None = None, wait: bool = True) -> int:
    """Count the objects noted since the last fold (the oldest `limit` notes, or all, in
    transactions of FOLD_BATCH notes); returns how many notes were folded."""
    folded = 0
    _forget_noted()  # the notes it deletes may be this transaction's
    while limit is None or folded < limit:
        size = FOLD_BATCH if limit is None else min(FOLD_BATCH, limit - folded)
        with transaction.atomic():
            freshness = _locked_freshness(wait=wait)
            if freshness is None:
                return folded
            notes = list(
                Pending.objects.order_by("id").values_list("id", "source", "object_ids")[:size]
            )
            if not notes:
                return folded
            by_source: dict[str, dict[int, None]] = {}
            for _pk, source_name, text in notes:
                by_source.setdefault(source_name, {}).update(
                    dict.fromkeys(int(pk) for pk in text.split(","))
                )
            _with_dependent(by_source)
            for source_name, ids in by_source.items():
                _refresh(source_name, list(ids))
            # By id, not by range: a note of a transaction not yet committed when they
            # were read stays for the next fold.
            done = [pk for pk, _s, _t in notes]
            for start in range(0, len(done), CHUNK):
                Pending.objects.filter(pk__in=done[start : start + CHUNK]).delete()
            freshness.changed_at = timezone.now()
            freshness.save(update_fields=["changed_at"])
        folded += len(notes)
        if len(notes) < size:
            return folded
    return folded


# Sources counted again with a registration: enrolments and dependants read its fields (its
# province, its person's sex; a merge moves it to another person); dossiers, because a
# dossier saved in the transaction that noted its registration writes no note (`remember`).
DEPENDENT = ("enrolment", "dependant", "dossier")


def _with_dependent(by_source: dict[str, dict[int, None]]) -> None:
    registrations = list(by_source.get("registration", ()))
    for name in DEPENDENT:
        rows = SOURCES[name].model._base_manager
        found = by_source.setdefault(name, {})
        for start in range(0, len(registrations), CHUNK):
            chunk = registrations[start : start + CHUNK]
            found.update(
                dict.fromkeys(rows.filter(registration_id__in=chunk).values_list("id", flat=True))
            )


def catch_up() -> None:
    """Before a page reads the counts: fold the few changes noted since the last fold
    (a page never waits for a long fold, nor for another fold)."""
    fold(limit=CATCH_UP, wait=False)


def catch_up_if_noted() -> None:
    """`catch_up` after one read that finds something to fold."""
    if Pending.objects.exists():
        catch_up()


def _freshness() -> Freshness:
    freshness = Freshness.objects.order_by("pk").first()
    return freshness or Freshness.objects.create()


def mark_stale() -> bool:
    """A bulk write the counts could not follow: they are to be rebuilt. True when they
    were fresh until now (a rebuild is to be queued)."""
    freshness = _freshness()
    if freshness.stale_since is not None:
        return False
    freshness.stale_since = timezone.now()
    freshness.save(update_fields=["stale_since"])
    return True


def freshness() -> Freshness:
    """The Freshness row, with `oldest_note`: when the oldest change not yet folded was
    noted (None: every change is counted). One query."""
    oldest = Pending.objects.order_by("id").values("at")[:1]
    found = Freshness.objects.annotate(oldest_note=Subquery(oldest)).order_by("pk").first()
    if found is None:
        found = Freshness()
        found.oldest_note = Pending.objects.order_by("id").values_list("at", flat=True).first()
    return found


@transaction.atomic
def rebuild() -> dict[str, int]:
    """Every count recomputed from the register; returns how many objects per source."""
    started = timezone.now()
    _locked_freshness()
    # Notes seen now are counted by the rebuild (it reads every object after this);
    # notes committed later stay for the next fold, which finds them already counted.
    Pending.objects.all().delete()
    _forget_noted()
    Count.objects.all().delete()
    Contribution.objects.all().delete()
    totals: Counter = Counter()
    counted = {}
    for name, source in SOURCES.items():
        batch, counted[name] = [], 0
        for row in source.rows().iterator(chunk_size=CHUNK):
            keys = _normal(source.keys(row))
            if not keys:
                continue
            totals.update(source.expand(keys))
            batch.append(Contribution(source=name, object_id=row["id"], keys=keys))
            counted[name] += 1
            if len(batch) >= CHUNK:
                _insert(batch)
                batch = []
        _insert(batch)
    adapt = connection.ops.adapt_datefield_value
    # Written in the order of their keys (measure, month, …): a page reads one measure over a
    # few months, and finds those rows side by side on disk rather than one per page of a
    # table written in the register's order (at 3 M on PostgreSQL: 25,000 pages read for
    # 39,000 counts, 200 ms, against a few hundred pages).
    rows = [
        (key[0], adapt(date.fromisoformat(key[1])), *key[2:], n)
        for key, n in sorted(totals.items())
        if n
    ]
    insert_rows(Count._meta.db_table, [*KEY_FIELDS, "n"], rows)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # the planner's estimates of the new table
            cursor.execute(f"ANALYZE {connection.ops.quote_name(Count._meta.db_table)}")
    freshness = _freshness()
    freshness.rebuilt_at = freshness.changed_at = started
    freshness.stale_since = None
    freshness.save()
    return counted
