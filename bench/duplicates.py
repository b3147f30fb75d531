"""Benchmark: the duplicate finder's precision and recall on a labelled set (ADR 0056).

Usage: python bench/duplicates.py [N]   (N records, 4000 by default; DATABASE_URL selects
the database, HIRFA_VAR_DIR the folder; both must be fresh: `make bench` gives it its own.)

The set (hirfa.duplicates.labelled, fixed seed) holds true duplicates with realistic
variations — other Latin spellings, a CNIE one character off, a move to another province,
a mistyped birth day — and hard non-duplicates: brothers, twins, namesakes, and namesakes
born the same day in another province. Both paths are measured:

1. the whole-register scan (`hirfa find_duplicates`: blocking, scoring, clusters);
2. the check at submission (`likely_duplicates` of each companion record).

Printed: precision, recall, the pairs flagged by kind, and the time taken.
"""

import io
import os
import sys
import time
from collections import Counter

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hirfa.settings")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from hirfa.duplicates.clusters import find_clusters  # noqa: E402
from hirfa.duplicates.labelled import (  # noqa: E402
    FALSE_KINDS,
    TRUE_KINDS,
    labelled_set,
    load,
    precision_recall,
)
from hirfa.duplicates.services import likely_duplicates  # noqa: E402
from hirfa.register.models import Person  # noqa: E402


def report(label, flagged, truth, kind_of, elapsed):
    precision, recall = precision_recall(flagged, truth)
    by_kind = Counter(kind_of.get(pair, "unrelated") for pair in flagged)
    print(
        f"{connection.vendor} {label}: precision {precision:.3f}, recall {recall:.3f} "
        f"({len(flagged)} pairs flagged, {len(flagged & truth)} of {len(truth)} true; "
        f"{elapsed:.1f} s)"
    )
    print(
        "  flagged by kind: "
        + ", ".join(f"{kind} {by_kind[kind]}" for kind in TRUE_KINDS + FALSE_KINDS)
        + (f", unrelated {by_kind['unrelated']}" if by_kind["unrelated"] else "")
    )


def main() -> None:
    size = int(sys.argv[1]) if len(sys.argv) > 1 else 4000
    call_command("migrate", verbosity=0)
    call_command("load_territory", stdout=io.StringIO())
    call_command("load_crafts", stdout=io.StringIO())
    records, truth = labelled_set(size=size)
    kinds = TRUE_KINDS + FALSE_KINDS
    kind_of = {(2 * i, 2 * i + 1): kinds[i % len(kinds)] for i in range(len(records) // 2)}
    ids = load(records)
    index = {pk: i for i, pk in enumerate(ids)}

    started = time.perf_counter()
    found = find_clusters()
    flagged = {tuple(sorted((index[a], index[b]))) for a, b in found["pair_set"]}
    report("whole-register scan", flagged, truth, kind_of, time.perf_counter() - started)

    started = time.perf_counter()
    flagged = set()
    persons = Person.objects.in_bulk(ids[1::2])
    for pk in ids[1::2]:
        for other, _score, _reasons in likely_duplicates(persons[pk]):
            flagged.add(tuple(sorted((index[pk], index[other.pk]))))
    report("at submission", flagged, truth, kind_of, time.perf_counter() - started)


if __name__ == "__main__":
    main()
