"""Writes on the crafts nomenclature: importing a list, retiring and reactivating entries.

The nomenclature file is the source of truth. An import validates the whole file
before it touches the database, then applies it in one transaction. Entries are
never deleted: registrations will point at activities, and an activity dropped
from a newer list must stay readable behind them, so it is retired instead.
"""

from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.db.models import QuerySet

from hirfa.core.signals import rows_written
from hirfa.crafts.models import Activity, Branch, Category, NomenclatureRelease
from hirfa.crafts.reading import (  # noqa: F401 (re-exported for callers)
    COUNTS,
    CSV_COLUMNS,
    DEFAULT_FILE,
    FORMAT,
    LEVELS,
    Entry,
    ParsedNomenclature,
    read_nomenclature,
)
from hirfa.crafts.selectors import current_release, forget_public_reads


@dataclass
class _LevelDiff:
    new: list[Entry] = field(default_factory=list)
    changed: list[tuple[object, Entry]] = field(default_factory=list)
    retired: list[object] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)


def _diff(entries: list[Entry], existing: dict, parent_code_of) -> _LevelDiff:
    diff = _LevelDiff()
    counts = dict.fromkeys(COUNTS, 0)
    in_file = set()
    for entry in entries:
        in_file.add(entry.code)
        current = existing.get(entry.code)
        if current is None:
            diff.new.append(entry)
            counts["created"] += 1
            continue
        same_description = (
            current.name_ar == entry.name_ar
            and current.name_fr == entry.name_fr
            and current.name_zgh == entry.name_zgh
            and parent_code_of(current) == entry.parent
        )
        # Positions run through the whole list, so one entry added or removed shifts
        # every later one: counted apart, such shifts do not hide real changes.
        if not current.is_active:
            counts["reactivated"] += 1
        elif not same_description:
            counts["updated"] += 1
        elif current.position != entry.position:
            counts["reordered"] += 1
        else:
            counts["unchanged"] += 1
            continue
        diff.changed.append((current, entry))
    for code, current in existing.items():
        if code not in in_file and current.is_active:
            diff.retired.append(current)
            counts["retired"] += 1
    diff.counts = counts
    return diff


def _apply(model, diff: _LevelDiff, parent_field: str | None, parent_ids: dict) -> dict:
    """Write one level's changes; returns the ids of all its entries by code."""

    def parent(entry: Entry) -> dict:
        return {f"{parent_field}_id": parent_ids[entry.parent]} if parent_field else {}

    model.objects.bulk_create(
        [
            model(
                code=e.code,
                name_ar=e.name_ar,
                name_fr=e.name_fr,
                name_zgh=e.name_zgh,
                position=e.position,
                is_active=True,
                **parent(e),
            )
            for e in diff.new
        ],
        batch_size=500,
    )
    changed, moved = [], []
    for current, entry in diff.changed:
        current.name_ar, current.name_fr, current.name_zgh = (
            entry.name_ar,
            entry.name_fr,
            entry.name_zgh,
        )
        current.position = entry.position
        current.is_active = True
        for name, value in parent(entry).items():
            if getattr(current, name) != value:
                moved.append(current.pk)
            setattr(current, name, value)
        changed.append(current)
    for current in diff.retired:
        current.is_active = False
        changed.append(current)
    fields = ["name_ar", "name_fr", "name_zgh", "position", "is_active"]
    if parent_field:
        fields.append(parent_field)
    if changed:
        model.objects.bulk_update(changed, fields, batch_size=500)
    if moved:  # what is counted by its parent (statistics) follows it
        rows_written.send(sender=model, where={"id__in": moved})
    return dict(model.objects.values_list("code", "id"))


