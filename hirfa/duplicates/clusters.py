"""Duplicate clusters across the whole register, with blocking (`hirfa find_duplicates`).

Comparing every pair of 2.5 million persons is out of the question; only persons who
share a blocking key are compared:

- the phonetic keys of first and family name (Arabic, and Latin) with the birth year;
- the CNIE with one character deleted (for each position) with the birth year: two
  numbers one substitution, insertion, deletion or swap apart share such a key;
- the phone number.

Keys go, hashed to 64 bits, into a temporary table that the database groups (it sorts
on disk, so memory stays flat); blocks larger than `MAX_BLOCK` (a phone shared by a
whole cooperative) are left out. Each block's persons are read in batches, pairs are
scored (hirfa.duplicates.scoring), and pairs above the threshold are joined into
clusters (union-find) and stored as open candidates for the reviewers.

Open candidates stored earlier are scored again with the current scoring (ADR 0056): those
now below the threshold stay open but are no longer shown beside a file.
"""

from collections.abc import Callable, Iterator
from itertools import combinations

from django.db import connection, transaction

from hirfa.duplicates.models import Candidate
from hirfa.duplicates.scoring import PROFILE_FIELDS, THRESHOLD, compare, key
from hirfa.duplicates.selectors import profiles as profiles_of
from hirfa.register.models import Person

MAX_BLOCK = 100
BATCH = 2_000
TABLE = "duplicates_blocks"


def blocking_keys(cnie, first_ar, last_ar, first_latin, last_latin, birth_date, phone) -> set:
    year = birth_date.year
    keys = {
        f"n{key(first_ar)}|{key(last_ar)}|{year}",
        f"n{key(first_latin)}|{key(last_latin)}|{year}",
    }
    keys.update(f"c{cnie[:i]}{cnie[i + 1 :]}|{year}" for i in range(len(cnie)))
    if phone:
        keys.add(f"p{phone}")
    return keys


def _fill_blocks(progress) -> int:
    persons = 0
    rows = []
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TEMPORARY TABLE {TABLE} (block BIGINT NOT NULL, person BIGINT)")
        fields = PROFILE_FIELDS[1:]
        for values in Person.objects.values_list("id", *fields).iterator(chunk_size=BATCH):
            rows.extend((hash(k), values[0]) for k in blocking_keys(*values[1:]))
            persons += 1
            if len(rows) >= 50_000:
                _insert(cursor, rows)
                rows = []
                if progress:
                    progress("keys", persons)
        _insert(cursor, rows)
    return persons


def _insert(cursor, rows) -> None:
    if not rows:
        return
    if connection.vendor == "postgresql":
        with cursor.cursor.copy(f"COPY {TABLE} (block, person) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
    else:
        cursor.executemany(f"INSERT INTO {TABLE} (block, person) VALUES (%s, %s)", rows)


def _blocks() -> Iterator[list[int]]:
    with connection.cursor() as django_cursor:
        # A server-side cursor on PostgreSQL: the result is read in batches, not at once.
        cursor = (
            connection.connection.cursor(name="duplicate_blocks")
            if connection.vendor == "postgresql"
            else django_cursor
        )
        try:
            cursor.execute(
                # One sort, by a window count (no join on an unindexed table).
                f"SELECT block, person FROM (SELECT block, person,"
                f" COUNT(*) OVER (PARTITION BY block) AS size FROM {TABLE}) sized"
                f" WHERE size BETWEEN 2 AND %s ORDER BY block",
                [MAX_BLOCK],
            )
            current, members = None, []
            while batch := cursor.fetchmany(BATCH):
                for block, person in batch:
                    if block != current:
                        if len(members) > 1:
                            yield members
                        current, members = block, []
                    members.append(person)
            if len(members) > 1:
                yield members
        finally:
            if cursor is not django_cursor:
                cursor.close()


def _scored_pairs(blocks: Iterator[list[int]]) -> Iterator[tuple[int, int, int, list]]:
    pending, ids = [], set()

    def flush():
        profiles = profiles_of(ids)
        for members in pending:
            for a, b in combinations(sorted(set(members)), 2):
                score, reasons = compare(profiles[a], profiles[b])
                if score >= THRESHOLD:
                    yield a, b, score, reasons

    for members in blocks:
        pending.append(members)
        ids.update(members)
        if len(ids) >= BATCH:
            yield from flush()
            pending, ids = [], set()
    if pending:
        yield from flush()


class _Clusters:
    def __init__(self):
        self.parent: dict[int, int] = {}

    def find(self, x: int) -> int:
        parent = self.parent
        root = parent.setdefault(x, x)
        while root != parent[root]:
            root = parent[root]
        while parent[x] != root:
            parent[x], x = root, parent[x]
        return root

    def join(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def find_clusters(*, progress: Callable[[str, int], None] | None = None) -> dict:
    """Score the blocked pairs of the whole register; store new ones as open candidates."""
    with transaction.atomic():
        persons = _fill_blocks(progress)
        pairs: dict[tuple[int, int], tuple[int, list]] = {}
        for a, b, score, reasons in _scored_pairs(_blocks()):
            pairs[(a, b)] = (score, reasons)
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE {TABLE}")
    clusters = _Clusters()
    for a, b in pairs:
        clusters.join(a, b)
    known = set(Candidate.objects.values_list("person_id", "other_id"))
    new = [
        Candidate(
            person_id=a,
            other_id=b,
            score=score,
            reasons=reasons,
            source=Candidate.Source.SCAN,
            cluster=clusters.find(a),
        )
        for (a, b), (score, reasons) in pairs.items()
        if (a, b) not in known
    ]
    Candidate.objects.bulk_create(new, batch_size=1000)
    rescored = rescore_open()
    roots = {clusters.find(x) for x in clusters.parent}
    return {
        "persons": persons,
        "pairs": len(pairs),
        "new_pairs": len(new),
        "clusters": len(roots),
        "persons_in_clusters": len(clusters.parent),
        "pair_set": set(pairs),
        "rescored": rescored,
    }


def rescore_open() -> int:
    """Score the open candidates again; returns how many changed score or reasons."""
    changed = 0
    last = 0
    while True:
        batch = list(
            Candidate.objects.filter(status=Candidate.Status.OPEN, pk__gt=last).order_by("pk")[
                :BATCH
            ]
        )
        if not batch:
            return changed
        last = batch[-1].pk
        profiles = profiles_of({c.person_id for c in batch} | {c.other_id for c in batch})
        updated = []
        for candidate in batch:
            score, reasons = compare(profiles[candidate.person_id], profiles[candidate.other_id])
            if (score, reasons) != (candidate.score, candidate.reasons):
                candidate.score, candidate.reasons = score, reasons
                updated.append(candidate)
        Candidate.objects.bulk_update(updated, ["score", "reasons"], batch_size=1000)
        changed += len(updated)
