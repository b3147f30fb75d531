"""Benchmark of bulk import and duplicate clustering (make bench).

    python bench/imports.py [ROWS]

Writes a ROWS-row legacy list (CSV), imports it with `hirfa import_artisans`' service
(rows/s, peak memory), then inserts the same rows with raw sqlite3 `executemany` into
a bare copy of the tables (same run, same machine) and prints the ratio; finally
clusters the register for duplicates (`hirfa find_duplicates`, minutes). The database
is the one of DATABASE_URL (a fresh one: the Makefile recreates it).
"""

import csv
import os
import random
import resource
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hirfa.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from hirfa.crafts.models import Activity  # noqa: E402
from hirfa.duplicates.clusters import find_clusters  # noqa: E402
from hirfa.imports import services  # noqa: E402
from hirfa.imports.columns import COLUMNS  # noqa: E402
from hirfa.search.names import FAMILY_NAMES, FEMALE_FIRST_NAMES, MALE_FIRST_NAMES  # noqa: E402
from hirfa.territory.models import Commune  # noqa: E402

FIELDS = [f for f in COLUMNS if f not in ("first_name_zgh", "last_name_zgh", "email")]


def write_list(path: Path, rows: int, seed: int = 23) -> None:
    rng = random.Random(seed)
    communes = list(Commune.objects.values_list("code", flat=True))
    activities = list(Activity.objects.filter(is_active=True).values_list("code", flat=True))
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(FIELDS)
        for i in range(rows):
            sex = rng.choice("MF")
            first = rng.choice(MALE_FIRST_NAMES if sex == "M" else FEMALE_FIRST_NAMES)
            family = rng.choice(FAMILY_NAMES)
            commune = rng.choice(communes)
            writer.writerow(
                [
                    f"{'BCDEFGHJKLMNPQRSTUVWXYZ'[i // 1_000_000]}{'ABCDEFGHIJ'[i // 100_000 % 10]}"
                    f"{i % 100_000 + 100_000:06d}",
                    family.ar,
                    first.ar,
                    rng.choice(family.latin),
                    rng.choice(first.latin),
                    sex,
                    f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/{rng.randint(1950, 2000)}",
                    "Tiznit",
                    f"{rng.randint(1, 200)} Derb {family.usual_latin}",
                    commune,
                    f"06{rng.randrange(10**8):08d}",
                    rng.choice(["none", "primary", "secondary"]),
                    rng.choice(["artisan_experience", "master"]),
                    rng.choice(activities),
                    rng.choice(activities),
                    "workshop",
                    commune,
                    f"Atelier {rng.randint(1, 99)}",
                    f"L-{i}",
                ]
            )


def raw_executemany(path: Path) -> float:
    """The same rows straight into a bare SQLite table of the same columns: the floor."""
    with tempfile.TemporaryDirectory() as folder:
        database = sqlite3.connect(Path(folder) / "raw.sqlite3")
        database.execute("PRAGMA journal_mode=WAL")
        database.execute("PRAGMA synchronous=NORMAL")
        columns = ", ".join(f"{f} TEXT" for f in FIELDS)
        database.execute(f"CREATE TABLE artisans (id INTEGER PRIMARY KEY, {columns})")
        marks = ", ".join("?" * len(FIELDS))
        started = time.perf_counter()
        with open(path, encoding="utf-8", newline="") as handle:
            reader = csv.reader(handle)
            next(reader)
            while batch := [row for _, row in zip(range(10_000), reader, strict=False)]:
                database.executemany(
                    f"INSERT INTO artisans ({', '.join(FIELDS)}) VALUES ({marks})", batch
                )
                database.commit()
        elapsed = time.perf_counter() - started
        database.close()
    return elapsed


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    call_command("migrate", verbosity=0)
    call_command("load_territory", verbosity=0)
    call_command("load_crafts", verbosity=0)
    vendor = connection.vendor
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "legacy.csv"
        write_list(path, rows)
        started = time.perf_counter()
        run = services.import_file(path, progress=services.Progress(sys.stderr, "import"))
        elapsed = time.perf_counter() - started
        sys.stderr.write("\n")
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        raw = raw_executemany(path)
    rate, raw_rate = rows / elapsed, rows / raw
    print(
        f"[{vendor}] import of {rows:,} rows: {elapsed:.1f} s, {rate:,.0f} rows/s, "
        f"peak memory {peak:,.0f} MB ({run.imported:,} imported, {run.rejected:,} rejected)"
    )
    print(
        f"[{vendor}] raw sqlite3 executemany of the same rows: {raw:.1f} s, "
        f"{raw_rate:,.0f} rows/s; import/raw = {rate / raw_rate:.1%} (target >= 25 %)"
    )
    started = time.perf_counter()
    found = find_clusters()
    minutes = (time.perf_counter() - started) / 60
    print(
        f"[{vendor}] duplicate clustering of {found['persons']:,} persons: {minutes:.1f} min "
        f"(target < 10), {found['pairs']:,} pairs in {found['clusters']:,} clusters"
    )
    from hirfa.duplicates.scoring import THRESHOLD, Profile, compare
    from tests.duplicates.labelled import labelled_set, precision_recall

    records, truth = labelled_set()
    profiles = [
        Profile.of(
            i,
            r["cnie"],
            r["first_name_ar"],
            r["last_name_ar"],
            r["first_name_latin"],
            r["last_name_latin"],
            r["birth_date"],
            r["phone"],
        )
        for i, r in enumerate(records)
    ]
    flagged = {
        (a.id, b.id)
        for index, a in enumerate(profiles)
        for b in profiles[index + 1 :]
        if compare(a, b)[0] >= THRESHOLD
    }
    precision, recall = precision_recall(flagged, truth)
    print(
        f"duplicates labelled set ({len(records)} records, all pairs): "
        f"precision {precision:.3f}, recall {recall:.3f}"
    )


if __name__ == "__main__":
    main()