def load_nomenclature(
    path: str | Path | None = None,
    *,
    version: str | None = None,
    provisional: bool | None = None,
    source: str | None = None,
    dry_run: bool = False,
) -> dict:
    """Import a nomenclature file (default: the shipped provisional list).

    Nothing is written unless the whole file is valid. Then, in one transaction,
    new codes are created, known codes take the file's names, order and parent,
    codes missing from the file are retired, and retired codes that come back are
    reactivated. Loading the list already in force changes nothing. `dry_run`
    reports what would change without writing.

    Returns the version, provisional flag, whether anything changed, and per level
    (categories, branches, activities) the counts of entries created, updated
    (names or parent), reordered (position only), reactivated, retired and
    unchanged.
    """
    parsed = read_nomenclature(path, version=version, provisional=provisional, source=source)
    result = {
        "version": parsed.version,
        "provisional": parsed.provisional,
        "checksum": parsed.checksum,
        "dry_run": dry_run,
    }
    with transaction.atomic():
        release = current_release()
        if (
            release is not None
            and release.checksum == parsed.checksum
            and release.version == parsed.version
            and release.provisional == parsed.provisional
        ):
            # The same list is already in force. Retirements made by hand in the
            # admin since then stand until a different list is loaded.
            for level in LEVELS:
                result[level] = {
                    **dict.fromkeys(COUNTS, 0),
                    "unchanged": len(getattr(parsed, level)),
                }
            return {**result, "changed": False}

        categories = {c.code: c for c in Category.objects.all()}
        branches = {b.code: b for b in Branch.objects.all()}
        activities = {a.code: a for a in Activity.objects.all()}
        category_codes = {c.id: c.code for c in categories.values()}
        branch_codes = {b.id: b.code for b in branches.values()}
        diffs = {
            "categories": _diff(parsed.categories, categories, lambda c: None),
            "branches": _diff(parsed.branches, branches, lambda b: category_codes[b.category_id]),
            "activities": _diff(parsed.activities, activities, lambda a: branch_codes[a.branch_id]),
        }
        summary = {level: diffs[level].counts for level in LEVELS}
        result.update(summary)
        result["changed"] = True
        if dry_run:
            return result

        # Bulk writes send no signal: the public pages' reads are forgotten here (ADR 0058).
        transaction.on_commit(forget_public_reads)
        category_ids = _apply(Category, diffs["categories"], None, {})
        branch_ids = _apply(Branch, diffs["branches"], "category", category_ids)
        _apply(Activity, diffs["activities"], "branch", branch_ids)
        NomenclatureRelease.objects.create(
            version=parsed.version,
            provisional=parsed.provisional,
            source=parsed.source,
            checksum=parsed.checksum,
            summary=summary,
        )
    return result


# Retiring and reactivating by hand


def retire_entries(entries: QuerySet) -> int:
    """Retire categories, branches or activities, and everything beneath them.

    A retired category or branch with active entries beneath it would leave
    activities offered under a heading nobody can see. Returns how many of the
    given entries were active.
    """
    model, ids = entries.model, list(entries.values_list("id", flat=True))
    with transaction.atomic():
        count = model.objects.filter(id__in=ids, is_active=True).update(is_active=False)
        if model is Category:
            Branch.objects.filter(category__in=ids, is_active=True).update(is_active=False)
            Activity.objects.filter(branch__category__in=ids, is_active=True).update(
                is_active=False
            )
        elif model is Branch:
            Activity.objects.filter(branch__in=ids, is_active=True).update(is_active=False)
    return count


def reactivate_entries(entries: QuerySet) -> int:
    """Reactivate entries, and the branch and category above them so they can be seen.

    Entries beneath are left as they are: reactivating a branch does not bring
    back activities that were retired on their own. Returns how many of the given
    entries were retired.
    """
    model, ids = entries.model, list(entries.values_list("id", flat=True))
    with transaction.atomic():
        count = model.objects.filter(id__in=ids, is_active=False).update(is_active=True)
        if model is Activity:
            Branch.objects.filter(activities__in=ids, is_active=False).update(is_active=True)
            Category.objects.filter(branches__activities__in=ids, is_active=False).update(
                is_active=True
            )
        elif model is Branch:
            Category.objects.filter(branches__in=ids, is_active=False).update(is_active=True)
    return count
