"""Keeping the counts: move an object from the keys it was counted under to its new ones,
or rebuild every count from the register (docs/decisions/0047).

Called inside the transaction of the change (receivers), so a count commits or rolls back
with it. A count that falls to zero is deleted, so an incremental count and a rebuild hold
exactly the same rows.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from hirfa.stats.measures import SOURCES
from hirfa.stats.models import KEY_FIELDS, Contribution, Count, Freshness

CHUNK = 2000


def _as_filter(key: tuple) -> dict:
    return dict(zip(KEY_FIELDS, key, strict=True))


def _apply(delta: Counter) -> None:
    for key, change in sorted(delta.items()):
        if not change:
            continue
        lookup = _as_filter(key)
        if Count.objects.filter(**lookup).update(n=F("n") + change):
            if change < 0:
                Count.objects.filter(**lookup, n__lte=0).delete()
            continue
        try:
            with transaction.atomic():
                Count.objects.create(**lookup, n=change)
        except IntegrityError:  # created meanwhile by another transaction
            Count.objects.filter(**lookup).update(n=F("n") + change)


def _normal(keys) -> list[tuple]:
    return sorted(tuple(key) for key in keys)


def refresh(source_name: str, ids: Iterable[int]) -> None:
    """Count the objects `ids` of a source as they are now (deleted ones: not at all)."""
    # Joins the change's transaction (or makes one for a save in autocommit).
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
        new_rows, gone = [], []
        for pk in chunk:
            new = _normal(source.keys(rows[pk])) if pk in rows else []
            held = known.get(pk)
            old = _normal(held.keys) if held else []
            if new == old:
                continue
            delta.subtract(old)
            delta.update(new)
            if held is None:
                new_rows.append(Contribution(source=source_name, object_id=pk, keys=new))
            elif new:
                held.keys = new
                held.save(update_fields=["keys"])
            else:
                gone.append(held.pk)
        if new_rows:
            Contribution.objects.bulk_create(new_rows)
        if gone:
            Contribution.objects.filter(pk__in=gone).delete()
        _apply(delta)
    if ids:
        _touch()


def refresh_where(source_name: str, where: dict) -> None:
    ids = SOURCES[source_name].model._base_manager.filter(**where).values_list("id", flat=True)
    refresh(source_name, list(ids))


def _freshness() -> Freshness:
    freshness = Freshness.objects.order_by("pk").first()
    return freshness or Freshness.objects.create()


def _touch() -> None:
    Freshness.objects.update(changed_at=timezone.now())


def mark_stale() -> None:
    """A bulk write the counts could not follow: they are to be rebuilt."""
    freshness = _freshness()
    if freshness.stale_since is None:
        freshness.stale_since = timezone.now()
        freshness.save(update_fields=["stale_since"])


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
            totals.update(keys)
            batch.append(Contribution(source=name, object_id=row["id"], keys=keys))
            counted[name] += 1
            if len(batch) >= CHUNK:
                Contribution.objects.bulk_create(batch)
                batch = []
        Contribution.objects.bulk_create(batch)
    Count.objects.bulk_create(
        (Count(**_as_filter(key), n=n) for key, n in totals.items() if n), batch_size=CHUNK
    )
    freshness = _freshness()
    freshness.rebuilt_at = freshness.changed_at = started
    freshness.stale_since = None
    freshness.save()
    return counted
