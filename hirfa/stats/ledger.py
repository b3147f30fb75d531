"""Keeping the counts: move an object from the keys it was counted under to its new ones,
or rebuild every count from the register (docs/decisions/0047).

Called inside the transaction of the change (receivers), so a count commits or rolls back
with it.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from datetime import date

from django.db import connection, transaction
from django.utils import timezone

from hirfa.register.bulk import insert_rows
from hirfa.stats.measures import SOURCES
from hirfa.stats.models import KEY_FIELDS, Contribution, Count, Freshness

CHUNK = 2000
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


def refresh(source_name: str, ids: Iterable[int], *, new: bool = False) -> None:
    """Count the objects `ids` of a source as they are now (deleted ones: not at all);
    `new`: they were just created, so never counted yet."""
    # Joins the change's transaction (or makes one for a save in autocommit).
    with transaction.atomic(savepoint=False):
        _refresh(source_name, list(dict.fromkeys(ids)), new)


def _refresh(source_name: str, ids: list[int], new: bool) -> None:
    source = SOURCES[source_name]
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        rows = {row["id"]: row for row in source.rows().filter(id__in=chunk)}
        known = {}
        if not new:
            known = {
                c.object_id: c
                for c in Contribution.objects.select_for_update().filter(
                    source=source_name, object_id__in=chunk
                )
            }
        delta: Counter = Counter()
        new_rows, gone = [], []
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
                held.save(update_fields=["keys"])
            else:
                gone.append(held.pk)
        _insert(new_rows)
        if gone:
            Contribution.objects.filter(pk__in=gone).delete()
        _apply(delta)


def refresh_where(source_name: str, where: dict, *, new: bool = False) -> None:
    if set(where) == {"id__in"}:
        ids = where["id__in"]
    else:
        rows = SOURCES[source_name].model._base_manager.filter(**where)
        ids = list(rows.values_list("id", flat=True))
    refresh(source_name, ids, new=new)


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
    return Freshness.objects.order_by("pk").first() or Freshness()


@transaction.atomic
def rebuild() -> dict[str, int]:
    """Every count recomputed from the register; returns how many objects per source."""
    started = timezone.now()
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
    rows = [
        (key[0], adapt(date.fromisoformat(key[1])), *key[2:], n) for key, n in totals.items() if n
    ]
    insert_rows(Count._meta.db_table, [*KEY_FIELDS, "n"], rows)
    freshness = _freshness()
    freshness.rebuilt_at = freshness.changed_at = started
    freshness.stale_since = None
    freshness.save()
    return counted
